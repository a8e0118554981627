"""The kb command's help and click's own words (Usage:, Error:, Options…) in the command's
language (KB_LANG, kb.terminal).

Click asks the standard library's gettext for its words, in each of its modules, when it shows
them: kb gives those modules the catalog of the command's language instead. The words are
listed below so that the catalog keeps them (`python -m kb.catalog`). kb's own help texts are
catalog ids (N_), translated each time click reads them.
"""

from __future__ import annotations

import importlib

import click

from kb.frontmatter import N_


def plural(singular: str, plural: str) -> tuple[str, str]:  # a plural message for the catalog
    return singular, plural


SHOW_HELP = N_("Show this message and exit.")  # what --help does
HEADING = N_("{heading}:")  # Options:, Commands: (French puts a no-break space before the colon)
# What click says that an editor may see: help pages, usage errors, prompts.
CLICK_WORDS = (
    N_("Usage:"),
    N_("Options"),
    N_("Commands"),
    SHOW_HELP,
    N_("Error: {message}"),
    N_("Try '{command} {option}' for help."),
    HEADING,
    N_("Choose from:\n\t{choices}"),
    N_("Aborted!"),
    N_("Missing command."),
    N_("No such command {name!r}."),
    N_("No such option {name!r}."),
    N_("Invalid value: {message}"),
    N_("Invalid value for {param_hint}: {message}"),
    N_("Missing argument"),
    N_("Missing option"),
    N_("Missing parameter"),
    N_("Missing {param_type}"),
    N_("Missing parameter: {param_name}"),
    N_("Option {name!r} does not take a value."),
    N_("default: {default}"),
    N_("env var: {var}"),
    N_("{value!r} is not a valid {number_type}."),
    N_("{value} is not in the range {range}."),
    N_("{value!r} is not a valid boolean. Recognized values: {states}"),
    N_("file"),
    N_("directory"),
    N_("path"),
    N_("{name} {filename!r} does not exist."),
    N_("{name} {filename!r} is a file."),
    N_("{name} {filename!r} is a directory."),
    N_("{name} {filename!r} is not readable."),
    N_("{name} {filename!r} is not writable."),
    N_("Repeat for confirmation"),
    N_("Error: The two entered values do not match."),
    N_("Error: invalid input"),
    N_("required"),  # [required], after an option's help
)
# The names of click's types that kb's options take, shown as their metavars (TEXT).
TYPE_NAMES = (N_("text"), N_("integer"), N_("integer range"))
# What the usage line calls a command's arguments (kb search QUERY, kb sync IDS) and the group's
# command: catalog ids, each argument's by its name in capitals.
USAGE_WORDS = (N_("COMMAND [ARGS]..."), N_("QUERY"), N_("IDS"))
CLICK_PLURALS = (
    plural("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"),
    plural("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"),
    plural("{value!r} is not {choice}.", "{value!r} is not one of {choices}."),
    plural("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."),
)
# Click's modules that show words (each imports gettext's functions under these names).
CLICK_MODULES = (
    "core",
    "decorators",
    "exceptions",
    "formatting",
    "parser",
    "termui",
    "types",
)


def _catalog():
    """The command language's catalog; None for English (nothing to read: the catalog, and
    Flask-Babel with it, is loaded only for another language)."""
    from kb.terminal import catalog, command_lang

    try:
        return None if command_lang() == "en" else catalog()
    except click.UsageError:  # KB_LANG is not a language of kb: it is told in English
        return None


def _gettext(message: str) -> str:
    found = _catalog()
    return message if found is None else found.gettext(message)


def _ngettext(singular: str, plural: str, count: int) -> str:
    found = _catalog()
    if found is None:
        return singular if count == 1 else plural
    return found.ngettext(singular, plural, count)


def speak_the_command_language() -> None:
    """Have click say its words in the command's language, read when it says them."""
    for name in CLICK_MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = _gettext
        if hasattr(module, "ngettext"):
            module.ngettext = _ngettext


def _help_property(attribute: str) -> property:
    """A help text kept as a catalog id and read in the command's language."""

    def read(self) -> str | None:
        msgid = getattr(self, attribute)
        if not msgid:
            return msgid
        text = _gettext(msgid)
        values = getattr(self, "help_values", None)
        return text % values if values else text

    def write(self, value: str | None) -> None:
        setattr(self, attribute, value)

    return property(read, write)


class LocalizedOption(click.Option):
    """An option whose help is a catalog id; help_values fill in its %(name)s values."""

    help = _help_property("_help_msgid")

    def __init__(self, *args, help_values: dict | None = None, **kwargs):
        self.help_values = help_values
        super().__init__(*args, **kwargs)

    def make_metavar(self, ctx: click.Context) -> str:
        """The value's name (TEXT, INTEGER RANGE) in the command's language."""
        if self.metavar is None and self.type.get_metavar(param=self, ctx=ctx) is None:
            metavar = _gettext(self.type.name).upper()
            return f"{metavar}..." if self.nargs != 1 else metavar
        return super().make_metavar(ctx)


class LocalizedArgument(click.Argument):
    """An argument named in the command's language on the usage line and in errors."""

    def make_metavar(self, ctx: click.Context) -> str:
        metavar = super().make_metavar(ctx)
        if self.metavar is None and self.type.get_metavar(param=self, ctx=ctx) is None:
            return metavar.replace(self.name.upper(), _gettext(self.name.upper()), 1)
        return metavar


class _HelpFormatter(click.HelpFormatter):
    """Help pages whose headings are punctuated in the command's language."""

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{_gettext(HEADING).format(heading=heading)}\n")


class _Context(click.Context):
    formatter_class = _HelpFormatter


class _Localized:
    """A command whose help is a catalog id, and whose --help says what it does in the
    command's language (click makes that option once, in the language of the first call)."""

    help = _help_property("_help_msgid")
    context_class = _Context

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = _gettext(SHOW_HELP)
        return option


class LocalizedCommand(_Localized, click.Command):
    """A kb command."""


class LocalizedGroup(_Localized, click.Group):
    """The kb group: its commands are LocalizedCommands."""

    command_class = LocalizedCommand

    def collect_usage_pieces(self, ctx: click.Context) -> list[str]:
        pieces = super().collect_usage_pieces(ctx)
        return [_gettext(piece) if piece == USAGE_WORDS[0] else piece for piece in pieces]


def option(*declarations: str, **attributes):
    """click.option with a help text in the command's language."""
    return click.option(*declarations, cls=LocalizedOption, **attributes)


def argument(name: str, **attributes):
    """click.argument named in the command's language (USAGE_WORDS)."""
    return click.argument(name, cls=LocalizedArgument, **attributes)
