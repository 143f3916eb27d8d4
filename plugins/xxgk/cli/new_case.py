"""xxgk new-case: a new file in the 依申请公开 case ledger, numbered, with the events to come as comments."""

from __future__ import annotations

import datetime as dt
import sys

from xxgk.cli.common import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, add_site_dir, date_arg, load_options
from xxgk.core.ledger import APPLICANTS, CHANNELS, case_text, ledger_path, next_case_number, read_ledger


def register(sub) -> None:
    p = sub.add_parser("new-case", help="依申请公开：在案件台账中新建一件申请（自动编案号）")
    add_site_dir(p)
    p.add_argument("--received", type=date_arg, help="收到申请日期 YYYY-MM-DD（默认今天）")
    p.add_argument("--channel", choices=CHANNELS, default=CHANNELS[0], help="申请渠道，默认 信函")
    p.add_argument("--applicant", choices=APPLICANTS, default=APPLICANTS[0], help="申请人类型，默认 自然人")
    p.add_argument("--case", help="案号（默认：收到年份-下一个序号，如 2026-004）")
    p.set_defaults(func=run)


def run(args) -> int:
    opts = load_options(args)
    if opts is None:
        return EXIT_PROBLEMS
    received = args.received or dt.date.today()
    ledger = read_ledger(opts)
    number = args.case or next_case_number(ledger.cases, received.year)
    if any(c.number == number for c in ledger.cases):
        print(f"xxgk new-case: 案号 {number} 已被使用；请换一个案号", file=sys.stderr)
        return EXIT_USAGE
    if "/" in number or number.startswith("."):
        print(f"xxgk new-case: 案号“{number}”不能含 / 或以 . 开头（它也是文件名）", file=sys.stderr)
        return EXIT_USAGE
    folder = ledger_path(opts)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{number}.yml"
    try:
        with path.open("x", encoding="utf-8") as out:
            out.write(case_text(number, received, args.channel, args.applicant))
    except FileExistsError:
        print(
            f"xxgk new-case: 文件 {ledger.folder}/{path.name} 已存在，不会覆盖；请用 --case 另取案号", file=sys.stderr
        )
        return EXIT_USAGE
    print(f"{ledger.folder}/{path.name}")
    print(f"已新建案件 {number}；办理中逐条添加事件，运行 xxgk cases 查看期限", file=sys.stderr)
    return EXIT_OK
