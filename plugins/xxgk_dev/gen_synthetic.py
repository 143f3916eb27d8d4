"""scripts/gen-synthetic N DIR: a synthetic site repository for benchmarks (see synthetic.py)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from xxgk.cli.common import EXIT_OK, EXIT_USAGE, Parser
from xxgk_dev.synthetic import generate


def main(argv: list[str] | None = None) -> int:
    p = Parser(
        prog="scripts/gen-synthetic", description="生成 N 个合成条目的完整站点仓库（性能测试用），同一种子结果相同"
    )
    p.add_argument("n", type=_count, metavar="N", help="条目数，例如 5000")
    p.add_argument("dir", metavar="DIR", help="输出目录（须不存在或为空）")
    p.add_argument("--seed", type=int, default=1, help="随机种子（默认 1）")
    p.add_argument("--realistic", action="store_true", help="正文篇幅、类型构成和表格仿照真实页面（见 synthetic.py）")
    return run(p.parse_args(argv))


def _count(value: str) -> int:
    import argparse

    try:
        n = int(value)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"N 应为正整数，例如 5000（收到“{value}”）")
    return n


def run(args) -> int:
    target = Path(args.dir)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        print(f"xxgk: {args.dir} 已存在且不为空；为免覆盖已有内容，请指定一个新目录", file=sys.stderr)
        return EXIT_USAGE
    if target.exists():
        target.rmdir()
    started = time.monotonic()
    n = generate(args.n, target, args.seed, realistic=args.realistic)
    print(
        f"已在 {target} 生成 {n} 个条目（种子 {args.seed}，{time.monotonic() - started:.1f} 秒）；"
        f"构建：cd {target} && mkdocs build",
        file=sys.stderr,
    )
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
