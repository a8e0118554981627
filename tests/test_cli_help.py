"""`kb … --help`: every option says what it does and, when it has one, its default."""

from __future__ import annotations

import click
import pytest

from kb.cli import main

OPTIONS = [
    (name, option)
    for name, command in main.commands.items()
    for option in command.params
    if isinstance(option, click.Option)
]


@pytest.mark.parametrize("command,option", OPTIONS, ids=[f"{c}{o.opts[0]}" for c, o in OPTIONS])
def test_every_option_has_help_and_shows_its_default(command, option):
    assert option.help, f"kb {command} {option.opts[0]} has no help"
    default = option.get_default(click.Context(main.commands[command]), call=False)
    if isinstance(default, (str, int)) and not isinstance(default, bool):  # not unset, no flag
        # A default is either shown by click ([default: …]) or said in the help's own words.
        assert option.show_default or "default" in option.help, f"kb {command} {option.opts[0]}"


def test_serve_help_gives_the_defaults(runner):
    result = runner.invoke(main, ["serve", "--help"])
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    assert "Address to listen on. [default: 127.0.0.1]" in text
    assert "Port to listen on. [default: 8000]" in text


@pytest.mark.parametrize(
    "command,default",
    [("check", "[default: text]"), ("status", "[default: text]"), ("search", "[default: 10;")],
)
def test_other_defaults_are_shown(command, default, runner):
    assert default in runner.invoke(main, [command, "--help"]).output
