"""Authoring: images copied and sized, the build's warnings summary and --strict, the preview's
live refresh (a real `kb serve` in Chromium) and its problems in the page's language."""

from __future__ import annotations

import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from kb.cli import main
from kb.content import load_site
from kb.media import dimensions

from support import EN, OTHER, kb_serve, make_site, pair, png, snapshot

IMAGE = "![A chart of the phases](../../media/chart.png)"


@pytest.fixture(scope="session")
def kb(runner):
    def invoke(*args):
        return runner.invoke(main, [str(a) for a in args])

    return invoke


def image_site(tmp_path: Path, body: str, fr_body: str | None = None, **media) -> Path:
    files = {**pair(), **OTHER, **{f"content/media/{n}": d for n, d in media.items()}}
    files[EN] = pair(body=f"The answer.\n\n{body}")[EN]
    files["content/fr/phase-2/planification.md"] = pair(body=f"La réponse.\n\n{fr_body or body}")[
        "content/fr/phase-2/planification.md"
    ]
    return make_site(tmp_path, files)


def test_an_image_is_copied_into_the_build_with_its_width_and_height(tmp_path, kb):
    root = image_site(
        tmp_path / "site",
        IMAGE,
        "![Un graphique des phases](../../media/chart.png)",
        **{"chart.png": png(30, 20)},
    )
    out = tmp_path / "build"
    result = kb("build", "--root", root, "--output", out)
    assert result.exit_code == 0, result.output
    assert (out / "media/chart.png").read_bytes() == (root / "content/media/chart.png").read_bytes()
    page = (out / "en/questions/planning/index.html").read_text(encoding="utf-8")
    assert (
        '<img alt="A chart of the phases" height="20" loading="lazy" '
        'src="../../../media/chart.png" width="30">'
    ) in page
    french = next((out / "fr").rglob("planification/index.html")).read_text(encoding="utf-8")
    assert '<img alt="Un graphique des phases" height="20"' in french


def test_a_decorative_image_has_an_empty_alt_and_a_pdf_is_linked(tmp_path):
    body = "![decorative](../../media/line.gif)\n\n[The form](../../media/form.pdf)"
    gif = b"GIF89a" + (7).to_bytes(2, "little") + (3).to_bytes(2, "little") + b"\x00" * 20
    root = image_site(tmp_path / "site", body, **{"line.gif": gif, "form.pdf": b"%PDF-1.4\n"})
    site = load_site(root)
    assert site.problems == []
    html = site.get("en", "planning").html
    assert '<img alt="" height="3" loading="lazy" src="../../../media/line.gif" width="7">' in html
    assert '<a href="../../../media/form.pdf">The form</a>' in html
    assert sorted(site.media) == ["form.pdf", "line.gif"]


def test_image_sizes_are_read_from_jpeg_webp_and_svg_headers(tmp_path):
    jpeg = (
        b"\xff\xd8\xff\xe0\x00\x04\x00\x00\xff\xc0\x00\x11\x08"
        + (40).to_bytes(2, "big")
        + (50).to_bytes(2, "big")
        + b"\x03"
        + b"\x00" * 20
    )
    webp = (
        b"RIFF\x00\x00\x00\x00WEBPVP8X"
        + b"\x00" * 8
        + (99).to_bytes(3, "little")
        + (49).to_bytes(3, "little")
    )
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 60"></svg>'
    for name, data, size in (
        ("a.jpg", jpeg, (50, 40)),
        ("b.webp", webp, (100, 50)),
        ("c.svg", svg, (120, 60)),
    ):
        (tmp_path / name).write_bytes(data)
        assert dimensions(tmp_path / name) == size, name


def test_a_large_image_is_a_warning_and_a_huge_one_an_error(tmp_path):
    big = png(10, 10) + b"\x00" * 600_000
    problems = load_site(image_site(tmp_path / "a", IMAGE, **{"chart.png": big})).problems
    assert [(p.level, p.line) for p in problems if p.path == EN] == [("warning", 13)]
    assert "is 600 KB: readers on a phone wait for it" in problems[0].message
    huge = png(10, 10) + b"\x00" * 5_100_000
    problems = load_site(image_site(tmp_path / "b", IMAGE, **{"chart.png": huge})).problems
    assert [p.level for p in problems if p.path == EN] == ["error"]


def test_tel_links_are_kept(tmp_path):
    site = load_site(image_site(tmp_path, "[Call us](tel:+1-800-555-0100)"))
    assert site.problems == []
    assert 'href="tel:+1-800-555-0100"' in site.get("en", "planning").html


def test_build_prints_a_summary_of_warnings_and_strict_fails_leaving_the_build(tmp_path, kb):
    body = "\n\n".join(f"[link {n}](ftp://example.org/{n})" for n in range(7))
    root = image_site(tmp_path / "site", body)
    out = tmp_path / "build"
    result = kb("build", "--root", root, "--output", out)
    assert result.exit_code == 0
    lines = [line for line in result.stderr.splitlines() if not line.startswith("Note:")]
    assert lines[0] == (
        "14 warnings (run `kb check` for all, `kb build --strict` to fail on them):"
    )
    assert lines[1].startswith(f"  {EN}:13: warning: link 'ftp:' is removed")
    assert lines[6] == "  … and 9 more"
    before = snapshot(out)
    result = kb("build", "--root", root, "--output", out, "--strict")
    assert result.exit_code == 1
    assert f"{out}/ was left as it was" in result.stderr
    assert snapshot(out) == before


def test_french_pages_show_kb_messages_in_french(tmp_path):
    from kb.app import create_app
    from kb.preview import preview_config

    root = image_site(tmp_path, "[x](ftp://example.org/x)")
    client = create_app(preview_config(root)).test_client()
    html = client.get("/fr/questions/planification/").get_data(as_text=True)
    assert (
        "avertissement\u00a0: le lien 'ftp:' est retiré de la page publiée (son texte reste, "
        "sans lien)"
    ).replace("'", "&#39;") in html
    html = client.get("/en/questions/planning/").get_data(as_text=True)
    assert "warning: link &#39;ftp:&#39; is removed from the published page" in html


@pytest.fixture()
def served(tmp_path):
    """`kb serve` as a real process on a copy of the real content, killed at the end."""
    process, port = kb_serve(tmp_path)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(url + "/en/", timeout=2).close()
            break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                pytest.fail("kb serve did not start")
            time.sleep(0.2)
    yield url, tmp_path
    process.terminate()
    try:
        process.wait(timeout=10)  # the open event streams must not keep it alive
    except subprocess.TimeoutExpired:
        process.kill()
        pytest.fail("kb serve did not stop when asked")


@pytest.mark.browser
def test_the_open_page_shows_an_edit_within_a_second_keeping_its_scroll(page, served):
    url, root = served
    file = root / "content/en/phase-2/phase-2-planning-period.md"
    page.set_viewport_size({"width": 800, "height": 400})
    page.goto(f"{url}/en/questions/phase-2-planning-period/")
    page.evaluate("window.notReloaded = true; window.scrollTo(0, 300)")
    page.wait_for_timeout(500)  # the event stream is open
    scrolled = page.evaluate("window.scrollY")
    assert scrolled > 0
    text = file.read_text(encoding="utf-8")
    file.write_text(
        text.replace("\n---\n", "\n---\nA sentence added while the page is open.\n\n", 1),
        encoding="utf-8",
    )
    started = time.monotonic()
    page.wait_for_function(
        "document.body.innerText.includes('A sentence added while the page')", timeout=3000
    )
    assert time.monotonic() - started < 1.0
    assert page.evaluate("window.notReloaded") is True
    assert page.evaluate("window.scrollY") == scrolled


def test_a_resized_image_gives_its_new_size_though_the_answer_is_cached(tmp_path):
    root = image_site(tmp_path / "site", IMAGE, **{"chart.png": png(30, 20)})
    assert 'height="20"' in load_site(root).get("en", "planning").html
    (root / "content/media/chart.png").write_bytes(png(60, 40))
    html = load_site(root).get("en", "planning").html  # the body is unchanged: a cache hit
    assert 'height="40"' in html and 'width="60"' in html


def test_the_preview_sends_an_image_copied_over_another_with_its_times_kept(tmp_path):
    """Not 'not modified' for a cp -p copy: the same size and time, other bytes."""
    import os

    from kb.app import create_app

    root = image_site(tmp_path / "site", IMAGE, **{"chart.png": png(30, 20)})
    client = create_app({"KB_ROOT": root}).test_client()

    def get(path: str, etag: str | None = None) -> tuple[int, bytes, str | None]:
        with client.get(path, headers={"If-None-Match": etag} if etag else {}) as response:
            return response.status_code, response.data, response.headers.get("ETag")

    image = root / "content/media/chart.png"
    status, data, etag = get("/media/chart.png")
    assert status == 200 and data == image.read_bytes()
    kept = image.stat()
    other = png(20, 30)
    assert len(other) == kept.st_size
    image.write_bytes(other)
    os.utime(image, ns=(kept.st_atime_ns, kept.st_mtime_ns))
    status, data, new_etag = get("/media/chart.png", etag)
    assert status == 200 and data == other and new_etag != etag
    assert get("/media/chart.png", new_etag)[0] == 304  # unchanged: the browser's copy is good
    assert get("/media/nowhere.png")[0] == 404


def test_a_media_file_that_a_link_leads_out_of_content_media_is_refused(tmp_path):
    """As for entries: a symbolic link out of the folder would publish a file from elsewhere."""
    from kb.app import create_app

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "secret.png").write_bytes(png(10, 10))
    body = (
        "![Linked folder](../../media/linked/secret.png)\n\n![Linked file](../../media/file.png)"
        "\n\n![Inside](../../media/alias.png)"
    )
    root = image_site(tmp_path / "site", body, **{"chart.png": png(30, 20)})
    media = root / "content/media"
    (media / "linked").symlink_to(elsewhere, target_is_directory=True)
    (media / "file.png").symlink_to(elsewhere / "secret.png")
    (media / "alias.png").symlink_to(media / "chart.png")  # a link that stays inside: fine
    problems = [str(p) for p in load_site(root).problems if p.path == EN]
    real = str((elsewhere / "secret.png").resolve())
    assert problems == [
        f"{EN}:13: '../../media/linked/secret.png' leads through a symbolic link to {real}, outside "
        "content/media/: copy the file into content/media/ instead",
        f"{EN}:15: '../../media/file.png' leads through a symbolic link to {real}, outside "
        "content/media/: copy the file into content/media/ instead",
    ]
    client = create_app({"KB_ROOT": root}).test_client()
    for path in ("/media/linked/secret.png", "/media/file.png"):
        with client.get(path) as response:
            assert response.status_code == 404, path
    with client.get("/media/alias.png") as response:
        assert response.status_code == 200 and response.data == png(30, 20)


def test_a_missing_anchor_lists_the_page_anchors_in_page_order_without_footnotes():
    from kb import links

    said = []
    ids = dict.fromkeys(["who-decides", "fn:1", "after", *(f"step-{n}" for n in range(1, 9))])
    links._anchor(
        ids, "nowhere", "entry:x", lambda msgid, level="error", **values: said.append(values)
    )
    shown = ", ".join(
        f"'#{name}'" for name in ["who-decides", "after", *(f"step-{n}" for n in range(1, 7))]
    )
    assert said == [{"where": "entry:x", "anchor": "nowhere", "anchors": f"{shown}, …"}]
