"""kb against MkDocs, Pelican and Hugo (+ Pagefind) on the same synthetic corpus, interleaved, in one run.

    .venv/bin/python bench/run.py                      # N = 100, 1000, 5000; 3 repetitions
    .venv/bin/python bench/run.py --sizes 100 --reps 1 # a quick look

Prints the table and rewrites the results section of bench/README.md (unless --no-readme).
"""

from __future__ import annotations

import argparse
import gzip
import itertools
import json
import math
import os
import platform
import shutil
import statistics
import sys
import time
from dataclasses import asdict
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import pagefind_probe  # noqa: E402

import corpus  # noqa: E402
from tools import Run, Tool, discover, ensure_venv, measure, tree_bytes  # noqa: E402

README = BENCH / "README.md"
START, END = "<!-- results:start -->", "<!-- results:end -->"
PEERS = ("mkdocs", "pelican", "hugo", "hugo+pagefind")
QUERIES_PER_LANG = 10
LOADS: list[float] = []  # 1-minute load average after each build: how shared the machine was


def ram_folder() -> Path:
    """A tmpfs folder when there is one: file creation on real disks adds noise to every figure."""
    shm = Path("/dev/shm")
    return shm / "kb-bench" if shm.is_dir() and os.access(shm, os.W_OK) else BENCH / "out" / "work"


def build_all(
    n: int, tools: dict[str, Tool], base: Path, reps: int, log: Path
) -> dict[str, list[Run]]:
    """reps rounds; each round builds every tool once, starting one tool later than the last round."""
    order = [name for name in ("kb", "mkdocs", "pelican", "hugo") if tools[name].argv]
    runs: dict[str, list[Run]] = {name: [] for name in order}
    if tools["pagefind"].argv and "hugo" in order:
        runs["pagefind"] = []
    for rep in range(reps):
        shift = rep % len(order)
        for name in order[shift:] + order[:shift]:
            out = base / f"out-{name}"
            shutil.rmtree(out, ignore_errors=True)
            tool = tools[name]
            for cache in tool.caches:
                shutil.rmtree(base / tool.source / cache, ignore_errors=True)
            run = measure(tool.command(base / tool.source, out), base / tool.source, log)
            runs[name].append(run)
            LOADS.append(os.getloadavg()[0])
            print(
                f"  N={n} rep {rep + 1}/{reps} {name}: {run.seconds:.2f} s ({run.cpu_seconds:.2f} s CPU) "
                f"{run.peak_bytes / 2**20:.0f} MB{'' if run.ok else ' FAILED ' + run.error}",
                flush=True,
            )
            if name == "hugo" and "pagefind" in runs:
                run = measure(tools["pagefind"].command(base / "hugo", out), base / "hugo", log)
                runs["pagefind"].append(run)
                print(f"  N={n} rep {rep + 1}/{reps} pagefind: {run.seconds:.2f} s", flush=True)
    return runs


def kb_search_figures(root: Path, out: Path, n: int, queries: dict[str, list[str]]) -> dict:
    """Hook: kb's search figures from the search issue's benchmark, bench/search_bench.py.

    Calls the first of figures/measure/run/benchmark found there, passing whichever of root (the
    kb site folder), build (the built site), n and queries it accepts, and shows the dict it returns.
    """
    try:
        import search_bench
    except ImportError:
        return {"note": "bench/search_bench.py is not there yet: kb's search figures are missing"}
    import inspect

    offered = {
        "root": root,
        "site": root,
        "corpus": root,
        "site_root": root,
        "build": out,
        "output": out,
        "out": out,
        "build_dir": out,
        "n": n,
        "size": n,
        "queries": queries,
    }
    for name in ("figures", "measure", "run", "benchmark"):
        function = getattr(search_bench, name, None)
        if not callable(function):
            continue
        params = inspect.signature(function).parameters
        kwargs = {k: offered[k] for k in params if k in offered}
        missing = [
            k
            for k, p in params.items()
            if k not in kwargs
            and p.default is p.empty
            and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
        ]
        if not missing:
            try:
                result = function(**kwargs)
            except Exception as error:  # the search benchmark's failure is reported, not fatal
                return {
                    "note": f"bench/search_bench.py {name}() failed: "
                    f"{type(error).__name__}: {error}"
                }
            return result if isinstance(result, dict) else {"result": result}
    return {"note": "bench/search_bench.py has no figures(root, build, n, queries) function"}


def kb_static_index_bytes(out: Path) -> int:
    """Bytes of kb's exported static search index: non-HTML files under a search folder."""
    total = 0
    for path in out.rglob("*"):
        parts = path.relative_to(out).parts[:-1]
        if (
            path.is_file()
            and path.suffix != ".html"
            and any("search" in p or "recherche" in p or p in ("index", "_index") for p in parts)
        ):
            total += path.stat().st_size
    return total


def summarise(n: int, tools: dict[str, Tool], base: Path, runs: dict[str, list[Run]]) -> dict:
    """Medians, output sizes, search index sizes and kb's ratio to each peer, for one N."""
    rows = {}
    for name, tool_runs in runs.items():
        good = [r for r in tool_runs if r.ok]
        out = base / f"out-{'hugo' if name == 'pagefind' else name}"
        rows[name] = {
            "tool": tools[name].version or name,
            "ok": len(good) == len(tool_runs),
            "seconds": statistics.median(r.seconds for r in good) if good else None,
            "all_seconds": [r.seconds for r in tool_runs],
            "cpu_seconds": statistics.median(r.cpu_seconds for r in good) if good else None,
            "all_cpu_seconds": [r.cpu_seconds for r in tool_runs],
            "peak_bytes": max((r.peak_bytes for r in good), default=None),
        }
        if name == "pagefind":
            rows[name]["index_bytes"] = tree_bytes(out, "pagefind")[1]
            continue
        files, size = tree_bytes(out)
        if name == "hugo" and (out / "pagefind").exists():
            pf_files, pf_size = tree_bytes(out, "pagefind")
            files, size = files - pf_files, size - pf_size
        rows[name].update(files=files, output_bytes=size)
        if name == "kb":
            rows[name]["index_bytes"] = kb_static_index_bytes(out)
        if name == "mkdocs":
            index = out / "search" / "search_index.json"
            data = index.read_bytes() if index.exists() else b""
            rows[name].update(index_bytes=len(data), index_gzip_bytes=len(gzip.compress(data, 6)))
    if "hugo" in runs and "pagefind" in runs:
        pairs = list(zip(runs["hugo"], runs["pagefind"]))
        rows["hugo+pagefind"] = {
            "tool": f"{rows['hugo']['tool']} + {rows['pagefind']['tool']}",
            "ok": all(h.ok and p.ok for h, p in pairs),
            "seconds": statistics.median(h.seconds + p.seconds for h, p in pairs),
            "all_seconds": [h.seconds + p.seconds for h, p in pairs],
            "cpu_seconds": statistics.median(h.cpu_seconds + p.cpu_seconds for h, p in pairs),
            "all_cpu_seconds": [h.cpu_seconds + p.cpu_seconds for h, p in pairs],
            "peak_bytes": max(rows["hugo"]["peak_bytes"] or 0, rows["pagefind"]["peak_bytes"] or 0),
            "files": rows["hugo"]["files"],
            "output_bytes": rows["hugo"]["output_bytes"],
            "index_bytes": rows["pagefind"]["index_bytes"],
        }
    for peer in PEERS:
        if peer in rows and "kb" in rows:
            # Ratio per round, then the median: both builds of a round saw the same machine.
            for field, name in (
                ("all_seconds", "kb_speedup"),
                ("all_cpu_seconds", "kb_cpu_speedup"),
            ):
                ratios = [
                    p / k for p, k in zip(rows[peer].get(field, []), rows["kb"].get(field, [])) if k
                ]
                rows[peer][name] = statistics.median(ratios) if ratios else None
            if rows["kb"]["peak_bytes"] and rows[peer]["peak_bytes"]:
                rows[peer]["kb_memory_ratio"] = rows["kb"]["peak_bytes"] / rows[peer]["peak_bytes"]
    return {"n": n, "pages": 2 * n, "rows": rows}


def measure_size(n: int, tools: dict[str, Tool], work: Path, reps: int, probe: bool) -> dict:
    base = work / f"n{n}"
    shutil.rmtree(base, ignore_errors=True)
    sources = sorted({t.source for t in tools.values() if t.argv})
    started = time.perf_counter()
    roots = corpus.write_corpora(
        base, n, tools=tuple(sources), mkdocs_theme=tools["mkdocs"].theme or "mkdocs"
    )
    print(
        f"N={n}: corpora written in {time.perf_counter() - started:.1f} s under {base}", flush=True
    )
    log = base / "errors.log"
    runs = build_all(n, tools, base, reps, log)
    result = summarise(n, tools, base, runs)
    queries = {lang: corpus.sample_queries(lang, QUERIES_PER_LANG) for lang in corpus.LANGS}
    if "kb" in runs:
        result["kb_search"] = kb_search_figures(roots["kb"], base / "out-kb", n, queries)
    if probe and "pagefind" in runs:
        result["pagefind_query"] = pagefind_probe.per_query_bytes(base / "out-hugo", queries)
    return result


def _speedup(wall, cpu) -> str:
    if wall is None:
        return "—"
    return f"×{wall:.2f}" + (f" / ×{cpu:.2f}" if cpu else "")


def _secs(value) -> str:
    return "—" if value is None else f"{value:.2f}"


def _mb(value) -> str:
    return "—" if value is None else f"{value / 1e6:,.1f}"


def _kb(value) -> str:
    return "—" if not value else f"{value / 1e3:,.0f} KB"


def table(results: list[dict], tools: dict[str, Tool]) -> str:
    """The comparison as a Markdown table."""
    head = (
        "| tool | N | pages | build s (median) | ms/page | CPU s | peak MB | output MB | files "
        "| search index | kb speed-up (wall / CPU) |\n|" + " --- |" * 11
    )
    lines = [head]
    for result in results:
        n, pages = result["n"], result["pages"]
        for name in ("kb", *PEERS):
            row = result["rows"].get(name)
            if row is None:
                continue
            secs = row["seconds"]
            speed = _speedup(row.get("kb_speedup"), row.get("kb_cpu_speedup"))
            lines.append(
                f"| {row['tool']} | {n:,} | {pages:,} | "
                f"{'failed' if secs is None else f'{secs:.2f}'} | "
                f"{'—' if secs is None else f'{secs * 1000 / pages:.2f}'} | "
                f"{_secs(row.get('cpu_seconds'))} | "
                f"{_mb(row['peak_bytes'])} | {_mb(row.get('output_bytes'))} | {row.get('files', '—')} | "
                f"{_kb(row.get('index_bytes'))} | {speed} |"
            )
    skipped = [f"{name}: {tool.note}" for name, tool in tools.items() if not tool.argv]
    if skipped:
        lines.append("\nSkipped: " + "; ".join(skipped) + ".")
    return "\n".join(lines)


def growth(results: list[dict]) -> str:
    """How kb's time and memory grow: the exponent k in cost ∝ N^k between successive sizes."""
    points = [(r["n"], r["rows"]["kb"]) for r in results if r["rows"].get("kb", {}).get("seconds")]
    lines = []
    for (n1, a), (n2, b) in itertools.pairwise(points):

        def k(key: str, a=a, b=b, n1=n1, n2=n2) -> str:
            if not a.get(key) or not b.get(key):
                return "—"
            return (
                f"× {b[key] / a[key]:.1f} (N^{math.log(b[key] / a[key]) / math.log(n2 / n1):.2f})"
            )

        lines.append(
            f"- N {n1:,} → {n2:,} (× {n2 / n1:g}): wall time {k('seconds')}, CPU time "
            f"{k('cpu_seconds')}, peak memory {k('peak_bytes')}; CPU per page "
            f"{a['cpu_seconds'] * 500 / n1:.2f} → {b['cpu_seconds'] * 500 / n2:.2f} ms"
        )
    return "\n".join(lines)


def _kb_search_lines(figures: dict, n: int) -> list[str]:
    """kb's search figures, as bench/search_bench.py's own table when it has one."""
    if not figures:
        return ["- kb: no search figures"]
    if "note" in figures:
        return [f"- kb: {figures['note']}"]
    try:
        import search_bench

        return ["", search_bench.table({f"synthetic {n:,}": figures}), ""]
    except Exception:  # an older or newer search_bench: show the figures as they come
        return ["- kb: " + json.dumps(figures, default=str)]


def search_section(results: list[dict]) -> str:
    lines = []
    for result in results:
        n, rows = result["n"], result["rows"]
        lines.append(f"**N = {n:,} per language**")
        lines.extend(_kb_search_lines(result.get("kb_search") or {}, n))
        if rows.get("kb", {}).get("index_bytes") is not None:
            lines.append(f"- kb static index in build/: {_kb(rows['kb']['index_bytes'])}")
        if "mkdocs" in rows and rows["mkdocs"].get("index_bytes"):
            lines.append(
                f"- MkDocs search_index.json: {_kb(rows['mkdocs']['index_bytes'])} "
                f"({_kb(rows['mkdocs']['index_gzip_bytes'])} gzipped), all of it downloaded "
                "before the first query"
            )
        if "pagefind" in rows:
            line = (
                f"- Pagefind over Hugo's output: +{rows['pagefind']['seconds']:.2f} s, index "
                f"{_kb(rows['pagefind']['index_bytes'])}"
            )
            probe = result.get("pagefind_query")
            if probe:
                line += (
                    f"; per two-word query {_kb(probe['median_bytes'])} downloaded (median, "
                    f"p95 {_kb(probe['p95_bytes'])}), {_kb(probe['fixed_bytes'])} of it fixed; "
                    f"{probe['queries']} queries, median {probe['median_results']} results"
                )
            lines.append(line)
        lines.append("")
    return "\n".join(lines)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem = int(Path("/proc/meminfo").read_text().split()[1]) / 2**20
    except (OSError, ValueError, IndexError):
        mem = 0
    return (
        f"{cpu}, {os.cpu_count()} cores, {mem:.0f} GiB RAM, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}"
    )


def report(
    results: list[dict],
    tools: dict[str, Tool],
    reps: int,
    work: Path,
    loads: list[float] | None = None,
) -> str:
    versions = ", ".join(t.version for t in tools.values() if t.argv and t.version)
    return "\n".join(
        [
            f"Machine: {machine()}. Output on {work} ({'tmpfs' if str(work).startswith('/dev/shm') else 'disk'})."
            + (
                f" Load average during the run: {min(loads):.1f} to {max(loads):.1f} on {os.cpu_count()} "
                "cores (other work was running: compare CPU times)."
                if loads
                else ""
            ),
            f"Tools: {versions}. Wall time is the median of {reps} builds, the tools interleaved round by "
            "round; ms/page divides it by the 2N entry pages; CPU s is user + system time (Hugo and "
            "Pagefind use both cores); peak MB is the build's maximum resident "
            "memory; kb speed-up is the peer's time over kb's, per round, median of rounds.",
            "",
            table(results, tools),
            "",
            "How kb's cost grows with N:",
            "",
            growth(results) or "- one size only",
            "",
            "Search:",
            "",
            search_section(results).rstrip(),
        ]
    )


def write_readme(text: str) -> None:
    readme = (
        README.read_text(encoding="utf-8")
        if README.exists()
        else f"# Benchmark\n\n{START}\n{END}\n"
    )
    if START not in readme:
        readme = readme.rstrip() + f"\n\n## Results\n\n{START}\n{END}\n"
    head, rest = readme.split(START, 1)
    tail = rest.split(END, 1)[1]
    stamp = time.strftime("%Y-%m-%d")
    README.write_text(
        f"{head}{START}\n_Regenerated by `bench/run.py` on {stamp}._\n\n{text}\n{END}{tail}",
        encoding="utf-8",
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000])
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument(
        "--work", type=Path, default=ram_folder(), help="where corpora and builds go"
    )
    parser.add_argument("--tools", default="kb,mkdocs,pelican,hugo,pagefind")
    parser.add_argument(
        "--no-probe", action="store_true", help="skip Pagefind's per-query download"
    )
    parser.add_argument("--no-readme", action="store_true", help="do not rewrite bench/README.md")
    parser.add_argument("--keep", action="store_true", help="keep corpora and builds afterwards")
    parser.add_argument(
        "--loop",
        action="store_true",
        help="also measure the editor's loop (bench/loop.py) at each size",
    )
    parser.add_argument(
        "--results",
        type=Path,
        default=BENCH / "out" / "results.json",
        help="where the raw figures go (default: bench/out/results.json)",
    )
    parser.add_argument(
        "--from-results",
        type=Path,
        nargs="+",
        metavar="JSON",
        help="build nothing: print (and write) the reports of saved results.json "
        'files (an optional "title" key heads each)',
    )
    args = parser.parse_args(argv)
    if args.from_results:
        reports = []
        for file in args.from_results:
            saved = json.loads(file.read_text())
            tools = {name: Tool(**fields) for name, fields in saved["tools"].items()}
            text = report(
                saved["results"],
                tools,
                saved.get("reps", args.reps),
                Path(saved.get("work", "?")),
                saved.get("loads"),
            )
            heading = saved.get("title")
            reports.append(f"### {heading}\n\n{text}" if heading else text)
        text = "\n\n".join(reports)
        print(text)
        if not args.no_readme:
            write_readme(text)
        return
    wanted = set(args.tools.split(","))
    # The peers' environment is made only when a peer is asked for.
    tools = discover(ensure_venv() if wanted & {"mkdocs", "pelican", "pagefind"} else None)
    for name, tool in tools.items():
        if name not in wanted:
            tool.argv, tool.note = None, "left out with --tools"
    results = [measure_size(n, tools, args.work, args.reps, not args.no_probe) for n in args.sizes]
    text = report(results, tools, args.reps, args.work, LOADS)
    if args.loop:  # kb serve and hugo server: start, edit, search; kb's warm rebuild
        import loop

        loops = [loop.measure(n, args.reps, args.work, hugo="hugo" in wanted) for n in args.sizes]
        for found, result in zip(loops, results):
            result["loop"] = found
        text += "\n\n### The editor's loop\n\n" + "\n\n".join(
            "\n".join(loop.lines(found)) for found in loops
        )
    print("\n" + text)
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(
        json.dumps(
            {
                "results": results,
                "tools": {k: asdict(v) for k, v in tools.items()},
                "reps": args.reps,
                "work": str(args.work),
                "machine": machine(),
                "loads": LOADS,
            },
            indent=2,
            default=str,
        )
    )
    if not args.no_readme:
        write_readme(text)
    if not args.keep:
        shutil.rmtree(args.work, ignore_errors=True)


if __name__ == "__main__":
    main()
