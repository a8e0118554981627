"""What a catchment area's page says, in each language: its periods as text, and its search document.

Flask-free, so that the search index (kb/search) gives a catchment page the same words the page
shows. Labels live here in both languages, as the vocabularies do in kb/taxonomy.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from kb.i18n import partial_date
from kb.registry import TBA, CatchmentArea, PartialDate, Periods, Span
from kb.taxonomy import AUDIENCES, PHASES, SECTIONS

CATCHMENT_SOURCE = "content/catchment-areas.yml"
LABELS = {
    "planning_transition": {
        "en": "Planning and transition periods",
        "fr": "Périodes de planification et de transition",
    },
    "planning": {"en": "Planning Period", "fr": "Période de planification"},
    "transition": {"en": "Transition Period", "fr": "Période de transition"},
    "announced": {"en": "SSM announced", "fr": "Annonce du GSS"},
    "ies_start": {"en": "IES delivery begins", "fr": "Début de la prestation des SEI"},
}
ORDER = ("announced", "planning_transition", "planning", "transition", "ies_start")
TO_BE_ANNOUNCED = {"en": "to be announced", "fr": "à communiquer"}
WORDS = {
    "area": {"en": "catchment area", "fr": "région désignée"},
    "ssm": {
        "en": "Service System Manager (SSM)",
        "fr": "gestionnaire de système de services (GSS)",
    },
    "ies": {"en": "Integrated Employment Services (IES)", "fr": "services d'emploi intégrés (SEI)"},
}


def ssm(area: CatchmentArea, lang: str) -> str:
    """The SSM's name, or 'to be announced' in the page's language."""
    return TO_BE_ANNOUNCED[lang] if area.ssms[lang] == TBA else area.ssms[lang]


def date_text(value: PartialDate | str, lang: str) -> str:
    if value == TBA:
        return TO_BE_ANNOUNCED[lang]
    return partial_date(value[0], value[1], lang)


def span_text(span: Span | str, lang: str) -> str:
    """'January to December 2023', « de janvier à décembre 2023 », « du 1er janvier 2023 au … »."""
    if span == TBA:
        return TO_BE_ANNOUNCED[lang]
    (start, start_precision), (end, end_precision) = span
    same_year = start.year == end.year and start_precision == end_precision == "month"
    first = date_text(span[0], lang)
    if same_year:
        first = first.rsplit(" ", 1)[0]  # the year is said once: "January to December 2023"
    last = date_text(span[1], lang)
    if lang == "en":
        return f"{first} to {last}"
    if start_precision == "day":
        return f"du {first} au {last}"
    article = "d'" if first[0] in "aeiouéèh" else "de "  # d'avril, d'octobre, de mai
    return f"{article}{first} à {last}"


def rows(periods: Periods, lang: str) -> list[tuple[str, str]]:
    """(label, dates) for each period the source gives, in time order."""
    found = []
    for name in ORDER:
        value = getattr(periods, name)
        if value is None:
            continue
        text = (
            span_text(value, lang)
            if name in ("planning_transition", "planning", "transition")
            else date_text(value, lang)
        )
        found.append((LABELS[name][lang], text))
    return found


def catchment_url(lang: str, slug: str | None = None) -> str:
    """Site-relative URL of the list (slug None) or of one area's page."""
    base = f"/{lang}/{SECTIONS['catchments'][lang]}/"
    return base + (f"{slug}/" if slug else "")


def summary(area: CatchmentArea, lang: str) -> str:
    """One line for lists and search results: phase, SSM, start of IES delivery."""
    phase = PHASES[area.phase].label(lang)
    start = date_text(
        area.finer.ies_start if area.finer and area.finer.ies_start else area.table.ies_start, lang
    )
    if lang == "en":
        return f"{phase} · SSM: {ssm(area, lang)} · IES delivery from: {start}"
    return f"{phase} · GSS\u00a0: {ssm(area, lang)} · début de la prestation des SEI\u00a0: {start}"


def sentences(area: CatchmentArea, lang: str) -> str:
    """The page's facts as plain text: what search indexes."""
    name, phase = area.names[lang], PHASES[area.phase].label(lang)
    periods = rows(area.table, lang) + (rows(area.finer, lang) if area.finer else [])
    dates = " ".join(f"{label}: {text}." for label, text in periods)
    if lang == "en":
        return (
            f"{name} is a {WORDS['area']['en']} of {WORDS['ies']['en']}. Phase: {phase}. "
            f"Its {WORDS['ssm']['en']}: {ssm(area, lang)}. {dates}"
        )
    return (
        f"{name} est une {WORDS['area']['fr']} des {WORDS['ies']['fr']}. Phase\u00a0: {phase}. "
        f"Son {WORDS['ssm']['fr']}\u00a0: {ssm(area, lang)}. " + dates.replace(": ", "\u00a0: ")
    )


@dataclass(frozen=True)
class CatchmentPage:
    """A catchment page as the search index reads an entry (see kb.search.index.document)."""

    id: str
    title: str
    summary: str | None
    text: str
    phase: str
    audiences: tuple[str, ...]
    topics: tuple[str, ...]
    url: str
    path: str

    @property
    def description(self) -> str:
        return self.summary or ""


def search_pages(areas: list[CatchmentArea], lang: str) -> list[CatchmentPage]:
    """One searchable page per area, in the registry's order."""
    return [
        CatchmentPage(
            id=area.search_id,
            title=area.names[lang],
            summary=summary(area, lang),
            text=sentences(area, lang),
            phase=area.phase,
            audiences=tuple(AUDIENCES),  # who holds a contract there matters to every reader
            topics=(),
            url=catchment_url(lang, area.slugs[lang]),
            path=CATCHMENT_SOURCE,
        )
        for area in areas
    ]
