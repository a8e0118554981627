"""Checker messages in the page's language: every problem kb reports has its French wording.

The broken-entry corpus (tests/cases/broken/), every wrong type of every key and a scan of the
source must find no message built outside the catalog; French pages of the preview and the
editors' workspace, and `kb check --lang fr`, show the French.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from markupsafe import escape

from kb.app import create_app
from kb.cli import main
from kb.content import load_site
from kb.frontmatter import Phrase
from kb.i18n import translations
from kb.preview import preview_config
from kb.validate import Problem

from broken_cases import BROKEN, ERRORS, KEY_LINES, SANITISED, WRONG, site_with
from support import EN, FR, OTHER, ROOT, entry, make_site, pair

FRENCH = translations("fr")
NBSP = "\u00a0"
# Catalog messages whose French is the English word for word: none yet.
SAME_IN_FRENCH: set[str] = set()


def untranslated(problem) -> list[str]:
    """The parts of problem's message that would stay English on a French page."""
    if not problem.msgid:
        return [problem.message]
    missing: list[str] = []

    def walk(msgid: str, params) -> None:
        if FRENCH.gettext(msgid) == msgid and msgid not in SAME_IN_FRENCH:
            missing.append(msgid)
        for name, value in params:
            if isinstance(value, Phrase):
                walk(value.msgid, value.params)
            elif name == "advice":
                missing.append(f"advice {value!r} is not a Phrase")

    walk(problem.msgid, problem.params)
    return missing


@pytest.mark.parametrize("case", [*ERRORS, *SANITISED])
def test_every_problem_of_the_corpus_has_a_french_wording(tmp_path, case):
    problems = load_site(site_with(tmp_path, case)).problems
    assert problems, case
    assert [(p.message, untranslated(p)) for p in problems if untranslated(p)] == []
    for problem in problems:
        if problem.msgid:
            assert problem.localized(FRENCH.gettext) != problem.message, problem


def test_every_wrong_type_of_every_key_has_a_french_wording(tmp_path):
    root = make_site(tmp_path, {**pair(), **OTHER})
    found = []
    for key in KEY_LINES:
        for kind, value in WRONG.items():
            text = (
                entry(extra=f"{key}: {value}\n")
                if key in ("summary", "order")
                else entry(**{key: value})
            )
            (root / EN).write_text(text, encoding="utf-8")
            found += [(key, kind, p.message) for p in load_site(root).problems if untranslated(p)]
    assert found == []


DATA_SLIPS = {  # a data file's slips, one of each kind the data modules report
    "content/glossary.yml": "- id: Bad Id\n  en: {term: a, definition: b}\n"
    "  fr: {term: a, definition: b}\n- 5\n- id: x\n  en: {term: a}\n",
    "content/timeline.yml": "- date: 2023-13\n  entry: planning\n  en: a\n  fr: b\n"
    "- date: [1]\n- {date: 2023, entry: planning, catchment: york, en: a, "
    "fr: b}\n- {date: 2023, entry: planning, en: a}\n",
    "content/synonyms.yml": "- [alone]\n",
    "content/topics.yml": "Bad Key: {}\n",
}


def test_the_data_files_slips_have_a_french_wording(tmp_path):
    root = make_site(tmp_path, {**pair(), **OTHER, **DATA_SLIPS})
    problems = [p for p in load_site(root).problems if p.path in DATA_SLIPS]
    assert {p.path for p in problems} == set(DATA_SLIPS)
    assert [(p.message, untranslated(p)) for p in problems if untranslated(p)] == []


REGISTRY_SLIPS = {  # the slips of the registries and of content/site.yml, one of each message
    "content/sources.yml": "Bad Id: {}\nlate:\n  en: {title: a}\n  fr: {title: b}\n"
    "  published: soon\nplain:\n  en: {title: a, url: 'http://x.org'}\n"
    "  fr: {title: b}\n  published: 2023\nhalf:\n  en: {title: a}\n",
    "content/catchment-areas.yml": (
        "- id: Bad Id\n- id: york\n  phase: phase-9\n  en: {name: a, slug: York, ssm: s}\n"
        "  fr: {name: b, slug: york, ssm: t}\n  table: {source: plian, planning: [2023-05, "
        "2023-01], ies_start: 2023-99, transition: [2023], bogus: 1}\n  finer: {planning: tba}\n"
        "  as_published: never\n- id: peel\n  phase: phase-1\n  en: {name: a, slug: a, ssm: s}\n"
        "  fr: {name: b, slug: york, ssm: t}\n  table: {source: plain}\n  as_published: 2023\n"
    ),
    "content/site.yml": (
        "site_url: ftp://kb.example.org/\nbogus: 1\ncontact: nobody\nsources: [5, {en: {title: a, "
        "url: 'https://u:p@x.org/'}, fr: {title: b, url: 'https://x.org/?a'}}, {en: {title: a}, "
        "fr: {title: ''}}]\nfeedback_url: 'https://x.org:99999/'\n"
    ),
}
SITE_URLS = [
    "https://kb example.org/",
    "https://xn--/",
    "https://kb.example.org/?q",
    "https://kb.example.org/#top",
    "https:///kb/",
    "",
    "/kb/?x",
    5,
]


def test_the_registries_and_site_yml_slips_have_a_french_wording(tmp_path):
    from kb.config import site_url

    problems = [
        p
        for p in load_site(make_site(tmp_path, {**pair(), **OTHER, **REGISTRY_SLIPS})).problems
        if p.path in REGISTRY_SLIPS
    ]
    assert {p.path for p in problems} == set(REGISTRY_SLIPS)
    assert len(problems) >= 20
    assert [(p.message, untranslated(p)) for p in problems if untranslated(p)] == []
    assert all(p.localized(FRENCH.gettext) != p.message for p in problems)
    assert "content/catchment-areas.yml:2: la région désignée 'york'" in "\n".join(
        p.shown(FRENCH.gettext) for p in problems
    )
    empty = make_site(
        tmp_path / "empty", {**pair(), **OTHER, "content/site.yml": "feedback_url: 5\n"}
    )
    site_yml = [p for p in load_site(empty).problems if p.path == "content/site.yml"]
    assert len(site_yml) == 4 and not [p for p in site_yml if untranslated(p)]
    for value in SITE_URLS:  # the site URL's refusals, as --base-url and site.yml give them
        with pytest.raises(ValueError) as refused:
            site_url(value)
        phrase = refused.value.args[0]
        assert isinstance(phrase, Phrase) and str(phrase) == str(refused.value)
        assert phrase.localized(FRENCH.gettext) != str(phrase), value
        assert FRENCH.gettext(phrase.msgid) != phrase.msgid


def test_the_sync_diff_headings_are_in_the_pages_language():
    from kb.translation import SHOWN_LINES, _indent

    detail = _indent(
        [f"+line {n}" for n in range(SHOWN_LINES + 3)],
        "    changes since the last sync:\n    --- %(path)s (synced, %(commit)s)\n"
        "    +++ %(path)s (now)\n%(lines)s%(more)s",
        path=EN,
        commit="0123456789",
    )
    problem = Problem(FR, 8, Phrase("%(name)s ends before it starts", name="x"), "warning", detail)
    assert str(problem).splitlines()[1:5] == [
        "    changes since the last sync:",
        f"    --- {EN} (synced, 0123456789)",
        f"    +++ {EN} (now)",
        "    +line 0",
    ]
    assert str(problem).splitlines()[-1] == "    … 3 more lines"
    french = problem.shown(FRENCH.gettext).splitlines()
    assert french[1:4] == [
        f"    modifications depuis la dernière synchronisation{NBSP}:",
        f"    --- {EN} (synchronisé, 0123456789)",
        f"    +++ {EN} (maintenant)",
    ]
    assert french[-1] == "    … 3 lignes de plus"


def test_a_nul_byte_says_how_to_fix_it(tmp_path):
    root = make_site(tmp_path, {**pair(fr=entry(title="Quoi?", body="La r\x00éponse.")), **OTHER})
    [nul] = [p for p in load_site(root).problems if "NUL" in p.message]
    assert "save it again as UTF-8 text, or remove the character" in nul.message
    assert "enregistrez-le de nouveau en texte UTF-8" in nul.localized(FRENCH.gettext)


# Modules still building messages as text, and why; every other module must use the catalog.
NOT_YET: dict[str, str] = {}
MAKERS = {"Problem": 2, "SourceError": 1, "report": 1, "say": None}  # the message's position


def _literal_messages(tree: ast.AST) -> list[int]:
    """Lines where a problem's message is a literal or an f-string instead of a Phrase."""
    lines = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        position = MAKERS.get(name)
        if position is None or len(node.args) <= position:
            continue
        message = node.args[position]
        if isinstance(message, ast.JoinedStr) or (
            isinstance(message, ast.Constant) and isinstance(message.value, str)
        ):
            lines.append(node.lineno)
    return lines


def test_no_module_builds_a_checker_message_outside_the_catalog():
    found = {}
    for file in sorted((ROOT / "kb").rglob("*.py")):
        name = file.relative_to(ROOT).as_posix()
        lines = _literal_messages(ast.parse(file.read_text("utf-8")))
        if lines and name not in NOT_YET:
            found[name] = lines
    assert found == {}
    # The scan works: it finds a message built as an f-string or a literal.
    assert _literal_messages(
        ast.parse('Problem("a.md", 1, f"bad {value}")\nSourceError(2, "plain text")')
    ) == [1, 2]


def _french_page(client, path: str) -> str:
    response = client.get(path)
    html = response.get_data(as_text=True)
    response.close()
    return html


FR_PAGE = "/fr/questions/planification/"
FRENCH_PAGES = {  # the French file, the French its page must show
    "a YAML slip": (
        BROKEN / "missing_colon.md",
        f"{FR}:4: 'phase phase-2' doit avoir un deux-points après la clé{NBSP}: 'phase: phase-2'",
    ),
    "a colon in a value": (
        BROKEN / "invalid_yaml.md",
        f"{FR}:3: la valeur de 'title' contient un deux-points suivi d'une espace{NBSP}: mettez "
        "toute la valeur entre guillemets, comme dans 'title: \"Phase 2: what changes?\"'",
    ),
    "a line that is not key: value": (
        entry(title="Quoi?").replace("phase: phase-2", "phase-2"),
        f"{FR}:4: 'phase-2' n'est pas une ligne 'clé: valeur'{NBSP}: ajoutez un "
        "deux-points après la clé, ou retirez la ligne",
    ),
    "a wrong type": (
        BROKEN / "phase_as_list.md",
        f"{FR}:4: phase est une liste{NBSP}: écrivez une seule valeur, parmi prototype, phase-1, "
        "phase-2, phase-3, all",
    ),
    "an unknown audience": (
        entry(title="Quoi?", audiences="[ssm]"),
        f"{FR}:5: 'ssm' n'est pas une valeur permise pour audiences{NBSP}: utilisez "
        "service-providers, ssms, social-assistance (vouliez-vous dire 'ssms'?)",
    ),
    "a translation behind": (
        entry(title="Quoi?", updated="2023-01-01"),
        f"{FR}:7: avertissement{NBSP}: {EN} a été mis à jour le 2023-01-20, cette traduction le "
        f"2023-01-01{NBSP}: mettez-la à jour, puis indiquez 'updated: 2023-01-20'",
    ),
    "an editorial warning": (
        entry(title="Quoi?", body="La réponse.\n\n# Un titre"),
        f"{FR}:13: avertissement{NBSP}: un intertitre '# ' s'affiche en texte ordinaire (le titre "
        f"est le seul titre de premier niveau de la page){NBSP}: commencez-le par '## '",
    ),
}


@pytest.mark.parametrize("case", FRENCH_PAGES)
def test_french_pages_of_the_preview_show_the_french_message(tmp_path, case):
    text, expected = FRENCH_PAGES[case]
    if isinstance(text, Path):  # a file of the corpus, as the French file of the pair
        text = text.read_text("utf-8").replace(
            "title: What is the planning period?", "title: Quoi?"
        )
    root = make_site(tmp_path, {**pair(), **OTHER, FR: text})
    client = create_app(preview_config(root)).test_client()
    assert str(escape(expected)) in _french_page(client, FR_PAGE)
    assert str(escape(expected)) in _french_page(client, "/_editor/planning/?lang=fr")
    english = _french_page(client, "/en/questions/planning/")  # the English page, in English
    assert "avertissement" not in english and str(escape(expected)) not in english


def test_kb_check_prints_the_problems_in_french_with_lang_fr(tmp_path, runner):
    root = make_site(
        tmp_path,
        {
            **pair(fr=entry(title="Quoi?", phase="[phase-2]", body="La réponse.\n\n# Un titre")),
            **OTHER,
        },
    )
    french = runner.invoke(main, ["check", "--root", str(root), "--lang", "fr"])
    assert french.exit_code == 1
    assert french.stderr.splitlines() == [
        f"{FR}:4: phase est une liste{NBSP}: écrivez une seule valeur, parmi prototype, phase-1, "
        "phase-2, phase-3, all"
    ]
    # The body's own problems are told with the front matter's; the count (of every entry file,
    # this one too) comes last, on stdout: every line on stderr is a problem.
    assert french.stdout.splitlines() == [
        f"{FR}:13: avertissement{NBSP}: un intertitre '# ' s'affiche en texte ordinaire (le titre "
        f"est le seul titre de premier niveau de la page){NBSP}: commencez-le par '## '",
        f"Fiches vérifiées{NBSP}: 4 (1 erreur, 1 avertissement).",
    ]
    english = runner.invoke(main, ["check", "--root", str(root)])
    assert english.stderr.splitlines() == [
        f"{FR}:4: phase is a list: write one value, one of prototype, phase-1, phase-2, phase-3, "
        "all"
    ]
    assert english.stdout.splitlines()[-1] == "4 entries checked: 1 error, 1 warning."
    as_json = runner.invoke(
        main, ["check", "--root", str(root), "--lang", "fr", "--format", "json"]
    )
    assert '"message": "phase est une liste' in as_json.stdout


def test_kb_check_summary_and_warnings_in_french(tmp_path, runner):
    root = make_site(
        tmp_path, {**pair(fr=entry(title="Quoi?", body="La réponse.\n\n# Un titre")), **OTHER}
    )
    french = runner.invoke(main, ["check", "--root", str(root), "--lang", "fr"])
    assert french.exit_code == 0
    assert french.stdout.splitlines() == [
        f"{FR}:13: avertissement{NBSP}: un intertitre '# ' s'affiche en texte ordinaire (le titre "
        f"est le seul titre de premier niveau de la page){NBSP}: commencez-le par '## '",
        f"Fiches vérifiées{NBSP}: 4. Aucune erreur, 1 avertissement.",
    ]
    english = runner.invoke(main, ["check", "--root", str(root)])
    assert english.stdout.splitlines()[-1] == "4 entries checked: no errors, 1 warning."
    clean = make_site(tmp_path / "clean", {**pair(), **OTHER})
    assert runner.invoke(main, ["check", "--root", str(clean), "--lang", "fr"]).stdout == (
        f"Fiches vérifiées{NBSP}: 4. Aucun problème.\n"
    )


@pytest.mark.parametrize(
    "lang, expected",
    [
        ("en", "63,200 entries checked: 2 errors, 0 warnings."),
        ("fr", f"Fiches vérifiées{NBSP}: 63{NBSP}200 (2 erreurs, 0 avertissement)."),
    ],
)
def test_the_check_count_writes_numbers_as_each_language_does(lang, expected):
    from types import SimpleNamespace

    from kb.cli import _check_summary

    error = Problem("content/en/0.md", 1, "x", "error")
    site = SimpleNamespace(entry_files=63_200, problems=[error, error])
    assert _check_summary(lang, site) == expected
    one = SimpleNamespace(entry_files=1, problems=[])
    assert (
        _check_summary(lang, one)
        == {
            "en": "1 entry checked: no problems.",
            "fr": f"Fiche vérifiée{NBSP}: 1. Aucun problème.",
        }[lang]
    )


def test_phrases_survive_the_cache_and_the_worker_processes():
    import pickle

    phrase = Phrase("%(key)s is %(kind)s", key="phase", kind=Phrase("a list"))
    again = pickle.loads(pickle.dumps(phrase))
    assert (again, again.msgid, again.params) == (phrase, phrase.msgid, phrase.params)
    assert isinstance(dict(again.params)["kind"], Phrase)


def test_a_size_in_megabytes_is_written_as_each_language_writes_it(tmp_path, runner):
    """5.0 MB in English, « 5,0 Mo » in French: in kb check, after the cache and the worker
    processes (pickled), and on a French page of the preview."""
    import pickle

    root = site_with(tmp_path, "five_megabyte_entry")
    (found,) = [p for p in load_site(root).problems if "MB" in p.message]
    assert found.message.startswith("file is 5.0 MB: ")
    french = f"le fichier pèse 5,0{NBSP}Mo{NBSP}: une fiche doit rester sous 1{NBSP}Mo"
    assert found.localized(FRENCH.gettext).startswith(french)
    assert pickle.loads(pickle.dumps(found)).localized(FRENCH.gettext).startswith(french)
    assert found.localized(translations("en").gettext).startswith("file is 5.0 MB: ")
    printed = runner.invoke(main, ["check", "--root", str(root), "--lang", "fr"]).stderr
    assert f"{EN}:1: {french}" in printed
    client = create_app(preview_config(root)).test_client()
    assert str(escape(french)) in _french_page(client, FR_PAGE)


def test_an_amount_is_written_as_each_language_writes_it_and_needs_a_catalog():
    from kb.amount import Amount

    english = translations("en").gettext
    assert (str(Amount(1234, digits=0)), Amount(1234, digits=0).localized(FRENCH.gettext)) == (
        "1,234",
        f"1{NBSP}234",
    )
    for value in (5.35, 5.25, 0.05, 1234.5):  # the English text and its localized form agree
        assert Amount(value).localized(english) == str(Amount(value))
    with pytest.raises(TypeError):
        Amount(5.3).localized(lambda text: text)  # no catalog: its language is unknown
