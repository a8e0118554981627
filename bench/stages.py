"""CPU seconds per stage of one `kb build`, in one process: where kb's time goes.

    .venv/bin/python bench/corpus.py /dev/shm/site 5000     # a synthetic site
    .venv/bin/python bench/stages.py /dev/shm/site

The site's .kb-cache/ is removed first, so the build is cold. Stages: reading and checking the
files, Markdown, the static search index, the pages (Flask, Jinja and Frozen-Flask), and swapping
the output in. It measures the kb that Python imports, so
an older commit is measured with `PYTHONPATH=<its checkout>`.
"""

from __future__ import annotations

import argparse
import inspect
import shutil
import tempfile
import time
from pathlib import Path

import kb.content
import kb.freeze

try:
    import kb.loader as reading  # where reading and rendering live since the loader was split out
except ImportError:
    reading = kb.content  # an older commit


def stages(root: Path, output: Path) -> dict[str, float]:
    spent: dict[str, float] = {}
    originals = []

    def timed(module, name: str, label: str) -> None:
        original = getattr(module, name)
        originals.append((module, name, original))

        def wrapper(*args, **kwargs):
            started = time.process_time()
            try:
                return original(*args, **kwargs)
            finally:
                spent[label] = spent.get(label, 0.0) + time.process_time() - started

        setattr(module, name, wrapper)

    if hasattr(reading, "_render"):  # before kb/bodies.py
        timed(reading, "_render", "markdown")
    else:
        import kb.bodies

        timed(kb.bodies, "render", "markdown")
    timed(kb.freeze, "load_site", "load")
    timed(kb.freeze, "export_site", "search index")
    timed(kb.freeze, "_swap", "swap")
    one_process = {"jobs": 1} if "jobs" in inspect.signature(kb.freeze.build).parameters else {}
    started = time.process_time()
    try:
        kb.freeze.build(root, output, **one_process)
    finally:
        for module, name, original in originals:
            setattr(module, name, original)
    total = time.process_time() - started
    return {
        "reading and checks": spent["load"] - spent["markdown"],
        "Markdown": spent["markdown"],
        "search index": spent["search index"],
        "pages": total - spent["load"] - spent["search index"] - spent["swap"],
        "swap": spent["swap"],
        "total": total,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path, help="a kb site")
    args = parser.parse_args()
    shutil.rmtree(args.root / ".kb-cache", ignore_errors=True)  # a cold build, every time
    with tempfile.TemporaryDirectory(dir="/dev/shm" if Path("/dev/shm").is_dir() else None) as out:
        for stage, seconds in stages(args.root, Path(out) / "build").items():
            print(f"{stage:20} {seconds:7.1f} s")


if __name__ == "__main__":
    main()
