"""Reading a source file (kb.sourcefile): the quick way (the kernel names the opened file) takes
only what the step-by-step way takes, and gives the same bytes."""

from __future__ import annotations

import os
import threading

import pytest

import kb.sourcefile
from kb.frontmatter import SourceError
from kb.sourcefile import _read_plainly, read_source

LIMIT = 1000


@pytest.fixture
def content(tmp_path):
    folder = tmp_path / "content"
    (folder / "en").mkdir(parents=True)
    (folder / "en" / "entry.md").write_bytes(b"---\nid: a\n---\nBody\n")
    (tmp_path / "outside.md").write_bytes(b"secret")
    return folder


def step_by_step(monkeypatch, file, inside):
    with monkeypatch.context() as patched:
        patched.setattr(kb.sourcefile, "_read_plainly", lambda *args: None)
        return read_source(file, LIMIT, inside, "split it")


def test_a_plain_file_is_read_the_quick_way(content, monkeypatch):
    file = content / "en" / "entry.md"
    assert _read_plainly(file, LIMIT, content) == file.read_bytes()
    assert read_source(file, LIMIT, content, "") == step_by_step(monkeypatch, file, content)


def test_a_link_inside_the_folder_is_read_as_before(content, monkeypatch):
    link = content / "en" / "link.md"
    link.symlink_to(content / "en" / "entry.md")
    assert _read_plainly(link, LIMIT, content) == step_by_step(monkeypatch, link, content)


def test_a_folder_given_by_a_relative_path_or_through_a_link(content, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    assert _read_plainly(content / "en" / "entry.md", LIMIT, content.relative_to(tmp_path))
    (tmp_path / "alias").symlink_to(content)
    through = tmp_path / "alias"
    assert _read_plainly(through / "en" / "entry.md", LIMIT, through) == b"---\nid: a\n---\nBody\n"


def test_a_link_out_of_the_folder_is_left_to_the_step_by_step_way(content):
    link = content / "en" / "out.md"
    link.symlink_to(content.parent / "outside.md")
    assert _read_plainly(link, LIMIT, content) is None
    with pytest.raises(SourceError, match=r"is a symbolic link to .*outside\.md, outside content/"):
        read_source(link, LIMIT, content, "")


def test_a_folder_swapped_for_a_link_out_is_not_taken_on_an_old_answer(content, tmp_path):
    """The folder's real path is remembered; a file not under it is looked at again."""
    file = content / "en" / "entry.md"
    assert _read_plainly(file, LIMIT, content) is not None
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "en").mkdir(parents=True)
    (elsewhere / "en" / "entry.md").write_bytes(b"elsewhere")
    content.rename(tmp_path / "old")
    content.symlink_to(elsewhere)  # content/ now is the other folder: its files are its own
    assert _read_plainly(file, LIMIT, content) == b"elsewhere"
    link = tmp_path / "inner"
    link.symlink_to(tmp_path / "old" / "en" / "entry.md")  # the old folder is not content/ now
    assert _read_plainly(link, LIMIT, content) is None


def test_too_large_a_file_is_left_to_the_step_by_step_way(content):
    file = content / "en" / "big.md"
    file.write_bytes(b"x" * (LIMIT + 1))
    assert _read_plainly(file, LIMIT, content) is None
    with pytest.raises(SourceError, match="split it"):
        read_source(file, LIMIT, content, "split it")


def test_a_named_pipe_or_a_folder_is_never_opened(content):
    pipe = content / "en" / "pipe.md"
    os.mkfifo(pipe)
    writer = threading.Timer(5, lambda: open(pipe, "wb").close())  # were it opened and read
    writer.start()
    try:
        assert _read_plainly(pipe, LIMIT, content) is None
        assert _read_plainly(content / "en", LIMIT, content) is None
        with pytest.raises(SourceError, match="named pipe"):
            read_source(pipe, LIMIT, content, "")
    finally:
        writer.cancel()


def test_a_missing_file_is_left_to_the_step_by_step_way(content):
    assert _read_plainly(content / "en" / "gone.md", LIMIT, content) is None
    with pytest.raises(SourceError, match="cannot read the file"):
        read_source(content / "en" / "gone.md", LIMIT, content, "")


def test_a_read_that_gives_less_than_asked_reads_on(content, monkeypatch):
    """Some file systems answer a read in parts: the whole file is read all the same."""
    real_read = os.read
    monkeypatch.setattr(kb.sourcefile.os, "read", lambda fd, n: real_read(fd, min(n, 5)))
    file = content / "en" / "entry.md"
    assert _read_plainly(file, LIMIT, content) == file.read_bytes()


def test_a_static_file_that_a_link_leads_out_of_static_stops_the_build(tmp_path):
    """The build copies static/ as it is: a link out of it would publish a file from elsewhere.
    A link that stays inside is fine; the error names the file and where it leads."""
    from kb.freeze import BuildError, build
    from kb.loader import load_site

    from support import make_site, pair

    root = make_site(tmp_path / "site", pair())
    (tmp_path / "secret.txt").write_text("secret", encoding="utf-8")
    (root / "static" / "leak.txt").symlink_to(tmp_path / "secret.txt")
    (root / "static" / "alias.css").symlink_to("style.css")
    real = os.path.realpath(tmp_path / "secret.txt")
    assert [str(p) for p in load_site(root).problems] == [
        f"static/leak.txt:1: is a symbolic link to {real}, outside static/: copy the file into "
        "static/ instead"
    ]
    with pytest.raises(BuildError):
        build(root, tmp_path / "out")
    assert not (tmp_path / "out").exists()
    (root / "static" / "leak.txt").unlink()
    build(root, tmp_path / "out")
    assert (tmp_path / "out/static/alias.css").read_bytes() == (
        root / "static/style.css"
    ).read_bytes()


def test_the_preview_serves_of_static_only_what_a_build_publishes(tmp_path):
    """A linked folder is not copied by the build (a warning says so), a link out of static/ is
    an error: the preview answers 404 for both, and serves real files and links inside."""
    from kb.app import create_app
    from kb.loader import load_site

    from support import make_site, pair

    root = make_site(tmp_path / "site", pair())
    static = root / "static"
    (static / "lib").mkdir()
    (static / "lib" / "a.js").write_text("x", encoding="utf-8")
    (static / "vendor").symlink_to("lib", target_is_directory=True)
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "b.js").write_text("secret", encoding="utf-8")
    (static / "ext").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    (static / "alias.css").symlink_to("style.css")
    (static / "skip.tmp").symlink_to(tmp_path / "elsewhere" / "b.js")  # never published
    problems = load_site(root).problems
    assert {(p.path, p.level) for p in problems} == {
        ("static/vendor", "warning"),
        ("static/ext", "error"),
    }
    ext = next(p for p in problems if p.path == "static/ext")
    assert ext.message == (
        f"is a symbolic link to the folder {(tmp_path / 'elsewhere').resolve()}, outside static/: "
        "copy the files you need into a real folder under static/ instead"
    )
    client = create_app({"KB_ROOT": root}).test_client()
    for path, status in [
        ("/static/lib/a.js", 200),
        ("/static/alias.css", 200),
        ("/static/style.css", 200),
        ("/static/vendor/a.js", 404),
        ("/static/ext/b.js", 404),
        ("/static/../site/content/en/phase-2/planning.md", 404),
    ]:
        with client.get(path) as response:
            assert response.status_code == status, path
