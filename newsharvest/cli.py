"""The ``newsharvest`` command: the cron wrapper and the tools around the Scrapy project.

Each subcommand lives in its own module under :mod:`newsharvest.commands` and exposes
``add_parser(subparsers)`` and ``run(args) -> int`` (the process exit code).
"""

from __future__ import annotations

import argparse
import importlib
import sys

from newsharvest import __version__

#: Subcommands, each a module under newsharvest.commands (imported only to build the parser).
COMMANDS = ("crawl", "process", "compact", "demo")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newsharvest", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"newsharvest {__version__}")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"newsharvest.commands.{name}").add_parser(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    return int(args.run(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
