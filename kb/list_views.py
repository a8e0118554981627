"""The lists of questions: all of them, and by phase, audience and topic, page by page."""

from __future__ import annotations

from flask import current_app, g
from flask_babel import gettext as _

from kb.app import current_site
from kb.pagelist import listed
from kb.rendering import (
    count_by_term,
    entries,
    find_term,
    paginate,
    render,
    route,
    term_urls,
    topics_in_order,
)
from kb.taxonomy import AUDIENCES, PHASES


@route("entry_list", "entries", paginated=True)
def entry_list(page: int) -> str:
    shown, pager = paginate("pages.entry_list", None, page)
    return render("list.html", entries=shown, pager=pager, title=_("All questions"), faq=True)


@route("phase_list", "phases")
def phase_list() -> str:
    counts = count_by_term(PHASES.values(), "pages.phase")
    return render(
        "terms.html",
        kind="phase",
        terms=PHASES.values(),
        counts=counts,
        title=_("Phases"),
        lead=_("The phases of the transformation, in order."),
    )


@route("phase", "phases", "<slug>", paginated=True)
def phase(slug: str, page: int) -> str:
    term = find_term(PHASES.values(), slug)
    shown, pager = paginate("pages.phase", term.id, page, slug=slug)
    # The key dates open the first page only: later pages carry on the list of questions.
    events = [ev for ev in current_site().timeline if page == 1 and _event_phase(ev) == term.id]
    return render(
        "taxonomy.html",
        term=term,
        kind="phase",
        entries=shown,
        pager=pager,
        events=events,
        alternates=term_urls("pages.phase", term, page),
        faq=True,
    )


def _event_phase(event) -> str | None:
    """The phase of the entry or the catchment area a timeline event points to."""
    if event.catchment is not None:
        return next(
            (a.phase for a in current_site().catchment_areas if a.id == event.catchment), None
        )
    return _entry_phase(event.entry)


def _entry_phase(id: str) -> str | None:
    entry = current_site().get(g.lang, id)
    return entry.phase if entry else None


@route("audience_list", "audiences")
def audience_list() -> str:
    counts = count_by_term(AUDIENCES.values(), "pages.audience")
    return render(
        "terms.html",
        kind="audience",
        terms=AUDIENCES.values(),
        counts=counts,
        title=_("Audiences"),
        lead=_("Who the questions are for: choose yours."),
    )


@route("audience", "audiences", "<slug>", paginated=True)
def audience(slug: str, page: int) -> str:
    term = find_term(AUDIENCES.values(), slug)
    shown, pager = paginate("pages.audience", term.id, page, slug=slug)
    summary, events = None, []
    if page == 1:  # the summary and the key dates open the first page only
        chosen = listed(
            current_site(), g.lang, "pages.audience", term.id, current_app.config["KB_DRAFTS"]
        )
        ids = {e.id for e in chosen}
        events = [ev for ev in current_site().timeline if ev.entry in ids]
        # The audience's own summary entry, by naming convention, opens the page.
        summary = next((e for e in chosen if e.id == f"what-changes-for-{term.id}"), None)
    return render(
        "taxonomy.html",
        term=term,
        kind="audience",
        entries=shown,
        pager=pager,
        events=events,
        summary=summary,
        alternates=term_urls("pages.audience", term, page),
        faq=True,
    )


@route("topic_list", "topics")
def topic_list() -> str:
    shown = entries()
    counts = {id: sum(id in e.topics for e in shown) for id in current_site().topics}
    return render("topics.html", topics=topics_in_order(), counts=counts, entries=shown)


@route("topic", "topics", "<slug>", paginated=True)
def topic(slug: str, page: int) -> str:
    term = find_term(current_site().topics.values(), slug)
    shown, pager = paginate("pages.topic", term.id, page, slug=slug)
    return render(
        "taxonomy.html",
        term=term,
        kind="topic",
        entries=shown,
        pager=pager,
        events=[],
        alternates=term_urls("pages.topic", term, page),
        faq=True,
    )
