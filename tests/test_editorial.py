"""Editorial checks: warnings that never stop a build, and `kb check`'s text and JSON output."""

from __future__ import annotations

import json

import pytest

from kb.cli import main
from kb.content import load_site
from kb.rawhtml import removed_html

from support import EN, FR, entry, make_site, pair


def found(tmp_path, files: dict) -> list[str]:
    return [str(p) for p in load_site(make_site(tmp_path, files)).problems]


@pytest.fixture(scope="session")
def check(runner):
    def invoke(root, *args: str):
        return runner.invoke(main, ["check", "--root", str(root), *args])

    return invoke


def test_older_translation_is_a_warning_naming_the_newer_file(tmp_path):
    files = pair(fr=entry(title="Qu'est-ce que la planification?", updated="2023-03-01"))
    assert found(tmp_path, files) == [
        f"{EN}:7: warning: {FR} was updated on 2023-03-01, this translation on 2023-01-20: "
        "bring it up to date, then set 'updated: 2023-03-01'"
    ]


@pytest.mark.parametrize(
    "front_matter_error, expected",
    [
        ('title: "Unclosed', "is not closed"),  # the YAML cannot be read
        ("phase: phase-9", "phase-9"),  # it reads, but a value is wrong
    ],
)
def test_a_file_whose_front_matter_fails_still_has_its_answers_problems_told(
    tmp_path, front_matter_error, expected
):
    """One run tells the front matter's error and the body's own problems together."""
    body = "Intro.\n\n# A heading\n\n<iframe src='x'></iframe>\n\n<textarea>never closed\n"
    text = entry(body=body).replace("phase: phase-2", front_matter_error)
    mine = [p for p in found(tmp_path, pair(en=text)) if p.startswith(EN)]
    assert len(mine) == 4, mine
    assert f"{EN}:4: " in mine[0] and expected in mine[0]
    assert mine[1].startswith(f"{EN}:13: warning: a '# ' heading is shown as plain text")
    assert mine[2].startswith(f"{EN}:15: warning: ") and "<iframe>" in mine[2]
    assert mine[3].startswith(f"{EN}:17: raw HTML <textarea> is not closed")


def test_raw_html_that_the_sanitiser_drops_is_a_warning_on_its_line(tmp_path):
    body = (
        'Intro.\n\n<iframe src="https://example.org"></iframe>\n'
        '<img src=x\n  onerror="alert(1)">\n<p onclick="x()">Text</p>\n'
        '<a href="javascript:alert(1)">link</a>'
    )
    assert found(tmp_path, pair(en=entry(body=body))) == [
        f"{EN}:13: warning: raw HTML <iframe> is removed from the published page: "
        "write the content in Markdown",
        f"{EN}:14: warning: raw HTML <img> is removed from the published page: "
        "write the image in Markdown, ![alt text](../../media/name.png)",
        f"{EN}:16: warning: raw HTML attribute 'onclick' on <p> is removed from the published page",
        f"{EN}:17: warning: link 'javascript:' on <a> is removed from the published page: "
        "use an http, https, mailto or tel link",
    ]


def test_html_that_stays_or_sits_in_code_is_not_reported():
    body = (
        'Text with <abbr title="x">X</abbr>, <https://example.org> and <a@b.ca>.\n'
        "`<script>` in a code span, a < b and 3<4.\n"
        "```html\n<iframe src=x></iframe>\n```\n"
        '<a href="https://example.org" title="t">ok</a> <a href="mailto:a@b.ca">m</a>'
    )
    assert removed_html(body, 10) == []


def test_attribute_on_a_later_line_is_reported_on_that_line():
    assert removed_html('<p\n\n  style="color: red">x</p>', 5) == [
        (7, "raw HTML attribute 'style' on <p> is removed from the published page")
    ]


def test_a_top_level_heading_in_the_answer_is_a_warning(tmp_path):
    body = "# Who decides?\n\nThe SSM.\n\n```\n# not a heading in code\n```\n\n## Fine"
    assert found(tmp_path, pair(en=entry(body=body))) == [
        f"{EN}:11: warning: a '# ' heading is shown as plain text (the title is the page's only "
        "top heading): start it with '## '"
    ]


def test_placeholder_in_a_draft_is_a_warning(tmp_path):
    files = pair(status="draft", body="TODO: write the answer.", period="'TODO: the period'")
    assert found(tmp_path, files)[0] == (
        f"{EN}:9: warning: draft still holds placeholder text 'TODO:' (lines 9, 11): "
        "replace it before publishing"
    )


def test_placeholder_in_a_published_entry_is_an_error(tmp_path):
    files = pair(fr=entry(body="À FAIRE\u00a0: rédiger la réponse."))
    assert found(tmp_path, files) == [
        f"{FR}:11: placeholder text 'À FAIRE\u00a0:' in a published entry (line 11): "
        "replace it, or set 'status: draft'"
    ]


def test_ordinary_french_a_faire_is_not_a_placeholder(tmp_path):
    files = pair(fr=entry(body="Voici ce qu'il reste à faire en 2023."))
    assert found(tmp_path, files) == []


def test_every_published_entry_has_an_audience_page(tmp_path):
    """Audience pages list every published entry of their audience: an entry is left out only
    without audiences or when its translation is a draft, and both are errors."""
    assert f"{EN}:2: missing 'audiences': add a line 'audiences: ...' to the front matter" in found(
        tmp_path / "a", pair(audiences="[]")
    )
    assert found(tmp_path / "b", pair(fr=entry(status="draft"))) == [
        f"{FR}:8: status differs from the English entry {EN}: draft vs published; "
        "give both files the same status"
    ]


def test_check_prints_warnings_and_exits_0(tmp_path, check):
    root = make_site(tmp_path, pair(title="Why " * 40 + "?"))
    result = check(root)
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        f"{EN}:3: warning: title is 161 characters long; keep it under 150",
        f"{FR}:3: warning: title is 161 characters long; keep it under 150",
        "2 entries checked: no errors, 2 warnings.",
    ]


def test_check_json_lists_errors_and_warnings_sorted(tmp_path, check):
    root = make_site(
        tmp_path,
        pair(
            en=entry(body="See [this](entry:nowhere)."),
            fr=entry(body="<iframe></iframe>Texte.", phase="phase-1"),
        ),
    )
    result = check(root, "--format", "json")
    assert result.exit_code == 1
    problems = json.loads(result.stdout)
    assert problems == [
        {
            "path": EN,
            "line": 11,
            "level": "error",
            "message": "link to a missing entry 'entry:nowhere': no entry has this id: correct "
            "it (kb status lists every id) or remove the link",
        },
        {
            "path": FR,
            "line": 4,
            "level": "error",
            "message": f"phase differs from the English entry {EN}: phase-1 vs phase-2; "
            "give both files the same phase",
        },
        {
            "path": FR,
            "line": 11,
            "level": "warning",
            "message": "raw HTML <iframe> is removed from the published page: "
            "write the content in Markdown",
        },
    ]


def test_check_json_is_an_empty_list_when_all_is_well(tmp_path, check):
    result = check(make_site(tmp_path, pair()), "--format", "json")
    assert (result.exit_code, json.loads(result.stdout)) == (0, [])


def test_check_json_with_only_warnings_exits_0(tmp_path, check):
    result = check(
        make_site(tmp_path, pair(status="draft", body="TODO: write")), "--format", "json"
    )
    assert result.exit_code == 0
    assert {p["level"] for p in json.loads(result.stdout)} == {"warning"}
