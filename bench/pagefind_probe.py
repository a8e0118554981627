"""What a reader's browser downloads for one Pagefind query: headless Chromium against a local server."""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import statistics
import subprocess
import tempfile
import threading
from pathlib import Path
from urllib.parse import quote, urlsplit

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PROBE = "__pagefind_probe.html"
RESULTS_SHOWN = 5  # Pagefind's default UI loads the first five results' fragments
PAGE = """<!doctype html><html lang="{lang}"><head><meta charset="utf-8"></head><body>
<script type="module">
const q = new URLSearchParams(location.search).get("q");
const pagefind = await import("/pagefind/pagefind.js");
await pagefind.init();
if (q) {{
  const search = await pagefind.search(q);
  const shown = await Promise.all(search.results.slice(0, {shown}).map((r) => r.data()));
  document.body.dataset.results = String(search.results.length);
  document.body.dataset.first = shown.length ? shown[0].url : "";
}}
document.body.dataset.done = "1";
</script></body></html>
"""


class _Counter(http.server.SimpleHTTPRequestHandler):
    """Serves the site and adds up the bytes of every response body, as a static host would send."""

    served: list[int]

    def log_message(self, format, *args):  # noqa: A002 (stdlib signature)
        pass

    def copyfile(self, source, outputfile):
        if not urlsplit(self.path).path.endswith(PROBE):
            start = source.tell()
            source.seek(0, 2)
            self.served.append(source.tell() - start)
            source.seek(start)
        super().copyfile(source, outputfile)


def _load(url: str) -> str:
    with tempfile.TemporaryDirectory() as profile:  # a fresh profile: nothing cached
        out = subprocess.run(
            [
                CHROMIUM,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--user-data-dir={profile}",
                "--virtual-time-budget=30000",
                "--dump-dom",
                url,
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
    return out.stdout


def per_query_bytes(site: Path, queries: dict[str, list[str]]) -> dict | None:
    """Median and p95 bytes downloaded per query (fixed part included), and the fixed part alone."""
    if CHROMIUM is None or not (site / "pagefind" / "pagefind.js").exists():
        return None
    served: list[int] = []
    handler = type("Handler", (_Counter,), {"served": served})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(site))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    totals, fixed, hits, misses = [], [], [], 0
    try:
        for lang, words in queries.items():
            (site / lang).mkdir(exist_ok=True)
            (site / lang / PROBE).write_text(PAGE.format(lang=lang, shown=RESULTS_SHOWN))
            base = f"http://127.0.0.1:{port}/{lang}/{PROBE}"
            served.clear()
            _load(base)
            fixed.append(sum(served))
            for query in words:
                served.clear()
                dom = _load(f"{base}?q={quote(query)}")
                misses += 'data-done="1"' not in dom
                found = re.search(r'data-results="(\d+)"', dom)
                hits.append(int(found.group(1)) if found else 0)
                totals.append(sum(served))
            (site / lang / PROBE).unlink()
    finally:
        server.shutdown()
        server.server_close()
    if not totals:
        return None
    totals.sort()
    return {
        "median_bytes": statistics.median(totals),
        "p95_bytes": totals[min(len(totals) - 1, round(0.95 * (len(totals) - 1)))],
        "fixed_bytes": statistics.median(fixed),
        "queries": len(totals),
        "median_results": statistics.median(hits),
        "failed": misses,
    }
