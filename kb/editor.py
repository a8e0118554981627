"""The editors' workspace in `kb serve`: every pair's state, and one pair side by side.

Registered by kb.preview only, so the build never freezes it and the sitemap never lists it.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from flask import Blueprint, abort, request, url_for
from flask_babel import gettext as _

from kb import status, translation
from kb.app import current_site
from kb.i18n import page_translations, use_lang
from kb.taxonomy import LANGS, OTHER_LANG
from kb.views import render

bp = Blueprint("editor", __name__, url_prefix="/_editor")

# Dashboard filters: name → does a pair (its rows, one per language file) belong?
FILTERS = {
    "translation": lambda rows: any(r["translation"] != "current" for r in rows),
    "review": lambda rows: any(r["status"] == "review" for r in rows),
    "drafts": lambda rows: any(r["status"] == "draft" for r in rows),
    "problems": lambda rows: any(r["errors"] or r["warnings"] for r in rows),
}
FRONT_MATTER = (
    "id",
    "title",
    "phase",
    "audiences",
    "topics",
    "updated",
    "status",
    "period",
    "summary",
    "order",
    "synced",
)


def labels() -> dict[str, dict[str, str]]:
    """The states, filters and languages the workspace shows, in the interface language."""
    return {
        "state_labels": {
            "published": _("published"),
            "review": _("awaiting review"),
            "draft": _("draft"),
            "current": _("current"),
            "stale": _("needs updating"),
            "missing": _("missing"),
        },
        "filter_labels": {
            "translation": _("Needs translation"),
            "review": _("In review"),
            "drafts": _("Drafts"),
            "problems": _("With problems"),
        },
        "language_labels": {"en": _("English"), "fr": _("French")},
    }


@bp.before_request
def interface_language() -> None:
    """The workspace's own language comes from ?lang= (it has no /en/ or /fr/ prefix)."""
    use_lang(request.args.get("lang") if request.args.get("lang") in LANGS else "en")


def pairs() -> dict[str, dict[str, dict[str, Any]]]:
    """id → lang → status row (kb status's), files that give no id left out."""
    found: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for row in status.rows(current_site()):
        if row["id"]:
            found[row["id"]][row["lang"]] = row
    return dict(sorted(found.items()))


@bp.route("/")
def dashboard() -> str:
    chosen = request.args.get("filter") if request.args.get("filter") in FILTERS else None
    every = pairs()
    shown = {
        id: rows
        for id, rows in every.items()
        if chosen is None or FILTERS[chosen](list(rows.values()))
    }
    alternates = {lang: url_for("editor.dashboard", lang=lang, filter=chosen) for lang in LANGS}
    return render(
        "editor.html",
        pairs=shown,
        total=len(every),
        chosen=chosen,
        filters=list(FILTERS),
        alternates=alternates,
        langs=LANGS,
        **labels(),
    )


@bp.route("/<id>/")
def pair(id: str) -> str:
    site = current_site()
    rows = pairs().get(id)
    if rows is None:
        abort(404)
    sides = []
    for lang in LANGS:
        entry, other = site.get(lang, id), site.get(OTHER_LANG[lang], id)
        row = rows.get(lang)
        changes = None
        if (
            entry is not None
            and other is not None
            and row["translation"] == "stale"
            and (entry.synced not in (None, "invalid"))
        ):
            changes = translation.changes(site.root, entry, other).localized(
                page_translations().gettext
            )
        values = [
            (key, getattr(entry, key))
            for key in FRONT_MATTER
            if entry is not None and getattr(entry, key) not in (None, (), "")
        ]
        # Entry links are relative to an entry page (../slug/): point them at the real pages.
        prefix = url_for("pages.entry", lang=lang, slug="_")[:-2]
        html = entry.html.replace('href="../', f'href="{prefix}') if entry else ""
        sides.append(
            {
                "lang": lang,
                "row": row,
                "entry": entry,
                "values": values,
                "changes": changes,
                "html": html,
            }
        )
    paths = {row["path"] for row in rows.values()}
    problems = [p for p in site.problems if p.path in paths]
    return render(
        "editor_entry.html",
        id=id,
        sides=sides,
        problems=problems,
        alternates={lang: url_for("editor.pair", id=id, lang=lang) for lang in LANGS},
        **labels(),
    )
