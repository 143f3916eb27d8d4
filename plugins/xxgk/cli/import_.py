"""xxgk import: bring an old catalog over (spreadsheets, saved detail pages), safe to repeat."""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from xxgk.cli.common import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, load_options


def register(sub) -> None:
    p = sub.add_parser("import", help="从旧网站导入：表格（.xlsx/.csv）或保存的网页，按索引号去重，可重复运行")
    p.add_argument(
        "sources",
        nargs="+",
        metavar="SOURCE",
        help="表格文件、保存的网页（.html），或存放网页的文件夹（如 xxgk crawl 保存的）",
    )
    p.add_argument("--site", dest="dir", default=".", help="站点仓库目录（含 mkdocs.yml），默认当前目录")
    p.add_argument("--mapping", type=Path, help="映射文件（YAML）：列名、取值与名称的对应关系")
    p.add_argument("--dry-run", action="store_true", help="只报告将导入什么及检查结果，不写任何文件")
    p.add_argument("--update", action="store_true", help="来源有变化时更新已导入的条目（导入后被修改过的项保持不变）")
    p.set_defaults(func=run)


def run(args) -> int:
    from xxgk.onboard.importer import TrialError, trial_copy  # heavy (HTML, Word, Excel): only when it runs
    from xxgk.onboard.mapping import read_mapping

    opts = load_options(args)
    if opts is None:
        return EXIT_PROBLEMS
    mapping, problems = read_mapping(args.mapping)
    if problems:
        for problem in problems:
            print(problem, file=sys.stderr)
        return EXIT_USAGE
    paths = [Path(s) for s in args.sources]
    if not args.dry_run:
        return _import(args, opts, mapping, paths)
    with tempfile.TemporaryDirectory(prefix="xxgk-import-") as trial:  # a real run on a copy
        try:
            copy = trial_copy(opts, Path(trial))
        except TrialError as exc:
            print(f"xxgk import: {exc}", file=sys.stderr)
            return EXIT_USAGE
        return _import(args, copy, mapping, paths)


def _import(args, opts, mapping, paths: list[Path]) -> int:
    from xxgk.onboard.importer import Importer, check_written, report
    from xxgk.onboard.record import RecordError
    from xxgk.onboard.sources import count

    try:
        importer = Importer(opts, mapping, update=args.update)
    except RecordError as exc:
        print(f"xxgk import: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    bar = Progress(count(paths)) if sys.stderr.isatty() else None
    out = importer.run(paths, bar.tick if bar else lambda: None)
    if bar:
        bar.done()
    checked = check_written(opts, out)
    for problem in sorted(out.problems) + checked:
        print(problem)
    for line in report(out):
        print(line, file=sys.stderr)
    verb = "将" if args.dry_run else "已"
    print(
        f"{'试运行，未写入任何文件。' if args.dry_run else ''}{verb}导入 {out.imported} 条，{verb}更新 {out.updated} 条，"
        f"跳过 {out.skipped} 条，待处理 {out.to_fix} 条",
        file=sys.stderr,
    )
    return EXIT_PROBLEMS if out.to_fix else EXIT_OK


class Progress:
    """`导入 1234/10000 [#####-----]` on one terminal line, redrawn at most ten times a second."""

    def __init__(self, total: int):
        self.total, self.done_count, self.shown_at = total, 0, 0.0

    def tick(self) -> None:
        self.done_count += 1
        now = time.monotonic()
        if now - self.shown_at > 0.1:
            self.shown_at = now
            total = max(self.total, self.done_count)
            filled = 30 * self.done_count // total if total else 30
            sys.stderr.write(f"\r导入 {self.done_count}/{total} [{'#' * filled}{'-' * (30 - filled)}]")
            sys.stderr.flush()

    def done(self) -> None:
        sys.stderr.write("\r" + " " * 60 + "\r")
