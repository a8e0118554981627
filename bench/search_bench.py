"""Search speed and size: index build, query latency, static index bytes, bytes per query.

    .venv/bin/python bench/search_bench.py                # the real content and 5,000 per language
    .venv/bin/python bench/search_bench.py --sizes 500    # a quicker look
    .venv/bin/python bench/search_bench.py --readme       # also rewrite bench/README.md's figures
    .venv/bin/python bench/search_bench.py --timing 1000,5000 --timing-only --readme
                                  # time to results in Chromium, kb against Pagefind (search_timing.py)

Synthetic sites come from bench/corpus.py (generate); queries are its two-word sample_queries.
bench/run.py calls figures() for kb's search figures beside its peers.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "bench")]

import search_timing
import yaml

from kb.content import load_site
from kb.search.analysis import word_analyzer
from kb.search.engine import SearchEngine
from kb.search.export import export_index, export_site, fnv1a
from kb.search.persist import persisted_engine
from kb.search.query import make_plan

import corpus

README = REPO / "bench" / "README.md"
START, END = "<!-- search:start -->", "<!-- search:end -->"
TIMING = "<!-- timing:start -->", "<!-- timing:end -->"
QUERIES_PER_LANG = 200


def timed(function, *args, **kwargs):
    wall, cpu = time.perf_counter(), time.process_time()
    value = function(*args, **kwargs)
    return value, time.perf_counter() - wall, time.process_time() - cpu


def percentiles(seconds: list[float]) -> dict[str, float]:
    ordered = sorted(seconds)
    return {
        "median_ms": statistics.median(ordered) * 1000,
        "p95_ms": ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] * 1000,
    }


def latency(engine: SearchEngine, lang: str, queries: list[str]) -> dict:
    """Search page 1 of each query (hits, snippets, counts, did you mean), cold and warm.

    Cold: the per-term cache emptied before each query, so every term's scores are looked up
    afresh. Warm: the same queries again, their terms cached as in a running server.
    """
    index = engine.indexes[lang]
    cold, warm, cold_cpu, warm_cpu = [], [], [], []
    for query in queries:
        index.postings.cache_clear()
        _, wall, cpu = timed(engine.search, lang, query)
        cold.append(wall)
        cold_cpu.append(cpu)
    for query in queries:
        _, wall, cpu = timed(engine.search, lang, query)
        warm.append(wall)
        warm_cpu.append(cpu)
    return {
        "queries": len(queries),
        "cold": percentiles(cold),
        "warm": percentiles(warm),
        "cold_cpu": percentiles(cold_cpu),
        "warm_cpu": percentiles(warm_cpu),
    }


def query_bytes(engine: SearchEngine, lang: str, query: str, folder: Path) -> int:
    """Bytes static/search.js downloads for a query: meta, its terms' shards, the shards of the
    entries on the first page (and the spelling lists of nearby lengths for an unknown word)."""
    index = engine.indexes[lang]
    meta = json.loads((folder / "meta.json").read_text("utf-8"))
    plan = make_plan(index, query)
    files = {"meta.json"}
    keys = {" ".join(a) for g in plan.groups for a in g.alternatives}
    keys |= {t for g in plan.groups for t in g.span}
    files |= {f"terms/{fnv1a(k) % meta['terms']}.json" for k in keys - set(meta["absent"])}
    results = engine.search(lang, query)
    files |= {f"docs/{hit.number // meta['docsPerShard']}.json" for hit in results.hits}
    if results.suggestion:
        files |= {
            f"spell/{n}.json"
            for w in plan.words
            for n in meta["spell"]
            if abs(n - len(w.text)) <= (2 if len(w.text) > 4 else 1)
        }
    return sum((folder / name).stat().st_size for name in files if (folder / name).exists())


def tree_bytes(folder: Path) -> tuple[int, int]:
    sizes = [p.stat().st_size for p in folder.rglob("*") if p.is_file()]
    return len(sizes), sum(sizes)


def figures(
    root: Path,
    build: Path | None = None,
    queries: dict[str, list[str]] | None = None,
    n: int | None = None,
) -> dict:
    """Search figures of the kb site at root; build is its built site (with search/), if any."""
    site, load_wall, _ = timed(load_site, root)
    engine, index_wall, index_cpu = timed(SearchEngine.from_site, site)
    result = {
        "entries": {lang: len(site.entries_in(lang)) for lang in ("en", "fr")},
        "load_site_s": load_wall,
        "index_build_s": index_wall,
        "index_build_cpu_s": index_cpu,
    }
    with tempfile.TemporaryDirectory() as scratch:
        # What `kb build` does: the scores computed from the entries, written as static files.
        _, result["static_index_s"], result["static_index_cpu_s"] = timed(
            export_site, site, Path(scratch) / "static"
        )
        if build is not None and (Path(build) / "search").is_dir():
            exported = Path(build)
            result["export_s"] = None
        else:
            exported = Path(scratch)
            _, result["export_s"], _ = timed(export_index, engine.indexes, exported)
        for lang in ("en", "fr"):
            asked = (queries or {}).get(lang) or corpus.sample_queries(lang, QUERIES_PER_LANG)
            while len(asked) < QUERIES_PER_LANG:
                asked = asked + asked
            folder = exported / "search" / lang
            files, size = tree_bytes(folder)
            two_words = [q for q in asked if len(list(word_analyzer(lang)(q))) == 2][:50]
            per_query = [query_bytes(engine, lang, q, folder) for q in two_words]
            result[lang] = {
                "latency": latency(engine, lang, asked),
                "static_files": files,
                "static_bytes": size,
                "two_word_query_bytes": {
                    "queries": len(per_query),
                    "median": statistics.median(per_query) if per_query else None,
                    "max": max(per_query) if per_query else None,
                },
            }
    with tempfile.TemporaryDirectory() as cache:
        folder = Path(cache) / "search"
        _, result["kb_search_first_s"], _ = timed(persisted_engine, site, folder)
        opened, result["kb_search_cached_open_s"], _ = timed(persisted_engine, site, folder)
        _, result["kb_search_cached_query_s"], _ = timed(opened.search, "en", "transition")
    return result


def real_queries() -> dict[str, list[str]]:
    cases = yaml.safe_load((REPO / "tests" / "search_relevance.yml").read_text("utf-8"))
    return {lang: [case["q"] for case in items] for lang, items in cases.items()}


def table(rows: dict[str, dict]) -> str:
    lines = [
        (
            "| corpus | entries/lang | Whoosh index build (both langs) | static index build, "
            "`kb build` (both langs) | query median / p95, cold | "
            "query median / p95, warm | static index | one two-word query (median / max) | "
            "`kb search`: first run / cached |"
        ),
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, row in rows.items():
        for lang in ("en", "fr"):
            data = row[lang]
            cold, warm = data["latency"]["cold"], data["latency"]["warm"]
            per_query = data["two_word_query_bytes"]
            lines.append(
                f"| {name} ({lang}) | {row['entries'][lang]:,} | "
                f"{row['index_build_s']:.1f} s ({row['index_build_cpu_s']:.1f} s CPU) | "
                f"{_seconds(row.get('static_index_s'))} | "
                f"{cold['median_ms']:.1f} / {cold['p95_ms']:.1f} ms | "
                f"{warm['median_ms']:.1f} / {warm['p95_ms']:.1f} ms | "
                f"{data['static_bytes'] / 1e6:.2f} MB in {data['static_files']:,} files | "
                f"{per_query['median'] / 1e3:.1f} / {per_query['max'] / 1e3:.1f} KB | "
                f"{row['kb_search_first_s']:.1f} s / {row['kb_search_cached_open_s']:.2f} s |"
            )
    return "\n".join(lines)


def _seconds(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f} s"


def write_readme(text: str, marks: tuple[str, str] = (START, END)) -> None:
    start, end = marks
    readme = README.read_text("utf-8")
    block = f"{start}\n{text}\n{end}"
    if start in readme:
        readme = re.sub(
            re.escape(start) + ".*?" + re.escape(end), lambda _: block, readme, flags=re.DOTALL
        )
    else:
        readme = readme.rstrip("\n") + f"\n\n## Search\n\n{block}\n"
    README.write_text(readme, "utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", default="5000", help="synthetic entries per language, e.g. 500,5000"
    )
    parser.add_argument(
        "--readme", action="store_true", help="rewrite the figures in bench/README.md"
    )
    parser.add_argument(
        "--timing", default="", help="also time results in Chromium at these sizes, e.g. 1000,5000"
    )
    parser.add_argument("--timing-queries", type=int, default=20, help="queries per language")
    parser.add_argument(
        "--timing-only", action="store_true", help="only the timing (and its README table)"
    )
    args = parser.parse_args()
    timing = []
    for size in (int(s) for s in args.timing.split(",") if s):
        with tempfile.TemporaryDirectory(
            dir="/dev/shm" if Path("/dev/shm").is_dir() else None
        ) as work:
            timing.append(search_timing.timing_figures(size, Path(work), args.timing_queries))
            print(search_timing.timing_table(timing[-1:]), flush=True)
    if timing:
        text = search_timing.timing_table(timing)
        print(text)
        raw = REPO / "bench" / "out" / "search-timing.json"
        raw.parent.mkdir(exist_ok=True)
        raw.write_text(json.dumps(timing, indent=1), "utf-8")
        if args.readme:
            write_readme(text, TIMING)
    if args.timing_only:
        return
    rows = {"real content": figures(REPO, queries=real_queries())}
    for size in (int(s) for s in args.sizes.split(",") if s):
        with tempfile.TemporaryDirectory(
            dir="/dev/shm" if Path("/dev/shm").is_dir() else None
        ) as work:
            corpus.generate(Path(work), size)
            rows[f"synthetic {size:,}"] = figures(Path(work), n=size)
    text = table(rows)
    print(text)
    print(json.dumps(rows, indent=1))
    if args.readme:
        write_readme(text)


if __name__ == "__main__":
    main()
