"""The editor's loop: how long `kb serve` and `hugo server` take to start, to show an edit, and
(kb) to find the edit in a search; and kb's rebuild CPU after one edit against a cold build.

    .venv/bin/python bench/loop.py --sizes 1000 --reps 3

Tools are interleaved round by round (the order shifts each round), on the same corpus
(bench/corpus.py). Called from bench/run.py with --loop.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import corpus  # noqa: E402
from tools import kb_command  # noqa: E402

TIMEOUT = 600.0


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError):
        return None


def _until(url: str, text: str | None = None, since: float | None = None) -> float:
    """Seconds from `since` until url answers (and shows text)."""
    since = since or time.perf_counter()
    while time.perf_counter() - since < TIMEOUT:
        page = _get(url)
        if page is not None and (text is None or text in page):
            return time.perf_counter() - since
        time.sleep(0.02)
    raise TimeoutError(f"{url} never showed {text!r}")


def _edit(file: Path, word: str) -> None:
    file.write_text(file.read_text(encoding="utf-8") + f"\n\nEdited: {word}.\n", encoding="utf-8")


def _peak_mb(pid: int) -> float:
    """The process's resident memory at its peak (VmHWM), in MB; 0 where /proc has none."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text(encoding="utf-8").splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def kb_loop(root: Path, rep: int) -> dict[str, float]:
    """Start (with the cache of earlier rounds, as an editor's second day), edit, search."""
    port = _port()
    file = sorted((root / "content" / "en").rglob("*.md"))[0]
    base = f"http://127.0.0.1:{port}"
    page = f"{base}/en/questions/{file.stem}/"
    started = time.perf_counter()
    process = subprocess.Popen(
        [*kb_command(), "serve", "--root", str(root), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        start = _until(page, since=started)
        word = f"kbloopword{rep}x"
        edited = time.perf_counter()
        _edit(file, word)
        visible = _until(page, word, since=edited)
        searched = time.perf_counter()
        search = _until(
            f"{base}/en/search/?q={word}", f"/en/questions/{file.stem}/", since=searched
        )
        peak = _peak_mb(process.pid)
    finally:
        _stop(process)
    return {"start_s": start, "edit_s": visible, "search_after_edit_s": search, "peak_mb": peak}


def hugo_loop(root: Path, rep: int) -> dict[str, float]:
    port = _port()
    file = sorted((root / "content" / "en").rglob("*.md"))[0]
    phase, slug = file.parent.name, file.stem
    base = f"http://127.0.0.1:{port}"
    page = f"{base}/en/{phase}/{slug}/"
    started = time.perf_counter()
    process = subprocess.Popen(
        [
            "hugo",
            "server",
            "--disableLiveReload",
            "-s",
            str(root),
            "--bind",
            "127.0.0.1",
            "--port",
            str(port),
            "--baseURL",
            base + "/",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        start = _until(page, since=started)
        word = f"hugoloopword{rep}x"
        edited = time.perf_counter()
        _edit(file, word)
        visible = _until(page, word, since=edited)
        peak = _peak_mb(process.pid)
    finally:
        _stop(process)
    return {"start_s": start, "edit_s": visible, "peak_mb": peak}


def _cpu_of(argv: list[str]) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def kb_rebuild(root: Path, out: Path, rep: int) -> dict[str, float]:
    """CPU of a cold build (no cache), then of a build after one edit (the cache warm)."""
    shutil.rmtree(root / ".kb-cache", ignore_errors=True)
    argv = [*kb_command(), "build", "--root", str(root), "--output", str(out)]
    cold = _cpu_of(argv)
    _edit(sorted((root / "content" / "en").rglob("*.md"))[1], f"rebuildword{rep}x")
    warm = _cpu_of(argv)
    return {"cold_cpu_s": cold, "warm_cpu_s": warm}


def measure(n: int, reps: int, work: Path, hugo: bool | None = None) -> dict:
    """The loop's figures at n entries per language: medians of reps interleaved rounds."""
    hugo = shutil.which("hugo") is not None if hugo is None else hugo
    base = work / f"loop-{n}"
    roots = corpus.write_corpora(base, n, tools=("kb", "hugo") if hugo else ("kb",))
    runs: dict[str, list[dict]] = {"kb": [], "hugo": [], "kb_rebuild": []}
    order = ["kb", "hugo"] if hugo else ["kb"]
    kb_loop(roots["kb"], -1)  # a first start fills the cache, as the editor's first day does
    for rep in range(reps):
        for name in order[rep % len(order) :] + order[: rep % len(order)]:
            runs[name].append(
                kb_loop(roots["kb"], rep) if name == "kb" else hugo_loop(roots["hugo"], rep)
            )
            print(f"  loop N={n} rep {rep + 1}/{reps} {name}: {runs[name][-1]}", flush=True)
    for rep in range(reps):
        runs["kb_rebuild"].append(kb_rebuild(roots["kb"], base / "out", rep))
        print(f"  loop N={n} rep {rep + 1}/{reps} kb build: {runs['kb_rebuild'][-1]}", flush=True)
    medians = {
        name: {key: statistics.median(run[key] for run in found) for key in found[0]}
        for name, found in runs.items()
        if found
    }
    shutil.rmtree(base, ignore_errors=True)
    return {"n": n, "reps": reps, "load": os.getloadavg()[0], "runs": runs, "median": medians}


def lines(result: dict) -> list[str]:
    """The loop's table for bench/README.md."""
    kb, hugo, build = (result["median"].get(name, {}) for name in ("kb", "hugo", "kb_rebuild"))

    def ratio(key: str) -> str:
        return f"{kb[key] / hugo[key]:.2f}" if hugo.get(key) else "—"

    def secs(row: dict, key: str) -> str:
        return f"{row[key]:.2f} s" if key in row else "—"

    rows = [
        f"| {result['n']:,} entries per language (median of {result['reps']}) | kb serve | "
        "hugo server | kb / Hugo |",
        "| --- | --- | --- | --- |",
    ]
    rows.append(
        f"| start until the entry page answers (kb: cache warm) | {secs(kb, 'start_s')} | "
        f"{secs(hugo, 'start_s')} | {ratio('start_s')} |"
    )
    rows.append(
        f"| edit one entry until its page shows it | {secs(kb, 'edit_s')} | "
        f"{secs(hugo, 'edit_s')} | {ratio('edit_s')} |"
    )
    rows.append(
        f"| search right after the edit finds it | {secs(kb, 'search_after_edit_s')} | — | — |"
    )
    if "peak_mb" in kb:
        hugo_peak = f"{hugo['peak_mb']:.0f} MB" if hugo.get("peak_mb") else "—"
        rows.append(
            f"| memory peak of the server (VmHWM) | {kb['peak_mb']:.0f} MB | "
            f"{hugo_peak} | {ratio('peak_mb')} |"
        )
    if build:
        rows.append(
            f"| `kb build` CPU: cold / after one edit | {build['cold_cpu_s']:.1f} s / "
            f"{build['warm_cpu_s']:.1f} s | — | warm / cold "
            f"{build['warm_cpu_s'] / build['cold_cpu_s']:.2f} |"
        )
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000")
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--no-hugo", action="store_true")
    parser.add_argument("--results", type=Path)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="kb-loop-"))
    try:
        results = [
            measure(int(n), args.reps, work, hugo=False if args.no_hugo else None)
            for n in args.sizes.split(",")
        ]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for result in results:
        print("\n".join(lines(result)) + "\n")
    if args.results:
        args.results.write_text(json.dumps(results, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
