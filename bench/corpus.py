"""Synthetic bilingual corpora: one set of entries written as a kb site, an MkDocs, a Pelican and a Hugo project."""

from __future__ import annotations

import datetime as dt
import random
import re
import shutil
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
LANGS = ("en", "fr")
DATA_FILES = (
    "topics.yml",
    "glossary.yml",
    "synonyms.yml",
    "timeline.yml",
    "sources.yml",
    "catchment-areas.yml",
)
ENTRY_LINK = re.compile(r"\]\(entry:([a-z0-9-]+)\)")

try:  # the real vocabularies, when kb is importable (it is in kb's own environment)
    from kb.taxonomy import AUDIENCES as _AUDIENCES
    from kb.taxonomy import PHASES as _PHASES

    PHASES = tuple(_PHASES)
    AUDIENCES = tuple(_AUDIENCES)
except ImportError:  # pragma: no cover - same values, for a Python without kb
    PHASES = ("prototype", "phase-1", "phase-2", "phase-3", "all")
    AUDIENCES = ("service-providers", "ssms", "social-assistance")

# Slot values: (English, French). Acronyms are the glossary's, so kb expands them as <abbr>.
ACTORS = [
    ("a service provider", "un fournisseur de services"),
    ("an SSM", "un GSS"),
    ("a small agency", "un petit organisme"),
    ("an Ontario Works office", "un bureau d'Ontario au travail"),
    ("an ODSP caseworker", "un chargé de cas du POSPH"),
    ("a francophone organization", "un organisme francophone"),
    (
        "a literacy and basic skills provider",
        "un fournisseur d'alphabétisation et de formation de base",
    ),
    ("a municipal partner", "un partenaire municipal"),
    ("an Indigenous service provider", "un fournisseur de services autochtone"),
    ("a community college", "un collège communautaire"),
]
AREAS = [
    ("York", "York"),
    ("Halton", "Halton"),
    ("Peel", "Peel"),
    ("Hamilton-Niagara", "Hamilton-Niagara"),
    ("Muskoka-Kawarthas", "Muskoka-Kawarthas"),
    ("Durham", "Durham"),
    ("Ottawa", "Ottawa"),
    ("Kingston-Pembroke", "Kingston-Pembroke"),
    ("Stratford-Bruce Peninsula", "Stratford–péninsule de Bruce"),
    ("Windsor-Sarnia", "Windsor-Sarnia"),
    ("London", "London"),
    ("Toronto", "Toronto"),
    ("the Northeast", "le Nord-Est"),
    ("the Northwest", "le Nord-Ouest"),
]
THINGS = [
    ("the transition period", "la période de transition"),
    ("the planning period", "la période de planification"),
    ("the IES delivery period", "la période de prestation des SEI"),
    ("the performance-based funding model", "le modèle de financement axé sur le rendement"),
    ("the Common Assessment Tool", "l'outil d'évaluation commun"),
    ("the dispute resolution mechanism", "le mécanisme de règlement des différends"),
    ("the employment action plan", "le plan d'action pour l'emploi"),
    ("the service provider agreement", "l'entente avec le fournisseur de services"),
    ("the local service plan", "le plan de services local"),
    ("the referral process", "le processus d'aiguillage"),
    ("client data sharing", "l'échange des données sur la clientèle"),
    ("the 2023-24 targets", "les cibles de 2023-2024"),
]
PROGRAMS = [
    ("Employment Services", "Services d'emploi"),
    ("Apprenticeship", "Apprentissage"),
    ("the Canada-Ontario Job Grant", "la Subvention Canada-Ontario pour l'emploi"),
    ("Literacy and Basic Skills", "Alphabétisation et formation de base"),
    ("Better Jobs Ontario", "Meilleurs emplois Ontario"),
    ("Youth Job Connection", "Connexion emploi jeunesse"),
    ("ODSP Employment Supports", "Soutien de l'emploi du POSPH"),
    ("Ontario Works Employment Assistance", "l'aide à l'emploi d'Ontario au travail"),
]
MONTHS_FR = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)

# Questions, with the same slots in both languages.
TITLES = [
    (
        "Who holds the contract when {actor} has sites in {area}?",
        "Qui détient le contrat lorsque {actor} a des sites à {area}?",
    ),
    (
        "What changes for {actor} during {thing}?",
        "Qu'est-ce qui change pour {actor} pendant {thing_fr}?",
    ),
    ("When does {thing} begin in {area}?", "Quand {thing} commence-t-elle à {area}?"),
    (
        "Is {program} part of the transformation in {area}?",
        "Le programme {program} fait-il partie de la transformation à {area}?",
    ),
    (
        "How does {actor} refer a client to {program}?",
        "Comment {actor} dirige-t-il un client vers {program}?",
    ),
    (
        "Which reports does {actor} send to the ministry about {thing}?",
        "Quels rapports {actor} envoie-t-il au ministère au sujet de {thing_fr}?",
    ),
    (
        "Can {actor} keep its staff after {thing}?",
        "{Actor} peut-il garder son personnel après {thing_fr}?",
    ),
    (
        "What does {thing} mean for clients in {area}?",
        "Que signifie {thing} pour la clientèle de {area}?",
    ),
]
# Sentences of the answers; {n} is a number, {date} a date, both written per language.
SENTENCES = [
    (
        "As planned in January 2023, {actor} in {area} follows {thing}.",
        "Comme prévu en janvier 2023, {actor} de {area} suit {thing}.",
    ),
    (
        "The SSM sets up its own agreements with the service providers in its catchment area.",
        "Le GSS conclut ses propres ententes avec les fournisseurs de services de sa zone desservie.",
    ),
    (
        "More than {n} clients had started an employment action plan by {date}.",
        "Plus de {n} clients avaient entamé un plan d'action pour l'emploi au {date}.",
    ),
    (
        "{Program} stays with the ministry: existing providers keep delivering it under MLITSD oversight.",
        "{Program} reste au ministère : les fournisseurs actuels continuent de l'offrir "
        "sous la surveillance du MTIFDC.",
    ),
    (
        "Caseworkers at OW and ODSP offices refer clients to EO for help finding a job.",
        "Les chargés de cas d'OT et du POSPH dirigent les clients vers EO pour les aider à trouver un emploi.",
    ),
    (
        "{Thing} lasts about {months} months and ends on {date}.",
        "{Thing_fr} dure environ {months} mois et se termine le {date}.",
    ),
    (
        "The ministry will keep monitoring results and will publish figures after {date}.",
        "Le ministère continuera de suivre les résultats et publiera des chiffres après le {date}.",
    ),
    (
        "Francophone clients receive services in French wherever the French Language Services Act applies.",
        "La clientèle francophone reçoit des services en français partout où la Loi sur les services "
        "en français s'applique.",
    ),
    (
        "{Actor} should contact its ministry representative if {thing} raises questions.",
        "{Actor} devrait communiquer avec sa personne-ressource au ministère si {thing_fr} soulève des "
        "questions.",
    ),
    (
        "Funding is based on outcomes: {n} clients employed after twelve months count towards the targets.",
        "Le financement dépend des résultats : {n} clients en emploi après douze mois comptent pour les "
        "cibles.",
    ),
    (
        "IES brings together employment services for people on social assistance and everyone else.",
        "Les SEI réunissent les services d'emploi des prestataires d'aide sociale et de toute la "
        "population.",
    ),
    (
        "Nothing changes for clients already in a program until {date}: their plan continues.",
        "Rien ne change pour les clients déjà inscrits avant le {date} : leur plan se poursuit.",
    ),
    (
        "Service providers in {area} took part in {n} engagement sessions with the SSM.",
        "Les fournisseurs de services de {area} ont participé à {n} séances de mobilisation avec le GSS.",
    ),
    (
        "Disputes that the SSM cannot settle go to the ministry, which answers within {months} weeks.",
        "Les différends que le GSS ne peut régler sont soumis au ministère, qui répond en {months} "
        "semaines.",
    ),
]
HEADINGS = [
    ("What changes", "Ce qui change"),
    ("Who is affected", "Qui est touché"),
    ("Key dates", "Dates clés"),
    ("What stays the same", "Ce qui ne change pas"),
    ("Where the figures come from", "D'où viennent les chiffres"),
    ("What comes next", "La suite"),
    ("How referrals work", "Le fonctionnement de l'aiguillage"),
    ("Agreements and funding", "Ententes et financement"),
]
ITEMS = [
    ("persons with disabilities", "les personnes handicapées"),
    ("newcomers to Canada", "les personnes nouvellement arrivées au Canada"),
    ("Indigenous clients", "la clientèle autochtone"),
    ("racialized clients", "la clientèle racisée"),
    ("francophone clients", "la clientèle francophone"),
    ("youth aged 15 to 29", "les jeunes de 15 à 29 ans"),
    ("employers looking for staff", "les employeurs à la recherche de personnel"),
    ("clients on Ontario Works", "les prestataires d'Ontario au travail"),
]
SEE_ALSO = ("See also", "Voir aussi")
# Words for two-word queries, per language: searchers' words, some with accents in French.
QUERY_WORDS = {
    "en": [
        "contract",
        "funding",
        "targets",
        "caseworker",
        "referral",
        "transition",
        "agreement",
        "dispute",
        "francophone",
        "clients",
        "planning",
        "apprenticeship",
        "youth",
        "Toronto",
        "Northeast",
        "employment",
        "assessment",
        "data",
        "staff",
        "SSM",
    ],
    "fr": [
        "contrat",
        "financement",
        "cibles",
        "chargé",
        "aiguillage",
        "transition",
        "entente",
        "différends",
        "francophone",
        "clientèle",
        "planification",
        "apprentissage",
        "jeunes",
        "Toronto",
        "Nord-Est",
        "emploi",
        "évaluation",
        "données",
        "personnel",
        "GSS",
    ],
}


@dataclass
class Pair:
    """One synthetic entry in both languages, linked by id."""

    id: str
    phase: str
    audiences: list[str]
    topics: list[str]
    updated: dt.date
    order: int
    title: dict[str, str] = field(default_factory=dict)
    slug: dict[str, str] = field(default_factory=dict)
    period: dict[str, str] = field(default_factory=dict)
    summary: dict[str, str | None] = field(default_factory=dict)
    body: dict[str, str] = field(default_factory=dict)

    def path(self, lang: str) -> str:
        """Path of the Markdown file under content/ (and docs/ for MkDocs)."""
        return f"{lang}/{self.phase}/{self.slug[lang]}.md"


def slugify(text: str, words: int = 8) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    parts = re.findall(r"[a-z0-9]+", ascii_text.lower())
    return "-".join(parts[:words])


def _date_text(date: dt.date, lang: str) -> str:
    if lang == "en":
        return f"{date:%B} {date.day}, {date.year}"
    day = "1er" if date.day == 1 else str(date.day)
    return f"{day} {MONTHS_FR[date.month - 1]} {date.year}"


def _number(n: int, lang: str) -> str:
    # French groups thousands with a no-break space, as the real content does.
    return f"{n:,}" if lang == "en" else f"{n:,}".replace(",", "\u00a0")


class _Writer:
    """Draws slot values once per sentence so that both languages say the same thing."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def slots(self) -> dict[str, tuple[str, str]]:
        rng = self.rng
        actor, area, thing = rng.choice(ACTORS), rng.choice(AREAS), rng.choice(THINGS)
        program = rng.choice(PROGRAMS)
        date = dt.date(2023, 1, 3) + dt.timedelta(days=rng.randrange(900))
        n = rng.choice([12, 40, 150, 980, 2_400, 23_400, 63_200])
        months = str(rng.randrange(2, 13))
        return {
            "actor": actor,
            "area": area,
            "thing": thing,
            "program": program,
            "date": (_date_text(date, "en"), _date_text(date, "fr")),
            "n": (_number(n, "en"), _number(n, "fr")),
            "months": (months, months),
        }

    def fill(self, pattern: tuple[str, str], slots: dict[str, tuple[str, str]]) -> tuple[str, str]:
        out = []
        for index, text in enumerate(pattern):
            values = {name: value[index] for name, value in slots.items()}
            values["thing_fr"] = slots["thing"][index]
            for name in ("actor", "program", "thing", "thing_fr"):
                values[name.capitalize()] = values[name][:1].upper() + values[name][1:]
            out.append(text.format(**values))
        return out[0], _contract(out[1])

    def paragraph(self, sentences: int) -> tuple[str, str]:
        pairs = [self.fill(self.rng.choice(SENTENCES), self.slots()) for _ in range(sentences)]
        return " ".join(p[0] for p in pairs), " ".join(p[1] for p in pairs)


def _contract(text: str) -> str:
    """French contractions that slot filling breaks: « de le » is « du », « à le » is « au »."""
    for loose, tight in (
        (" de le ", " du "),
        (" à le ", " au "),
        (" de les ", " des "),
        (" à les ", " aux "),
    ):
        text = text.replace(loose, tight)
    return text


def _bold_numbers(text: str) -> str:
    return re.sub(r"(\d[\d,\u00a0]{2,}\d)", r"**\1**", text, count=1)


def _body(writer: _Writer, pair: Pair, ids: list[str], titles: dict[str, dict[str, str]]):
    """Intro, two or three sections (paragraphs, lists, sometimes a table), links to other entries."""
    rng = writer.rng
    en, fr = [], []
    intro = writer.paragraph(rng.randrange(2, 4))
    en.append(_bold_numbers(intro[0]))
    fr.append(_bold_numbers(intro[1]))
    for heading in rng.sample(HEADINGS, rng.randrange(2, 4)):
        en.append(f"## {heading[0]}")
        fr.append(f"## {heading[1]}")
        text = writer.paragraph(rng.randrange(1, 4))
        if rng.random() < 0.4 and len(ids) > 1:
            target = rng.choice(ids)
            if target != pair.id:
                text = (
                    text[0] + f" Read [{titles[target]['en']}](entry:{target}).",
                    text[1] + f" Lisez [{titles[target]['fr']}](entry:{target}).",
                )
        en.append(text[0])
        fr.append(text[1])
        if rng.random() < 0.5:
            items = rng.sample(ITEMS, rng.randrange(3, 6))
            en.append("\n".join(f"- {item[0]};" for item in items))
            fr.append("\n".join(f"- {item[1]};" for item in items))
        elif rng.random() < 0.2:
            rows = rng.sample(AREAS, 3)
            en.append(
                "| Catchment area | Start |\n| --- | --- |\n"
                + "\n".join(f"| {area[0]} | {2023 + i} |" for i, area in enumerate(rows))
            )
            fr.append(
                "| Zone desservie | Début |\n| --- | --- |\n"
                + "\n".join(f"| {area[1]} | {2023 + i} |" for i, area in enumerate(rows))
            )
    if len(ids) > 1 and rng.random() < 0.6:
        targets = [t for t in rng.sample(ids, min(2, len(ids))) if t != pair.id]
        if targets:
            en.append(
                f"{SEE_ALSO[0]}: " + ", ".join(f"[{titles[t]['en']}](entry:{t})" for t in targets)
            )
            fr.append(
                f"{SEE_ALSO[1]} : " + ", ".join(f"[{titles[t]['fr']}](entry:{t})" for t in targets)
            )
    return "\n\n".join(en) + "\n", "\n\n".join(fr) + "\n"


def _data_references() -> list[str]:
    """Entry ids that the repository's glossary and timeline point to, in order of appearance."""
    seen: dict[str, None] = {}
    for name in ("glossary.yml", "timeline.yml"):
        file = REPO / "content" / name
        if not file.exists():
            continue
        for item in yaml.safe_load(file.read_text(encoding="utf-8")) or []:
            if isinstance(item, dict) and item.get("entry"):
                seen[str(item["entry"])] = None
    return list(seen)


def _topic_ids() -> list[str]:
    file = REPO / "content" / "topics.yml"
    if file.exists():
        return list(yaml.safe_load(file.read_text(encoding="utf-8")) or {})
    return ["contracts", "funding", "programs", "roles", "planning", "timeline"]


def entries(n: int, seed: int = 0) -> list[Pair]:
    """n entries per language; the first ids are those the data files point to, so they stay valid."""
    rng = random.Random(seed)
    writer = _Writer(rng)
    topics = _topic_ids()
    referenced = _data_references()
    pairs: list[Pair] = []
    for index in range(n):
        slots = writer.slots()
        title = writer.fill(rng.choice(TITLES), slots)
        base = {lang: slugify(text) for lang, text in zip(LANGS, title)}
        id = (
            referenced[index]
            if index < len(referenced)
            else f"{base['en'][:40].rstrip('-')}-{index}"
        )
        phase = rng.choice(PHASES)
        updated = dt.date(2022, 1, 1) + dt.timedelta(days=rng.randrange(1100))
        start = dt.date(2021, 1, 1) + dt.timedelta(days=rng.randrange(1000))
        end = start + dt.timedelta(days=rng.randrange(60, 400))
        summary = writer.paragraph(1) if rng.random() < 0.5 else (None, None)
        pairs.append(
            Pair(
                id=id,
                phase=phase,
                # In the vocabulary's order, as editors write them (and as the real content does).
                audiences=sorted(
                    rng.sample(AUDIENCES, rng.randrange(1, len(AUDIENCES) + 1)), key=AUDIENCES.index
                ),
                topics=rng.sample(topics, rng.randrange(1, 3)),
                updated=updated,
                order=rng.randrange(1, 20) * 10,
                title={"en": title[0], "fr": title[1]},
                slug={lang: f"{base[lang]}-{index}" for lang in LANGS},
                period={
                    "en": f"{_date_text(start, 'en')} to {_date_text(end, 'en')}",
                    "fr": f"du {_date_text(start, 'fr')} au {_date_text(end, 'fr')}",
                },
                summary={
                    "en": summary[0] and summary[0][:190],
                    "fr": summary[1] and summary[1][:190],
                },
            )
        )
    ids = [p.id for p in pairs]
    titles = {p.id: p.title for p in pairs}
    for pair in pairs:
        pair.body["en"], pair.body["fr"] = _body(writer, pair, ids, titles)
    return pairs


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _front_matter(pair: Pair, lang: str) -> str:
    lines = [
        f"id: {pair.id}",
        f"title: {_quote(pair.title[lang])}",
        f"phase: {pair.phase}",
        f"audiences: [{', '.join(pair.audiences)}]",
        f"topics: [{', '.join(pair.topics)}]",
        "sources: [ets-faq-2023-01]",
        f"updated: {pair.updated.isoformat()}",
        "status: published",
        f"period: {_quote(pair.period[lang])}",
    ]
    if pair.summary[lang]:
        lines.append(f"summary: {_quote(pair.summary[lang])}")
    lines.append(f"order: {pair.order}")
    return "---\n" + "\n".join(lines) + "\n---\n"


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _data_files(root: Path, ids: list[str]) -> None:
    """Copy the data files; where an entry they point to is missing (small n), point to a real one."""
    (root / "content").mkdir(parents=True, exist_ok=True)
    missing = [ref for ref in _data_references() if ref not in set(ids)]
    for name in DATA_FILES:
        source = REPO / "content" / name
        if not source.exists():
            continue
        text = source.read_text(encoding="utf-8")
        for index, ref in enumerate(missing):
            text = re.sub(rf"(entry: *){re.escape(ref)}\b", rf"\g<1>{ids[index % len(ids)]}", text)
        (root / "content" / name).write_text(text, encoding="utf-8")


def write_kb(root: Path, pairs: list[Pair]) -> Path:
    """A kb site folder: content/{en,fr}, the data files, and the repository's templates and static."""
    root.mkdir(parents=True, exist_ok=True)
    for name in ("templates", "static"):
        if (root / name).exists():
            shutil.rmtree(root / name)
        shutil.copytree(REPO / name, root / name)
    _data_files(root, [p.id for p in pairs])
    for pair in pairs:
        for lang in LANGS:
            _write(
                root / "content" / pair.path(lang),
                _front_matter(pair, lang) + "\n" + pair.body[lang],
            )
    return root


def generate(root: Path, n: int, seed: int = 0) -> list[Pair]:
    """Write a kb site of n entries per language under root; return the entries written."""
    pairs = entries(n, seed)
    write_kb(Path(root), pairs)
    return pairs


def _relative(source: str, target: str) -> str:
    """Relative link from one Markdown file to another, both given relative to the same folder."""
    up = "../" * source.count("/")
    return up + target


def write_mkdocs(root: Path, pairs: list[Pair], theme: str = "mkdocs") -> Path:
    """The same corpus as an MkDocs project with its search plugin (English and French analysers)."""
    by_id = {p.id: p for p in pairs}
    docs = root / "docs"
    for lang in LANGS:
        for pair in pairs:
            path = pair.path(lang)
            body = ENTRY_LINK.sub(
                lambda m, path=path, lang=lang: (
                    f"]({_relative(path, by_id[m.group(1)].path(lang))})"
                ),
                pair.body[lang],
            )
            _write(
                docs / path,
                f"---\ntitle: {_quote(pair.title[lang])}\n---\n\n# {pair.title[lang]}\n\n{body}",
            )
    _write(
        docs / "index.md",
        "# Employment Services Transformation\n\n[English](en/index.md) · "
        "[Français](fr/index.md)\n",
    )
    for lang, title in zip(LANGS, ("Questions and answers", "Questions et réponses")):
        _write(docs / lang / "index.md", f"# {title}\n")
    glossary = _abbreviations()
    # A home-only nav: MkDocs' default nav lists every page on every page and grows as N².
    config = {
        "site_name": "Employment Services Transformation",
        "site_url": "http://localhost:8000/",
        "theme": {"name": theme},
        "nav": [{"Home": "index.md"}],
        "plugins": [{"search": {"lang": ["en", "fr"]}}],
        "markdown_extensions": [
            "extra",
            "sane_lists",
            {"toc": {"permalink": False, "toc_depth": "2-4"}},
            {"abbr": {"glossary": glossary}},
        ],
        "validation": {"nav": {"omitted_files": "ignore"}},
    }
    _write(root / "mkdocs.yml", yaml.safe_dump(config, allow_unicode=True, sort_keys=False))
    return root


def _abbreviations() -> dict[str, str]:
    """English and French acronyms of the glossary, as kb's renderer gets them."""
    file = REPO / "content" / "glossary.yml"
    found: dict[str, str] = {}
    if file.exists():
        for item in yaml.safe_load(file.read_text(encoding="utf-8")) or []:
            for lang in LANGS:
                part = item.get(lang) or {}
                if part.get("abbr"):
                    found[part["abbr"]] = part["term"]
    return found


PELICAN_CONF = """\
AUTHOR = "Ministry"
SITENAME = "Employment Services Transformation"
SITEURL = ""
PATH = "content"
TIMEZONE = "America/Toronto"
DEFAULT_LANG = "en"
ARTICLE_TRANSLATION_ID = "kbid"
DEFAULT_PAGINATION = 20
FEED_ALL_ATOM = "feeds/all.atom.xml"
TRANSLATION_FEED_ATOM = "feeds/all-{lang}.atom.xml"
CATEGORY_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
ARTICLE_URL = "{lang}/{slug}/"
ARTICLE_SAVE_AS = "{lang}/{slug}/index.html"
ARTICLE_LANG_URL = "{lang}/{slug}/"
ARTICLE_LANG_SAVE_AS = "{lang}/{slug}/index.html"
MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.sane_lists": {},
        "markdown.extensions.toc": {"permalink": False, "toc_depth": "2-4"},
        "markdown.extensions.abbr": {"glossary": %(glossary)r},
    },
    "output_format": "html5",
}
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
"""


def write_pelican(root: Path, pairs: list[Pair]) -> Path:
    """The same corpus as a Pelican project: translations linked by kb's id, phases as categories."""
    by_id = {p.id: p for p in pairs}
    for lang in LANGS:
        for pair in pairs:
            body = ENTRY_LINK.sub(
                lambda m, lang=lang: f"]({{filename}}/{by_id[m.group(1)].path(lang)})",
                pair.body[lang],
            )
            meta = [
                f"Title: {pair.title[lang]}",
                f"Date: {pair.updated.isoformat()}",
                f"Category: {pair.phase}",
                f"Tags: {', '.join(pair.topics + pair.audiences)}",
                f"Slug: {pair.slug[lang]}",
                f"Lang: {lang}",
                f"Kbid: {pair.id}",
            ]
            if pair.summary[lang]:
                meta.append(f"Summary: {pair.summary[lang]}")
            _write(root / "content" / pair.path(lang), "\n".join(meta) + "\n\n" + body)
    _write(root / "pelicanconf.py", PELICAN_CONF % {"glossary": _abbreviations()})
    return root


HUGO_LAYOUTS = {
    "_default/baseof.html": (
        '<!doctype html><html lang="{{ .Lang }}"><head><meta charset="utf-8">'
        "<title>{{ .Title }} – {{ .Site.Title }}</title>"
        '{{ range .Translations }}<link rel="alternate" hreflang="{{ .Lang }}" href="{{ .Permalink }}">'
        '{{ end }}</head><body><header><a href="{{ .Site.Home.RelPermalink }}">{{ .Site.Title }}</a>'
        '{{ range .Translations }} <a href="{{ .RelPermalink }}">{{ .Language.LanguageName }}</a>{{ end }}'
        '</header><main>{{ block "main" . }}{{ end }}</main></body></html>\n'
    ),
    "_default/single.html": (
        '{{ define "main" }}<article><h1>{{ .Title }}</h1>{{ .Content }}'
        "<p>{{ range .Params.topics }}<span>{{ . }}</span> {{ end }}</p></article>{{ end }}\n"
    ),
    "_default/list.html": (
        '{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Paginator.Pages }}'
        '<li><a href="{{ .RelPermalink }}">{{ .Title }}</a><p>{{ .Summary }}</p></li>{{ end }}</ul>'
        "{{ end }}\n"
    ),
}


def write_hugo(root: Path, pairs: list[Pair]) -> Path:
    """The same corpus as a Hugo project: one content folder per language, translationKey = kb id."""
    paths = {(lang, p.id): f"{p.phase}/{p.slug[lang]}.md" for p in pairs for lang in LANGS}
    for lang in LANGS:
        for pair in pairs:
            body = ENTRY_LINK.sub(
                lambda m, lang=lang: f']({{{{< relref "/{paths[lang, m.group(1)]}" >}}}})',
                pair.body[lang],
            )
            front = [
                f"title: {_quote(pair.title[lang])}",
                f"date: {pair.updated.isoformat()}",
                f"slug: {pair.slug[lang]}",
                f"translationKey: {pair.id}",
                f"phases: [{pair.phase}]",
                f"topics: [{', '.join(pair.topics)}]",
                f"audiences: [{', '.join(pair.audiences)}]",
            ]
            if pair.summary[lang]:
                front.append(f"summary: {_quote(pair.summary[lang])}")
            _write(
                root / "content" / lang / pair.phase / f"{pair.slug[lang]}.md",
                "---\n" + "\n".join(front) + "\n---\n\n" + body,
            )
    config = """baseURL = "http://localhost:8000/"
title = "Employment Services Transformation"
defaultContentLanguage = "en"
defaultContentLanguageInSubdir = true
disableKinds = ["RSS"]
paginate = 20
[taxonomies]
  phase = "phases"
  topic = "topics"
  audience = "audiences"
[languages.en]
  contentDir = "content/en"
  languageName = "English"
  weight = 1
[languages.fr]
  contentDir = "content/fr"
  languageName = "Français"
  weight = 2
[markup.goldmark.renderer]
  unsafe = false
[markup.tableOfContents]
  startLevel = 2
  endLevel = 4
"""
    _write(root / "config.toml", config)
    for name, text in HUGO_LAYOUTS.items():
        _write(root / "layouts" / name, text)
    return root


def write_corpora(
    base: Path,
    n: int,
    seed: int = 0,
    tools: tuple[str, ...] = ("kb", "mkdocs", "pelican", "hugo"),
    mkdocs_theme: str = "mkdocs",
) -> dict[str, Path]:
    """The same n entries per language written for each tool under base/<tool>/."""
    pairs = entries(n, seed)
    roots = {}
    for tool in tools:
        root = base / tool
        if root.exists():
            shutil.rmtree(root)
        if tool == "kb":
            write_kb(root, pairs)
        elif tool == "mkdocs":
            write_mkdocs(root, pairs, theme=mkdocs_theme)
        elif tool == "pelican":
            write_pelican(root, pairs)
        elif tool == "hugo":
            write_hugo(root, pairs)
        roots[tool] = root
    return roots


def sample_queries(lang: str, count: int = 20, seed: int = 0) -> list[str]:
    """Two-word queries in one language, drawn from words that occur in the corpus."""
    rng = random.Random(f"{seed}-{lang}")
    words = QUERY_WORDS[lang]
    return [" ".join(rng.sample(words, 2)) for _ in range(count)]


if __name__ == "__main__":  # python bench/corpus.py DIR N: write a kb site to look at
    import sys

    generate(Path(sys.argv[1]), int(sys.argv[2]))
