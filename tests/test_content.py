"""The loader and the validator: each content problem is reported as path:line: message."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from kb.content import load_site

from support import EN, FR, entry, make_site, pair  # noqa: F401 (EN, FR)


def messages(tmp_path, files: dict) -> list[str]:
    return [str(p) for p in load_site(make_site(tmp_path, files)).problems]


def test_valid_pair_loads_with_no_problem(tmp_path):
    site = load_site(make_site(tmp_path, pair()))
    assert site.problems == []
    en, fr = site.get("en", "planning"), site.get("fr", "planning")
    assert (en.slug, fr.slug) == ("planning", "planification")
    assert en.updated == dt.date(2023, 1, 20)
    assert en.audiences == ("service-providers",)
    assert site.translation(en) is fr
    assert "February to April 2023" in en.html


# Cases of one message each; the broken files of tests/cases/broken/ (test_broken.py) hold the
# rest, each case in one place only.
CASES = {
    "missing_key": (
        pair(en=entry().replace("period: February 2023 to April 2023\n", "")),
        f"{EN}:2: missing 'period': add a line 'period: ...' to the front matter",
    ),
    "unknown_key": (
        pair(extra="tittle: oops\n"),
        f"{EN}:10: unknown key 'tittle' (did you mean 'title'?): allowed keys are id, title, "
        "phase, audiences, topics, updated, status, period, summary, order, sources, as_of, synced",
    ),
    "unknown_audience_close_to_one": (
        pair(audiences="[providers]"),
        f"{EN}:5: unknown audience 'providers': use service-providers, ssms, social-assistance "
        "(did you mean 'service-providers'?)",
    ),
    "unknown_topic_close_to_one": (
        pair(topics="[contract]"),
        f"{EN}:6: unknown topic 'contract': use timeline, contracts, funding, programs, roles, "
        "planning, disputes, consultation, results, social-assistance (did you mean 'contracts'?)",
    ),
    "unknown_status": (
        pair(status="publish"),
        f"{EN}:8: unknown status 'publish': use one of published, review, draft (did you mean 'published'?)",
    ),
    "link_to_missing_entry_none_close": (
        pair(en=entry(body="Intro.\n\nSee [the other one](entry:nowhere).")),
        f"{EN}:13: link to a missing entry 'entry:nowhere': no entry has this id: correct it "
        "(kb status lists every id) or remove the link",
    ),
    "missing_translation": (
        {EN: entry()},
        f"{EN}:2: entry 'planning' has no French translation: add a file under content/fr/ "
        "with 'id: planning'",
    ),
    "id_mismatch_between_languages": (
        pair(fr=entry(id="planification")),
        f"{FR}:2: id 'planification' differs from the id 'planning' of the English file {EN}: "
        "both files of a pair need the same id",
    ),
    "phase_differs_between_languages": (
        pair(fr=entry(phase="phase-1")),
        f"{FR}:4: phase differs from the English entry {EN}: phase-1 vs phase-2; "
        "give both files the same phase",
    ),
    "audiences_differ_between_languages": (
        pair(fr=entry(audiences="[ssms, service-providers]")),
        f"{FR}:5: audiences differs from the English entry {EN}: [ssms, service-providers] vs "
        "[service-providers]; give both files the same audiences",
    ),
    "bad_id": (
        pair(id="Planning_Period"),
        f"{EN}:2: id 'Planning_Period' must be lower-case letters, digits and hyphens",
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_each_problem_is_reported_with_file_line_and_fix(tmp_path, case):
    files, expected = CASES[case]
    assert expected in messages(tmp_path, files)


def test_duplicate_id_names_both_files(tmp_path):
    files = pair()
    files["content/en/phase-2/planning-copy.md"] = entry()
    assert (
        "content/en/phase-2/planning.md:2: duplicate id 'planning': "
        "content/en/phase-2/planning-copy.md has it too"
    ) in messages(tmp_path, files)


def test_every_problem_is_reported_at_once(tmp_path):
    files = pair(phase="phase-9", audiences="[nobody]", updated="2023-13-01")
    found = messages(tmp_path, files)
    assert len([m for m in found if m.startswith(EN)]) == 3
    assert found == sorted(found)


def test_bom_and_windows_line_endings_are_accepted(tmp_path):
    text = "\ufeff" + entry().replace("\n", "\r\n")
    site = load_site(make_site(tmp_path, pair(en=text.encode("utf-8"))))
    assert site.problems == []
    assert site.get("en", "planning").title == "What is the planning period?"


def test_long_title_is_a_warning_not_an_error(tmp_path):
    site = load_site(make_site(tmp_path, pair(title="Why " * 40 + "?")))
    assert [p.level for p in site.problems] == ["warning", "warning"]


def test_drafts_are_loaded_but_not_listed(tmp_path):
    site = load_site(make_site(tmp_path, pair(status="draft")))
    assert site.get("en", "planning").draft
    assert site.entries_in("en") == []
    assert [e.id for e in site.entries_in("en", drafts=True)] == ["planning"]


def test_link_from_published_to_draft_is_an_error(tmp_path):
    files = pair(body="See [draft](entry:later).")
    files["content/en/phase-2/later.md"] = entry(id="later", status="draft")
    files["content/fr/phase-2/plus-tard.md"] = entry(id="later", status="draft")
    assert f"{EN}:11: link to draft entry 'later', which is not published" in messages(
        tmp_path, files
    )


def test_data_file_problems_name_the_line(tmp_path):
    files = pair()
    files["content/timeline.yml"] = (
        "- date: 2023-02\n  entry: planning\n  en: Planning begins.\n  fr: Début.\n"
        "- date: 2023-02-30\n  entry: planning\n  en: x\n  fr: y\n"
        "- date: 2024-01-01\n  entry: nowhere\n  en: x\n  fr: y\n"
    )
    found = messages(tmp_path, files)
    assert "content/timeline.yml:5: date '2023-02-30' must be YYYY-MM-DD, YYYY-MM or YYYY" in found
    assert "content/timeline.yml:9: timeline event points to a missing entry 'nowhere'" in found


def test_real_content_has_no_problem(site):
    assert [str(p) for p in site.problems] == []


def test_front_matter_text_keeps_french_no_break_spaces(tmp_path):
    site = load_site(make_site(tmp_path, pair(period='"de février à avril 2023\u00a0: 37\u00a0%"')))
    assert site.get("fr", "planning").period == "de février à avril 2023\u00a0: 37\u00a0%"


def test_reading_with_worker_processes_gives_the_same_site(synthetic_root, tmp_path):
    root = tmp_path / "site"
    shutil.copytree(synthetic_root, root)
    broken = root / "content" / "en" / "phase-1" / "broken-entry.md"
    broken.write_text("---\nid: broken-entry\ntitle: [unclosed\n---\nText.\n", "utf-8")
    one, two = load_site(root, jobs=1), load_site(root, jobs=2)
    assert [p.as_dict() for p in two.problems] == [p.as_dict() for p in one.problems]
    assert any(p.path.endswith("broken-entry.md") and p.level == "error" for p in two.problems)
    assert list(two.entries) == list(one.entries)
    assert all(two.entries[key] == entry for key, entry in one.entries.items())
    assert all(entry.html and entry.text for entry in two.entries.values())


def test_ampersands_and_stars_inside_values_are_text_not_anchors(tmp_path):
    site = load_site(
        make_site(tmp_path, pair(title="Q&A on who signs *what*, and when?", period='"&a *b"'))
    )
    assert [str(p) for p in site.problems] == []
    assert site.get("en", "planning").title == "Q&A on who signs *what*, and when?"
    assert site.get("en", "planning").period == "&a *b"


def test_an_alias_is_refused_at_its_line_even_without_a_named_anchor_use(tmp_path):
    files = pair(extra="summary: &s One sentence.\n")
    assert (
        f"{EN}:10: YAML anchor '&s' is not allowed: write the value out, or put it in quotes "
        "if it starts with '&'"
    ) in messages(tmp_path, files)
