"""Relevance: the entry (or catchment page) that answers a reader's query is among the first three
results."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from kb.search import engine_for

CASES = yaml.safe_load((Path(__file__).parent / "search_relevance.yml").read_text("utf-8"))
THRESHOLD = 0.9


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_hit_at_3_is_at_least_90_percent(site, lang):
    cases = CASES[lang]
    assert len(cases) >= 30
    engine = engine_for(site)
    misses = []
    for case in cases:
        wanted = case["id"] if isinstance(case["id"], list) else [case["id"]]
        pages = {area.search_id for area in site.catchment_areas}
        assert all(site.get(lang, id) or id in pages for id in wanted), f"unknown page in {case}"
        found = [hit.doc.id for hit in engine.search(lang, case["q"], limit=3).hits]
        if not set(wanted) & set(found):
            misses.append(f"{case['q']!r}: wanted {wanted}, got {found}")
    hit_rate = 1 - len(misses) / len(cases)
    assert hit_rate >= THRESHOLD, f"hit@3 {hit_rate:.0%} in {lang}; misses:\n" + "\n".join(misses)
