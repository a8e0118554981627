"""The frozen site: complete, every link resolving, atomic, and working from a sub-path."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest

import kb.views
from kb.cache import CACHE_DIR
from kb.cli import main
from kb.freeze import BuildError, _one_of_each_kind, build
from kb.pagecache import FOLDER

from support import ROOT, Links, crawl, file_for, folders_without_a_page, make_site, pair


def test_every_page_is_reachable_and_every_link_resolves(frozen, site):
    official = frozenset(
        url for source in site.sources.values() for url in source.urls.values() if url
    )
    assert official
    seen, broken, _ = crawl(frozen, official=official)
    assert broken == []
    pages = {
        "/" + p.relative_to(frozen).as_posix().removesuffix("index.html")
        for p in frozen.rglob("*.html")
    }
    assert pages - {"/404.html"} <= seen


def test_every_folder_a_reader_reaches_by_shortening_a_url_has_a_page(frozen):
    assert folders_without_a_page(frozen) == []
    # The section folders, in both languages, are among them.
    for folder in (
        "en/phases",
        "fr/phases",
        "en/audiences",
        "fr/publics",
        "en/topics",
        "fr/sujets",
        "en/questions",
        "fr/questions",
    ):
        assert (frozen / folder / "index.html").exists(), folder


def test_every_page_toggles_to_its_counterpart_in_the_other_language(frozen):
    _, _, toggles = crawl(frozen)
    for path, toggle in toggles.items():
        if path.startswith(("/en/", "/fr/")):
            other = "/fr/" if path.startswith("/en/") else "/en/"
            assert toggle and toggle.startswith(other), path
            assert file_for(frozen, toggle).exists(), toggle
            back = Links()
            back.feed(file_for(frozen, toggle).read_text(encoding="utf-8"))
            assert back.toggle == path, f"{toggle} does not toggle back to {path}"


def test_output_has_the_splash_404_and_both_languages(frozen, site):
    assert (frozen / "index.html").exists() and (frozen / "404.html").exists()
    # Every frozen French page speaks French (the freezer reuses one app context).
    for page in (frozen / "fr").rglob("index.html"):
        assert "Passer au contenu principal" in page.read_text(encoding="utf-8"), page
    for lang in ("en", "fr"):
        for entry in site.entries_in(lang):
            assert (frozen / lang / "questions" / entry.slug / "index.html").exists()


def snapshot(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in folder.rglob("*")
        if p.is_file()
    }


def test_a_content_error_leaves_the_previous_build_untouched(tmp_path):
    root = make_site(tmp_path / "site", pair())
    out = tmp_path / "build"
    build(root, out)
    before = snapshot(out)
    (root / "content/en/phase-2/planning.md").write_text("---\nid: [broken\n---\nx\n")
    with pytest.raises(BuildError) as error:
        build(root, out)
    assert error.value.problems
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build", "site"]


def test_a_failure_while_freezing_leaves_the_previous_build_untouched(tmp_path):
    root = make_site(tmp_path / "site", pair())
    out = tmp_path / "build"
    build(root, out)
    before = snapshot(out)
    (root / "templates/timeline.html").write_text(
        "{% extends 'base.html' %}{% block main %}{{ missing() }}{% endblock %}"
    )
    with pytest.raises(ValueError, match="Unexpected status '500"):
        build(root, out)
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build", "site"]


def test_drafts_never_reach_the_build(tmp_path):
    files = pair()
    files["content/en/phase-2/later.md"] = pair(id="later", status="draft")[
        "content/en/phase-2/planning.md"
    ]
    files["content/fr/phase-2/plus-tard.md"] = pair(id="later", status="draft")[
        "content/fr/phase-2/planification.md"
    ]
    out = tmp_path / "build"
    report = build(make_site(tmp_path / "site", files), out)
    assert report.published == {"en": 1, "fr": 1}
    assert not (out / "en/questions/later").exists()
    assert "later" not in (out / "en/questions/index.html").read_text()


def test_base_url_with_a_sub_path_serves_from_that_path(tmp_path, site):
    out = tmp_path / "build"
    build(ROOT, out, base_url="https://example.org/kb/")
    official = frozenset(
        url for source in site.sources.values() for url in source.urls.values() if url
    )
    seen, broken, _ = crawl(out, prefix="/kb/", host="https://example.org", official=official)
    assert broken == []
    assert "/kb/fr/questions/" in seen
    home = (out / "en/index.html").read_text()
    assert 'href="/kb/static/style.css"' in home


def test_kb_check_prints_every_problem_and_exits_1(tmp_path, runner):
    root = make_site(tmp_path, pair(phase="phase-9", updated="2023-02-30"))
    result = runner.invoke(main, ["check", "--root", str(root)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert "content/en/phase-2/planning.md:4: unknown phase 'phase-9'" in result.output
    assert "content/en/phase-2/planning.md:7: updated '2023-02-30' is not a real date" in (
        result.output
    )
    # Both files, then the count of files checked: neither is an entry until it is fixed.
    assert len(lines) == 5 and lines[-1] == "2 entries checked: 4 errors, 0 warnings."


def test_kb_check_passes_on_the_real_content(runner):
    result = runner.invoke(main, ["check", "--root", str(ROOT)])
    assert result.exit_code == 0, result.output


def test_kb_build_reports_what_it_published_and_refuses_broken_content(tmp_path, runner):
    root = make_site(tmp_path / "site", pair())
    out = tmp_path / "out"
    result = runner.invoke(main, ["build", "--root", str(root), "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert "Published 1 en, 1 fr entries" in result.output
    (root / "content/fr/phase-2/planification.md").unlink()
    result = runner.invoke(main, ["build", "--root", str(root), "--output", str(out)])
    assert result.exit_code == 1
    assert "has no French translation" in result.output
    assert f"{out}/ was left as it was" in result.output
    assert (out / "en/questions/planning/index.html").exists()


def test_a_page_type_left_out_of_the_freeze_fails_the_build(tmp_path, monkeypatch):
    import kb.freeze
    from kb.pagelist import all_pages

    def without_glossary(site):
        return (
            (endpoint, values)
            for endpoint, values in all_pages(site)
            if endpoint != "pages.glossary"
        )

    monkeypatch.setattr(kb.freeze, "all_pages", without_glossary)
    out = tmp_path / "build"
    with pytest.raises(BuildError, match=r"no page is generated for pages\.glossary"):
        build(make_site(tmp_path / "site", pair()), out)
    assert not out.exists()


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_building_with_two_processes_writes_the_same_site(synthetic_root, tmp_path):
    shutil.rmtree(synthetic_root / CACHE_DIR / FOLDER, ignore_errors=True)
    one = build(synthetic_root, tmp_path / "one", jobs=1)
    shutil.rmtree(synthetic_root / CACHE_DIR / FOLDER)  # rendered again, not reused
    two = build(synthetic_root, tmp_path / "two", jobs=2)
    assert one.rendered == two.rendered > 300
    assert one.files == two.files > 300
    first, second = _tree(tmp_path / "one"), _tree(tmp_path / "two")
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []


def test_one_page_of_each_kind_is_frozen_before_the_workers_start():
    """With several processes, the first page of each endpoint and language is frozen first (in
    the parent, so that the workers forked after it share its compiled templates); every page
    is frozen once."""
    pages = [
        (("pages.entry", {"lang": "en", "slug": "a"}), "k1"),
        (("pages.entry", {"lang": "en", "slug": "b"}), "k2"),
        (("pages.entry", {"lang": "fr", "slug": "c"}), "k3"),
        (("root.splash", {}), None),
        (("pages.entry", {"lang": "fr", "slug": "d"}), "k4"),
        (("pages.home", {"lang": "en"}), "k5"),
    ]
    first, others = _one_of_each_kind(pages)
    assert first == [pages[0], pages[2], pages[3], pages[5]]
    assert others == [pages[1], pages[4]]
    assert _one_of_each_kind([]) == ([], [])


def _fails_keeping_the_last_site(root, tmp_path, monkeypatch, render, error, match):
    """A good build, then one with views.render replaced: it raises and changes nothing."""
    out = tmp_path / "build"
    build(root, out, jobs=2)
    before = _tree(out)
    shutil.rmtree(root / CACHE_DIR / FOLDER)  # every page rendered again, with the failure
    monkeypatch.setattr(kb.views, "render", render)
    with pytest.raises(error, match=match):
        build(root, out, jobs=2)
    assert _tree(out) == before
    assert not list(tmp_path.glob(".build.tmp-*"))


def test_a_page_failing_in_any_process_stops_the_build(synthetic_root, tmp_path, monkeypatch):
    site_entries = sorted((synthetic_root / "content" / "fr").rglob("*.md"))
    broken = {site_entries[0].stem, site_entries[-1].stem}  # early and late in the page list
    original = kb.views.render

    def failing(template, **context):
        if "entry" in context and context["entry"].slug in broken:
            raise RuntimeError("a page that cannot be rendered")
        return original(template, **context)

    _fails_keeping_the_last_site(
        synthetic_root, tmp_path, monkeypatch, failing, ValueError, "Unexpected status '500"
    )


def test_a_worker_process_that_dies_stops_the_build_with_a_clear_error(
    synthetic_root, tmp_path, monkeypatch
):
    parent, original = os.getpid(), kb.views.render

    def dying(template, **context):
        if os.getpid() != parent and "entry" in context:
            os._exit(1)  # as if the system killed the worker
        return original(template, **context)

    _fails_keeping_the_last_site(
        synthetic_root,
        tmp_path,
        monkeypatch,
        dying,
        BuildError,
        "a worker process stopped before its work was done",
    )


def test_large_sites_use_every_core_unless_other_threads_run(monkeypatch):
    import threading

    from kb import parallel

    monkeypatch.setattr(parallel, "cores", lambda: 4)
    assert parallel.workers_for(10, None) == 1
    assert parallel.workers_for(parallel.PARALLEL_FROM, 3) == 3
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    assert parallel.workers_for(parallel.PARALLEL_FROM, None) == 4
    monkeypatch.setattr(threading, "active_count", lambda: 2)  # kb serve's request threads
    assert parallel.workers_for(parallel.PARALLEL_FROM, None) == 1
    assert parallel.workers_for(parallel.PARALLEL_FROM, 2) == 2


def test_the_report_counts_every_file_written(tmp_path):
    report = build(ROOT, tmp_path / "out")
    written = [p for p in (tmp_path / "out").rglob("*") if p.is_file()]
    assert report.files == len(written)
