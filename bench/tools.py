"""The tools under test: the benchmark's own environment, each tool's build command, and one measured run."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
VENV = BENCH / ".venv"
REQUIREMENTS = BENCH / "requirements.txt"


@dataclass
class Run:
    """One build: wall time, CPU time, peak resident memory of the process tree, exit status."""

    seconds: float
    peak_bytes: int
    ok: bool
    error: str = ""
    cpu_seconds: float = (
        0.0  # user + system, children included: steadier than wall time when shared
    )


@dataclass
class Tool:
    """A static site generator that builds the corpus written for it under <corpus>/<source>."""

    name: str
    source: str  # which corpus folder it reads (write_corpora's tool name)
    argv: list[str] | None  # None: not available here
    note: str = ""
    version: str = ""
    theme: str = ""  # MkDocs only: material when it installed, else the built-in mkdocs theme
    # What a build keeps for the next one, under its corpus folder: removed before each build,
    # so that every round measures a cold build (bench/loop.py measures the warm one).
    caches: tuple[str, ...] = ()

    def command(self, root: Path, out: Path) -> list[str]:
        return [part.format(root=root, out=out) for part in self.argv or []]


def ensure_venv(log=print) -> Path | None:
    """Create bench/.venv with the peers from requirements.txt; one package failing skips only it."""
    python = VENV / "bin" / "python"
    stamp = VENV / ".requirements"
    wanted = REQUIREMENTS.read_text()
    if python.exists() and stamp.exists() and stamp.read_text() == wanted:
        return python
    if not python.exists():
        log(f"creating {VENV} …")
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    pip = [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    if subprocess.run(pip + ["-r", str(REQUIREMENTS)]).returncode != 0:
        for line in wanted.splitlines():
            if (
                line.strip()
                and not line.startswith("#")
                and subprocess.run(pip + [line.strip()]).returncode != 0
            ):
                log(f"note: {line.strip()} did not install; its tool is skipped")
    stamp.write_text(wanted)
    return python


def _has_module(python: Path, module: str) -> bool:
    return (
        subprocess.run([str(python), "-c", f"import {module}"], capture_output=True).returncode == 0
    )


def _version(argv: list[str]) -> str:
    try:
        out = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return (out.stdout or out.stderr).strip().splitlines()[0] if (out.stdout or out.stderr) else ""


def kb_command() -> list[str]:
    """kb from the environment running the benchmark (kb's own .venv)."""
    script = Path(sys.executable).with_name("kb")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from kb.cli import main; main()"]


def discover(python: Path | None) -> dict[str, Tool]:
    """Every tool of the comparison, with a note saying why one that is missing is skipped."""
    tools = {
        "kb": Tool(
            "kb",
            "kb",
            kb_command() + ["build", "--root", "{root}", "--output", "{out}", "--quiet"],
            caches=(".kb-cache",),
        )
    }
    tools["kb"].version = _kb_version()
    bin_dir = python.parent if python else None
    if bin_dir and (bin_dir / "mkdocs").exists():
        theme = "material" if _has_module(python, "material") else "mkdocs"
        tools["mkdocs"] = Tool(
            "mkdocs",
            "mkdocs",
            [str(bin_dir / "mkdocs"), "build", "--quiet", "-f", "{root}/mkdocs.yml", "-d", "{out}"],
            note=f"theme {theme}, home-only nav, search plugin (en, fr)",
            version=_version([str(bin_dir / "mkdocs"), "--version"])
            .split(" from")[0]
            .replace(", version", "")
            + f" ({theme})",
            theme=theme,
        )
    else:
        tools["mkdocs"] = Tool("mkdocs", "mkdocs", None, "not installed in bench/.venv")
    if bin_dir and (bin_dir / "pelican").exists():
        tools["pelican"] = Tool(
            "pelican",
            "pelican",
            [
                str(bin_dir / "pelican"),
                "{root}/content",
                "-s",
                "{root}/pelicanconf.py",
                "-o",
                "{out}",
                "-q",
            ],
            note="categories, tags, archives, feeds; no search",
            version="pelican " + _version([str(bin_dir / "pelican"), "--version"]),
        )
    else:
        tools["pelican"] = Tool("pelican", "pelican", None, "not installed in bench/.venv")
    hugo = shutil.which("hugo")
    tools["hugo"] = Tool(
        "hugo",
        "hugo",
        [hugo, "--quiet", "-s", "{root}", "-d", "{out}"] if hugo else None,
        "taxonomies, no search" if hugo else "missing: apt-get install hugo",
        _version([hugo, "version"]).split("+")[0] if hugo else "",
    )
    pagefind = python and _has_module(python, "pagefind")
    tools["pagefind"] = Tool(
        "pagefind",
        "hugo",
        [str(python), "-m", "pagefind", "--site", "{out}", "--quiet"] if pagefind else None,
        "indexes Hugo's output"
        if pagefind
        else "missing: pip install 'pagefind[bin]' into bench/.venv",
        _version([str(python), "-m", "pagefind", "--version"]) if pagefind else "",
    )
    return tools


def _kb_version() -> str:
    try:
        rev = subprocess.run(
            ["git", "-C", str(BENCH.parent), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
        ).stdout.strip()
    except OSError:
        rev = ""
    return f"kb {rev}" if rev else "kb"


def measure(argv: list[str], cwd: Path, log: Path) -> Run:
    """Run argv to completion; wall time and the peak RSS of the process and what it waited for."""
    with log.open("ab") as err:
        started = time.perf_counter()
        process = subprocess.Popen(
            argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=err, env={**os.environ, "CI": "true"}
        )
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    ok = process.returncode == 0
    error = "" if ok else f"exit {process.returncode}, see {log}"
    return Run(seconds, usage.ru_maxrss * 1024, ok, error, usage.ru_utime + usage.ru_stime)


def tree_bytes(folder: Path, under: str | None = None) -> tuple[int, int]:
    """(files, bytes) of a folder, or of one sub-folder of it."""
    base = folder / under if under else folder
    files = total = 0
    for dirpath, _, names in os.walk(base):
        for name in names:
            files += 1
            total += os.stat(os.path.join(dirpath, name)).st_size
    return files, total
