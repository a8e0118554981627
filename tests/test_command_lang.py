"""The kb command speaks French with KB_LANG=fr: check, build, new, status and sync; English
stays the default, word for word."""

from __future__ import annotations

import re

import click
import pytest

from kb.cli import main

from support import EN, FR, OTHER, entry, make_site, pair

NBSP = "\u00a0"
FRENCH = {"KB_LANG": "fr_CA.UTF-8"}


@pytest.fixture()
def run(runner):
    """kb with the given arguments, KB_LANG only as the test sets it."""

    def invoke(args: list[str], env: dict | None = None, **kwargs):
        return runner.invoke(main, args, env={"KB_LANG": None, **(env or {})}, **kwargs)

    return invoke


def test_kb_check_takes_its_language_from_kb_lang(tmp_path, run):
    root = make_site(tmp_path, {**pair(fr=entry(title="Quoi?", phase="[phase-2]")), **OTHER})
    french = run(["check", "--root", str(root)], {"KB_LANG": "fr"})
    assert french.stderr.startswith(f"{FR}:4: phase est une liste{NBSP}:")
    assert run(["check", "--root", str(root)]).stderr.startswith(f"{FR}:4: phase is a list:")
    # --lang still wins over KB_LANG
    assert "phase is a list" in run(["check", "--root", str(root), "--lang", "en"], FRENCH).stderr


def test_kb_build_in_french(tmp_path, run):
    root = make_site(
        tmp_path, {**pair(fr=entry(title="Quoi?", body="La réponse.\n\n# Un titre")), **OTHER}
    )
    out = tmp_path / "out"
    french = run(["build", "--root", str(root), "--output", str(out)], FRENCH)
    assert french.exit_code == 0, french.output
    assert f"Fiches publiées{NBSP}: 2 en, 2 fr; " in french.stdout
    assert re.search(r"\(\d+,\d\u00a0s\)\.$", french.stdout.strip()), french.stdout  # 1,2 s
    assert "1 avertissement (`kb check` pour tous les voir" in french.stderr
    assert f"{FR}:13: avertissement{NBSP}: un intertitre" in french.stderr
    assert f"Remarque{NBSP}: aucune URL de site" in french.stderr
    english = run(["build", "--root", str(root), "--output", str(out)])
    assert "Published 2 en, 2 fr entries; " in english.stdout
    assert re.search(r"\(\d+\.\d s\)\.$", english.stdout.strip()), english.stdout
    assert "1 warning (run `kb check` for all" in english.stderr
    assert "Note: no site URL" in english.stderr
    (root / EN).write_text(entry(phase="[phase-2]"), encoding="utf-8")
    broken = run(["build", "--root", str(root), "--output", str(out)], FRENCH)
    assert broken.exit_code == 1
    assert f"construction arrêtée{NBSP}: 1 problème; {out}/ est resté tel quel" in broken.stderr
    refused = run(["build", "--root", str(root), "--base-url", "ftp://x.org/"], FRENCH)
    assert "l'URL du site 'ftp://x.org/' doit commencer par https:// ou http://" in refused.stderr
    assert (
        "build stopped: 1 problem;"
        in run(["build", "--root", str(root), "--output", str(out)]).stderr
    )
    # The output folder is refused in French too, whatever the reason.
    (tmp_path / "theirs").mkdir()
    (tmp_path / "theirs" / "notes.txt").write_text("mine", encoding="utf-8")
    theirs = run(["build", "--root", str(root), "--output", str(tmp_path / "theirs")], FRENCH)
    assert theirs.exit_code == 1
    assert f"remplacement de {tmp_path / 'theirs'} refusé{NBSP}: il contient des fichiers" in (
        theirs.stderr
    )
    inside = run(["build", "--root", str(root), "--output", str(root / "content" / "x")], FRENCH)
    assert (
        f"écriture du site dans {root / 'content' / 'x'} refusée{NBSP}: {root / 'content'} est "
        "le dossier content/ du site, et une construction remplace tout son dossier de sortie."
    ) in inside.stderr
    assert (tmp_path / "theirs" / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_kb_new_in_french(tmp_path, run):
    root = make_site(tmp_path, {**pair(), **OTHER})
    refused = run(["new", "--root", str(root), "--id", "Bad Id", "--phase", "phase-9"], FRENCH)
    assert refused.exit_code == 2
    lines = refused.stderr.splitlines()
    assert lines[0] == f"kb new{NBSP}: 2 options à corriger; rien n'a été écrit."
    assert lines[1].startswith(
        f"  --id{NBSP}: l'id 'Bad Id' ne peut contenir que des minuscules de a à z"
    )
    assert "essayez 'bad-id'" in lines[1]
    assert lines[2].startswith(
        f"  --phase{NBSP}: valeur inconnue pour phase 'phase-9' (vouliez-vous dire"
    )
    stopped = run(["new", "--root", str(root)], FRENCH, input="")
    assert "Id (des minuscules de a à z" in stopped.output
    assert f"par exemple transition-period){NBSP}: " in stopped.output  # the question's colon
    assert f"Arrêt avant la fin des questions{NBSP}: rien n'a été écrit." in stopped.stderr
    english = run(["new", "--root", str(root), "--id", "Bad Id", "--phase", "phase-9"])
    assert english.stderr.splitlines()[0] == "kb new: 2 options to correct; nothing was written."
    assert "Id (lower-case letters a to z" in run(["new", "--root", str(root)], input="").output


def test_kb_status_and_sync_in_french(tmp_path, run):
    root = make_site(tmp_path, {**pair(), **OTHER})
    status = run(["status", "--root", str(root)], FRENCH)
    assert status.stdout.splitlines()[0].startswith("À retravailler (")
    assert "0 erreur, 0 avertissement" in status.stdout
    assert re.search(r"  fr  publiée  à jour  ", status.stdout), status.stdout
    assert re.search(r"  en  published  current  ", run(["status", "--root", str(root)]).stdout)
    assert "Needs work (" in run(["status", "--root", str(root)]).stdout
    synced = run(["sync", "--root", str(root), "--all"], FRENCH)
    assert synced.exit_code == 0, synced.output
    assert "fiches concordantes; " in synced.stdout and f"{EN} synchronisé" in synced.stdout
    assert "entries in line; " in run(["sync", "--root", str(root), "--all"]).stdout
    missing = run(["sync", "--root", str(root), "nothing"], FRENCH)
    assert "aucune fiche n'a l'id 'nothing'" in missing.stderr
    assert "indiquez les id des fiches" in run(["sync", "--root", str(root)], FRENCH).stderr
    both = run(["sync", "--root", str(root), "--all", "planning"], FRENCH)
    assert both.exit_code == 2 and "ou --all, pas les deux" in both.stderr
    assert "or --all, not both" in run(["sync", "--root", str(root), "--all", "planning"]).stderr


def test_an_unknown_kb_lang_is_refused_with_the_fix(tmp_path, run):
    root = make_site(tmp_path, {**pair(), **OTHER})
    result = run(["check", "--root", str(root)], {"KB_LANG": "de"})
    assert result.exit_code == 2
    assert "KB_LANG=de is not a language of kb: use en or fr" in result.stderr


def test_help_and_click_s_own_words_in_french(run):
    def spaced(output: str) -> str:  # ASCII spaces made one (no-break spaces kept)
        return re.sub(r"[ \n]+", " ", output)

    french = run(["build", "--help"], FRENCH, prog_name="kb")
    assert french.exit_code == 0
    text = spaced(french.output)
    assert text.startswith(f"Utilisation{NBSP}: kb build [OPTIONS]")
    assert "Valider, indexer et figer le site dans OUTPUT" in text
    assert f"Dossier de sortie (par défaut{NBSP}: build/)." in text
    assert "pour les sites de 100 fichiers de fiches ou plus" in text  # a value filled in
    assert "Afficher ce message et quitter." in text
    # The values' names and click's [required], in French too.
    assert "--base-url TEXTE" in text and "-j, --jobs ENTIER" in text
    search_help = spaced(run(["search", "--help"], FRENCH, prog_name="kb").output)
    assert "--lang [en|fr] Langue de la recherche. [obligatoire]" in search_help
    assert "--limit ENTIER" in search_help
    listing = spaced(run(["--help"], FRENCH, prog_name="kb").output)
    assert f"Commandes{NBSP}:" in listing and "Chercher dans les fiches" in listing
    assert f"Options{NBSP}:" in text
    wrong = run(["build", "--jobs", "0"], FRENCH, prog_name="kb")
    assert wrong.exit_code == 2
    assert "Essayez 'kb build --help' pour obtenir de l'aide." in wrong.output
    assert (
        f"Erreur{NBSP}: Valeur non valide pour '--jobs' / '-j'{NBSP}: 0 n'est pas dans "
        "l'intervalle x>=1."
    ) in wrong.output
    missing = run(["search", "x"], FRENCH)
    assert f"Erreur{NBSP}: Option manquante '--lang'. Choisissez parmi{NBSP}:" in missing.output
    assert (
        "n'est pas un nombre valide."
        in run(["search", "--lang", "en", "--limit", "x"], FRENCH).output
    )
    typo = run(["bild"], FRENCH)
    assert "Commande 'bild' inconnue. Vouliez-vous dire 'build'?" in typo.output
    # English stays click's and kb's own words, and so does a KB_LANG kb does not know.
    english = run(["build", "--help"], prog_name="kb")
    assert english.output.startswith("Usage: kb build [OPTIONS]")
    assert "\nOptions:\n" in english.output
    assert "Output folder (default: build/)." in english.output
    assert "Show this message and exit." in english.output
    assert "--base-url TEXT " in english.output and "--jobs INTEGER RANGE" in english.output
    assert "[required]" in run(["search", "--help"], prog_name="kb").output
    assert "Error: Invalid value for '--jobs'" in run(["build", "--jobs", "0"]).output
    unknown = run(["build", "--jobs", "0"], {"KB_LANG": "de"})
    assert "Error: Invalid value for '--jobs'" in unknown.output


def test_every_help_text_and_click_word_has_its_french():
    """A help text changed or added without its French would show in English: the catalog
    must hold each one, translated."""
    from kb.clickwords import (
        CLICK_PLURALS,
        CLICK_WORDS,
        TYPE_NAMES,
        USAGE_WORDS,
        LocalizedArgument,
        LocalizedOption,
    )
    from kb.i18n import translations

    french = translations("fr")
    helps = [main._help_msgid]
    for command in main.commands.values():
        helps.append(command._help_msgid)
        for param in command.params:
            if isinstance(param, click.Argument):  # named on the usage line
                assert isinstance(param, LocalizedArgument), param.name
                assert param.name.upper() in USAGE_WORDS, param.name
            if isinstance(param, click.Option):
                assert isinstance(param, LocalizedOption), param.opts
                helps.append(param._help_msgid)
                named = not param.is_flag and param.metavar is None  # a flag shows no value
                if named and param.type.get_metavar(param, click.Context(main)) is None:
                    assert param.type.name in (*TYPE_NAMES, *CLICK_WORDS), param.opts  # in French
    same = {"Options"}  # the same word in French
    for msgid in [*helps, *CLICK_WORDS, *TYPE_NAMES, *USAGE_WORDS]:
        assert msgid in same or french.gettext(msgid) != msgid, msgid
    for singular, plural in CLICK_PLURALS:
        assert french.ngettext(singular, plural, 1) != singular, singular
        assert french.ngettext(singular, plural, 2) != plural, plural


def test_the_usage_line_names_the_command_and_the_arguments_in_french(run):
    """COMMAND, QUERY and IDS are words of the usage line and of errors: in French, the
    French ones; in English, click's own."""
    usage = {
        (): ("kb [OPTIONS] COMMAND [ARGS]...", "kb [OPTIONS] COMMANDE [ARGUMENTS]..."),
        ("search",): ("kb search [OPTIONS] [QUERY]", "kb search [OPTIONS] [REQUÊTE]"),
        ("sync",): ("kb sync [OPTIONS] [IDS]...", "kb sync [OPTIONS] [ID]..."),
    }
    for args, (english, french) in usage.items():
        assert run([*args, "--help"], prog_name="kb").output.splitlines()[0] == f"Usage: {english}"
        assert run([*args, "--help"], FRENCH, prog_name="kb").output.splitlines()[0] == (
            f"Utilisation{NBSP}: {french}"
        )
