"""The `upline` command (also `python -m bot`): one module per subcommand, listed once below."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from bot.cli import check, db, decisions, governance, import_cmd, manifest, report, run, sandbox, status

# Each module has `add_parser(subparsers)` that registers its subcommand and sets `func`.
COMMANDS = [run, check, import_cmd, manifest, db, status, report, decisions, governance, sandbox]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="upline",
        description="Route questions and escalations up your project's maintainer ladder, on time.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for command in COMMANDS:
        command.add_parser(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `upline check | head` is not an error
        sys.stderr.close()
        return 0
