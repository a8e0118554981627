"""`kb new`: both drafts written with valid front matter, prompts for what is missing, nothing
overwritten."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner

from conftest import make_site
from kb.cli import main
from kb.content import load_site
from kb.scaffold import slugify
from support import pair

OPTIONS = ["--id", "transition-period", "--phase", "phase-2", "--audience", "service-providers",
           "--audience", "ssms", "--topic", "timeline", "--title-en",
           "What happens during the Transition Period: who does what?", "--title-fr",
           "Que se passe-t-il pendant la période de transition\u00a0?", "--slug-fr",
           "periode-de-transition"]
EN_FILE = "content/en/phase-2/transition-period.md"
FR_FILE = "content/fr/phase-2/periode-de-transition.md"


def kb(root, *args: str, input: str | None = None):
    return CliRunner().invoke(main, [args[0], "--root", str(root), *args[1:]], input=input)


@pytest.fixture()
def root(tmp_path):
    return make_site(tmp_path, pair())


def test_new_writes_both_drafts_that_check_accepts_with_a_placeholder_warning(root):
    result = kb(root, "new", *OPTIONS)
    assert result.exit_code == 0, result.output
    assert f"Wrote {EN_FILE} and {FR_FILE} (status: draft)." in result.output
    site = load_site(root)
    en, fr = site.get("en", "transition-period"), site.get("fr", "transition-period")
    assert (en.path, fr.path) == (EN_FILE, FR_FILE)
    assert en.draft and fr.draft and en.updated == fr.updated == dt.date.today()
    assert en.audiences == ("service-providers", "ssms") and en.topics == ("timeline",)
    assert en.title == "What happens during the Transition Period: who does what?"
    assert fr.title == "Que se passe-t-il pendant la période de transition\u00a0?"
    assert "TODO: write the answer." in en.body
    assert "À FAIRE\u00a0: rédiger la réponse." in fr.body
    # The pair starts in line: each file records the other's fingerprint.
    assert en.synced == fr.fingerprint and fr.synced == en.fingerprint
    check = kb(root, "check")
    assert check.exit_code == 0, check.output
    assert check.stdout.splitlines() == [
        f"{EN_FILE}:9: warning: draft still holds placeholder text 'TODO:' (lines 9, 12): "
        "replace it before publishing",
        f"{FR_FILE}:9: warning: draft still holds placeholder text 'À FAIRE\u00a0:' "
        "(lines 9, 12): replace it before publishing",
        "4 entries checked: no errors, 2 warnings.",
    ]


def test_publishing_the_placeholders_is_an_error(root):
    kb(root, "new", *OPTIONS)
    for rel in (EN_FILE, FR_FILE):
        file = root / rel
        file.write_text(file.read_text().replace("status: draft", "status: published"))
    result = kb(root, "check")
    assert result.exit_code == 1
    assert (f"{EN_FILE}:9: placeholder text 'TODO:' in a published entry (lines 9, 12): "
            "replace it, or set 'status: draft'") in result.stderr


def test_new_prompts_for_what_is_missing_and_asks_again_after_a_bad_answer(root):
    answers = "\n".join([
        "Transition Period", "transition-period",  # a bad id, then a good one
        "phase-9", "phase-2",
        "providers", "service-providers, ssms",
        "timeline contracts",
        "What happens during the Transition Period?",
        "Que se passe-t-il pendant la période de transition?",
        "",  # accept the French file name made from the French title
    ]) + "\n"
    result = kb(root, "new", input=answers)
    assert result.exit_code == 0, result.output
    assert "Error: id 'Transition Period' must be lower-case letters, digits and hyphens" in (
        result.output)
    assert "Error: unknown phase 'phase-9' (did you mean 'phase-3'?)" in result.output
    assert "Error: unknown audience 'providers' (did you mean 'service-providers'?)" in (
        result.output)
    fr = load_site(root).get("fr", "transition-period")
    assert fr.slug == "que-se-passe-t-il-pendant-la-periode-de-transition"
    assert fr.topics == ("timeline", "contracts")


def test_new_refuses_to_overwrite_and_writes_nothing(root):
    (root / FR_FILE).parent.mkdir(parents=True, exist_ok=True)
    (root / FR_FILE).write_text("keep me")
    result = kb(root, "new", *OPTIONS)
    assert result.exit_code == 2
    assert f"{FR_FILE} already has this name" in result.output
    assert not (root / EN_FILE).exists()
    assert (root / FR_FILE).read_text() == "keep me"


def test_new_refuses_an_id_already_in_use(root):
    result = kb(root, "new", *[v if v != "transition-period" else "planning" for v in OPTIONS])
    assert result.exit_code == 2
    assert "id 'planning' is already used by content/en/phase-2/planning.md" in result.output


@pytest.mark.parametrize("option,value,message", [
    ("--phase", "phase-4", "unknown phase 'phase-4' (did you mean 'phase-3'?): use prototype, "
                           "phase-1, phase-2, phase-3, all"),
    ("--topic", "contract", "unknown topic 'contract' (did you mean 'contracts'?)"),
    ("--slug-fr", "Période", "file name 'Période' must be lower-case letters, digits and "
                             "hyphens"),
])
def test_new_checks_options_against_the_vocabularies(root, option, value, message):
    args = list(OPTIONS)
    if option in args:
        args[args.index(option) + 1] = value
    else:
        args += [option, value]
    result = kb(root, "new", *args)
    assert result.exit_code == 2
    assert message in " ".join(result.output.split())
    assert not (root / EN_FILE).exists()


@pytest.mark.parametrize("text,slug", [
    ("Qu’est-ce que la période de planification?", "qu-est-ce-que-la-periode-de-planification"),
    ("L'œuvre des SSM — 2023", "l-oeuvre-des-ssm-2023"),
    ("Rôles et responsabilités : qui fait quoi ?", "roles-et-responsabilites-qui-fait-quoi"),
])
def test_french_file_names_are_made_from_the_title(text, slug):
    assert slugify(text) == slug


def test_long_titles_make_file_names_cut_at_a_word():
    slug = slugify("Que se passe-t-il pour les fournisseurs de services " * 3)
    assert len(slug) <= 60 and not slug.endswith("-")
    assert slug.startswith("que-se-passe-t-il-pour-les-fournisseurs")
