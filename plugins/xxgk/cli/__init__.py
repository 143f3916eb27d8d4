"""The `xxgk` command. Exit codes: 0 clean, 1 content errors, 2 usage errors.

Each subcommand is a module of this package with `register(sub)`, listed in COMMANDS. Every
`xxgk` start imports them all, so a command whose libraries are heavy (import, admin,
portal-status) imports those in its `run`: `xxgk check` starts in half the time."""

from __future__ import annotations

import argparse
import sys

from xxgk import __version__
from xxgk.cli import (
    admin,
    bar,
    cases,
    check,
    codeowners,
    crawl,
    drafts,
    import_,
    init,
    inspect,
    linkcheck,
    new,
    new_case,
    normalise,
    portal_index,
    portal_serve,
    portal_status,
    stats,
    verify,
)
from xxgk.cli.common import EXIT_USAGE, Parser

COMMANDS = (
    check,
    stats,
    cases,
    new,
    new_case,
    codeowners,
    linkcheck,
    verify,
    init,
    import_,
    crawl,
    inspect,
    portal_status,
    portal_index,
    portal_serve,
    admin,
    normalise,
    drafts,
)


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
