"""What every `xxgk` command shares: exit codes, the Chinese argument parser, the site folder and its options."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from xxgk.core import safetext
from xxgk.core.options import OptionsError, read_mkdocs_yml

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


class Parser(argparse.ArgumentParser):
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


def revision_arg(value: str) -> str:
    """A --base REV that git reads as a revision, never as an option (issue 30: --base=--output=FILE
    made `git diff` write a file); every command that hands --base to git parses it with this."""
    bad = safetext.revision_problem(value)
    if bad is not None:
        raise argparse.ArgumentTypeError(bad)
    return value


def date_arg(value: str):
    import datetime as dt

    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{value}”不是日期，请写成 YYYY-MM-DD") from None
