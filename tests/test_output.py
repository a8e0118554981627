"""The output folder: kb's alone (refusals leave the project byte-identical), marked, readable by
a web server's user, and optionally precompressed."""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import stat
import tempfile
from pathlib import Path

import pytest

import kb
from kb import output as out
from kb.cli import main
from kb.freeze import OutputError, build

from support import make_site, pair


def tree_hash(folder: Path) -> dict[str, str]:
    """Every path under folder with its kind, mode and content hash."""
    found = {}
    for path in sorted(folder.rglob("*")):
        info = path.lstat()
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""
        found[path.relative_to(folder).as_posix()] = (stat.filemode(info.st_mode), digest)
    return found


@pytest.fixture()
def project(tmp_path) -> Path:
    """A small site with what a real clone holds besides content: a README and a .git folder."""
    root = make_site(tmp_path / "site", pair())
    (root / "README.md").write_text("# A site\n")
    (root / ".git").mkdir()
    (root / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (tmp_path / "www").mkdir()
    (tmp_path / "www" / "index.html").write_text("<p>Someone else's site</p>\n")
    return root


@pytest.fixture(scope="session")
def kb_build(runner):
    def invoke(*args: str):
        return runner.invoke(main, ["build", "--quiet", *args])

    return invoke


@pytest.mark.parametrize(
    "output, why",
    [
        (".", "holds the project folder"),
        ("..", "holds the project folder"),
        ("content", "the site's content/ folder"),
        ("content/en", "the site's content/ folder"),
        ("content/en/new-folder", "the site's content/ folder"),
        ("templates", "the site's templates/ folder"),
        ("static", "the site's static/ folder"),
        ("static/build", "the site's static/ folder"),
        ("../www", "holds files kb did not write"),
    ],
)
def test_an_output_folder_that_is_not_kbs_is_refused_and_nothing_changes(
    project, monkeypatch, output, why, kb_build
):
    monkeypatch.chdir(project)
    before = tree_hash(project.parent)
    result = kb_build("--output", output)
    assert result.exit_code == 1, result.output
    assert why in result.output
    assert "--output" in result.output  # says what to do instead
    assert "Traceback" not in result.output and result.exception.__class__ is SystemExit
    assert tree_hash(project.parent) == before


def test_kbs_own_code_is_never_the_output(project):
    package = Path(kb.__file__).resolve().parent
    before = tree_hash(package)
    with pytest.raises(OutputError, match="kb's own code"):
        build(project, package)
    assert tree_hash(package) == before


def test_a_file_where_the_folder_should_be_is_refused(project):
    (project / "build").write_text("notes\n")
    with pytest.raises(OutputError, match="is not a folder"):
        build(project, project / "build")
    assert (project / "build").read_text() == "notes\n"


def test_every_build_carries_the_marker_and_replaces_only_marked_or_empty_folders(project):
    empty = project / "public"
    empty.mkdir()
    report = build(project, empty)
    marker = empty / out.MARKER
    assert marker.read_text() == out.MARKER_TEXT
    assert (empty / "en/index.html").exists()
    assert report.files == sum(1 for p in empty.rglob("*") if p.is_file())
    build(project, empty)  # its own build, marked: replaced
    marker.unlink()  # a folder of files kb cannot tell as its own
    before = tree_hash(empty)
    with pytest.raises(OutputError, match="holds files kb did not write"):
        build(project, empty)
    assert tree_hash(empty) == before


def test_a_fake_marker_that_is_a_symlink_does_not_make_a_folder_kbs(project, tmp_path):
    (tmp_path / "www" / out.MARKER).symlink_to(tmp_path / "elsewhere")
    with pytest.raises(OutputError):
        build(project, tmp_path / "www")
    assert (tmp_path / "www" / "index.html").exists()


@pytest.mark.parametrize("umask, folders, files", [(0o022, 0o755, 0o644), (0o027, 0o750, 0o640)])
def test_the_outputs_permissions_follow_the_umask(project, tmp_path, umask, folders, files):
    previous = os.umask(umask)
    try:
        build(project, tmp_path / "build")
    finally:
        os.umask(previous)
    output = tmp_path / "build"
    modes = {
        p.relative_to(output).as_posix(): stat.S_IMODE(p.stat().st_mode)
        for p in [output, *output.rglob("*")]
    }
    wrong = {
        name: oct(mode)
        for name, mode in modes.items()
        if mode != (folders if (output / name).is_dir() else files)
    }
    assert wrong == {}


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to read as another user")
def test_a_web_server_running_as_another_user_can_read_the_build(project):
    served = Path(tempfile.mkdtemp())  # pytest's own folders are private to their user
    previous = os.umask(0o022)
    try:
        served.chmod(0o755)
        build(project, served / "build")
        pid = os.fork()
        if pid == 0:  # the server's user, nobody
            try:
                os.setgid(65534)
                os.setuid(65534)
                pages = [p for p in (served / "build").rglob("*") if p.is_file()]
                ok = len(pages) > 20 and all(p.read_bytes() is not None for p in pages)
                os._exit(0 if ok else 2)
            except BaseException:
                os._exit(1)
        assert os.waitpid(pid, 0)[1] == 0
    finally:
        os.umask(previous)
        shutil.rmtree(served)


def test_compress_writes_a_deterministic_gz_next_to_each_text_file(project, tmp_path, kb_build):
    # With a site URL, so that the sitemap and feeds (.xml) are written too.
    result = kb_build(
        "--root",
        str(project),
        "--output",
        str(tmp_path / "one"),
        "--compress",
        "--base-url",
        "https://kb.example.org/",
    )
    assert result.exit_code == 0, result.output
    build(project, tmp_path / "two", base_url="https://kb.example.org/", compress=True)
    one = tmp_path / "one"
    text = [
        p
        for p in one.rglob("*")
        if p.suffix in {".html", ".css", ".js", ".json", ".xml", ".txt", ".svg"}
    ]
    assert {p.suffix for p in text} >= {".html", ".css", ".js", ".json", ".xml", ".txt"}
    packed_copies = set()
    for path in text:
        data = path.read_bytes()
        smaller = len(gzip.compress(data, compresslevel=9, mtime=0)) < len(data)
        assert path.with_name(path.name + ".gz").exists() == smaller, path
        if smaller:
            packed = path.with_name(path.name + ".gz").read_bytes()
            assert gzip.decompress(packed) == data
            assert packed[4:8] == b"\0\0\0\0"  # no modification time in the header
            packed_copies.add(path.name + ".gz")
    # A tiny file that gzip makes larger has no copy; the pages all have one.
    assert not (one / "robots.txt.gz").exists() and (one / "index.html.gz").exists()
    assert not list(one.rglob("*.gz.gz")) and not (one / (out.MARKER + ".gz")).exists()
    assert {p.name for p in one.rglob("*.gz")} == packed_copies
    assert tree_hash(one) == tree_hash(tmp_path / "two")


def test_without_compress_no_gz_is_written(project, tmp_path):
    build(project, tmp_path / "build")
    assert not list((tmp_path / "build").rglob("*.gz"))
