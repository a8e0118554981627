"""`kb serve`'s preview: drafts with a banner, problems shown in the page, everything reloaded."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from markupsafe import escape

import kb.i18n
import kb.preview
import kb.site
from kb.app import create_app
from kb.preview import preview_config

from support import EN, FR, entry, make_site, pair

OTHER = {
    "content/en/phase-2/transition.md": entry(id="transition", title="What is the transition?"),
    "content/fr/phase-2/transition-fr.md": entry(id="transition", title="La transition?"),
}


def edit(path: Path, text: str) -> None:
    """Write text and move the modification time on, as an editor's save would."""
    later = max(path.stat().st_mtime_ns if path.exists() else 0, time.time_ns()) + 2_000_000_000
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(later, later))


def preview(root: Path):
    # Not TESTING: errors must reach the preview's error page, as they do under `kb serve`.
    return create_app(preview_config(root)).test_client()


@pytest.fixture()
def root(tmp_path):
    return make_site(tmp_path, {**pair(), **OTHER})


def get(client, url: str) -> tuple[int, str]:
    response = client.get(url)
    try:
        return response.status_code, response.get_data(as_text=True)
    finally:
        response.close()


def test_drafts_are_shown_with_a_draft_banner(tmp_path):
    client = preview(make_site(tmp_path, pair(status="draft")))
    status, html = get(client, "/en/questions/planning/")
    assert status == 200 and 'class="draft-banner"' in html and "This entry is a draft" in html
    status, html = get(client, "/fr/questions/planification/")
    assert status == 200 and "Cette fiche est une ébauche" in html


def test_a_broken_entry_shows_its_problems_and_recovers_when_fixed(root):
    client = preview(root)
    assert get(client, "/en/questions/planning/")[0] == 200
    edit(root / EN, "---\nid: planning\ntitle: [unclosed\nphase: phase-2\n---\nText\n")
    status, html = get(client, "/en/questions/planning/")
    assert status == 500
    assert "This page cannot be shown" in html
    message = f"{EN}:3: the list opened with '[' is not closed: end it with ']', as in 'title: [unclosed]'"
    assert str(escape(message)) in html
    # Every other page is served: the counterpart's page shows the problem in its own language,
    # the others only count it, with a link to the editors' workspace.
    status, html = get(client, "/fr/questions/planification/")
    assert status == 200 and "1 erreur de contenu\u00a0: le site ne pourra pas" in html
    french = (
        f"{EN}:3: la liste ouverte par '[' n'est pas fermée\u00a0: terminez-la par ']', "
        "comme dans 'title: [unclosed]'"
    )
    assert str(escape(french)) in html
    for url in ("/en/questions/transition/", "/en/"):
        status, html = get(client, url)
        assert status == 200, url
        assert str(escape(message)) not in html and "content-problems" not in html, url
        assert '<a href="/_editor/">1 problem in other files of the site</a>' in html, url
    edit(root / EN, entry())
    status, html = get(client, "/en/questions/planning/")
    assert status == 200 and "content-problems" not in html


@pytest.mark.parametrize(
    "lang,url,file,heading,message",
    [
        (
            "en",
            "/en/questions/planning/",
            EN,
            "This page cannot be shown",
            f"{EN}:12: byte 0xe9 is not valid UTF-8: save the file as UTF-8",
        ),
        (
            "fr",
            "/fr/questions/planification/",
            FR,
            "Cette page ne peut pas être affichée",
            f"{FR}:12: l'octet 0xe9 n'est pas de l'UTF-8 valide\u00a0: enregistrez le fichier en "
            "UTF-8",
        ),
    ],
)
def test_an_entry_that_cannot_be_decoded_is_a_page_of_the_site_in_its_language(
    root, lang, url, file, heading, message
):
    client = preview(root)
    (root / file).write_bytes(entry().encode() + b"caf\xe9\n")  # saved as Latin-1, not UTF-8
    later = time.time_ns() + 2_000_000_000  # as an editor's save would move it on
    os.utime(root / file, ns=(later, later))
    status, html = get(client, url)
    assert status == 500  # not a page readers could ever get: the build stops on this file
    assert f'<html lang="{lang}">' in html and '<header class="site-header">' in html
    assert f"<h1>{heading}</h1>" in html and '<footer class="site-footer">' in html
    assert str(escape(message)) in html
    assert "Traceback" not in html and "Internal Server Error" not in html


def test_an_entry_that_cannot_be_read_is_a_page_of_the_site(root):
    client = preview(root)
    (root / EN).unlink()
    (root / EN).mkdir()  # a folder where the file was: opening it fails
    status, html = get(client, "/en/questions/planning/")
    assert status == 500 and '<header class="site-header">' in html
    assert "<h1>This page cannot be shown</h1>" in html
    assert f"{EN}:1: cannot read the file: Is a directory" in html


def test_problems_are_escaped(root):
    client = preview(root)
    edit(root / EN, entry(phase="<script>alert(1)</script>"))
    html = get(client, "/en/questions/planning/")[1]
    assert "unknown phase &#39;&lt;script&gt;alert(1)&lt;/script&gt;&#39;" in html
    assert "<script>alert" not in html


def test_warnings_of_the_page_are_listed_unfolded(root):
    client = preview(root)
    edit(root / EN, entry(body="Text. <iframe src=x></iframe>"))
    html = get(client, "/en/questions/planning/")[1]
    assert "content-problems only-warnings" in html and "<h2>1 warning</h2>" in html
    assert "raw HTML &lt;iframe&gt; is removed" in html
    html = get(client, "/en/")[1]
    assert "content-problems" not in html and "1 problem in other files of the site" in html


def test_template_changes_are_seen_and_a_broken_template_is_reported(root):
    client = preview(root)
    template = root / "templates/timeline.html"
    good = template.read_text()
    edit(template, good.replace("{% block main %}", "{% block main %}<p>EDITED</p>"))
    assert "EDITED" in get(client, "/en/timeline/")[1]
    edit(template, good.replace("{% block main %}", "{% block main %}{{ oops( }}"))
    status, html = get(client, "/en/timeline/")
    assert status == 500
    assert "templates/timeline.html:5: TemplateSyntaxError" in html
    assert get(client, "/en/questions/planning/")[0] == 200
    edit(template, good)
    assert get(client, "/en/timeline/")[0] == 200


def test_static_files_are_served_as_they_are_now(root):
    client = preview(root)
    assert "EDITED" not in get(client, "/static/style.css")[1]
    edit(root / "static/style.css", "/* EDITED */")
    assert get(client, "/static/style.css")[1] == "/* EDITED */"


def test_a_catalog_change_is_compiled_and_used(root, tmp_path, monkeypatch):
    translations = tmp_path / "translations"
    shutil.copytree(kb.i18n.TRANSLATIONS, translations, ignore=shutil.ignore_patterns("*.mo"))
    for module in (kb.i18n, kb.preview):
        monkeypatch.setattr(module, "TRANSLATIONS", translations)
    po = translations / "fr/LC_MESSAGES/messages.po"
    kb.i18n.compile_catalog(po)
    client = preview(root)
    assert "Passer au contenu principal" in get(client, "/fr/")[1]
    edit(po, po.read_text().replace('"Passer au contenu principal"', '"Aller au contenu"'))
    html = get(client, "/fr/")[1]
    assert "Aller au contenu" in html and "Passer au contenu principal" not in html


def test_a_failed_reload_keeps_the_last_good_site_and_says_why(root, monkeypatch):
    client = preview(root)
    assert get(client, "/en/questions/planning/")[0] == 200

    def fail(root, **options):
        raise PermissionError("content/en/phase-2/planning.md")

    monkeypatch.setattr(kb.site, "load_site", fail)
    edit(root / EN, entry(title="Changed?"))
    status, html = get(client, "/en/questions/planning/")
    assert status == 200
    assert "content:0: could not read the content: PermissionError" in html


def test_the_build_app_has_no_preview(root):
    app = create_app({"KB_ROOT": root, "TESTING": True})
    edit(root / EN, "no front matter\n")
    client = app.test_client()
    html = get(client, "/en/")[1]
    assert "content-problems" not in html
    assert get(client, "/en/questions/planning/")[0] == 404
