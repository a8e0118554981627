"""What the kb command says and asks at a terminal: progress only for a person, the build's
warning summary, and `kb new`'s questions (the options given checked all at once, then a prompt
for each one missing that asks again until the answer is valid)."""

from __future__ import annotations

import os
import sys

import click

from kb.clickwords import HEADING, LocalizedCommand
from kb.frontmatter import Phrase
from kb.taxonomy import LANGS

LANG_VARIABLE = "KB_LANG"  # the language of the command's own messages: en (the default) or fr


def command_lang() -> str:
    """The language KB_LANG asks for ('fr', or a locale name such as fr_CA.UTF-8), else 'en'.

    Only KB_LANG, not the locale: a shell's LANG is often set by whoever installed the machine,
    and scripts that read kb's English output must not change with it."""
    value = os.environ.get(LANG_VARIABLE, "").strip()
    lang = value.replace("-", "_").split("_")[0].split(".")[0].lower()
    if value and lang not in LANGS:
        raise click.UsageError(
            f"{LANG_VARIABLE}={value} is not a language of kb: use en or fr "
            "(or leave it out for English)"
        )
    return lang or "en"


def catalog():
    """The catalog of the command's language (kb.i18n, which brings Flask, is read only now)."""
    from kb.i18n import translations

    return translations(command_lang())


def number(value: float, pattern: str = "#,##0") -> str:
    """A number as the command's language writes it: 63,200 and 1.5, or 63 200 and 1,5."""
    from babel.numbers import format_decimal

    from kb.taxonomy import LOCALES

    return format_decimal(value, format=pattern, locale=LOCALES[command_lang()])


def gettext(msgid: str, /, **params) -> str:
    """msgid in the command's language, its %(name)s values filled in (phrases translated)."""
    text = catalog().gettext(msgid)
    return text % {k: localized(v) for k, v in params.items()} if params else text


def ngettext(singular: str, plural: str, num: int, /, **params) -> str:
    """The singular or plural form for num in the command's language, values filled in."""
    text = catalog().ngettext(singular, plural, num)
    return text % {"num": num, **{k: localized(v) for k, v in params.items()}}


def localized(value):
    """A Phrase (or an error whose message is one) in the command's language; else as it is."""
    if isinstance(value, BaseException):
        value = value.args[0] if len(value.args) == 1 else str(value)
    if isinstance(value, Phrase):
        return value.localized(catalog().gettext)
    return value


def problem_text(problem) -> str:
    """A problem as `kb check` prints it, in the command's language."""
    return problem.shown(catalog().gettext)


def ask(value, prompt: str, check, default: str | None = None):
    """A value already checked (an option given), or the editor's answer to a prompt; `check`
    raises ValueError, and the prompt asks again with its message."""
    if value is not None:
        return value

    def proc(text: str):
        try:
            return check(text)
        except ValueError as error:
            raise click.BadParameter(localized(error)) from None

    # An empty answer goes to the check too, which says what is missing (click would ask again
    # without a word).
    shown = default is not None
    # The colon after the question as the command's language writes it (French: a no-break space).
    suffix = gettext(HEADING).format(heading="") + " "
    return click.prompt(
        prompt,
        default=default if shown else "",
        show_default=shown,
        value_proc=proc,
        prompt_suffix=suffix,
    )


# The options `kb new` asks for when they are not given, before the file names.
ASKED_FIRST = ("--id", "--phase", "--audience", "--topic", "--title-en", "--title-fr")


def french_name_if_all_given(values: dict) -> str | None:
    """The French file's name made from its title when every other value was given as an
    option (a script, or an editor who typed them all): nothing is asked, as the English file is
    named after the id; else None, and the name is asked for with it as the default."""
    from kb import scaffold

    if all(values.get(name) is not None for name in ASKED_FIRST):
        return scaffold.slugify(values["--title-fr"])
    return None


def ask_new_entry(given: dict, checks: dict, choices: dict, suggest_slug_fr: bool):
    """`kb new`'s questions, for each value not given as an option: the new entry."""
    from kb import scaffold

    def listed(name: str) -> str:
        return ", ".join(choices[name])

    id_ = ask(
        given["--id"], gettext("Id (%(rule)s)", rule=gettext(scaffold.ID_RULE)), checks["--id"]
    )
    phase = ask(
        given["--phase"], gettext("Phase (%(choices)s)", choices=listed("phase")), checks["--phase"]
    )
    audiences = ask(
        given["--audience"],
        gettext("Audiences, comma-separated (%(choices)s)", choices=listed("audience")),
        checks["--audience"],
    )
    topics = ask(
        given["--topic"],
        gettext("Topics, comma-separated (%(choices)s)", choices=listed("topic")),
        checks["--topic"],
    )
    titles = {
        "en": ask(given["--title-en"], gettext("Title in English"), checks["--title-en"]),
        "fr": ask(given["--title-fr"], gettext("Title in French"), checks["--title-fr"]),
    }
    suggested = scaffold.slugify(titles["fr"])
    cut = suggested != scaffold.slugify(titles["fr"], limit=10_000)
    slug_fr = given["--slug-fr"]  # named after the title when every other value was given
    if slug_fr is not None and suggest_slug_fr and cut:
        click.echo(
            gettext(
                "The French title is long: its file name stops after a whole word, at "
                "%(length)d characters ('%(slug)s'); give --slug-fr for another.",
                length=len(suggested),
                slug=suggested,
            )
        )
    if slug_fr is None and suggest_slug_fr and cut:
        click.echo(
            gettext(
                "The French title is long: the file name suggested below stops after a "
                "whole word, at %(length)d characters ('%(slug)s'). Keep it or write a "
                "shorter one.",
                length=len(suggested),
                slug=suggested,
            )
        )
    slug_en = given["--slug-en"]
    if slug_en is None:  # the id was asked for: the English file takes its name if it is free
        try:
            slug_en = checks["--slug-en"](id_)
        except ValueError as error:
            click.echo(f"{localized(error)}.")
    slugs = {
        "en": ask(slug_en, gettext("English file name"), checks["--slug-en"]),
        "fr": ask(slug_fr, gettext("French file name"), checks["--slug-fr"], default=suggested),
    }
    return scaffold.NewEntry(id_, phase, audiences, topics, titles, slugs)


def check_options(ctx: click.Context, given: dict[str, tuple[object, object]]) -> dict:
    """Every option given, checked; all refusals at once with their fix, then exit 2.

    A value may be a function of the values checked before it (a default made from another).
    """
    values, refused = {}, []
    for option, (value, check) in given.items():
        if callable(value):
            value = value(values)
        if value is None:
            values[option] = None
            continue
        try:
            values[option] = check(value)
        except ValueError as error:
            refused.append(
                "  " + gettext("%(option)s: %(message)s", option=option, message=localized(error))
            )
    if refused:
        click.echo(
            ngettext(
                "kb new: %(num)d option to correct; nothing was written.",
                "kb new: %(num)d options to correct; nothing was written.",
                len(refused),
            ),
            err=True,
        )
        click.echo("\n".join(refused), err=True)
        click.echo(
            gettext(
                "Run kb new again with the corrected options (leave one out to be asked for it)."
            ),
            err=True,
        )
        ctx.exit(2)  # click's exit code for a command used wrongly
    return values


class NewCommand(LocalizedCommand):
    """`kb new`: the end of input (Ctrl+D) says that nothing was written, not 'Aborted!'."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.Abort, EOFError):
            click.echo(
                "\n"
                + gettext(
                    "Stopped before the end of the questions: nothing was "
                    "written. Run `kb new` again, or give the answers as "
                    "options (kb new --help)."
                ),
                err=True,
            )
            ctx.exit(1)


PROGRESS_AFTER = 0.5  # seconds of building before a progress line appears


def live_output(quiet: bool) -> bool:
    """A progress line is for a person at a terminal: not under --quiet, in a pipe or in CI."""
    in_ci = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")
    return not quiet and not in_ci and sys.stderr.isatty()


SUMMARY_SHOWN = 5  # warnings a build prints in full; `kb check` lists them all


def warnings_summary(warnings: list) -> None:
    """The number of warnings and the first few, after a build that published despite them."""
    if not warnings:
        return
    count = len(warnings)
    click.echo(
        ngettext(
            "%(num)d warning (run `kb check` for all, `kb build --strict` to fail on them):",
            "%(num)d warnings (run `kb check` for all, `kb build --strict` to fail on them):",
            count,
        ),
        err=True,
    )
    for problem in warnings[:SUMMARY_SHOWN]:
        click.echo(f"  {problem_text(problem).splitlines()[0]}", err=True)
    if count > SUMMARY_SHOWN:
        click.echo("  " + gettext("… and %(count)d more", count=count - SUMMARY_SHOWN), err=True)
