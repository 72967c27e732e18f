"""Every `auditor` command, group and option explains itself to editors in one Chinese line."""
from __future__ import annotations

import re

import click
from click.testing import CliRunner

from auditor.cli import main

HAN = re.compile(r"[\u4e00-\u9fff]")


def commands(cmd: click.Command, ctx: click.Context, path: tuple[str, ...]):
    """The command tree, the lazily imported groups (queue, users, batch) included."""
    yield path, cmd
    if isinstance(cmd, click.Group):
        for name in cmd.list_commands(ctx):
            sub = cmd.get_command(ctx, name)
            assert sub is not None, f"{' '.join(path)} lists {name} but cannot load it"
            yield from commands(sub, click.Context(sub, parent=ctx, info_name=name), (*path, name))


TREE = list(commands(main, click.Context(main, info_name="auditor"), ("auditor",)))


def test_the_walk_reaches_every_room():
    names = {" ".join(path) for path, _ in TREE}
    assert {"auditor check", "auditor queue sign", "auditor users add", "auditor batch run",
            "auditor index add", "auditor mandatory status"} <= names
    assert len(names) >= 30


def test_every_command_has_a_chinese_help_line():
    missing = [" ".join(path) for path, cmd in TREE
               if not HAN.search((cmd.help or cmd.short_help or "").strip().split("\n")[0])]
    assert not missing, f"commands without a Chinese help line: {missing}"


def test_every_option_has_a_chinese_help():
    missing = [f"{' '.join(path)} {param.opts[0]}" for path, cmd in TREE for param in cmd.params
               if isinstance(param, click.Option) and not param.hidden and not HAN.search(param.help or "")]
    assert not missing, f"options without a Chinese help: {missing}"


def test_group_listings_show_the_help_lines():
    result = CliRunner().invoke(main, ["queue", "--help"])
    assert result.exit_code == 0, result.output
    listing = result.output.split("Commands:", 1)[1].strip().splitlines()
    assert len(listing) >= 13
    for line in listing:
        name, _, help_line = line.strip().partition(" ")
        assert HAN.search(help_line), f"queue {name} lists no help: {line!r}"
