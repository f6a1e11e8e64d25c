"""Every option of every command says what it does, in that command's terms."""

from __future__ import annotations

import click
import pytest

from generator.cli import main

CONTEXT = click.Context(main)
COMMANDS = main.list_commands(CONTEXT)  # those in modules of their own too (imported lazily)


def command(name: str) -> click.Command:
    found = main.get_command(CONTEXT, name)
    assert found is not None, name
    return found


def test_every_command_is_listed() -> None:
    assert {"check", "diff", "fuzz", "generate", "mock", "serve", "validate"} <= set(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_every_option_has_help(name: str) -> None:
    missing = [
        p.opts[0]
        for p in command(name).params
        if isinstance(p, click.Option) and p.opts[0] != "--help" and not p.help
    ]
    assert not missing, f"specgen {name}: options without help text: {missing}"


@pytest.mark.parametrize(
    ("name", "verb"),
    [
        ("validate", "Exit 0"),
        ("generate", "Generate"),
        ("check", "Check"),
        ("diff", "Compare"),
        ("fuzz", "Fuzz"),
    ],
)
def test_allow_invalid_speaks_of_the_command(name: str, verb: str) -> None:
    (option,) = [p for p in command(name).params if p.name == "allow_invalid"]
    assert isinstance(option, click.Option) and option.help is not None
    assert option.help.startswith(f"{verb} even when")
