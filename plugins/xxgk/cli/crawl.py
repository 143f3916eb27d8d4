"""xxgk crawl: save the live old site's detail pages and attachments for `xxgk import`."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

from xxgk.cli.common import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE
from xxgk.onboard.crawl import Settings, crawl

FAILED = "I327"  # core/codes.py: an address of the old site that could not be fetched


def register(sub) -> None:
    p = sub.add_parser(
        "crawl",
        help="抓取旧网站的信息公开栏目：列表页及翻页、详情页和附件，保存到文件夹，供 xxgk import 导入；可中断后续抓",
    )
    p.add_argument(
        "urls", nargs="+", metavar="URL", help="信息公开栏目（列表页）的地址，例如 https://www.example.gov.cn/xxgk/"
    )
    p.add_argument("--out", type=Path, required=True, help="保存网页的文件夹；再次运行时从上次停下的地方继续")
    p.add_argument("--host", action="append", default=[], help="另外允许抓取的网站（默认只抓起始地址所在的网站）")
    p.add_argument("--delay", type=float, default=1.0, help="对同一网站两次请求之间至少等待的秒数（默认 1）")
    p.add_argument("--concurrency", type=int, default=2, help="同时进行的请求数（默认 2）")
    p.add_argument("--timeout", type=float, default=30.0, help="单个请求的超时秒数（默认 30）")
    p.add_argument("--max-pages", type=int, default=10_000, help="本次最多请求的地址数，其余留到下次（默认 10000）")
    p.set_defaults(func=run)


def run(args) -> int:
    bad = [u for u in args.urls if urlsplit(u).scheme not in ("http", "https") or not urlsplit(u).hostname]
    if bad or args.delay < 0 or args.concurrency < 1 or args.timeout <= 0:
        print(
            "xxgk crawl: 地址应以 http:// 或 https:// 开头，--delay 不小于 0，--concurrency 至少为 1，--timeout 大于 0"
            + (f"（不可用的地址：{'、'.join(bad)}）" if bad else ""),
            file=sys.stderr,
        )
        return EXIT_USAGE
    hosts = tuple(dict.fromkeys([*(urlsplit(u).hostname.lower() for u in args.urls), *(h.lower() for h in args.host)]))
    settings = Settings(hosts, args.delay, args.concurrency, args.timeout, args.max_pages)
    state = crawl(args.urls, args.out, settings)
    for url, error in state.failures:
        print(f"{url}: {FAILED} 无法抓取（{error}）；请在浏览器中打开核对，需要时手工保存该网页或文件放进 {args.out}")
    kinds = Counter(d["kind"] for d in state.done.values() if "error" not in d)
    left = f"，尚有 {len(state.queue)} 个地址未抓取（再次运行同一命令继续）" if state.queue else ""
    print(
        f"已保存详情页 {kinds['detail']} 个、附件 {kinds['file']} 个，读过列表页 {kinds['list']} 个，"
        f"失败 {len(state.failures)} 个{left}；用 xxgk import {args.out} 导入",
        file=sys.stderr,
    )
    return EXIT_PROBLEMS if state.failures else EXIT_OK
