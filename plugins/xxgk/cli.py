"""The `xxgk` command. Exit codes: 0 clean, 1 content errors, 2 usage errors."""
from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

from . import __version__
from .options import OptionsError, read_mkdocs_yml

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse that explains mistakes in Chinese and exits 2."""

    def error(self, message):
        self.print_usage(sys.stderr)
        print(f"xxgk: 用法错误：{message}（运行 xxgk --help 查看用法）", file=sys.stderr)
        sys.exit(EXIT_USAGE)


def site_root(value: str) -> Path:
    root = Path(value)
    if not root.is_dir():
        print(f"xxgk: 找不到目录 {value}；请给出站点仓库（含 mkdocs.yml 的目录）", file=sys.stderr)
        sys.exit(EXIT_USAGE)
    return root


def load_options(args):
    """The site's options from DIR/mkdocs.yml, or None after printing why not."""
    try:
        opts = read_mkdocs_yml(site_root(args.dir))
    except OptionsError as exc:
        print(exc.problem, file=sys.stderr)
        return None
    if getattr(args, "as_of", None):
        opts.as_of_override = args.as_of
    return opts


def add_site_dir(parser) -> None:
    """The optional DIR every command on a site repository takes."""
    parser.add_argument("dir", nargs="?", default=".", help="站点仓库目录（含 mkdocs.yml），默认当前目录")


def date_arg(value: str):
    import datetime as dt
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{value}”不是日期，请写成 YYYY-MM-DD") from None


# Each command lives in its own module cmd_<name>.py with `register(sub)`.
COMMANDS = ("check", "stats", "new", "codeowners", "linkcheck", "verify", "gen-synthetic")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="xxgk", description="xxgk：政府信息公开网站的内容检查与工具")
    parser.add_argument("--version", action="version", version=f"xxgk {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="命令", parser_class=_Parser)
    for name in COMMANDS:
        importlib.import_module(f"xxgk.cmd_{name.replace('-', '_')}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return args.func(args)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
