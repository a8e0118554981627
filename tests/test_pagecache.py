"""Pages kept between builds (.kb-cache/pages/): a build after a change gives the same bytes as a
cold build of the same content, and renders again only the pages the change shows on."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

import kb.i18n
from kb.cache import CACHE_DIR
from kb.freeze import BuildReport, build
from kb.pagecache import FOLDER

from support import ROOT

ENTRY = "content/en/phase-2/dispute-resolution.md"  # has a summary, and a French counterpart
URL = "https://example.org/kb/"


@pytest.fixture()
def root(tmp_path, monkeypatch) -> Path:
    """A copy of the real site (and of kb's interface catalog, which a test edits)."""
    for name in ("content", "templates", "static"):
        shutil.copytree(ROOT / name, tmp_path / "site" / name)
    catalogs = tmp_path / "translations"
    shutil.copytree(kb.i18n.TRANSLATIONS, catalogs)
    monkeypatch.setattr(kb.i18n, "TRANSLATIONS", catalogs)
    return tmp_path / "site"


def tree(folder: Path) -> dict[str, bytes]:
    """Every file of a build, by its path: what `diff -r` compares."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def edit(root: Path, name: str, old: str, new: str) -> None:
    path = root / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def warm_and_cold(
    root: Path,
    change: Callable[[Path], None],
    before: str | None = URL,
    after: str | None = URL,
    jobs: int = 1,
) -> BuildReport:
    """Build (filling the caches), change, build warm; then cold, from no cache: the same bytes."""
    shutil.rmtree(root / CACHE_DIR, ignore_errors=True)
    first = build(root, root.parent / "first", base_url=before, jobs=jobs)
    assert first.rendered > 100 and first.reused == 0
    change(root)
    warm = build(root, root.parent / "warm", base_url=after, jobs=jobs)
    shutil.rmtree(root / CACHE_DIR)
    cold = build(root, root.parent / "cold", base_url=after, jobs=jobs)
    assert cold.reused == 0
    warm_files, cold_files = tree(root.parent / "warm"), tree(root.parent / "cold")
    assert warm_files.keys() == cold_files.keys()
    differing = [name for name in cold_files if warm_files[name] != cold_files[name]]
    assert differing == []
    assert warm.files == cold.files and warm.rendered + warm.reused == cold.rendered
    return warm


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_build_with_nothing_changed_reuses_every_page(root, jobs):
    warm = warm_and_cold(root, lambda root: None, jobs=jobs)
    media = sum(1 for name in tree(root.parent / "warm") if name.startswith("media/"))
    assert warm.rendered == media  # media files are copied again, never kept


def test_a_body_edit_renders_only_that_entry_and_its_counterpart(root):
    warm = warm_and_cold(
        root, lambda root: edit(root, ENTRY, "- response times;", "- response times, published;")
    )
    # Its page, and the French page, now stale (its notice shows); nothing else.
    assert warm.rendered == 2 and warm.reused > 100
    page = (root.parent / "warm" / "en/questions/dispute-resolution/index.html").read_text("utf-8")
    assert "response times, published;" in page


def test_a_title_edit_renders_every_page_that_may_list_it(root):
    warm = warm_and_cold(
        root,
        lambda root: edit(root, ENTRY, 'title: "Will there be a way', 'title: "Is there a way'),
    )
    assert warm.reused == 0


@pytest.mark.parametrize(
    "name, old, new",
    [
        ("templates/entry.html", '<h2 id="related">', '<h2 class="more" id="related">'),
        ("static/style.css", "}", "}\n"),  # its fingerprinted URL changes on every page
        ("content/timeline.yml", "- date: 2021-01-01", "- date: 2021-01-02"),
        ("content/site.yml", None, "\n# a comment\n"),  # appended
    ],
)
def test_a_template_static_or_data_file_edit_renders_again(root, name, old, new):
    def change(root: Path) -> None:
        if old is None:
            with (root / name).open("a", encoding="utf-8") as file:
                file.write(new)
        else:
            edit(root, name, old, new)

    assert warm_and_cold(root, change).reused == 0


def test_a_catalog_edit_renders_again(root):
    warm = warm_and_cold(
        root,
        lambda root: edit(
            kb.i18n.TRANSLATIONS.parent,
            "translations/fr/LC_MESSAGES/messages.po",
            'msgstr "Questions connexes"',
            'msgstr "Questions apparentées"',
        ),
    )
    assert warm.reused == 0
    assert "Questions apparentées" in (
        root.parent / "warm" / "fr/questions" / "ce-qui-change-pour-les-gss/index.html"
    ).read_text("utf-8")


def test_a_new_base_url_renders_again(root):
    assert warm_and_cold(root, lambda root: None, after="https://example.com/").reused == 0
    assert (
        warm_and_cold(root, lambda root: None, before="https://example.com/", after=None).reused
        == 0
    )


def test_a_deleted_entry_leaves_no_trace(root):
    def delete(root: Path) -> None:
        (root / "content/en/all/what-changes-for-ssms.md").unlink()
        (root / "content/fr/all/ce-qui-change-pour-les-gss.md").unlink()

    warm_and_cold(root, delete)
    assert not (root.parent / "warm" / "en/questions/what-changes-for-ssms").exists()


@pytest.mark.parametrize("damage", ["truncated", "corrupt", "empty", "foreign path"])
def test_a_damaged_page_is_rendered_again(root, damage):
    build(root, root.parent / "first", base_url=URL, jobs=1)
    kept = sorted((root / CACHE_DIR / FOLDER).iterdir())
    assert len(kept) > 100
    for path in kept:
        data = bytearray(path.read_bytes())
        if damage == "truncated":
            data = data[: len(data) // 2]
        elif damage == "corrupt":
            data[-10] ^= 0xFF
        elif damage == "empty":
            data = bytearray()
        else:  # a valid checksum over a path outside the output
            import hashlib

            from kb.pagecache import MAGIC

            payload = b"/x\0../../escaped.html\0<p>not kb's</p>"
            data = bytearray(MAGIC + hashlib.sha256(payload).digest() + payload)
        path.write_bytes(bytes(data))
    again = build(root, root.parent / "again", base_url=URL, jobs=1)
    assert again.reused == 0
    assert tree(root.parent / "again") == tree(root.parent / "first")
    assert not (root.parent.parent / "escaped.html").exists()
    assert build(root, root.parent / "third", base_url=URL, jobs=1).rendered < 10  # rewritten


def test_pages_no_longer_built_are_dropped(root):
    build(root, root.parent / "first", base_url=URL, jobs=1)
    before = len(list((root / CACHE_DIR / FOLDER).iterdir()))
    build(root, root.parent / "first", base_url=None, jobs=1)  # other keys: the old ones go
    after = len(list((root / CACHE_DIR / FOLDER).iterdir()))
    assert after < before + 20


@pytest.mark.parametrize(
    "relative",
    ["en/a.md", "fr/phase-1/b.md", "en/.md", "en/..md", "en/a.md/b", "en/a.MD", "en/a.md.bak"]
    + ["site.yml", "de/a.md", "a.md", "en/a.", "fr/media/p.png", "en/x/.hidden.md"],
)
def test_entry_files_are_told_apart_as_paths_tell_them(relative):
    """What the site digest leaves out of content/ (the entries: the Site has them) is what a
    path's own parts and suffix say is a Markdown file in a language folder."""
    from pathlib import PurePosixPath

    from kb.pagecache import _entry_file
    from kb.taxonomy import LANGS

    path = PurePosixPath(relative)
    assert _entry_file(relative) == (
        len(path.parts) > 1 and path.parts[0] in LANGS and path.suffix == ".md"
    )


def test_the_tree_digest_is_of_every_name_and_bytes_but_those_skipped(tmp_path):
    import hashlib

    from kb.cache import digest
    from kb.pagecache import _entry_file, _tree

    files = {"site.yml": b"a", "en/x.md": b"b", "en/media/p.png": b"c", "fr/y.md": b"d"}
    files |= {"x/__pycache__/m.pyc": b"e", "z.pyc": b"f", "b/c/d.txt": b"g"}
    for name, data in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data)
    kept = ["site.yml", "b/c/d.txt", "en/media/p.png"]  # a folder's files, then its folders
    expected = hashlib.sha256()
    for name in kept:
        expected.update(digest(name, files[name]).encode())
    assert _tree(tmp_path, skip=_entry_file) == expected.hexdigest()
    (tmp_path / "en/x.md").write_bytes(b"changed")  # an entry: in the Site's part of the digest
    assert _tree(tmp_path, skip=_entry_file) == expected.hexdigest()
    (tmp_path / "site.yml").write_bytes(b"changed")
    assert _tree(tmp_path, skip=_entry_file) != expected.hexdigest()


def test_a_short_write_writes_on(tmp_path, monkeypatch):
    """Some file systems take part of a write: the rest is written after it."""
    import os

    from kb.pagecache import write_all

    real = os.writev
    monkeypatch.setattr(os, "writev", lambda handle, parts: real(handle, [parts[0][:3]]))
    monkeypatch.setattr(os, "write", lambda handle, data, real=os.write: real(handle, data[:5]))
    target = tmp_path / "page"
    handle = os.open(target, os.O_WRONLY | os.O_CREAT)
    try:
        write_all(handle, [b"kb-page", b"", b" and its bytes"])
    finally:
        os.close(handle)
    assert target.read_bytes() == b"kb-page and its bytes"
