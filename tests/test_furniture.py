"""Ontario's page furniture on every page of both languages: header, toggle, footer links."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest

from kb.app import create_app
from kb.content import load_site

from support import make_site, pair

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
CONTACT = {  # content/site.yml's contact, per language
    "en": "https://www.ontario.ca/feedback/contact-us",
    "fr": "https://www.ontario.ca/fr/commentaires/pour-nous-joindre",
}


FOOTER = {
    "en": ('href="/en/accessibility/">Accessibility</a>', 'href="/en/privacy/">Privacy</a>'),
    "fr": (
        'href="/fr/accessibilite/">Accessibilité</a>',
        'href="/fr/confidentialite/">Confidentialité</a>',
    ),
}


def sitemap_paths(frozen) -> list[str]:
    tree = ET.parse(frozen / "sitemap.xml")
    return [urlsplit(url.find("s:loc", NS).text).path for url in tree.findall("s:url", NS)]


def test_every_page_of_both_languages_has_the_header_the_toggle_and_the_footer_links(frozen):
    paths = sitemap_paths(frozen)
    assert len(paths) > 100
    assert {
        "/en/accessibility/",
        "/fr/accessibilite/",
        "/en/privacy/",
        "/fr/confidentialite/",
    } <= set(paths)
    for path in paths:
        html = (frozen / path.lstrip("/") / "index.html").read_text(encoding="utf-8")
        lang = path.split("/")[1]
        other = "fr" if lang == "en" else "en"
        header = html.split('<header class="site-header">')[1].split("</header>")[0]
        assert 'class="site-name"' in header and 'role="search"' in header, path
        toggle = re.search(r'<a class="lang-toggle"[^>]*>', header).group(0)
        assert f'lang="{other}"' in toggle and f'hreflang="{other}"' in toggle, path
        assert 'translate="no"' in toggle, path
        footer = html.split('<footer class="site-footer">')[1].split("</footer>")[0]
        for link in FOOTER[lang]:
            assert link in footer, (path, link)
        assert f'href="{CONTACT[lang]}"' in footer, path  # the contact, in the page's language
        assert 'href="https://eopg.labour.gov.on.ca/' in footer, path  # an official source
        assert "ministère du Travail" in footer if lang == "fr" else "Ministry of Labour" in footer


@pytest.mark.parametrize("name", ["index.html", "404.html"])
def test_the_bilingual_pages_have_the_footer_links_in_each_language(frozen, name):
    """The splash and the page static hosts serve for unknown paths: a reader who lands there
    reaches the accessibility statement, the privacy notice and the contact in either language."""
    html = (frozen / name).read_text(encoding="utf-8")
    footer = html.split('<footer class="site-footer">')[1].split("</footer>")[0]
    lists = re.findall(r'<ul class="footer-links" lang="(en|fr)">(.*?)</ul>', footer, re.S)
    assert [lang for lang, _ in lists] == ["en", "fr"]
    for lang, links in lists:
        for link in FOOTER[lang]:
            assert link.replace('">', f'" hreflang="{lang}">') in links, (name, link)
        assert f'href="{CONTACT[lang]}" hreflang="{lang}"' in links, name
    assert "Nous joindre</a>" in footer and "Contact us</a>" in footer


@pytest.mark.parametrize(
    "path, heading, contact",
    [
        ("/en/accessibility/", "<h1>Accessibility</h1>", "Report a barrier"),
        ("/fr/accessibilite/", "<h1>Accessibilité</h1>", "Signaler un obstacle"),
        ("/en/privacy/", "<h1>Privacy</h1>", "Questions about this notice:"),
        ("/fr/confidentialite/", "<h1>Confidentialité</h1>", "Questions sur cet avis\u00a0:"),
    ],
)
def test_accessibility_and_privacy_pages_name_the_sites_contact(client, path, heading, contact):
    html = client.get(path).get_data(as_text=True)
    main = html.split('<main id="main"')[1].split("</main>")[0]
    assert heading in main and contact in main
    assert f'href="{CONTACT[path.split("/")[1]]}"' in main
    # The toggle leads to the same page in the other language.
    other = {
        "/en/accessibility/": "/fr/accessibilite/",
        "/fr/accessibilite/": "/en/accessibility/",
        "/en/privacy/": "/fr/confidentialite/",
        "/fr/confidentialite/": "/en/privacy/",
    }[path]
    assert re.search(rf'<a class="lang-toggle" href="{other}"', html)


SITE_YML = """\
publisher:
  en: Ministry of Examples
  fr: ministère des Exemples
contact: info@example.org
sources:
  - en:
      title: The January FAQ
    fr:
      title: La FAQ de janvier
{feedback}"""


@pytest.mark.parametrize("feedback", [True, False])
def test_the_privacy_notice_says_what_feedback_sends_only_when_it_is_on(tmp_path, feedback):
    yml = SITE_YML.format(
        feedback="feedback_url: https://feedback.example.org/kb\n" if feedback else ""
    )
    root = make_site(tmp_path, {**pair(), "content/site.yml": yml})
    app = create_app({"TESTING": True, "KB_ROOT": root, "SITE": load_site(root)})
    en = app.test_client().get("/en/privacy/").get_data(as_text=True)
    fr = app.test_client().get("/fr/confidentialite/").get_data(as_text=True)
    assert "This site collects no personal information." in en
    assert ("the address of the page and its language" in en) is feedback
    assert ("Your feedback is sent to feedback.example.org" in en) is feedback
    assert ("Votre rétroaction est transmise à feedback.example.org" in fr) is feedback
    assert ("l'adresse de la page et sa langue" in fr.replace("&#39;", "'")) is feedback
    # With only an email contact, the notice says what writing to it shares.
    assert ("we receive your email address" in en) is not feedback
    assert '<a href="mailto:info@example.org">info@example.org</a>' in en


@pytest.mark.parametrize(
    "path, names",
    [
        ("/en/search/?q=contract", ["Site", "Search page"]),
        ("/fr/recherche/", ["Site", "Page de recherche"]),
    ],
)
def test_the_two_search_landmarks_of_the_search_page_have_names_of_their_own(client, path, names):
    """A screen reader lists landmarks by name: two searches named alike cannot be told apart."""
    html = client.get(path).get_data(as_text=True)
    forms = re.findall(r'<form [^>]*role="search"[^>]*>', html)
    assert [re.search(r'aria-label="([^"]+)"', form).group(1) for form in forms] == names
