"""`kb search`: JSON fields, batch mode on stdin, the readable listing and the index cache."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from kb.cache import CACHE_DIR
from kb.cli import main
from kb.content import load_site
from kb.search.persist import persisted_engine

ROOT = Path(__file__).resolve().parent.parent
FIELDS = {"id", "lang", "title", "url", "source", "phase", "audiences", "score", "snippet"}


@pytest.fixture(scope="module")
def run(tmp_path_factory, runner):
    """Run `kb search` on the real site, with the index cached in a temporary folder."""
    cache = tmp_path_factory.mktemp("cache")

    def invoke(*args: str, stdin: bytes | None = None):
        result = runner.invoke(
            main,
            ["search", "--root", str(ROOT), *args],
            input=stdin,
            env={"XDG_CACHE_HOME": str(cache)},
            catch_exceptions=False,
        )
        assert result.exit_code == 0, result.output
        return result.output

    return invoke


def test_json_results_have_the_documented_fields(run):
    results = json.loads(run("periode de transition", "--lang", "fr", "--json"))
    assert results and set(results[0]) >= FIELDS
    first = results[0]
    assert first["lang"] == "fr"
    assert first["url"].startswith("/fr/questions/") and first["url"].endswith("/")
    assert first["source"].startswith("content/fr/") and (ROOT / first["source"]).is_file()
    assert "<mark>" in first["snippet"]
    assert [r["score"] for r in results] == sorted((r["score"] for r in results), reverse=True)


def test_limit_and_filters(run):
    results = json.loads(run("SSM", "--lang", "en", "--json", "--limit", "2"))
    assert len(results) == 2
    chosen = json.loads(
        run("SSM", "--lang", "en", "--json", "--audience", "social-assistance", "--phase", "all")
    )
    assert chosen and all(
        "social-assistance" in r["audiences"] and r["phase"] == "all" for r in chosen
    )


def test_batch_mode_prints_one_json_line_per_stdin_line(run):
    out = run("--lang", "en", "--limit", "3", stdin=b"transition period\n\nODSP\n\xff\xfe<b>\n")
    lines = out.splitlines()
    assert len(lines) == 4
    batches = [json.loads(line) for line in lines]
    assert batches[0] and batches[1] == [] and batches[2]
    assert all(len(batch) <= 3 for batch in batches)
    single = json.loads(run("ODSP", "--lang", "en", "--limit", "3", "--json"))
    assert batches[2] == single


def test_listing_without_json_is_readable(run):
    out = run("transtion", "--lang", "en")
    assert "Did you mean: transition" in out
    out = run("ODSP", "--lang", "en", "--limit", "1")
    assert out.startswith(" 1. ") and "/en/questions/" in out and "<mark>" not in out


def test_the_index_is_kept_in_the_site_and_follows_the_content(tmp_path):
    site_root = tmp_path / "site"
    shutil.copytree(ROOT / "content", site_root / "content")
    folder = site_root / CACHE_DIR / "search"
    persisted_engine(load_site(site_root), folder)
    manifest = folder / "published" / "en" / "manifest.json"
    written = manifest.stat().st_mtime_ns
    persisted_engine(load_site(site_root), folder)
    assert manifest.stat().st_mtime_ns == written  # nothing changed, nothing written
    entry = next((site_root / "content" / "en").rglob("*.md"))
    entry.write_text(entry.read_text(encoding="utf-8") + "\nZebras too.\n", encoding="utf-8")
    engine = persisted_engine(load_site(site_root), folder)
    assert engine.search("en", "zebras").total == 1
    assert engine.indexes["en"].ix.reader().has_deletions()  # updated, not rebuilt
