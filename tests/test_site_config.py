"""content/site.yml: the site URL checked, no localhost ever, absolute URLs only with a site URL."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from kb.app import create_app
from kb.cli import main
from kb.config import absolute_url, load_config, site_url
from kb.content import load_site
from kb.freeze import BuildError, build

from support import ROOT, make_site, pair

SITE_YML = """\
site_url: {url}
publisher:
  en: Ministry of Examples
  fr: ministère des Exemples
contact: info@example.org
sources:
  - en:
      title: The January FAQ
    fr:
      title: La FAQ de janvier
  - en:
      title: The rollout page
      url: https://partners.example.gov/en/rollout
    fr:
      title: La page du déploiement
      url: https://partners.example.gov/?p=4957
"""
NS = {
    "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "x": "http://www.w3.org/1999/xhtml",
    "a": "http://www.w3.org/2005/Atom",
}


def small_site(tmp_path: Path, url: str | None = None) -> Path:
    yml = SITE_YML.format(url=url) if url else SITE_YML.replace("site_url: {url}\n", "")
    return make_site(tmp_path / "site", {**pair(), "content/site.yml": yml})


@pytest.mark.parametrize(
    "given, expected",
    [
        ("https://example.org/kb", "https://example.org/kb/"),
        ("HTTPS://Example.ORG", "https://example.org/"),
        ("  https://example.org/kb/  ", "https://example.org/kb/"),
        ("http://example.org:8080/x/", "http://example.org:8080/x/"),
        ("https://bücher.example/kb/", "https://xn--bcher-kva.example/kb/"),
        ("https://example.org/k b/é/", "https://example.org/k%20b/%C3%A9/"),
        ("https://example.org/already%20escaped/", "https://example.org/already%20escaped/"),
        ("https://[2001:db8::1]/kb/", "https://[2001:db8::1]/kb/"),
        ("/kb", "/kb/"),
    ],
)
def test_a_site_url_is_made_canonical(given, expected):
    assert site_url(given) == expected


def test_the_example_of_a_source_url_without_its_scheme_keeps_its_query():
    """A source's or contact's URL may have a query (?p=4957 names the page): it stays."""
    with pytest.raises(ValueError) as refused:
        absolute_url("eopg.example/?p=4957")
    example = str(refused.value).rpartition("e.g. ")[2]
    assert example == "https://eopg.example/?p=4957"
    assert absolute_url(example) == example


@pytest.mark.parametrize(
    "typed", ["http:/example.org/kb/", "https//example.org/kb/", "HTTP:/example.org/kb/"]
)
def test_a_mistyped_scheme_is_not_kept_in_the_example(typed):
    with pytest.raises(ValueError) as refused:
        site_url(typed)
    assert str(refused.value).endswith("e.g. https://example.org/kb/")


def test_the_example_of_a_url_without_its_scheme_is_one_kb_takes():
    """Not the query or fragment kb would refuse next (a second error for the same line)."""
    with pytest.raises(ValueError) as refused:
        site_url("ftp://example.org/kb?x=1#top")
    example = str(refused.value).rpartition("e.g. ")[2]
    assert example == "https://example.org/kb"
    assert site_url(example) == "https://example.org/kb/"


@pytest.mark.parametrize(
    "given, says",
    [
        ("example.org/kb/", "must start with https:// or http://, e.g. https://example.org/kb/"),
        ("localhost:8000", "must start with https:// or http://"),
        ("ftp://example.org/", "must start with https:// or http://"),
        ("//example.org/kb/", "must start with https:// or http://"),
        ("https://user:secret@example.org/", "holds a user name or password"),
        ("https://user@example.org/", "holds a user name or password"),
        ("https://example.org/kb/?lang=en", "has a query"),
        ("https://example.org/kb/?", "has a query"),
        ("https://example.org/kb/#top", "has a fragment"),
        ("https://", "has no host"),
        ("https://exa mple.org/", "host name with characters a host cannot have"),
        ("https://example_site.org/", "host name with characters a host cannot have"),
        ("https://example.org:99999/", "port that is not a number"),
        ("", "must be a URL"),
        (42, "must be a URL"),
    ],
)
def test_a_bad_site_url_is_refused_saying_why(given, says):
    with pytest.raises(ValueError, match=re.escape(says)):
        site_url(given)


def test_a_source_url_may_have_a_query_but_not_a_password():
    assert absolute_url("https://eopg.example/?p=4957") == "https://eopg.example/?p=4957"
    with pytest.raises(ValueError, match="user name or password"):
        absolute_url("https://a:b@eopg.example/")


def test_a_bad_base_url_flag_is_a_usage_error_not_a_traceback(tmp_path, runner):
    out = tmp_path / "out"
    result = runner.invoke(
        main, ["build", "--root", str(ROOT), "-o", str(out), "--base-url", "example.org/kb/"]
    )
    assert result.exit_code == 2
    assert "Invalid value for '--base-url'" in result.output
    assert "must start with https:// or http://, e.g. https://example.org/kb/" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert not out.exists()


def all_text(out: Path) -> dict[str, str]:
    return {
        p.relative_to(out).as_posix(): p.read_text(encoding="utf-8")
        for p in out.rglob("*")
        if p.is_file() and p.suffix in (".html", ".xml", ".txt", ".json", ".js", ".css")
    }


def test_a_build_without_a_site_url_has_no_localhost_and_no_absolute_url_to_the_site(
    tmp_path, runner
):
    out = tmp_path / "build"
    result = runner.invoke(main, ["build", "--root", str(ROOT), "-o", str(out)])
    assert result.exit_code == 0, result.output
    # Said once, plainly: what was left out and how to set the URL.
    assert result.output.count("no site URL") == 1
    assert "sitemap" in result.output and "feeds" in result.output
    assert "set site_url in content/site.yml" in result.output
    # The only absolute URLs left are the ones content/site.yml and the answers point to, and
    # the structured data's vocabulary.
    sources = [ROOT / "content/site.yml", *(ROOT / "content").rglob("*.md")]
    official = {
        url
        for file in sources
        for url in re.findall(r"https?://[^\s\"'<>)\]]+", file.read_text(encoding="utf-8"))
    }
    assert not (out / "sitemap.xml").exists() and not (out / "en/feed.xml").exists()
    for name, text in all_text(out).items():
        assert "localhost" not in text and "127.0.0.1" not in text, name
        for url in re.findall(r"https?://[^\s\"'<>)]+", text):
            assert url in official or url.startswith(
                ("https://schema.org", "http://www.w3.org/")
            ), (name, url)
        assert 'rel="canonical"' not in text and 'property="og:url"' not in text, name
        assert 'hreflang="en-CA"' not in text and "application/atom+xml" not in text, name
    assert (out / "robots.txt").read_text() == "User-agent: *\nAllow: /\n"
    home = (out / "en/index.html").read_text()
    assert 'href="/static/style.css"' in home and 'href="/fr/"' in home


def test_a_build_with_a_site_url_uses_it_in_every_absolute_url(tmp_path):
    base = "https://kb.example.org/faq/"
    out = tmp_path / "build"
    report = build(small_site(tmp_path, base), out)
    assert report.left_out is None
    locs = [el.text for el in ET.parse(out / "sitemap.xml").findall("s:url/s:loc", NS)]
    hrefs = [el.get("href") for el in ET.parse(out / "sitemap.xml").findall("s:url/x:link", NS)]
    assert locs and all(url.startswith(base) for url in locs + hrefs)
    assert f"{base}fr/questions/planification/" in locs
    assert (out / "robots.txt").read_text().endswith(f"Sitemap: {base}sitemap.xml\n")
    feed = ET.parse(out / "fr/feed.xml")
    links = [el.get("href") for el in feed.iter("{http://www.w3.org/2005/Atom}link")]
    ids = [el.text for el in feed.iter("{http://www.w3.org/2005/Atom}id")]
    assert f"{base}fr/questions/planification/" in links
    assert all(url.startswith(base) for url in links + ids)
    assert feed.find("a:author/a:name", NS).text == "ministère des Exemples"
    page = (out / "en/questions/planning/index.html").read_text()
    assert f'<link rel="canonical" href="{base}en/questions/planning/">' in page
    assert f'<meta property="og:url" content="{base}en/questions/planning/">' in page
    assert f'hreflang="fr-CA" href="{base}fr/questions/planification/"' in page
    assert f'hreflang="x-default" href="{base}"' in page
    assert 'href="/faq/static/style.css"' in page
    for name, text in all_text(out).items():
        assert "localhost" not in text, name


def test_the_base_url_flag_overrides_site_yml(tmp_path):
    out = tmp_path / "build"
    build(
        small_site(tmp_path, "https://kb.example.org/faq/"), out, base_url="https://other.example/"
    )
    assert "<loc>https://other.example/en/</loc>" in (out / "sitemap.xml").read_text()
    assert "kb.example.org" not in "".join(all_text(out).values())


def test_the_footer_shows_publisher_contact_and_sources_in_the_page_language(tmp_path):
    root = small_site(tmp_path)
    client = create_app({"KB_ROOT": root, "SITE": load_site(root)}).test_client()
    en = client.get("/en/").get_data(as_text=True)
    fr = client.get("/fr/").get_data(as_text=True)
    footer_en, footer_fr = (html.split('<footer class="site-footer">')[1] for html in (en, fr))
    assert "Publisher: Ministry of Examples" in footer_en
    assert "Éditeur\u00a0: ministère des Exemples" in footer_fr
    assert '<a href="mailto:info@example.org">info@example.org</a>' in footer_fr
    assert "<li>The January FAQ</li>" in footer_en and "<li>La FAQ de janvier</li>" in footer_fr
    assert '<a href="https://partners.example.gov/en/rollout">The rollout page</a>' in footer_en
    assert '<a href="https://partners.example.gov/?p=4957">La page du déploiement</a>' in footer_fr
    # The bilingual pages (the splash, the 404 page) show the address too, in each language.
    for path in ("/", "/404.html"):
        footer = client.get(path).get_data(as_text=True).split('<footer class="site-footer">')[1]
        assert 'Contact us: <a href="mailto:info@example.org">info@example.org</a>' in footer
        assert 'Nous joindre\u00a0: <a href="mailto:info@example.org">info@example.org</a>' in (
            footer
        )


def test_the_real_site_yml_is_valid_and_leaves_the_site_url_unset():
    problems = []
    config = load_config(ROOT, problems)
    assert problems == []
    assert config.site_url is None  # the public URL is not decided yet
    assert config.publisher["fr"].startswith("ministère du Travail")
    assert [s.href["en"] for s in config.sources][1].startswith("https://eopg.labour.gov.on.ca/")
    assert load_site(ROOT).config == config  # loaded with the Site: every command has it


BAD = {
    "site_url": (
        "site_url: example.org/kb/\n",
        1,
        "the site URL 'example.org/kb/' must start with",
    ),
    "password": ("site_url: https://a:b@example.org/\n", 1, "holds a user name or password"),
    "publisher": (
        SITE_YML.replace("  fr: ministère des Exemples\n", "").format(url="/"),
        2,
        "publisher needs its text in 'fr:'",
    ),
    "contact": (
        SITE_YML.replace("info@example.org", "write to us").format(url="/"),
        5,
        "contact must be an email address",
    ),
    "source url": (
        SITE_YML.replace("https://partners.example.gov/?p=4957", "partners/?p=1").format(url="/"),
        16,
        "URL of source 2 'partners/?p=1' must start with",
    ),
    "source title": (
        SITE_YML.replace("      title: La FAQ de janvier\n", "").format(url="/"),
        7,
        "source 1 must give 'en:' and 'fr:'",
    ),
    "feedback": (
        SITE_YML.format(url="/") + "feedback_url: mailto:x@example.org\n",
        17,
        "the feedback URL 'mailto:x@example.org' must start with https://",
    ),
    "unknown": (
        SITE_YML.format(url="/") + "siteurl: https://example.org/\n",
        17,
        "unknown key 'siteurl'",
    ),
    "shape": ("- https://example.org/\n", 1, "must be a mapping of keys"),
}


@pytest.mark.parametrize("case", BAD)
def test_a_bad_value_in_site_yml_is_path_line_message(tmp_path, case):
    text, line, says = BAD[case]
    if case in ("site_url", "password"):
        text = SITE_YML.replace("site_url: {url}\n", text)
    root = make_site(tmp_path / "site", {**pair(), "content/site.yml": text})
    problems = [str(p) for p in load_site(root).problems]
    assert any(p.startswith(f"content/site.yml:{line}: ") and says in p for p in problems), problems


def test_kb_check_reports_site_yml_and_kb_build_stops(tmp_path, runner):
    root = small_site(tmp_path, "example.org")
    result = runner.invoke(main, ["check", "--root", str(root)])
    assert result.exit_code == 1
    assert "content/site.yml:1: the site URL 'example.org' must start with https:// or http://" in (
        result.output
    )
    with pytest.raises(BuildError) as error:
        build(root, tmp_path / "build")
    assert [p.path for p in error.value.problems] == ["content/site.yml"]
    assert not (tmp_path / "build").exists()


def test_the_preview_names_its_own_host_and_a_plain_app_names_none(tmp_path):
    root = small_site(tmp_path)
    site = load_site(root)
    preview = create_app({"KB_ROOT": root, "SITE": site, "KB_HOST_URLS": True}).test_client()
    sitemap = preview.get("/sitemap.xml", base_url="http://127.0.0.1:8123/")
    assert "<loc>http://127.0.0.1:8123/en/</loc>" in sitemap.get_data(as_text=True)
    plain = create_app({"KB_ROOT": root, "SITE": site}).test_client()
    assert plain.get("/sitemap.xml").status_code == 404
    assert plain.get("/en/feed.xml").status_code == 404
    assert 'rel="canonical"' not in plain.get("/en/").get_data(as_text=True)
