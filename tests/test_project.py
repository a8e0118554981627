"""The project's promises about itself: README's commands are the ones CI runs."""

from __future__ import annotations

import re

import pytest

from support import ROOT


def readme_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick_start = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", quick_start)


def test_quick_start_is_two_commands_build_then_test():
    build, test = readme_commands()
    assert build.endswith("kb build") and "pip install" in build
    assert "pytest" in test and "pip install" in test


def test_ci_runs_exactly_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert readme_commands()[1] in ci


def test_the_readme_command_table_names_every_command_and_option():
    import click

    from kb.cli import main

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Commands", 1)[1].split("\n## ", 1)[0]
    rows = {
        re.match(r"\| `kb (\w+)", line).group(1): line
        for line in table.splitlines()
        if line.startswith("| `kb ")
    }
    assert set(rows) == set(main.commands)
    for name, command in main.commands.items():
        for option in command.params:
            if isinstance(option, click.Option) and option.name != "root":
                longest = max(option.opts, key=len)
                assert f"{longest}" in rows[name], f"kb {name} {longest}"


def test_the_readme_sample_entry_passes_kb_check_but_for_its_translation(tmp_path):
    """A newcomer copies the README's sample entry: its front matter and body are valid as they
    are (the only error is the French file it still lacks)."""
    import shutil

    from kb.content import load_site

    for name in ("content", "templates", "static"):
        shutil.copytree(ROOT / name, tmp_path / name)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    sample = re.search(r"```markdown\n(---\n.*?)```", readme, re.S).group(1)
    assert "sources: [" in sample
    path = "content/en/phase-2/readme-sample.md"
    (tmp_path / path).write_text(
        sample.replace("phase-2-planning-period", "readme-sample"), "utf-8"
    )
    problems = [p for p in load_site(tmp_path).problems if p.path == path]
    assert [p.message for p in problems if p.level == "error"] == [
        "entry 'readme-sample' has no French translation: add a file under content/fr/ with "
        "'id: readme-sample'"
    ]


def test_the_french_editors_guide_keeps_the_english_one_s_structure():
    """docs/editing.fr.md follows docs/editing.md section by section: the same headings, tables
    of the same size and the same number of examples, each linking to the other."""

    def shape(text: str) -> tuple:
        blocks = len(re.findall(r"^\s*```", text, re.M)) // 2
        prose = re.sub(r"^\s*```.*?^\s*```", "", text, flags=re.M | re.S)
        headings = [len(m.group(1)) for m in re.finditer(r"^(#+) ", prose, re.M)]
        tables = [len(m.group(0).splitlines()) for m in re.finditer(r"(?:^\|.*\n)+", prose, re.M)]
        return headings, tables, blocks

    english = (ROOT / "docs" / "editing.md").read_text(encoding="utf-8")
    french = (ROOT / "docs" / "editing.fr.md").read_text(encoding="utf-8")
    assert shape(french) == shape(english)
    assert len(shape(english)[0]) > 10 and shape(english)[2] > 10
    assert "[Français](editing.fr.md)" in english and "[English](editing.md)" in french


@pytest.mark.parametrize("guide, lang", [("editing.md", "en"), ("editing.fr.md", "fr")])
def test_the_guides_link_examples_lead_to_real_entries_and_headings(guide, lang):
    """An editor copies the guide's examples: each entry: link names an entry of the site, and
    each #anchor a heading of that entry in the guide's language."""
    from kb.content import load_site

    site = load_site(ROOT)
    text = (ROOT / "docs" / guide).read_text(encoding="utf-8")
    links = re.findall(r"\(entry:([a-z0-9-]+)(?:#([a-z0-9-]+))?\)", text)
    assert links
    for id, anchor in links:
        if id in ("ID", "nowhere"):
            continue
        entry = site.get(lang, id)
        assert entry is not None, id
        assert not anchor or f'id="{anchor}"' in entry.html, (id, anchor)
