"""The benchmark's own tools: they run, and measure what they say (kb only: the peers are
installed by the benchmark itself, outside the test suite)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from support import ROOT, bench_corpus


def test_the_benchmark_builds_kb_and_reports_its_figures(tmp_path):
    results = tmp_path / "results.json"
    run = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "run.py"),
            "--sizes",
            "12",
            "--reps",
            "1",
            "--tools",
            "kb",
            "--no-probe",
            "--no-readme",
            "--work",
            str(tmp_path / "work"),
            "--results",
            str(results),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert "| kb " in run.stdout and "mkdocs: left out with --tools" in run.stdout
    [size] = json.loads(results.read_text())["results"]
    kb = size["rows"]["kb"]
    assert size["n"] == 12 and size["pages"] == 24
    assert kb["ok"] and kb["seconds"] > 0 and kb["peak_bytes"] > 10e6
    assert kb["files"] > 24 and kb["index_bytes"] > 10_000
    search = size["kb_search"]
    assert "note" not in search, search  # search_bench.py ran and gave its figures
    for lang in ("en", "fr"):
        assert search[lang]["two_word_query_bytes"]["median"] > 1_000
        assert search[lang]["latency"]["cold"]["median_ms"] > 0
    assert not (tmp_path / "work").exists()  # corpora and builds are removed unless --keep


def test_the_corpus_is_written_for_every_tool(tmp_path):
    roots = bench_corpus().write_corpora(tmp_path, 5)
    assert len(list((roots["kb"] / "content").rglob("*.md"))) == 10
    assert (roots["mkdocs"] / "mkdocs.yml").exists()
    assert len([p for p in (roots["mkdocs"] / "docs").rglob("*.md") if p.name != "index.md"]) >= 10
    assert (roots["pelican"] / "pelicanconf.py").exists()
    assert len(list((roots["pelican"] / "content").rglob("*.md"))) == 10
    assert len(list((roots["hugo"] / "content").rglob("*.md"))) >= 10


def test_every_round_builds_kb_cold(tmp_path, monkeypatch):
    """kb keeps what it read and rendered under its site (.kb-cache/): each round removes it, so
    no round after the first measures a warm build."""
    monkeypatch.syspath_prepend(str(ROOT / "bench"))
    import run as bench_run

    from tools import Tool

    (tmp_path / "kb").mkdir()
    # A build that fails if the last one's cache is still there, and leaves one behind.
    script = (
        "import pathlib, sys; cache = pathlib.Path(sys.argv[1]) / '.kb-cache'; "
        "sys.exit(3) if cache.exists() else cache.mkdir()"
    )
    tools = {
        "kb": Tool("kb", "kb", [sys.executable, "-c", script, "{root}"], caches=(".kb-cache",)),
        **{name: Tool(name, name, None) for name in ("mkdocs", "pelican", "hugo", "pagefind")},
    }
    runs = bench_run.build_all(12, tools, tmp_path, 3, tmp_path / "log")
    assert [run.ok for run in runs["kb"]] == [True, True, True]


def test_stages_add_up_to_the_build(synthetic_root, tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(ROOT / "bench"))
    import stages

    import kb.content
    import kb.freeze

    found = stages.stages(synthetic_root, tmp_path / "build")
    assert (tmp_path / "build" / "en" / "index.html").exists()
    parts = [found[name] for name in ("reading and checks", "Markdown", "search index", "pages")]
    assert all(seconds > 0 for seconds in parts)
    assert abs(sum(parts) + found["swap"] - found["total"]) < 1e-6
    assert kb.freeze.load_site is kb.content.load_site  # the timers are taken off again


def test_the_editors_loop_is_measured(tmp_path):
    results = tmp_path / "results.json"
    run = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "run.py"),
            "--sizes",
            "8",
            "--reps",
            "1",
            "--tools",
            "kb",
            "--no-probe",
            "--no-readme",
            "--loop",
            "--work",
            str(tmp_path / "work"),
            "--results",
            str(results),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert "edit one entry until its page shows it" in run.stdout
    [size] = json.loads(results.read_text())["results"]
    kb = size["loop"]["median"]["kb"]
    assert kb["start_s"] > 0 and kb["edit_s"] > 0 and kb["search_after_edit_s"] > 0
    assert 20 < kb["peak_mb"] < 2000  # the server's VmHWM, in MB
    assert "memory peak of the server" in run.stdout
    build = size["loop"]["median"]["kb_rebuild"]
    assert build["warm_cpu_s"] > 0 and build["cold_cpu_s"] > 0


@pytest.mark.browser
def test_the_timing_bench_times_kb_s_search_page_on_a_slow_network(browser, tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(ROOT / "bench"))
    import search_timing

    found = search_timing.timing_figures(
        20, tmp_path, queries_per_lang=2, pagefind=False, browser=browser
    )
    assert found["emulated"]["latency"] == 150 and found["pagefind_note"] == "not asked for"
    for lang in ("en", "fr"):
        kb = found["kb"][lang]
        assert kb["queries"] == 2 and kb["failed"] == 0 and kb["empty"] == 0
        # The page, then its files and meta.json (one round at 150 ms), then the query's shards.
        assert kb["shown_ms"]["median"] > 3 * 150
        assert kb["chain"]["median"] >= 3 and 1 <= kb["query_rounds"]["p90"] <= 2
    table = search_timing.timing_table([found])
    assert "| 20 | en |" in table and "not asked for" in table


def test_rounds_follow_the_chain_of_requests(monkeypatch):
    monkeypatch.syspath_prepend(str(ROOT / "bench"))
    import search_timing

    page = "http://127.0.0.1:1/en/search/?q=a"
    entries = [
        {"name": page, "start": 0, "end": 100},
        {"name": "http://127.0.0.1:1/static/search.js", "start": 110, "end": 300},
        {"name": "http://127.0.0.1:1/search/en/meta.json", "start": 120, "end": 280},
        {"name": "http://127.0.0.1:1/search/en/terms/1.json", "start": 310, "end": 400},
        {"name": "http://127.0.0.1:1/search/en/terms/2.json", "start": 320, "end": 410},
        {"name": "http://127.0.0.1:1/search/en/docs/0.json", "start": 420, "end": 500},
        {"name": "http://127.0.0.1:1/search/en/spell/5.json", "start": 600, "end": 700},
    ]
    found = search_timing.rounds(entries, before=550)  # the spelling shard came after results
    assert found == {"chain": 4, "requests": 6, "query_rounds": 2}
