"""`kb new`: both drafts written with valid front matter, prompts for what is missing, nothing
overwritten."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from kb.cli import main
from kb.content import load_site
from kb.scaffold import ID_RULE, slugify

from support import make_site, pair

OPTIONS = [
    "--id",
    "transition-period",
    "--phase",
    "phase-2",
    "--audience",
    "service-providers",
    "--audience",
    "ssms",
    "--topic",
    "timeline",
    "--title-en",
    "What happens during the Transition Period: who does what?",
    "--title-fr",
    "Que se passe-t-il pendant la période de transition\u00a0?",
    "--slug-fr",
    "periode-de-transition",
]
EN_FILE = "content/en/phase-2/transition-period.md"
FR_FILE = "content/fr/phase-2/periode-de-transition.md"


@pytest.fixture(scope="session")
def kb(runner):
    def invoke(root, *args: str, input: str | None = None):
        return runner.invoke(main, [args[0], "--root", str(root), *args[1:]], input=input)

    return invoke


@pytest.fixture()
def root(tmp_path):
    return make_site(tmp_path, pair())


def test_new_writes_both_drafts_that_check_accepts_with_a_placeholder_warning(root, kb):
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
    # Each file's note on its status line is in the file's language.
    assert "status: draft  # set to published in both languages" in (root / EN_FILE).read_text()
    french = (root / FR_FILE).read_text(encoding="utf-8")
    assert "status: draft  # indiquez 'published' dans les deux langues" in french
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


def test_publishing_the_placeholders_is_an_error(root, kb):
    kb(root, "new", *OPTIONS)
    for rel in (EN_FILE, FR_FILE):
        file = root / rel
        file.write_text(file.read_text().replace("status: draft", "status: published"))
    result = kb(root, "check")
    assert result.exit_code == 1
    assert (
        f"{EN_FILE}:9: placeholder text 'TODO:' in a published entry (lines 9, 12): "
        "replace it, or set 'status: draft'"
    ) in result.stderr


def test_new_prompts_for_what_is_missing_and_asks_again_after_a_bad_answer(root, kb):
    answers = (
        "\n".join(
            [
                "",  # no id: said, and asked again
                "Transition Period",
                "transition-period",  # a bad id, then a good one
                "",
                "phase-9",
                "phase-2",
                "providers",
                "service-providers, ssms",
                "timeline contracts",
                "What happens during the Transition Period?",
                "",  # an empty French title: said, and asked again
                "Que se passe-t-il pendant la période de transition?",
                "",  # accept the French file name made from the French title
            ]
        )
        + "\n"
    )
    result = kb(root, "new", input=answers)
    assert result.exit_code == 0, result.output
    assert (
        "Error: id 'Transition Period' may contain only lower-case letters a to z, digits "
        "and hyphens, such as transition-period: try 'transition-period'"
    ) in result.output
    assert "Error: unknown phase 'phase-9' (did you mean 'phase-3'?)" in result.output
    assert "Title in French: \nError: the title cannot be empty\nTitle in French: " in result.output
    assert f"Error: give an id: {ID_RULE}\n" in result.output
    assert "Error: give a phase: prototype, phase-1, phase-2, phase-3, all\n" in result.output
    assert "Error: unknown audience 'providers' (did you mean 'service-providers'?)" in (
        result.output
    )
    fr = load_site(root).get("fr", "transition-period")
    assert fr.slug == "que-se-passe-t-il-pendant-la-periode-de-transition"
    assert fr.topics == ("timeline", "contracts")


def test_new_refuses_to_overwrite_and_writes_nothing(root, kb):
    (root / FR_FILE).parent.mkdir(parents=True, exist_ok=True)
    (root / FR_FILE).write_text("keep me")
    result = kb(root, "new", *OPTIONS)
    assert result.exit_code == 2
    assert f"{FR_FILE} already has this name" in result.output
    assert not (root / EN_FILE).exists()
    assert (root / FR_FILE).read_text() == "keep me"


def test_new_refuses_an_id_already_in_use(root, kb):
    result = kb(root, "new", *[v if v != "transition-period" else "planning" for v in OPTIONS])
    assert result.exit_code == 2
    assert "id 'planning' is already used by content/en/phase-2/planning.md" in result.output


@pytest.mark.parametrize(
    "option,value,message",
    [
        (
            "--phase",
            "phase-4",
            "unknown phase 'phase-4' (did you mean 'phase-3'?): use prototype, "
            "phase-1, phase-2, phase-3, all",
        ),
        ("--topic", "contract", "unknown topic 'contract' (did you mean 'contracts'?)"),
        (
            "--slug-fr",
            "Période",
            "file name 'Période' may contain only lower-case letters a to z, "
            "digits and hyphens, such as transition-period: try 'periode'",
        ),
    ],
)
def test_new_checks_options_against_the_vocabularies(root, option, value, message, kb):
    args = list(OPTIONS)
    if option in args:
        args[args.index(option) + 1] = value
    else:
        args += [option, value]
    result = kb(root, "new", *args)
    assert result.exit_code == 2
    assert message in " ".join(result.output.split())
    assert not (root / EN_FILE).exists()


@pytest.mark.parametrize(
    "text,slug",
    [
        ("Qu’est-ce que la période de planification?", "qu-est-ce-que-la-periode-de-planification"),
        ("L'œuvre des SSM — 2023", "l-oeuvre-des-ssm-2023"),
        ("Rôles et responsabilités : qui fait quoi ?", "roles-et-responsabilites-qui-fait-quoi"),
    ],
)
def test_french_file_names_are_made_from_the_title(text, slug):
    assert slugify(text) == slug


def test_long_titles_make_file_names_cut_at_a_word():
    slug = slugify("Que se passe-t-il pour les fournisseurs de services " * 3)
    assert len(slug) <= 60 and not slug.endswith("-")
    assert slug.startswith("que-se-passe-t-il-pour-les-fournisseurs")


def test_every_bad_option_is_reported_at_once_in_plain_words_without_the_usage_text(root, kb):
    args = [
        "--id",
        "Transition Period",
        "--phase",
        "phase-9",
        "--audience",
        "providers",
        "--audience",
        "ssms",
        "--topic",
        "timeline",
        "--title-en",
        " ",
        "--title-fr",
        "Oui?",
        "--slug-fr",
        "planification",
    ]
    result = kb(root, "new", *args)
    assert result.exit_code == 2  # click's code for a command used wrongly
    assert result.stderr.splitlines() == [
        "kb new: 5 options to correct; nothing was written.",
        f"  --id: id 'Transition Period' may contain only {ID_RULE}: try 'transition-period'",
        "  --phase: unknown phase 'phase-9' (did you mean 'phase-3'?): use prototype, phase-1, "
        "phase-2, phase-3, all",
        "  --audience: unknown audience 'providers' (did you mean 'service-providers'?): use "
        "service-providers, ssms, social-assistance",
        "  --title-en: the title cannot be empty",
        "  --slug-fr: content/fr/phase-2/planification.md already has this name: choose another "
        "file name",
        "Run kb new again with the corrected options (leave one out to be asked for it).",
    ]
    assert "Usage:" not in result.output and "--help" not in result.output
    assert result.stdout == ""  # not a single question asked before the refusal
    assert not (root / "content/en/phase-2/transition-period.md").exists()


def test_the_english_file_named_after_the_id_must_be_free_too(root, kb):
    (root / "content/en/phase-1").mkdir()
    (root / "content/en/phase-1/transition-period.md").write_text("notes\n")
    result = kb(root, "new", *OPTIONS)
    assert result.exit_code == 2
    assert (
        "  --slug-en: content/en/phase-1/transition-period.md already has this name: choose "
        "another file name"
    ) in result.stderr.splitlines()


def test_the_prompt_and_the_refusal_describe_ids_in_the_same_words(root, kb):
    result = kb(root, "new", input="Bad Id\n")
    assert f"Id ({ID_RULE}): " in result.output
    assert f"Error: id 'Bad Id' may contain only {ID_RULE}: try 'bad-id'" in result.output
    option = kb(root, "new", *[v if v != "transition-period" else "Bad Id" for v in OPTIONS])
    assert f"--id: id 'Bad Id' may contain only {ID_RULE}" in option.stderr


def test_end_of_input_at_a_prompt_says_that_nothing_was_written(root):
    """A real `kb new` whose input ends (Ctrl+D at a terminal) after the first two answers."""
    before = sorted(p.relative_to(root) for p in (root / "content").rglob("*.md"))
    result = subprocess.run(
        [str(Path(sys.executable).parent / "kb"), "new", "--root", str(root)],
        input="transition-period\nphase-2\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "Aborted!" not in result.stderr + result.stdout
    assert result.stderr.strip() == (
        "Stopped before the end of the questions: nothing was written. Run `kb new` again, or "
        "give the answers as options (kb new --help)."
    )
    assert sorted(p.relative_to(root) for p in (root / "content").rglob("*.md")) == before


def test_a_long_french_title_says_that_its_file_name_was_cut(root, kb):
    long_title = (
        "Que se passe-t-il pour les fournisseurs de services de l'emploi pendant la "
        "période de transition\u00a0?"
    )
    args = [
        v if v != OPTIONS[OPTIONS.index("--title-fr") + 1] else long_title for v in OPTIONS[:-2]
    ]  # no --slug-fr: the file name is made from the title
    result = kb(root, "new", *args, input="")  # every other value given: nothing is asked
    assert result.exit_code == 0, result.output
    slug = "que-se-passe-t-il-pour-les-fournisseurs-de-services-de"
    assert (
        "The French title is long: its file name stops after a whole word, "
        f"at {len(slug)} characters ('{slug}'); give --slug-fr for another."
    ) in (result.output)
    assert (root / f"content/fr/phase-2/{slug}.md").is_file()
    # Asked for the title, the editor is offered the name to keep or shorten.
    asked = [v for v in args if v not in ("--title-fr", long_title)]
    result = kb(root, "new", *asked, "--id", "other-period", input=f"{long_title}\nshorter\n")
    assert "Keep it or write a shorter one." in result.output, result.output
    assert (root / "content/fr/phase-2/shorter.md").is_file()


def test_a_script_that_gives_every_value_but_the_file_names_is_not_asked_anything(root, kb):
    """As the English file is named after the id, the French one after its title."""
    result = kb(root, "new", *OPTIONS[:-2], input="")  # stdin empty, as in a script
    assert result.exit_code == 0, result.output
    assert "French file name" not in result.output
    fr = load_site(root).get("fr", "transition-period")
    assert fr.slug == "que-se-passe-t-il-pendant-la-periode-de-transition"
    # The name is taken: refused as a taken option is, with the fix, and nothing is written.
    again = [v if v != "transition-period" else "transition-period-2" for v in OPTIONS[:-2]]
    result = kb(root, "new", *again, input="")
    assert result.exit_code == 2, result.output
    assert (
        "--slug-fr: content/fr/phase-2/que-se-passe-t-il-pendant-la-periode-de-transition.md "
        "already has this name"
    ) in result.output
    assert load_site(root).get("en", "transition-period-2") is None
    result = kb(root, "new", *again, "--slug-fr", "autre-nom", input="")
    assert result.exit_code == 0, result.output
    assert (root / "content/fr/phase-2/autre-nom.md").is_file()


def test_a_short_french_title_is_not_said_to_be_cut(root, kb):
    result = kb(root, "new", *OPTIONS[:-2], input="\n")
    assert result.exit_code == 0, result.output
    assert "is long" not in result.output


def test_a_cut_file_name_does_not_end_on_an_elided_word():
    assert slugify("Les fournisseurs de services et l'emploi", limit=38) == (
        "les-fournisseurs-de-services-et"
    )
