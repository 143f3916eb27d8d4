"""The wording check measured on text we did not write: the demo's items, the seed documents
and the real pages in ../shared/realpages (when present), each judged by its own date. Prints
every finding with the text around it, so a person can say which are real, and the counts per
class; then the check's cost on a synthetic site (the wording family's CPU against the whole
of `xxgk check`'s analyse, in one process).

    .venv/bin/python -m xxgk_dev.wording_bench [--synthetic 20000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import lxml.html

from xxgk.core import wording
from xxgk.core.options import read_mkdocs_yml
from xxgk.core.wordlists import load_wordlists
from xxgk.rules import analyse
from xxgk.rules import wording as family

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
_DATE = re.compile(
    r"(?:发布日期|发布时间|成文日期|发文日期|更新时间|公开日期)\s*[:：]?\s*(\d{4})[-年./](\d{1,2})[-月./](\d{1,2})"
)
_ANY_DATE = re.compile(r"(20\d\d|19\d\d)[-年./](\d{1,2})[-月./](\d{1,2})")


def dated(text: str) -> dt.date | None:
    """The document's date as its page shows it: a labelled date, else the first date in it."""
    for pattern in (_DATE, _ANY_DATE):
        for m in pattern.finditer(text):
            try:
                return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                continue
    return None


def documents() -> Iterator[tuple[str, str, str, dt.date | None]]:
    """(corpus, name, text, date) of every document measured."""
    opts = read_mkdocs_yml(ROOT)
    site = analyse(opts)
    for item in site.content.items:
        yield "demo", item.path, "\n".join([item.title, item.summary or "", item.body]), item.published
    for seed in sorted((SHARED / "seeds").glob("*.txt")):
        text = seed.read_text(encoding="utf-8")
        yield "seeds", seed.name, text, dated(text)
    for page in sorted((SHARED / "realpages" / "pages").glob("*/*.html")):
        tree = lxml.html.fromstring(page.read_bytes())
        for junk in tree.xpath("//script|//style"):
            junk.drop_tree()
        text = re.sub(r"[ \t\u3000\xa0]+", " ", tree.text_content())
        yield "realpages", f"{page.parent.name}/{page.name}", text, dated(text)


def findings() -> Counter:
    scanner = wording.Scanner(load_wordlists(ROOT / "catalog" / "wording.yml", "catalog/wording.yml", []))
    counts: Counter = Counter()
    docs: Counter = Counter()
    for corpus, name, text, day in documents():
        docs[corpus] += 1
        for f in scanner.find(text, day or dt.date.today()):
            counts[(corpus, f.code)] += 1
            around = text[max(0, f.start - 25) : f.start + len(f.found) + 25].replace("\n", " ")
            print(f"{corpus}\t{name}\t{day}\t{f.code}\t{f.found}\t…{around}…")
    print("\ndocuments:", dict(docs))
    print("findings per corpus and code:", dict(sorted(counts.items())) or "none")
    return counts


def cost(n: int) -> None:
    """CPU of analyse() on a synthetic site of `n` items, and of the wording family within it."""
    from xxgk_dev import synthetic

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "site"
        synthetic.generate(n, root)
        opts = read_mkdocs_yml(root)
        start = time.process_time()
        site = analyse(opts)
        total = time.process_time() - start
        from xxgk.rules.base import Context

        ctx = Context(site.content, site.rel, opts)
        start = time.process_time()
        for rule in family.RULES:
            list(rule(ctx))
        spent = time.process_time() - start
    print(
        f"\n{n} synthetic items: analyse {total:.2f} s CPU, of which wording {spent:.2f} s: "
        f"the check costs {spent / (total - spent):.1%} more than without it"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--synthetic", type=int, default=0, help="also time the check on this many synthetic items")
    args = parser.parse_args()
    findings()
    if args.synthetic:
        cost(args.synthetic)


if __name__ == "__main__":
    main()
