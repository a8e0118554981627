"""The broken-entry corpus in tests/cases/broken/, one tiny file per case.

For each case: the exact lines `kb check` prints; `kb build` stops with the previous build/ left
byte for byte as it was; the preview keeps serving every other page and shows the problem. A BOM
and Windows line endings are accepted; raw scripts, handlers and frames are sanitised away, with a
warning so the editor knows. Cases named *.yml replace a data file of content/; a few cases that
git cannot hold (a named pipe, a link out of content/, a file name with a newline) are made at
test time. Then every wrong type for every key, each answered with path:line: message.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import escape

from kb.app import create_app
from kb.cli import main
from kb.content import load_site
from kb.freeze import build
from kb.preview import preview_config

from broken_cases import (
    ACCEPTED,
    ANCHOR,
    BROKEN,
    ERRORS,
    GENERATED,
    KEY_LINES,
    SANITISED,
    WRONG,
    site_with,
    unblock,
)
from support import EN, FR, OTHER, ROOT, entry, make_site, pair, snapshot


def expected_lines(case: str, root: Path) -> list[str]:
    outside = (root / "private" / "notes.md").resolve()
    return [line.replace("{outside}", str(outside)) for line in ERRORS[case][1]]


@pytest.fixture(scope="session")
def previous_build(tmp_path_factory) -> Path:
    """A good build of the two-entry site, copied before each attempt to replace it."""
    out = tmp_path_factory.mktemp("previous") / "build"
    build(make_site(tmp_path_factory.mktemp("good"), {**pair(), **OTHER}), out)
    return out


@pytest.fixture(scope="session")
def kb(runner):
    def invoke(*args: str):
        return runner.invoke(main, [str(arg) for arg in args])

    return invoke


def test_every_file_of_the_corpus_is_a_case():
    files = {p.stem for p in BROKEN.iterdir()}
    assert files == (set(ERRORS) | set(SANITISED) | set(ACCEPTED)) - GENERATED


@pytest.mark.parametrize("case", ERRORS)
def test_check_prints_exactly_the_problem_and_exits_1(tmp_path, case, kb):
    root = site_with(tmp_path, case)
    result = kb("check", "--root", root)
    assert result.exit_code == 1
    assert [line for line in result.output.splitlines() if line.startswith("content/")] == (
        expected_lines(case, root)
    )


@pytest.mark.parametrize("case", SANITISED)
def test_check_warns_that_raw_html_is_removed_and_exits_0(tmp_path, case, kb):
    result = kb("check", "--root", site_with(tmp_path, case))
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        SANITISED[case][1],
        "4 entries checked: no errors, 1 warning.",
    ]


@pytest.mark.parametrize("case", ERRORS)
def test_build_stops_and_leaves_the_previous_build_as_it_was(tmp_path, previous_build, case, kb):
    root = site_with(tmp_path / "site", case)
    out = tmp_path / "build"
    shutil.copytree(previous_build, out)
    before = snapshot(out)
    result = kb("build", "--root", root, "--output", out)
    assert result.exit_code == 1
    assert expected_lines(case, root)[0] in result.stderr.splitlines()
    assert f"{out}/ was left as it was" in result.stderr
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build", "site"]


@pytest.mark.parametrize("case", [*SANITISED, *ACCEPTED])
def test_accepted_and_sanitised_files_are_published(tmp_path, case, kb):
    out = tmp_path / "build"
    result = kb("build", "--root", site_with(tmp_path / "site", case), "--output", out)
    assert result.exit_code == 0, result.output
    assert "Published 2 en, 2 fr entries" in result.output
    page = (out / "en/questions/planning/index.html").read_text(encoding="utf-8")
    assert "<h1>What is the planning period?</h1>" in page
    assert "The planning period runs from February to April 2023." in page
    if case in SANITISED:
        assert SANITISED[case][2] not in page
    assert "content-problems" not in page  # the preview's list never reaches the build


@pytest.mark.parametrize("case", [*ERRORS, *SANITISED])
def test_preview_keeps_serving_and_shows_the_problem(tmp_path, case):
    """The page of the file shows its problem unfolded; every other page counts it."""
    root = site_with(tmp_path, case)
    client = create_app(preview_config(root)).test_client()
    line = expected_lines(case, root)[0] if case in ERRORS else SANITISED[case][1]
    expected = str(escape(line))
    for url in ("/en/questions/transition/", "/fr/questions/transition-fr/", "/en/"):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.get_data(as_text=True)
        assert expected not in html and 'class="other-problems"' in html, url
        response.close()
    path = Path(line.split(":", 1)[0])
    lang, slug = path.parts[1], path.stem
    response = client.get(f"/{lang}/questions/{slug}/")
    # A file name that is not a slug has no page to show, nor has a data file.
    if case not in ("bad_slug", "newline_in_file_name") and path.suffix == ".md":
        assert response.status_code in (200, 500)
        # A French page words kb's messages in French: there, the file and line are the same.
        shown = expected if lang == "en" else str(escape(line.split(" ", 1)[0]))
        assert shown in response.get_data(as_text=True)
    response.close()


def test_a_folder_named_like_an_entry_is_reported_not_raised(tmp_path, kb):
    root = make_site(tmp_path, {**pair(), **OTHER})
    (root / "content/en/phase-2/notes.md").mkdir()
    result = kb("check", "--root", root)
    assert result.exit_code == 1
    assert "content/en/phase-2/notes.md:1: cannot read the file: Is a directory" in (
        result.output.splitlines()
    )


LINES = st.sampled_from(
    [
        "---",
        "id: planning",
        "title: What?",
        "title: Phase 2: what?",
        "phase: phase-2",
        "audiences: [ssms]",
        "topics: [timeline]",
        "updated: 2023-02-30",
        "status: draft",
        "period: 2023",
        "order: x",
        "id: [",
        "\t- x",
        "\ufeff---",
        "The answer.",
        "# Heading",
        "```",
        "<script>x</script>",
        "<p onclick=1>",
        "[a](entry:nowhere)",
        "TODO: write",
    ]
)


@pytest.fixture(scope="module")
def fuzz_site(tmp_path_factory) -> Path:
    return make_site(tmp_path_factory.mktemp("fuzz"), {**pair(), **OTHER})


@settings(max_examples=80, deadline=None, database=None)  # no .hypothesis/ folder
@given(
    st.one_of(
        st.binary(max_size=400),
        st.lists(st.one_of(LINES, st.text(max_size=30)), max_size=16).map(
            lambda lines: "\n".join(lines).encode("utf-8")
        ),
    )
)
def test_any_bytes_give_problems_with_a_file_and_line_never_a_crash(fuzz_site, data):
    (fuzz_site / EN).write_bytes(data)
    site = load_site(fuzz_site)
    assert site.get("en", "transition") is not None  # the other entry is never lost
    for problem in site.problems:
        assert problem.path.startswith("content/") and problem.line >= 1, problem


def test_an_alias_bomb_is_answered_within_seconds(tmp_path):
    """A real `kb check` process, killed if it hangs: it must answer in a few seconds."""
    root = site_with(tmp_path, "alias_bomb_in_id")
    command = [str(Path(sys.executable).parent / "kb"), "check", "--root", str(root)]
    started = time.monotonic()
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=20)
    except subprocess.TimeoutExpired:  # subprocess.run kills it
        pytest.fail("kb check did not answer within 20 seconds")
    assert time.monotonic() - started < 10
    assert result.returncode == 1
    assert f"{EN}:2: {ANCHOR}" in result.stderr.splitlines()


PROBLEM = re.compile(r"^content/[^:]+:\d+: \S")


def answers(result) -> list[str]:
    """The problems `kb check` printed, after making sure it ended as it should."""
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception  # not a traceback
    lines = [line for line in result.output.splitlines() if line.startswith("content/")]
    for line in lines:
        assert PROBLEM.match(line) and len(line) < 300, line
    return lines


@pytest.fixture(scope="module")
def typed_site(tmp_path_factory) -> Path:
    return make_site(tmp_path_factory.mktemp("types"), {**pair(), **OTHER})


# Every key with every value of a wrong type (a number is the right type for order).
WRONG_TYPES = [
    (key, kind) for key in KEY_LINES for kind in WRONG if (key, kind) != ("order", "a number")
]


@pytest.mark.parametrize("key, kind", WRONG_TYPES)
def test_every_wrong_type_for_every_front_matter_key(typed_site, key, kind, kb):
    value = WRONG[kind]
    text = (
        entry(extra=f"{key}: {value}\n") if key in ("summary", "order") else entry(**{key: value})
    )
    (typed_site / EN).write_text(text, encoding="utf-8")
    lines = answers(kb("check", "--root", typed_site))
    assert any(line.startswith(f"{EN}:{KEY_LINES[key]}: ") for line in lines), lines


def _yaml(value, indent: int = 0) -> list[str]:
    """Block YAML for nested dicts and lists whose leaves are YAML text, written as given."""
    pad, lines = " " * indent, []
    for key, item in value.items() if isinstance(value, dict) else enumerate(value):
        head = f"{pad}{key}:" if isinstance(value, dict) else f"{pad}-"
        if isinstance(item, dict | list):
            inner = _yaml(item, indent + 2)
            if isinstance(value, list):  # '- ' then the first line of the item on the same line
                lines.append(f"{head} {inner[0].lstrip()}")
                lines.extend(inner[1:])
            else:
                lines.append(head)
                lines.extend(inner)
        else:
            lines.append(f"{head} {item}")
    return lines


DATA = {  # a valid data file; each path to a field in it gets each wrong type in turn
    "topics.yml": {
        "timeline": {
            lang: {"label": "Dates", "slug": f"dates-{lang}", "description": "When"}
            for lang in ("en", "fr")
        }
    },
    "glossary.yml": [
        {
            "id": "planning-period",
            "en": {"term": "planning period", "abbr": "PP", "definition": "First."},
            "fr": {"term": "planification", "abbr": "PP", "definition": "Première."},
            "entry": "planning",
        }
    ],
    "timeline.yml": [{"date": "2023-02", "entry": "planning", "en": "Begins.", "fr": "Début."}],
    "synonyms.yml": [["contract", "agreement"]],
}


def _paths(value, path=()):
    yield path
    if isinstance(value, dict | list):
        for key, item in value.items() if isinstance(value, dict) else enumerate(value):
            yield from _paths(item, (*path, key))


def _replaced(value, path, new):
    if not path:
        return new
    copy = dict(value) if isinstance(value, dict) else list(value)
    copy[path[0]] = _replaced(value[path[0]], path[1:], new)
    return copy


DATA_FIELDS = [(name, path) for name, value in DATA.items() for path in _paths(value)]


def test_the_data_files_of_the_table_are_valid(typed_site, kb):
    (typed_site / EN).write_text(entry(), encoding="utf-8")
    for name, value in DATA.items():
        (typed_site / "content" / name).write_text("\n".join(_yaml(value)) + "\n", "utf-8")
    result = kb("check", "--root", typed_site)
    for name in DATA:
        shutil.copy(ROOT / "content" / name, typed_site / "content" / name)
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("kind", WRONG)
@pytest.mark.parametrize(
    "name, path",
    DATA_FIELDS,
    ids=[f"{name}:{'.'.join(map(str, path)) or 'top'}" for name, path in DATA_FIELDS],
)
def test_every_wrong_type_for_every_data_file_field(typed_site, name, path, kind, kb):
    (typed_site / EN).write_text(entry(), encoding="utf-8")
    value = _replaced(DATA[name], path, WRONG[kind])
    text = "\n".join(_yaml(value)) + "\n" if path else WRONG[kind] + "\n"
    file = typed_site / "content" / name
    file.write_text(text, encoding="utf-8")
    try:
        lines = answers(kb("check", "--root", typed_site))
    finally:
        file.unlink()
        if (ROOT / "content" / name).exists() and name in ("topics.yml", "synonyms.yml"):
            shutil.copy(ROOT / "content" / name, file)
    assert any(line.startswith(f"content/{name}:") for line in lines), lines


@pytest.mark.parametrize(
    "tag",
    [
        "script",
        "style",
        "template",
        "title",
        "textarea",
        "xmp",
        "noscript",
        "iframe",
        "noembed",
        "noframes",
        "plaintext",
    ],
)
def test_every_element_that_swallows_the_rest_is_an_error_when_left_open(tmp_path, tag):
    body = f"Intro.\n\nUse the <{tag}> element, then the rest.\n\nMore text."
    problems = load_site(make_site(tmp_path, pair(body=body))).problems
    found = [str(p) for p in problems if p.path == EN]
    assert len(found) == 1 and found[0].startswith(f"{EN}:13: raw HTML <{tag}> "), found
    assert f"put it in backticks (`<{tag}>`)" in found[0].lower()
    assert [p.level for p in problems if p.path == EN] == ["error"]


@pytest.mark.parametrize(
    "body",
    [
        "Use the `<style>` element.",
        "Use the <style>p {}</style> element.",
        "```html\n<style>\n```\n\nText.",
        "<!-- <title> -->Text.",
        "Use the <TITLE>x</Title> tag.",
    ],
)
def test_quoted_closed_or_commented_raw_text_elements_are_not_errors(tmp_path, body):
    problems = load_site(make_site(tmp_path, pair(body=body))).problems
    assert not [p for p in problems if p.level == "error"], problems


def test_control_characters_are_escaped_in_json_too(tmp_path, kb):
    result = kb("check", "--root", site_with(tmp_path, "escape_codes_in_phase"), "--format", "json")
    assert "\x1b" not in result.output and "\\\\x1b[2J" in result.output


def test_a_link_inside_content_is_still_followed(tmp_path):
    root = make_site(tmp_path, {**OTHER, FR: pair()[FR], "content/shared/planning.md": entry()})
    (root / EN).parent.mkdir(parents=True, exist_ok=True)
    (root / EN).symlink_to(root / "content/shared/planning.md")
    site = load_site(root)
    assert [str(p) for p in site.problems] == []
    assert site.get("en", "planning").path == EN


@pytest.mark.parametrize("name", ["glossary.yml", "timeline.yml", "topics.yml", "synonyms.yml"])
def test_data_files_that_are_pipes_or_links_out_of_content_are_refused(tmp_path, name, kb):
    root = make_site(tmp_path / "pipe", {**pair(), **OTHER})
    file = root / "content" / name
    file.unlink(missing_ok=True)
    os.mkfifo(file)
    threading.Thread(target=unblock, args=(file,), daemon=True).start()
    pipe = f"content/{name}:1: is a named pipe, not a file: remove it or replace it with a file"
    assert pipe in answers(kb("check", "--root", root))
    root = make_site(tmp_path / "link", {**pair(), **OTHER})
    file = root / "content" / name
    (root / "private.yml").write_text("[]\n", encoding="utf-8")
    file.unlink(missing_ok=True)
    file.symlink_to(root / "private.yml")
    assert (
        f"content/{name}:1: is a symbolic link to {(root / 'private.yml').resolve()}, outside "
        "content/: copy the file into content/ instead"
    ) in answers(kb("check", "--root", root))


@pytest.mark.parametrize(
    "front",
    [
        "id: a\ntitle: plain\nphase: phase-1\n",
        "id:\n  title: under a key with no value\n",
        "id:\n \u00a0title: indented with a no-break space too\n",
        "id:\n  title: x\r\n",
        "audiences:\n  - service-providers\n  - ssm\n",
        "title: cut # here\n",
        "summary: #1 answer\n",
        "period: 2024\nid:\n\n\n  topics: [a]\n",
    ],
)
def test_quick_look_for_yaml_slips_finds_what_the_full_look_finds(front, monkeypatch):
    """kb.yamlhints.silent_slips skips front matter with no '#' and no indented key: the full
    look, line by line, finds no slip in it either."""
    from kb import yamlhints

    keys = ("id", "title", "summary", "period", "topics")
    quick = yamlhints.silent_slips(front, 2, keys)
    monkeypatch.setattr(yamlhints, "INDENTED_KEY", re.compile(""))  # every text looked at
    assert quick == yamlhints.silent_slips(front, 2, keys)
