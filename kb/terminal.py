"""What the kb command says and asks at a terminal: progress only for a person, the build's
warning summary, and `kb new`'s questions (the options given checked all at once, then a prompt
for each one missing that asks again until the answer is valid)."""

from __future__ import annotations

import os
import sys

import click


def ask(value, prompt: str, check, default: str | None = None):
    """A value already checked (an option given), or the editor's answer to a prompt; `check`
    raises ValueError, and the prompt asks again with its message."""
    if value is not None:
        return value

    def proc(text: str):
        try:
            return check(text)
        except ValueError as error:
            raise click.BadParameter(str(error)) from None

    return click.prompt(prompt, default=default, value_proc=proc)


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
            refused.append(f"  {option}: {error}")
    if refused:
        count = len(refused)
        click.echo(f"kb new: {count} option{'s' * (count > 1)} to correct; nothing was written.",
                   err=True)
        click.echo("\n".join(refused), err=True)
        click.echo("Run kb new again with the corrected options (leave one out to be asked "
                   "for it).", err=True)
        ctx.exit(2)  # click's exit code for a command used wrongly
    return values


class NewCommand(click.Command):
    """`kb new`: the end of input (Ctrl+D) says that nothing was written, not 'Aborted!'."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.Abort, EOFError):
            click.echo("\nStopped before the end of the questions: nothing was written. Run "
                       "`kb new` again, or give the answers as options (kb new --help).", err=True)
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
    click.echo(f"{count} warning{'s' * (count > 1)} (run `kb check` for all, `kb build --strict` "
               "to fail on them):", err=True)
    for problem in warnings[:SUMMARY_SHOWN]:
        click.echo(f"  {str(problem).splitlines()[0]}", err=True)
    if count > SUMMARY_SHOWN:
        click.echo(f"  … and {count - SUMMARY_SHOWN} more", err=True)
