"""Files for hosts, crawlers and feed readers: sitemap.xml, robots.txt and an Atom feed per language."""

from __future__ import annotations

from urllib.parse import quote

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    has_request_context,
    render_template,
    request,
    url_for,
)

from kb import pagelist
from kb.app import current_config, current_site
from kb.config import SiteConfig
from kb.i18n import use_lang
from kb.taxonomy import LANGS

bp = Blueprint("hosting", __name__)
FEED_ENTRIES = 50  # the most recently modified entries a feed lists
# Files made only of absolute URLs: without a site URL the build leaves them out.
NEEDS_SITE_URL = frozenset({"hosting.sitemap", "hosting.feed"})


def absolute(path: str) -> str | None:
    """The absolute URL of a site path from url_for, or None when the site has no URL."""
    if current_app._get_current_object().config["KB_HOST_URLS"] and has_request_context():
        return request.host_url.rstrip("/") + path  # kb serve: links that work in the preview
    config = current_config()
    if config.absolute is None:
        return None
    # url_for's path starts with the prefix the app is served from (the build's sub-path, or
    # none in a test client): the site URL replaces it.
    prefix = quote(request.script_root) + "/" if has_request_context() else "/"
    relative = path[len(prefix) :] if path.startswith(prefix) else path.lstrip("/")
    return config.site_url + relative


def _needs_site_url() -> None:
    if absolute("/") is None:
        abort(404)


@bp.route("/sitemap.xml")
@bp.route("/sitemap-<int(min=1):number>.xml")
def sitemap(number: int | None = None) -> Response:
    """Every page with its alternates; past SITEMAP_URLS of them, an index of sitemap-<n>.xml parts."""
    _needs_site_url()
    site = current_site()
    parts = pagelist.sitemap_parts(site)
    if number is not None and (parts == 1 or number > parts):
        abort(404)
    if number is None and parts > 1:
        index = [absolute(url_for("hosting.sitemap", number=n)) for n in range(1, parts + 1)]
        return Response(
            render_template("sitemap_index.xml", parts=index), mimetype="application/xml"
        )
    pages = []
    for group in pagelist.page_groups(site):
        alternates = {
            lang: absolute(url_for(endpoint, **values))
            for lang, (endpoint, values) in group.items()
        }
        pages.extend((url, alternates) for url in alternates.values())
    if number is not None:  # each <url> names its alternates, so a pair may straddle two parts
        pages = pages[(number - 1) * pagelist.SITEMAP_URLS : number * pagelist.SITEMAP_URLS]
    xml = render_template("sitemap.xml", pages=pages, splash=absolute(url_for("root.splash")))
    return Response(xml, mimetype="application/xml")


@bp.route("/robots.txt")
def robots() -> Response:
    text = "User-agent: *\nAllow: /\n"
    if absolute("/") is not None:  # a sitemap is named by its absolute URL, or not at all
        text += f"\nSitemap: {absolute(url_for('hosting.sitemap'))}\n"
    return Response(text, mimetype="text/plain")


def feed(lang: str) -> Response:
    _needs_site_url()
    use_lang(lang)
    site = current_site()
    entries = sorted(site.entries_in(lang), key=lambda e: (e.updated, e.title), reverse=True)
    # Readers' feed programs look for what changed: the latest entries, not the whole site.
    entries = entries[:FEED_ENTRIES]
    xml = render_template(
        "feed.xml", lang=lang, entries=entries, absolute=absolute, updated=site.last_updated
    )
    # Static hosts serve .xml as application/xml, so the development server does the same.
    return Response(xml, mimetype="application/xml")


for _lang in LANGS:
    bp.add_url_rule(f"/{_lang}/feed.xml", "feed", feed, defaults={"lang": _lang})


@bp.app_template_global()
def absolute_url(path: str) -> str | None:
    return absolute(path)


@bp.app_template_global()
def site_config() -> SiteConfig:
    return current_config()


@bp.app_template_global()
def faq_page(entries, full: bool) -> dict:
    """schema.org FAQPage data with the answer text the page shows: whole on an entry page,
    the summary on a list page (search engines want only answers readers can see)."""
    return {
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "mainEntity": [
            {
                "@type": "Question",
                "name": entry.title,
                "acceptedAnswer": {
                    "@type": "Answer",
                    "text": entry.text if full else entry.description,
                },
            }
            for entry in entries
        ],
    }
