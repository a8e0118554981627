"""Helpers the test modules share: entry files, tiny sites, reading a frozen build, serving one."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import http.server
import importlib.util
import re
import shutil
import socket
import struct
import subprocess
import sys
import threading
import time
import urllib.request
import zlib
from collections.abc import Callable, Iterator
from dataclasses import asdict
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

from kb.config import load_config

ROOT = Path(__file__).resolve().parent.parent
CASES = Path(__file__).resolve().parent / "cases"
SITE_URL = "https://kb.example.org/"  # the public URL the test builds are given
EN = "content/en/phase-2/planning.md"
FR = "content/fr/phase-2/planification.md"


def make_site(tmp_path: Path, files: dict[str, str | bytes], data: bool = True) -> Path:
    """A tiny site in tmp_path: the repo's templates, static and data files, plus given files."""
    for name in ("templates", "static"):
        shutil.copytree(ROOT / name, tmp_path / name)
    (tmp_path / "content" / "en").mkdir(parents=True)
    (tmp_path / "content" / "fr").mkdir(parents=True)
    if (
        data
    ):  # the glossary and timeline point to real entries: tests that need them write their own
        for name in ("topics.yml", "synonyms.yml"):
            shutil.copy(ROOT / "content" / name, tmp_path / "content" / name)
    for rel, text in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
    return tmp_path


def entry(
    id="planning",
    title="What is the planning period?",
    phase="phase-2",
    audiences="[service-providers]",
    topics="[timeline]",
    updated="2023-01-20",
    status="published",
    period="February 2023 to April 2023",
    body="The planning period runs from February to April 2023.",
    extra="",
) -> str:
    return (
        f"---\nid: {id}\ntitle: {title}\nphase: {phase}\naudiences: {audiences}\n"
        f"topics: {topics}\nupdated: {updated}\nstatus: {status}\nperiod: {period}\n"
        f"{extra}---\n{body}\n"
    )


def pair(en: str | bytes | None = None, fr: str | bytes | None = None, **kwargs) -> dict:
    """An English and a French file for one entry; override either side's text."""
    return {
        "content/en/phase-2/planning.md": entry(**kwargs) if en is None else en,
        "content/fr/phase-2/planification.md": entry(
            **{"title": "Qu'est-ce que la période de planification?", **kwargs}
        )
        if fr is None
        else fr,
    }


class Links(HTMLParser):
    """Collects href, src and form action values, and the language toggle, from one page."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self.toggle: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("href", "src", "action"):
            if attrs.get(name):
                self.urls.append(attrs[name])
        if "lang-toggle" in (attrs.get("class") or ""):
            self.toggle = attrs["href"]


def file_for(out: Path, path: str, prefix: str = "/") -> Path:
    assert path.startswith(prefix), f"{path} is outside {prefix}"
    relative = path[len(prefix) :]
    return out / (relative + "index.html" if relative.endswith("/") or not relative else relative)


@functools.cache
def official_links() -> set[str]:
    """The links out of the site that content/site.yml gives: the contact and the sources."""
    config = load_config(ROOT, [])
    links = [*config.contact.href.values()] + [h for s in config.sources for h in s.href.values()]
    return {link for link in links if link}


def crawl(
    out: Path,
    prefix: str = "/",
    host: str = "https://kb.example.org",
    official: frozenset[str] = frozenset(),
):
    """Follow every internal link from the splash page; return pages seen and broken links.
    The only external links allowed are those of content/site.yml and the sources registry."""
    seen, broken, toggles = set(), [], {}
    queue = [prefix]
    while queue:
        path = queue.pop()
        if path in seen:
            continue
        seen.add(path)
        file = file_for(out, path, prefix)
        if not file.exists():
            broken.append(path)
            continue
        if file.suffix != ".html":
            continue
        parser = Links()
        parser.feed(file.read_text(encoding="utf-8"))
        toggles[path] = parser.toggle
        for url in parser.urls:
            absolute = urljoin(host + path, urldefrag(url)[0])
            parts = urlsplit(absolute)
            if absolute.startswith(host):
                queue.append(parts.path)
            elif parts.scheme in ("http", "https") and url not in official_links() | official:
                broken.append(f"external link {url} on {path}")
    return seen, broken, toggles


# The static search index (/search/<lang>/…) and the stylesheets (/static/) are files that pages
# load, not pages a reader browses: their folders need no page.
ASSET_FOLDERS = ("search", "static")


def folders_without_a_page(out: Path) -> list[str]:
    """Folders of the build's URL space (not the asset folders) that have no index.html."""
    missing = set()
    for file in out.rglob("*"):
        if not file.is_file() or file.relative_to(out).parts[0] in ASSET_FOLDERS:
            continue
        for folder in file.relative_to(out).parents:
            if not (out / folder / "index.html").exists():
                missing.add(folder.as_posix() + "/")
    return sorted(missing)


def toggle_href(html: str) -> str:
    return re.search(r'<a class="lang-toggle" href="([^"]+)"', html).group(1)


def describe(violation: dict) -> str:
    nodes = "; ".join(" ".join(n["target"]) for n in violation["nodes"][:5])
    return f"{violation['id']} ({violation['impact']}): {violation['help']} at {nodes}"


OTHER = {  # a second entry, whose pages must keep being served whatever happens to the first
    "content/en/phase-2/transition.md": entry(id="transition", title="What is the transition?"),
    "content/fr/phase-2/transition-fr.md": entry(id="transition", title="La transition?"),
}


def png(width: int, height: int) -> bytes:
    """A real PNG image of the given size, in black."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    rows = b"".join(b"\x00" + b"\x00\x00\x00" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def snapshot(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in folder.rglob("*")
        if p.is_file()
    }


def state(site) -> tuple:
    """What a load produces: every entry's fields (html and text too) and every problem."""
    return ({key: asdict(entry) for key, entry in site.entries.items()}, list(site.problems))


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (for a real kb serve)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bench_corpus():
    """bench/corpus.py, the benchmark's generator of synthetic sites."""
    spec = importlib.util.spec_from_file_location("bench_corpus", ROOT / "bench" / "corpus.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 (stdlib signature)
        pass


@contextlib.contextmanager
def serve(folder: Path | str | None = None, handler: Callable | None = None) -> Iterator[str]:
    """A folder served over HTTP on loopback, as a static host would (or a request handler
    answering there): yields its base URL, and stops the server after."""
    if handler is None:
        handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def kb_serve(root: Path, *options: str) -> tuple[subprocess.Popen, int]:
    """`kb serve` (with options) as a real process on a copy of the real content in root, and
    its port."""
    for name in ("content", "templates", "static"):
        shutil.copytree(ROOT / name, root / name)
    port = free_port()
    kb = str(Path(sys.executable).parent / "kb")
    process = subprocess.Popen(
        [kb, "serve", "--root", str(root), "--port", str(port), *options],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return process, port


def wait_for_page(url: str, text: str, process: subprocess.Popen) -> str:
    """The page at url once it shows text, while the process (a kb serve) runs."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                page = response.read().decode("utf-8")
            if text in page:
                return page
        except OSError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"{url} never showed {text!r}")
