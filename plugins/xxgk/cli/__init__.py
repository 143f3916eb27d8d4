"""The `xxgk` command. Exit codes: 0 clean, 1 content errors, 2 usage errors.

Each subcommand is a module of this package with `register(sub)`, listed in COMMANDS."""

from __future__ import annotations

import argparse
import sys

from xxgk import __version__
from xxgk.cli import (
    admin,
    bar,
    check,
    codeowners,
    drafts,
    import_,
    init,
    linkcheck,
    new,
    normalise,
    portal_status,
    stats,
    verify,
)
from xxgk.cli.common import EXIT_USAGE, Parser

COMMANDS = (check, stats, new, codeowners, linkcheck, verify, init, import_, portal_status, admin, normalise, drafts)


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="xxgk", description="xxgk：政府信息公开网站的内容检查与工具")
    parser.add_argument("--version", action="version", version=f"xxgk {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="命令", parser_class=Parser)
    for command in COMMANDS:
        command.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    stop = bar.on_terminal()
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130
    finally:
        stop()


if __name__ == "__main__":
    sys.exit(main())
