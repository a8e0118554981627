"""`kb build`'s progress line: for a person at a terminal, only when the build takes a while."""

from __future__ import annotations

import sys

import pytest

import kb.cli
from kb.cli import main
from kb.terminal import live_output

from support import make_site, pair


@pytest.mark.parametrize(
    "ci,quiet,tty,shown",
    [
        (None, False, True, True),
        (None, True, True, False),
        (None, False, False, False),
        ("true", False, True, False),
        ("1", False, True, False),
        ("false", False, True, True),
    ],
)
def test_progress_is_only_for_a_terminal_outside_ci(monkeypatch, ci, quiet, tty, shown):
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: tty)
    assert live_output(quiet) is shown


def test_a_slow_build_shows_a_progress_line_then_clears_it(tmp_path, monkeypatch, runner):
    monkeypatch.setattr(kb.cli, "live_output", lambda quiet: True)
    monkeypatch.setattr(kb.cli, "PROGRESS_AFTER", 0)
    root = make_site(tmp_path / "site", pair())
    result = runner.invoke(main, ["build", "--root", str(root), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "\r  10 pages written…" in result.stderr
    # Cleared before anything else is said (the note that the site has no URL).
    assert result.stderr.split("Note: ")[0].endswith("\r" + " " * 40 + "\r")
    assert result.stdout.startswith("Published 1 en, 1 fr entries;")


def test_quiet_build_prints_nothing(tmp_path, runner):
    root = make_site(tmp_path / "site", pair())
    result = runner.invoke(
        main, ["build", "--root", str(root), "-o", str(tmp_path / "out"), "--quiet"]
    )
    assert (result.exit_code, result.output) == (0, "")
