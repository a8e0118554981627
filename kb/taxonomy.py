"""The fixed vocabularies of kb: languages, phases, audiences and URL sections, in both languages."""

from __future__ import annotations

from dataclasses import dataclass

LANGS = ("en", "fr")
OTHER_LANG = {"en": "fr", "fr": "en"}
LANG_NAMES = {"en": "English", "fr": "Français"}
LOCALES = {"en": "en_CA", "fr": "fr_CA"}


@dataclass(frozen=True)
class Term:
    """One value of a vocabulary, with its label and URL slug per language."""

    id: str
    labels: dict[str, str]
    slugs: dict[str, str]
    descriptions: dict[str, str]

    def label(self, lang: str) -> str:
        return self.labels[lang]

    def slug(self, lang: str) -> str:
        return self.slugs[lang]


def _term(id: str, en: str, fr: str, en_slug: str, fr_slug: str, en_desc="", fr_desc="") -> Term:
    return Term(
        id, {"en": en, "fr": fr}, {"en": en_slug, "fr": fr_slug}, {"en": en_desc, "fr": fr_desc}
    )


PHASES = {
    t.id: t
    for t in (
        _term(
            "prototype",
            "Prototypes",
            "Prototypes",
            "prototypes",
            "prototypes",
            "The first catchment areas, where Integrated Employment Services began in 2021.",
            "Les premières régions désignées, où les services d'emploi intégrés ont commencé en 2021.",
        ),
        _term(
            "phase-1",
            "Phase 1",
            "Phase 1",
            "phase-1",
            "phase-1",
            "York, Halton, Stratford–Bruce Peninsula and Kingston–Pembroke.",
            "York, Halton, Stratford–Bruce Peninsula et Kingston–Pembroke.",
        ),
        _term(
            "phase-2",
            "Phase 2",
            "Phase 2",
            "phase-2",
            "phase-2",
            "Planning, transition and Integrated Employment Services delivery from 2023 to 2024.",
            "Planification, transition et prestation des services d'emploi intégrés de 2023 à 2024.",
        ),
        _term(
            "phase-3",
            "Phase 3",
            "Phase 3",
            "phase-3",
            "phase-3",
            "Toronto, Northeast and Northwest: the remaining catchment areas.",
            "Toronto, Nord-Est et Nord-Ouest\u00a0: les dernières régions désignées.",
        ),
        _term(
            "all",
            "All phases",
            "Toutes les phases",
            "all-phases",
            "toutes-les-phases",
            "Answers that apply in every catchment area.",
            "Réponses qui s'appliquent à toutes les régions désignées.",
        ),
    )
}

AUDIENCES = {
    t.id: t
    for t in (
        _term(
            "service-providers",
            "Service providers",
            "Fournisseurs de services",
            "service-providers",
            "fournisseurs-de-services",
            "Organizations that deliver employment services today.",
            "Organismes qui offrent aujourd'hui des services d'emploi.",
        ),
        _term(
            "ssms",
            "Service System Managers",
            "Gestionnaires de système de services",
            "service-system-managers",
            "gestionnaires-de-systeme-de-services",
            "Organizations that plan and manage employment services in a catchment area.",
            "Organismes qui planifient et gèrent les services d'emploi dans une région désignée.",
        ),
        _term(
            "social-assistance",
            "Social assistance offices",
            "Bureaux d'aide sociale",
            "social-assistance-offices",
            "bureaux-d-aide-sociale",
            "Ontario Works and ODSP offices and their caseworkers.",
            "Bureaux d'Ontario au travail et du POSPH et leurs chargés et chargées de cas.",
        ),
    )
}

STATUSES = ("published", "review", "draft")  # only published entries reach build/

# First path segment after the language, per section and language.
SECTIONS = {
    "entries": {"en": "questions", "fr": "questions"},
    "phases": {"en": "phases", "fr": "phases"},
    "audiences": {"en": "audiences", "fr": "publics"},
    "topics": {"en": "topics", "fr": "sujets"},
    "glossary": {"en": "glossary", "fr": "glossaire"},
    "timeline": {"en": "timeline", "fr": "calendrier"},
    "search": {"en": "search", "fr": "recherche"},
    "catchments": {"en": "catchment-areas", "fr": "regions-designees"},
    "accessibility": {"en": "accessibility", "fr": "accessibilite"},
    "privacy": {"en": "privacy", "fr": "confidentialite"},
}
