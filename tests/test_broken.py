"""The broken-entry corpus in tests/cases/broken/, one tiny file per case.

For each case: the exact lines `kb check` prints; `kb build` stops with the previous build/ left
byte for byte as it was; the preview keeps serving every other page and shows the problem. A BOM
and Windows line endings are accepted; raw scripts, handlers and frames are sanitised away, with a
warning so the editor knows.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import escape

from conftest import CASES, make_site
from kb.app import create_app
from kb.cli import main
from kb.content import load_site
from kb.freeze import build
from kb.preview import preview_config
from test_content import EN, FR, entry, pair

BROKEN = CASES / "broken"
OTHER = {  # a second entry, whose pages must keep being served whatever happens to the first
    "content/en/phase-2/transition.md": entry(id="transition", title="What is the transition?"),
    "content/fr/phase-2/transition-fr.md": entry(id="transition", title="La transition?"),
}
NO_EN = (f"{FR}:2: entry 'planning' has no English translation: add a file under content/en/ "
         "with 'id: planning'")

# case: (where its file goes, every line `kb check` prints for it)
ERRORS = {
    "invalid_yaml": (EN, [f"{EN}:3: invalid YAML: mapping values are not allowed here (a value "
                          "holds ': '? put the whole value in quotes)"]),
    "missing_front_matter": (EN, [f"{EN}:1: missing front matter: the file must start with a "
                                  "line '---'", NO_EN]),
    "unclosed_front_matter": (EN, [f"{EN}:1: front matter is not closed: add a line '---' after "
                                   "the last key"]),
    "tab_in_yaml": (EN, [f"{EN}:6: YAML does not allow tabs: indent with spaces"]),
    "latin1_bytes": (EN, [f"{EN}:11: byte 0xe9 is not valid UTF-8: save the file as UTF-8"]),
    "empty_file": (EN, [f"{EN}:1: the file is empty: start it with '---', the front matter, "
                        "then '---'", NO_EN]),
    "duplicate_id": ("content/en/phase-2/planning-copy.md", [
        f"{EN}:2: duplicate id 'planning': content/en/phase-2/planning-copy.md has it too"]),
    "id_mismatch": (FR, [
        f"{EN}:2: entry 'planning' has no French translation: add a file under content/fr/ with "
        "'id: planning'",
        f"{FR}:2: entry 'planification' has no English translation: add a file under content/en/ "
        "with 'id: planification'"]),
    "unknown_audience": (EN, [f"{EN}:5: unknown audience 'employers': use service-providers, "
                              "ssms, social-assistance"]),
    "unknown_phase": (EN, [f"{EN}:4: unknown phase 'phase-4': use one of prototype, phase-1, "
                           "phase-2, phase-3, all (did you mean 'phase-3'?)"]),
    "unknown_topic": (EN, [f"{EN}:6: unknown topic 'budget': use timeline, contracts, funding, "
                           "programs, roles, planning, disputes, consultation, results, "
                           "social-assistance"]),
    "impossible_date": (EN, [f"{EN}:7: updated '2023-02-30' is not a real date: write it as "
                             "YYYY-MM-DD"]),
    "link_to_missing_entry": (EN, [f"{EN}:13: link to a missing entry 'entry:transition-period': "
                                   "no entry has this id"]),
    "heading_only": (EN, [f"{EN}:11: the entry has no answer text below the front matter"]),
    "bad_slug": ("content/en/phase-2/Planning Period.md", [
        "content/en/phase-2/Planning Period.md:1: file name 'Planning Period.md' is not a valid "
        "slug: use lower-case letters, digits and hyphens"]),
    "placeholder_in_published_entry": (EN, [f"{EN}:11: placeholder text 'TODO:' in a published "
                                            "entry (line 11): replace it, or set 'status: draft'"]),
    "published_translation_of_draft": (FR, [f"{FR}:2: status differs from the English entry "
                                            f"{EN}: draft vs published"]),
    "five_megabyte_entry": (EN, [f"{EN}:1: file is 5.0 MB: entries must stay under 1 MB, split it "
                                 "into several"]),
}
# case: (where its file goes, the warning, what must not reach the page)
SANITISED = {
    "raw_script": (EN, f"{EN}:13: warning: raw HTML <script> is removed from the published page: "
                       "write the content in Markdown", "alert("),
    "onerror_attribute": (EN, f"{EN}:13: warning: raw HTML attribute 'onerror' on <span> is "
                              "removed from the published page", "onerror"),
    "iframe": (EN, f"{EN}:13: warning: raw HTML <iframe> is removed from the published page: "
                   "write the content in Markdown", "<iframe"),
}
ACCEPTED = {"bom": EN, "windows_line_endings": EN}
GENERATED = {"five_megabyte_entry"}  # made at test time rather than committed


def source(case: str) -> bytes:
    if case == "five_megabyte_entry":
        return entry(body="word " * 1_000_000).encode("utf-8")
    return (BROKEN / f"{case}.md").read_bytes()


def destination(case: str) -> str:
    places = {case: place for case, (place, _) in ERRORS.items()}
    places |= {case: place for case, (place, _, _) in SANITISED.items()}
    return {**places, **ACCEPTED}[case]


def site_with(folder: Path, case: str) -> Path:
    """A two-entry site where the case's file replaces (or joins) the planning entry's."""
    files = {**pair(), **OTHER}
    if case == "bad_slug":
        del files[EN]
    files[destination(case)] = source(case)
    return make_site(folder, files)


def snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in folder.rglob("*") if p.is_file()}


@pytest.fixture(scope="session")
def previous_build(tmp_path_factory) -> Path:
    """A good build of the two-entry site, copied before each attempt to replace it."""
    out = tmp_path_factory.mktemp("previous") / "build"
    build(make_site(tmp_path_factory.mktemp("good"), {**pair(), **OTHER}), out)
    return out


def kb(*args: str):
    return CliRunner().invoke(main, [str(arg) for arg in args])


def test_every_file_of_the_corpus_is_a_case():
    files = {p.stem for p in BROKEN.iterdir()}
    assert files == (set(ERRORS) | set(SANITISED) | set(ACCEPTED)) - GENERATED


@pytest.mark.parametrize("case", ERRORS)
def test_check_prints_exactly_the_problem_and_exits_1(tmp_path, case):
    result = kb("check", "--root", site_with(tmp_path, case))
    assert result.exit_code == 1
    assert [line for line in result.output.splitlines() if line.startswith("content/")] == (
        ERRORS[case][1])


@pytest.mark.parametrize("case", SANITISED)
def test_check_warns_that_raw_html_is_removed_and_exits_0(tmp_path, case):
    result = kb("check", "--root", site_with(tmp_path, case))
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [SANITISED[case][1],
                                          "4 entries checked: no errors, 1 warning."]


@pytest.mark.parametrize("case", ERRORS)
def test_build_stops_and_leaves_the_previous_build_as_it_was(tmp_path, previous_build, case):
    root = site_with(tmp_path / "site", case)
    out = tmp_path / "build"
    shutil.copytree(previous_build, out)
    before = snapshot(out)
    result = kb("build", "--root", root, "--output", out)
    assert result.exit_code == 1
    assert ERRORS[case][1][0] in result.stderr.splitlines()
    assert f"{out}/ was left as it was" in result.stderr
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build", "site"]


@pytest.mark.parametrize("case", [*SANITISED, *ACCEPTED])
def test_accepted_and_sanitised_files_are_published(tmp_path, case):
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
    client = create_app(preview_config(site_with(tmp_path, case))).test_client()
    expected = str(escape(ERRORS[case][1][0] if case in ERRORS else SANITISED[case][1]))
    for url in ("/en/questions/transition/", "/fr/questions/transition-fr/", "/en/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert expected in response.get_data(as_text=True), url
        response.close()
    path = Path(destination(case))
    lang, slug = path.parts[1], path.stem
    response = client.get(f"/{lang}/questions/{slug}/")
    if case != "bad_slug":  # a file name that is not a slug has no page to show
        assert response.status_code in (200, 500)
        assert expected in response.get_data(as_text=True)
    response.close()


def test_a_folder_named_like_an_entry_is_reported_not_raised(tmp_path):
    root = make_site(tmp_path, {**pair(), **OTHER})
    (root / "content/en/phase-2/notes.md").mkdir()
    result = kb("check", "--root", root)
    assert result.exit_code == 1
    assert "content/en/phase-2/notes.md:1: cannot read the file: Is a directory" in (
        result.output.splitlines())


LINES = st.sampled_from([
    "---", "id: planning", "title: What?", "title: Phase 2: what?", "phase: phase-2",
    "audiences: [ssms]", "topics: [timeline]", "updated: 2023-02-30", "status: draft",
    "period: 2023", "order: x", "id: [", "\t- x", "\ufeff---", "The answer.", "# Heading",
    "```", "<script>x</script>", "<p onclick=1>", "[a](entry:nowhere)", "TODO: write",
])


@pytest.fixture(scope="module")
def fuzz_site(tmp_path_factory) -> Path:
    return make_site(tmp_path_factory.mktemp("fuzz"), {**pair(), **OTHER})


@settings(max_examples=80, deadline=None, database=None)  # no .hypothesis/ folder
@given(st.one_of(
    st.binary(max_size=400),
    st.lists(st.one_of(LINES, st.text(max_size=30)), max_size=16).map(
        lambda lines: "\n".join(lines).encode("utf-8")),
))
def test_any_bytes_give_problems_with_a_file_and_line_never_a_crash(fuzz_site, data):
    (fuzz_site / EN).write_bytes(data)
    site = load_site(fuzz_site)
    assert site.get("en", "transition") is not None  # the other entry is never lost
    for problem in site.problems:
        assert problem.path.startswith("content/") and problem.line >= 1, problem
