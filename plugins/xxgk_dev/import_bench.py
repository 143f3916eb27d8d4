"""Import benchmark (not a test): N spreadsheet rows with .docx bodies and M saved pages in three
layouts, imported into a new `xxgk init` site; then the same sources again (must write nothing).

    PYTHONPATH=plugins .venv/bin/python -m xxgk_dev.import_bench --rows 10000 --pages 2000 [--work DIR]

Prints one line per run (seconds, peak RSS of the import process, items written) for docs/benchmarks.md.
Generating the sources is not timed.
"""

from __future__ import annotations

import argparse
import html
import random
import re
import resource
import subprocess
import sys
import time
import zipfile
from pathlib import Path

from xxgk.onboard.new_site import Answers, plan, write
from xxgk_dev.synthetic import _sentence

ORG = "11990102MB0000001P"
DEPARTMENTS = [("zf", "云溪市河西区人民政府", ORG)] + [
    (f"bm{i}", f"云溪市河西区第{i}局", f"11990102MB00000{i:02d}{chr(64 + i)}") for i in range(1, 6)
]
CATEGORIES = ("其他文件", "行政规范性文件", "政策解读", "预算", "行政许可", "办事指南", "人事信息")
LAYOUTS = (
    "<table><tr><td>索 引 号：</td><td>{index_no}</td><td>发布机构：</td><td>{publisher}</td></tr>"
    "<tr><td>发布日期：</td><td>{published}</td><td>所属栏目：</td><td>{category}</td></tr></table>"
    '<h1>{title}</h1><div class="share">分享到：微信</div><div id="zoom">{body}</div>',
    "<h2>{title}</h2><dl><dt>索引号</dt><dd>{index_no}</dd><dt>发布机构</dt><dd>{publisher}</dd>"
    '<dt>发布日期</dt><dd>{published}</dd><dt>目录分类</dt><dd>{category}</dd></dl><div class="text">{body}</div>',
    '<div class="title">{title}</div><div>索 引 号：{index_no}　发布机构：{publisher}</div>'
    '<div>发布日期：{published}　所属栏目：{category}　来源：本站</div><div class="TRS_Editor">{body}</div>',
)


def make_site(target: Path) -> None:
    write(target, plan(Answers("云溪市河西区人民政府", ORG, "county")))
    lines = [f"- id: {i}\n  name: {n}\n  org_code: {c}\n" for i, n, c in DEPARTMENTS]
    (target / "catalog" / "departments.yml").write_text("".join(lines), encoding="utf-8")


def paragraphs(rng: random.Random, subject: str) -> list[str]:
    return ["".join(_sentence(rng, subject) for _ in range(rng.randint(2, 5))) for _ in range(rng.randint(3, 8))]


def records(n: int, rng: random.Random, first_serial: int, kind: str):
    for k in range(n):
        dep = DEPARTMENTS[k % len(DEPARTMENTS)]
        year = 2012 + k % 13
        subject = f"第{k}项{kind}"
        index_no = "" if k % 10 == 9 else f"{dep[2]}/{year}-{first_serial + k:05d}"
        yield {
            "index_no": index_no,
            "title": f"{dep[1]}关于做好{subject}的通知",
            "publisher": dep[1],
            "published": f"{year}-{1 + k % 12:02d}-{1 + k % 28:02d}",
            "category": CATEGORIES[k % len(CATEGORIES)],
            "paragraphs": paragraphs(rng, subject),
        }


def docx_template(folder: Path) -> dict[str, bytes]:
    """The parts of a Word file, its styles cut to the size Word itself writes (about 30 KB:
    python-docx's template carries all 164 built-in styles, 350 KB, ten times a usual file)."""
    from docx import Document

    Document().save(str(folder / "template.docx"))
    with zipfile.ZipFile(folder / "template.docx") as z:
        parts = {n: z.read(n) for n in z.namelist() if n != "word/stylesWithEffects.xml"}
    styles = parts["word/styles.xml"].decode("utf-8")
    kept = re.findall(r"<w:style .*?</w:style>", styles, flags=re.S)[:20]
    head = styles[: styles.index("<w:style ")]
    parts["word/styles.xml"] = (head + "".join(kept) + "</w:styles>").encode("utf-8")
    return parts


def write_docx(path: Path, parts: dict[str, bytes], paragraphs: list[str]) -> None:
    doc = parts["word/document.xml"].decode("utf-8")
    body = "".join(f"<w:p><w:r><w:t>{html.escape(p)}</w:t></w:r></w:p>" for p in paragraphs)
    doc = re.sub(r"<w:body>.*?(<w:sectPr)", lambda m: "<w:body>" + body + m.group(1), doc, flags=re.S)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, doc.encode("utf-8") if name == "word/document.xml" else data)


def make_sheet(folder: Path, n: int, rng: random.Random) -> Path:
    from openpyxl import Workbook

    (folder / "bodies").mkdir(parents=True, exist_ok=True)
    parts = docx_template(folder)
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["索引号", "信息名称", "发文机关", "发布日期", "所属栏目", "正文文件"])
    for k, r in enumerate(records(n, rng, 1, "工作")):
        write_docx(folder / "bodies" / f"{k}.docx", parts, r["paragraphs"])
        sheet.append([r["index_no"], r["title"], r["publisher"], r["published"], r["category"], f"bodies/{k}.docx"])
    path = folder / "catalog.xlsx"
    book.save(str(path))
    return path


def make_pages(folder: Path, n: int, rng: random.Random) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for k, r in enumerate(records(n, rng, 50001, "事项")):
        body = "".join(f"<p>　　{p}</p>" for p in r["paragraphs"])
        page = LAYOUTS[k % len(LAYOUTS)].format(**r, body=body)
        text = (
            f'<html><head><meta charset="utf-8"><title>{r["title"]}</title></head><body>'
            f"<div>当前位置：首页 &gt; 信息公开</div>{page}<div>【打印本页】【关闭窗口】</div></body></html>"
        )
        (folder / f"{k}.html").write_text(text, encoding="utf-8")
    return folder


def timed(args: list[str], cwd: Path) -> tuple[float, float, str]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    proc = subprocess.run(
        [str(Path(sys.executable).parent / "xxgk"), "import", *args], cwd=cwd, capture_output=True, text=True
    )
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, max(peak, before) / 1024, proc.stderr.strip().splitlines()[-1]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rows", type=int, default=10_000)
    p.add_argument("--pages", type=int, default=2_000)
    p.add_argument("--work", type=Path, default=Path(".cache/bench/import"))
    args = p.parse_args(argv)
    rng = random.Random(1)
    site = args.work / "site"
    if site.exists():
        sys.exit(f"{site} exists: remove it first")
    make_site(site)
    t0 = time.perf_counter()
    make_sheet(args.work / "export", args.rows, rng)
    make_pages(args.work / "pages", args.pages, rng)
    print(f"sources generated in {time.perf_counter() - t0:.0f} s (not timed below)", flush=True)
    runs = (
        ("rows, first run", ["../export/catalog.xlsx"]),
        ("rows, second run", ["../export/catalog.xlsx"]),
        ("pages, first run", ["../pages"]),
        ("pages, second run", ["../pages"]),
    )
    for label, sources in runs:
        seconds, rss, summary = timed(sources, site)
        print(f"{label}: {seconds:.1f} s, peak RSS {rss:.0f} MB — {summary}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
