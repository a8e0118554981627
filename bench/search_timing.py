"""Time to results in headless Chromium on an emulated slow network: kb's static search page
against Pagefind's default UI, on builds of the same synthetic corpus.

search_bench.py --timing 1000,5000 builds both sites (kb build; Hugo then Pagefind) and calls
time_to_results(). Each load is a fresh browser context (nothing cached), with Chromium's own
network emulation (CDP Network.emulateNetworkConditions), against a local static HTTP server.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import re
import shutil
import statistics
import subprocess
import threading
from pathlib import Path
from urllib.parse import quote, urlsplit

import tools

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [  # as tests/conftest.py launches it
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# 150 ms latency, 1.6 Mbps both ways: a slow mobile connection.
SLOW = {
    "offline": False,
    "latency": 150,
    "downloadThroughput": 200_000,
    "uploadThroughput": 200_000,
}
INDEX_FILE = re.compile(r"/search/(en|fr)/(?!meta\.json$)")
KB_PAGES = {"en": "/en/search/", "fr": "/fr/recherche/"}
PAGEFIND_PAGE = "pagefind-search/"  # written into Hugo's output, one per language
# What a reader waits for, as JavaScript tests on the page: "count", the line with the number of
# results; "shown", the first result with its title, or the line saying there is none. kb renders
# them at once; Pagefind's UI shows its count, then each result when its fragment has arrived.
CHECKS = {
    "kb": {
        "count": "!!document.querySelector('#search-results[data-done] .search-summary')",
        "shown": "!!document.querySelector('#search-results[data-done] .search-summary')",
    },
    "pagefind": {
        "count": "/\\d/.test(message())",
        # No result: a message without a count that is not "Searching for …".
        "shown": "!!document.querySelector('.pagefind-ui__result-link') || "
        "(message() !== '' && !/\\d|\\.\\.\\.|…/.test(message()))",
    },
}
# Pagefind's UI reads no ?q= itself: the page hands the query over, without the typing debounce.
PAGEFIND_HTML = """<!doctype html><html lang="{lang}"><head><meta charset="utf-8">
<title>Search</title><link href="/pagefind/pagefind-ui.css" rel="stylesheet">
<script src="/pagefind/pagefind-ui.js"></script></head><body><main><div id="search"></div></main>
<script>
window.addEventListener("DOMContentLoaded", () => {{
  const ui = new PagefindUI({{ element: "#search", showSubResults: true, showImages: false,
                              debounceTimeoutMs: 0 }});
  const q = new URLSearchParams(location.search).get("q");
  if (q) ui.triggerSearch(q);
}});
</script></body></html>
"""
# Runs before the page's scripts: notes when each selector first matches, in ms from navigation.
WATCH = """(() => {
  const message = () => (document.querySelector(".pagefind-ui__message") || {}).textContent
    ?.trim() || "";
  const seen = (window.__kbTimes = {});
  const check = () => {
    if (seen.count === undefined && (%(count)s)) seen.count = performance.now();
    if (seen.shown === undefined && (%(shown)s)) seen.shown = performance.now();
  };
  new MutationObserver(check).observe(document, { childList: true, subtree: true,
                                                  attributes: true, characterData: true });
})();"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as a static host serves

    def handle(self):
        try:
            super().handle()
        except ConnectionError:  # the browser closed its context mid-request: nothing to serve
            pass

    def log_message(self, format, *args):  # noqa: A002 (stdlib signature)
        pass


@contextlib.contextmanager
def serve(folder: Path):
    """folder served on 127.0.0.1 at a free port; yields its base URL."""
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def build_kb(root: Path, out: Path) -> None:
    """The kb site at root, frozen to out with `kb build`."""
    shutil.rmtree(out, ignore_errors=True)
    subprocess.run(
        tools.kb_command() + ["build", "--root", str(root), "--output", str(out), "--quiet"],
        check=True,
    )


def pagefind_python() -> Path | None:
    """bench/.venv's Python with Pagefind, creating the environment if needed."""
    python = tools.VENV / "bin" / "python"
    if python.exists() and tools._has_module(python, "pagefind"):
        return python
    return tools.ensure_venv()


def build_pagefind(hugo_root: Path, out: Path) -> str:
    """Hugo's build of the corpus, indexed by Pagefind, with a UI search page per language.

    Returns "" when done, else why it could not be built here.
    """
    found = tools.discover(pagefind_python())
    for name in ("hugo", "pagefind"):
        if not found[name].argv:
            return f"{name} {found[name].note}"
    shutil.rmtree(out, ignore_errors=True)
    for name in ("hugo", "pagefind"):
        done = subprocess.run(
            found[name].command(hugo_root, out), cwd=hugo_root, capture_output=True, text=True
        )
        if done.returncode:
            return f"{name} failed: {(done.stderr or done.stdout).strip()[-300:]}"
    for lang in KB_PAGES:
        page = out / lang / PAGEFIND_PAGE / "index.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(PAGEFIND_HTML.format(lang=lang), "utf-8")
    return ""


def rounds(entries: list[dict], before: float) -> dict:
    """Request rounds up to `before` (ms): a request is one round deeper than the deepest one
    that had finished when it was asked for; the page itself is round 1."""
    nodes = sorted((e for e in entries if e["start"] < before), key=lambda e: e["start"])
    depth: list[int] = []
    for i, node in enumerate(nodes):
        done = [depth[j] for j in range(i) if nodes[j]["end"] <= node["start"]]
        depth.append(1 + max(done, default=0))
    # kb's query shards: the index files under search/<lang>/ other than the preloaded meta.json.
    index = {d for node, d in zip(nodes, depth) if INDEX_FILE.search(urlsplit(node["name"]).path)}
    return {"chain": max(depth, default=0), "requests": len(nodes), "query_rounds": len(index)}


def load(browser, tool: str, url: str, emulate: bool, timeout_ms: float) -> dict:
    """One cold load of a search URL: ms from navigation to the count and to the first result."""
    context = browser.new_context()
    try:
        page = context.new_page()
        if emulate:
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            cdp.send("Network.emulateNetworkConditions", SLOW)
        page.add_init_script(WATCH % CHECKS[tool])
        finished: list = []  # the page's and its workers' requests (Pagefind searches in a worker)
        page.on("requestfinished", lambda request: finished.append(request))
        page.on("requestfailed", lambda request: finished.append(request))
        page.goto(url, wait_until="commit", timeout=timeout_ms)
        page.wait_for_function(
            "window.__kbTimes && window.__kbTimes.shown !== undefined", timeout=timeout_ms
        )
        found = page.evaluate("""() => {
          const box = document.getElementById("search-results");
          return { times: window.__kbTimes, origin: performance.timeOrigin,
                   failed: !!box && box.dataset.done === "failed",
                   hits: document.querySelectorAll(".search-hits > li, .pagefind-ui__result").length };
        }""")
        entries = []
        for request in finished:
            timing = request.timing  # startTime in ms since the epoch, the rest from startTime
            start = timing["startTime"] - found["origin"]
            end = start + max(timing["responseEnd"], 0)
            entries.append({"name": request.url, "start": start, "end": end})
    finally:
        context.close()
    shown = found["times"]["shown"]
    return {
        "shown_ms": shown,
        "count_ms": found["times"].get("count"),
        "failed": found["failed"],
        "hits": found["hits"],
        **rounds(entries, shown),
        "entries": entries,
    }


def _spread(values: list[float]) -> dict:
    ordered = sorted(values)
    return {
        "median": statistics.median(ordered),
        "p90": ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))],
    }


def time_to_results(
    sites: dict[str, Path],
    queries: dict[str, list[str]],
    emulate: bool = True,
    timeout_ms: float = 60_000,
    browser=None,
) -> dict:
    """Median and p90 ms to results per tool and language; tools interleaved query by query.

    sites: {"kb": kb's build, "pagefind": Hugo's build with Pagefind} (either may be left out).
    browser: a Playwright Chromium already running (the tests' own), else one is launched.
    """
    from playwright.sync_api import sync_playwright

    urls = {
        "kb": lambda base, lang, q: f"{base}{KB_PAGES[lang]}?q={quote(q)}",
        "pagefind": lambda base, lang, q: f"{base}/{lang}/{PAGEFIND_PAGE}?q={quote(q)}",
    }
    loads: dict[str, dict[str, list[dict]]] = {t: {lang: [] for lang in queries} for t in sites}
    with contextlib.ExitStack() as stack:
        bases = {tool: stack.enter_context(serve(folder)) for tool, folder in sites.items()}
        if browser is None:
            playwright = stack.enter_context(sync_playwright())
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            stack.callback(browser.close)
        order = list(sites)
        for lang, words in queries.items():
            for tool in order:  # a first load of each, not counted: the browser warms up
                load(browser, tool, urls[tool](bases[tool], lang, words[0]), emulate, timeout_ms)
            for i, query in enumerate(words):
                # Interleaved, the first tool alternating, so a slow moment hits both alike.
                for tool in order[i % len(order) :] + order[: i % len(order)]:
                    url = urls[tool](bases[tool], lang, query)
                    loads[tool][lang].append(
                        {"query": query, **load(browser, tool, url, emulate, timeout_ms)}
                    )
    result: dict = {"emulated": SLOW if emulate else None}
    for tool, per_lang in loads.items():
        result[tool] = {}
        for lang, runs in per_lang.items():
            result[tool][lang] = {
                "queries": len(runs),
                "shown_ms": _spread([r["shown_ms"] for r in runs]),
                "count_ms": _spread([r["count_ms"] or r["shown_ms"] for r in runs]),
                "chain": _spread([r["chain"] for r in runs]),
                "query_rounds": _spread([r["query_rounds"] for r in runs]),
                "requests": _spread([r["requests"] for r in runs]),
                "failed": sum(r["failed"] for r in runs),
                "empty": sum(not r["hits"] for r in runs),
                "loads": runs,
            }
    return result


def timing_figures(
    n: int,
    work: Path,
    queries_per_lang: int = 20,
    pagefind: bool = True,
    emulate: bool = True,
    browser=None,
) -> dict:
    """Write the corpus of n entries per language, build it with kb (and Hugo + Pagefind), time
    sample_queries on both builds."""
    import corpus

    roots = corpus.write_corpora(work, n, tools=("kb", "hugo") if pagefind else ("kb",))
    build_kb(roots["kb"], work / "out-kb")
    sites = {"kb": work / "out-kb"}
    note = build_pagefind(roots["hugo"], work / "out-hugo") if pagefind else "not asked for"
    if not note:
        sites["pagefind"] = work / "out-hugo"
    queries = {lang: corpus.sample_queries(lang, queries_per_lang) for lang in KB_PAGES}
    result = time_to_results(sites, queries, emulate=emulate, browser=browser)
    result.update(n=n, pagefind_note=note)
    return result


def timing_table(rows: list[dict]) -> str:
    """Markdown: per size and language, ms to the first result for kb and Pagefind, and kb/Pagefind."""
    lines = [
        "| entries/lang | lang | kb: median / p90 | Pagefind: median / p90 (count shown) "
        "| kb / Pagefind: median / p90 | request chain kb / Pagefind | kb query rounds |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for row in rows:
        for lang in KB_PAGES:
            kb, pf = row["kb"][lang], row.get("pagefind", {}).get(lang)
            ms = kb["shown_ms"]
            cells = [f"{row['n']:,}", lang, f"{ms['median']:.0f} / {ms['p90']:.0f} ms"]
            if pf:
                pms, pcount = pf["shown_ms"], pf["count_ms"]
                cells += [
                    f"{pms['median']:.0f} / {pms['p90']:.0f} ms "
                    f"({pcount['median']:.0f} / {pcount['p90']:.0f} ms)",
                    f"{ms['median'] / pms['median']:.2f} / {ms['p90'] / pms['p90']:.2f}",
                    f"{kb['chain']['median']:.0f} / {pf['chain']['median']:.0f}",
                ]
            else:
                cells += [
                    f"— ({row.get('pagefind_note', '')})",
                    "—",
                    f"{kb['chain']['median']:.0f} / —",
                ]
            cells.append(
                f"{kb['query_rounds']['median']:.0f} (at most "
                f"{max(r['query_rounds'] for r in kb['loads'])})"
            )
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)
