"""The catchment area pages: the list of areas by phase, and one page per area."""

from __future__ import annotations

from flask import abort, current_app, g, url_for

from kb.app import current_site
from kb.pagelist import listed
from kb.rendering import bp, render, route
from kb.taxonomy import LANGS


@bp.record_once
def catchment_globals(state) -> None:
    """What catchment pages say of an area, in the words its search document uses."""
    from kb import catchments

    state.app.jinja_env.globals.update(
        catchment_rows=catchments.rows,
        catchment_ssm=catchments.ssm,
        catchment_summary=catchments.summary,
    )


@route("catchment_list", "catchments")
def catchment_list() -> str:
    """The catchment areas grouped by phase, as the official rollout table lists them."""
    return render("catchment_list.html", areas=current_site().catchment_areas)


CATCHMENT_ENTRIES = 20  # questions of each list a catchment page shows


@route("catchment", "catchments", "<slug>")
def catchment(slug: str) -> str:
    site = current_site()
    area = site.catchment_area(g.lang, slug)
    if area is None:
        abort(404)
    alternates = {
        lang: url_for("pages.catchment", slug=area.slugs[lang], lang=lang) for lang in LANGS
    }
    # Its phase's answers, then those that apply in every catchment area: the first of each,
    # so that the page stays small on a large site; the phase pages list them all.
    drafts = current_app.config["KB_DRAFTS"]
    lists = {
        phase: listed(site, g.lang, "pages.phase", phase, drafts) for phase in (area.phase, "all")
    }
    chosen = [e for found in lists.values() for e in found[:CATCHMENT_ENTRIES]]
    more = [phase for phase, found in lists.items() if len(found) > CATCHMENT_ENTRIES]
    return render("catchment.html", area=area, entries=chosen, more=more, alternates=alternates)
