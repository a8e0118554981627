"""Translation tracking by content: stale files in check, status and pages; `kb sync` keeps bytes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from kb.cli import main
from kb.content import load_site
from kb.fingerprint import fingerprint
from kb.freeze import build
from kb.translation import state

from support import EN, FR, ROOT, entry, make_site, pair

ID = "phase-2-overview"
EN_FILE = "content/en/phase-2/phase-2-overview.md"
FR_FILE = "content/fr/phase-2/phase-2-apercu.md"
EN_PAGE = "en/questions/phase-2-overview/index.html"
FR_PAGE = "fr/questions/phase-2-apercu/index.html"


@pytest.fixture(scope="session")
def kb(runner):
    def invoke(root: Path, *args: str):
        return runner.invoke(main, [args[0], "--root", str(root), *args[1:]])

    return invoke


@pytest.fixture()
def copy(tmp_path) -> Path:
    """The repository's content, templates and stylesheet in a folder of the test's own."""
    for name in ("content", "templates", "static"):
        shutil.copytree(ROOT / name, tmp_path / name)
    return tmp_path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def status_of(root: Path, kb) -> dict[str, str]:
    result = kb(root, "status", "--format", "json")
    assert result.exit_code == 0, result.output
    return {row["path"]: row["translation"] for row in json.loads(result.stdout)}


def test_whitespace_does_not_change_a_fingerprint_and_a_word_does():
    base = fingerprint("Title?", None, "2023", "One line.\n\nTwo.")
    assert fingerprint("Title? ", None, "2023", "One   line.\n\n\nTwo.\n") == base
    assert fingerprint("Title?", None, "2023", "One line.\n\nThree.") != base
    assert fingerprint("Title?", "A summary.", "2023", "One line.\n\nTwo.") != base


def test_landed_content_is_in_line(site):
    assert {state(site, e) for e in site.entries.values()} == {"current"}
    assert all(e.synced for e in site.entries.values())


def test_english_change_makes_french_stale_until_sync_in_check_status_and_page(copy, tmp_path, kb):
    fr_before = (copy / FR_FILE).read_bytes()
    edit(copy / EN_FILE, "Phase 2 is the next group", "Phase 2, as announced, is the next group")
    en_after = (copy / EN_FILE).read_bytes()

    check = kb(copy, "check")
    assert check.exit_code == 0, check.output
    fr_line = load_site(copy).get("fr", ID).lines["synced"]
    warnings = [line for line in check.stdout.splitlines() if ": warning: " in line]
    assert warnings == [
        f"{FR_FILE}:{fr_line}: warning: the English file {EN_FILE} changed since this one was last "
        f"synced with it: update this file, then run 'kb sync {ID}'"
    ]
    assert "Phase 2, as announced, is the next group" in check.stdout  # its text now (no git)
    assert status_of(copy, kb)[FR_FILE] == "stale" and status_of(copy, kb)[EN_FILE] == "current"

    build(copy, tmp_path / "out")
    french = (tmp_path / "out" / FR_PAGE).read_text(encoding="utf-8")
    assert 'class="translation-notice"' in french
    assert (
        "La version anglaise de cette page a été mise à jour le 25 novembre 2026\u00a0: "
        "cette page ne dit peut-être pas encore la même chose."
    ) in french
    assert (
        '<a href="/en/questions/phase-2-overview/" hreflang="en">Lire la version anglaise' in french
    )
    assert "translation-notice" not in (tmp_path / "out" / EN_PAGE).read_text(encoding="utf-8")

    synced = kb(copy, "sync", ID)
    assert synced.exit_code == 0, synced.output
    assert synced.stdout.splitlines() == [f"synced {FR_FILE}", "1 entry in line; 1 file changed."]
    assert (copy / EN_FILE).read_bytes() == en_after
    before, after = fr_before.splitlines(), (copy / FR_FILE).read_bytes().splitlines()
    changed = [(old, new) for old, new in zip(before, after) if old != new]
    assert len(before) == len(after) and len(changed) == 1 and changed[0][0].startswith(b"synced: ")
    assert set(status_of(copy, kb).values()) == {"current"}
    assert "warning" not in kb(copy, "check").output
    build(copy, tmp_path / "again")
    assert "translation-notice" not in (tmp_path / "again" / FR_PAGE).read_text(encoding="utf-8")


def test_whitespace_only_change_keeps_the_pair_current(copy):
    edit(
        copy / EN_FILE,
        "Phase 2 is the next group of catchment areas",
        "Phase 2 is the next group\nof   catchment areas",
    )
    site = load_site(copy)
    assert state(site, site.get("fr", ID)) == state(site, site.get("en", ID)) == "current"


def test_french_first_change_makes_english_stale_and_both_changed_makes_both(copy, kb):
    edit(copy / FR_FILE, "La phase 2 correspond", "La phase 2, telle qu'annoncée, correspond")
    site = load_site(copy)
    assert (state(site, site.get("en", ID)), state(site, site.get("fr", ID))) == (
        "stale",
        "current",
    )
    edit(copy / EN_FILE, "Phase 2 is the next group", "Phase 2, as announced, is the next group")
    site = load_site(copy)
    assert (state(site, site.get("en", ID)), state(site, site.get("fr", ID))) == ("stale", "stale")
    assert kb(copy, "sync", "--all").exit_code == 0
    assert set(status_of(copy, kb).values()) == {"current"}


def test_sync_rewrites_only_the_fingerprint_line_keeping_crlf_bom_comments_and_mode(tmp_path, kb):
    english = (
        "\ufeff---\r\nid: planning  # shared by both files\r\ntitle: What is the planning "
        "period?\r\nphase: phase-2\r\naudiences: [service-providers]\r\ntopics: [timeline]"
        "\r\nupdated: 2023-01-20\r\nstatus: published\r\n# a comment kb must keep\r\n"
        "period: February 2023 to April 2023\r\n---\r\nThe answer.\r\n"
    )
    root = make_site(tmp_path, pair(en=english.encode("utf-8")))
    path = root / EN
    path.chmod(0o640)
    assert kb(root, "sync", "planning").exit_code == 0
    data = path.read_bytes()
    fr_print = load_site(root).get("fr", "planning").fingerprint
    assert data == english.encode("utf-8").replace(
        b"period: February 2023 to April 2023\r\n---",
        b"period: February 2023 to April 2023\r\nsynced: " + fr_print.encode() + b"\r\n---",
    )
    assert path.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in path.parent.iterdir()] == ["planning.md"]  # no temporary file left
    site = load_site(root)
    assert site.problems == [] and {state(site, e) for e in site.entries.values()} == {"current"}
    # Syncing again changes nothing; changing the French then syncing changes only that line.
    assert kb(root, "sync", "planning").stdout.endswith("0 files changed.\n")
    (root / FR).write_text(
        entry(
            title="Qu'est-ce que la planification?",
            extra=f"synced: {site.get('en', 'planning').fingerprint}\n",
        ),
        encoding="utf-8",
    )
    assert kb(root, "sync", "planning").exit_code == 0
    new_print = load_site(root).get("fr", "planning").fingerprint
    assert path.read_bytes() == data.replace(fr_print.encode(), new_print.encode())


def test_a_hand_edited_fingerprint_says_where_and_which_command_to_run(tmp_path, kb):
    root = make_site(
        tmp_path,
        pair(fr=entry(title="Qu'est-ce que la planification?", extra="synced: see the English\n")),
    )
    assert [str(p) for p in load_site(root).problems if p.path == FR] == [
        f"{FR}:10: warning: 'synced: see the English' is not a fingerprint written by kb (never "
        "edit this line): when both languages say the same thing, run 'kb sync planning' to "
        "write it again"
    ]
    assert status_of(root, kb)[FR] == "stale"
    assert kb(root, "sync", "planning").exit_code == 0
    assert load_site(root).problems == []


def test_sync_of_an_unknown_id_or_a_lone_file_says_why(tmp_path, kb):
    root = make_site(tmp_path, {EN: entry()})
    result = kb(root, "sync", "nothing")
    assert result.exit_code == 1 and "no entry has the id 'nothing'" in result.output
    result = kb(root, "sync", "planning")
    assert result.exit_code == 1 and f"{EN}:1: entry 'planning' has no translation" in result.output
    assert kb(root, "sync").exit_code == 2


def git(root: Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "kb",
        "GIT_AUTHOR_EMAIL": "kb@example.org",
        "GIT_COMMITTER_NAME": "kb",
        "GIT_COMMITTER_EMAIL": "kb@example.org",
    }
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=env)


def test_in_a_git_checkout_the_warning_shows_the_changed_lines(tmp_path, kb):
    root = make_site(tmp_path, pair(body="First line.\n\nThe planning period runs to April."))
    assert kb(root, "sync", "planning").exit_code == 0
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "Synced pair")
    edit(root / EN, "runs to April.", "runs to May.")
    git(root, "commit", "-qam", "English changed")
    edit(root / EN, "First line.", "First line, edited.")  # and not yet committed
    check = kb(root, "check")
    lines = check.stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if "changed since this one" in line)
    assert lines[start].startswith(f"{FR}:10: warning: the English file {EN} changed")
    assert lines[start + 1] == "    changes since the last sync:"
    shown = "\n".join(lines[start + 2 :])
    assert f"--- {EN} (synced, " in shown and f"+++ {EN} (now)" in shown
    for changed in (
        "-First line.",
        "+First line, edited.",
        "-The planning period runs to April.",
        "+The planning period runs to May.",
    ):
        assert f"    {changed}" in lines, changed
    assert "synced:" not in shown  # the fingerprint lines are no change a translator must make


def test_a_pair_never_synced_is_judged_by_its_dates(tmp_path):
    site = load_site(make_site(tmp_path, pair(fr=entry(updated="2023-03-01"))))
    assert state(site, site.get("en", "planning")) == "stale"
    assert state(site, site.get("fr", "planning")) == "current"


def test_one_file_synced_and_the_other_not_asks_for_a_sync(tmp_path):
    site = load_site(make_site(tmp_path, pair(en=entry(extra="synced: 0123456789ab\n"))))
    assert [str(p) for p in site.problems if p.path == FR] == [
        f"{FR}:9: warning: no 'synced' line: kb cannot tell which version of {EN} this file "
        "translates; when both say the same thing, run 'kb sync planning'"
    ]


def test_status_lists_every_file_and_puts_what_needs_work_first(tmp_path, kb):
    files = {
        **pair(status="review"),
        "content/en/phase-2/done.md": entry(id="done", title="Done?"),
        "content/fr/phase-2/fait.md": entry(id="done", title="Fait?"),
        "content/en/phase-2/alone.md": entry(id="alone", title="Alone?"),
        "content/fr/phase-2/broken.md": "---\nid: broken\ntitle: [\n---\nText\n",
    }
    root = make_site(tmp_path, files)
    result = kb(root, "status", "--format", "json")
    assert result.exit_code == 0
    rows = {row["path"]: row for row in json.loads(result.stdout)}
    assert rows[EN] == {
        "id": "planning",
        "lang": "en",
        "path": EN,
        "status": "review",
        "translation": "current",
        "errors": 0,
        "warnings": 0,
    }
    assert rows["content/en/phase-2/alone.md"]["translation"] == "missing"
    assert rows["content/fr/phase-2/broken.md"]["errors"] == 1
    assert len(rows) == 6
    text = kb(root, "status")
    assert text.exit_code == 0  # a report, even with errors
    lines = text.stdout.splitlines()
    assert lines[0] == "Needs work (4 files):"
    assert "content/fr/phase-2/broken.md" in lines[1]  # errors first
    assert lines.index("Published and current (2 files):") == 6
