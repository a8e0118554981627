"""The export's scores, computed without a Whoosh index, are the ones Whoosh's searcher gives."""

from __future__ import annotations

import filecmp
from pathlib import Path

import pytest
from whoosh.util.numeric import byte_to_length, length_to_byte

from kb.search.analysis import field_analyzer
from kb.search.bm25 import scored_indexes
from kb.search.engine import SearchEngine
from kb.search.export import export_index
from kb.search.index import document
from kb.taxonomy import LANGS


@pytest.fixture(params=["site", "synthetic_site"])
def any_site(request):
    return request.getfixturevalue(request.param)


def test_scores_equal_whooshs_term_by_term(any_site):
    whoosh = SearchEngine.from_site(any_site).indexes
    direct = scored_indexes(any_site)
    for lang in LANGS:
        expected, found = whoosh[lang].table(), direct[lang].table()
        assert len(expected) > 200
        assert list(found) == list(expected)  # same terms, same order
        differing = [term for term in expected if found[term] != expected[term]]
        assert not differing, f"{lang}: {differing[:5]}"
        assert direct[lang].word_frequencies() == whoosh[lang].word_frequencies()
        assert direct[lang].docs == whoosh[lang].docs
        assert direct[lang].facet_of == whoosh[lang].facet_of


def test_corpus_has_lengths_that_whoosh_approximates(synthetic_site):
    """Whoosh keeps a field's length in one byte: the comparison above only proves that kb
    copies this approximation if some answers have lengths it cannot keep exactly."""
    analyze = field_analyzer("en")
    lengths = {
        len(list(analyze(document("en", e)["body"]))) for e in synthetic_site.entries_in("en")
    }
    assert any(byte_to_length(length_to_byte(n)) != n for n in lengths)


def test_exported_files_are_identical(synthetic_site, tmp_path: Path):
    export_index(SearchEngine.from_site(synthetic_site).indexes, tmp_path / "whoosh")
    export_index(scored_indexes(synthetic_site), tmp_path / "direct")
    compared = filecmp.dircmp(tmp_path / "whoosh", tmp_path / "direct")
    differences = []

    def walk(node, prefix=""):
        differences.extend(prefix + name for name in node.left_only + node.right_only)
        _, mismatch, errors = filecmp.cmpfiles(
            node.left, node.right, node.common_files, shallow=False
        )
        differences.extend(prefix + name for name in mismatch + errors)
        for name, sub in node.subdirs.items():
            walk(sub, f"{prefix}{name}/")

    walk(compared)
    assert not differences
    assert len(list((tmp_path / "direct").rglob("*.json"))) > 100
