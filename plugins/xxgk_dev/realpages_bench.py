"""Real-pages score (not a test): every saved page under ../shared/realpages/pages/<family>/ imported
into a fresh `xxgk init` site per family, each hand-checked field of expected.json scored.

    PYTHONPATH=plugins .venv/bin/python -m xxgk_dev.realpages_bench [--pages DIR] [--work DIR] [--no-build]

Per family: a first dry run names the publishers the site lacks (I304), which are added to
departments.yml as staff would; the family's mapping, if any, is tests/fixtures/realpages/<family>.yml
(at most one per family). Then the real import, a second import (must write nothing), `xxgk check`
and `mkdocs build`. Printed: pages imported, per-field right/checked over the expected pages, hidden
text removed (characters, I311 reports), chrome words left in bodies, check and build results.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import yaml

from xxgk.onboard.headers import label_key
from xxgk.onboard.mapping import apply, read_mapping
from xxgk.onboard.new_site import Answers, plan, write
from xxgk.onboard.saved_pages import read_page
from xxgk.onboard.values import BadSourceValue, normal_doc_no, parse_date, status_of

REPO = Path(__file__).resolve().parents[2]
REAL = REPO.parent / "shared" / "realpages"
MAPPINGS = REPO / "tests" / "fixtures" / "realpages"
ORG = "11990102MB0000001X"
FIELDS = ("title", "index_no", "publisher", "doc_no", "written", "published", "topic", "validity")
# what a reader would call page chrome if it ended up in a body
CHROME = re.compile(
    r"当前位置|您的位置|字号[:：]?\s*[【\[]?\s*大|打印本页|【打印】|关闭窗口|【关闭】|分享到|网站标识码|ICP备|公网安备|"
    r"友情链接|主办单位[:：]|版权所有|扫一扫|javascript:"
)
PATTERN = r"(?P<org>[0-9A-Z]{18}|[0-9A-Z]{8}-?[0-9A-Z])/(?P<year>\d{4})-\d{5,10}"
I304 = re.compile(r"I304 发布机构“(.+?)”不在")


def xxgk(site: Path, *args: str) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).parent / "xxgk"
    return subprocess.run([str(exe), *args], cwd=site, capture_output=True, text=True)


def new_site(site: Path, publishers: dict[str, str]) -> None:
    """A county site, the departments the old pages name with the org codes their 索引号 carry
    (a 9-character 组织机构代码 inside an 18-character code, as real 统一社会信用代码 hold it), and
    index_no_pattern set for the old site's 索引号 shapes as docs/migrate.md tells staff."""
    write(site, plan(Answers("云溪市河西区人民政府", ORG, "county")))
    lines = [f'- id: zf\n  name: 云溪市河西区人民政府\n  org_code: "{ORG}"\n']
    for n, (name, org) in enumerate(sorted(publishers.items()), 1):
        org = org if len(org) == 18 else f"11990102{org.replace('-', '')}X" if org else f"11990102MB{n:07d}X"
        lines.append(f'- id: d{n}\n  name: "{name}"\n  org_code: "{org}"\n')
    (site / "catalog" / "departments.yml").write_text("".join(lines), encoding="utf-8")
    yml = site / "mkdocs.yml"
    yml.write_text(
        yml.read_text(encoding="utf-8").replace("  - xxgk:\n", f"  - xxgk:\n      index_no_pattern: '{PATTERN}'\n", 1),
        encoding="utf-8",
    )


def org_codes(family: Path, mapping: Path | None, names: set[str]) -> dict[str, str]:
    """publisher → the org code part of the 索引号 on its pages (the newest shape, 18 characters, wins)."""
    mapped, _ = read_mapping(mapping)
    codes: dict[str, str] = {name: "" for name in names}
    for page in sorted(family.glob("*.html")):
        values = read_page(page, mapped.columns).values
        name, index_no = values.get("publisher", ""), values.get("index_no", "")
        if name in codes and "/" in index_no:
            org = index_no.split("/")[0]
            if len(org) > len(codes[name]):
                codes[name] = org
    return codes


def family_run(family: Path, work: Path, build: bool) -> dict:
    site = work / family.name
    if site.exists():
        shutil.rmtree(site)
    mapping = MAPPINGS / f"{family.name}.yml"
    margs = ["--mapping", str(mapping)] if mapping.is_file() else []
    new_site(site, {})
    trial = xxgk(site, "import", str(family), *margs, "--dry-run")
    publishers = org_codes(family, mapping if mapping.is_file() else None, set(I304.findall(trial.stdout)))
    shutil.rmtree(site)
    new_site(site, publishers)
    first = xxgk(site, "import", str(family), *margs)
    second = xxgk(site, "import", str(family), *margs)
    record_file = site / ".xxgk" / "import.json"
    items = json.loads(record_file.read_text(encoding="utf-8"))["items"] if record_file.is_file() else {}
    bodies = [(site / e["file"]).read_text(encoding="utf-8") for e in items.values()]
    chrome = Counter(m.group() for text in bodies for m in CHROME.finditer(text.split("\n---\n", 1)[-1]))
    check = xxgk(site, "check")
    built = None
    if build:
        built = subprocess.run(
            [str(Path(sys.executable).parent / "mkdocs"), "build", "-q"], cwd=site, capture_output=True, text=True
        )
    pages = sorted(p for p in family.iterdir() if p.suffix == ".html")
    metas = {}
    for entry in items.values():
        front = (site / entry["file"]).read_text(encoding="utf-8").split("---\n", 2)[1]
        metas[Path(entry["source"].rsplit(":", 1)[0]).name] = yaml.safe_load(front)
    return {
        "metas": metas,
        "family": family.name,
        "pages": len(pages),
        "imported": len(items),
        "second": second.stderr.strip().splitlines()[-1] if second.stderr.strip() else "",
        "i311": first.stdout.count(" I311 "),
        "chrome": dict(chrome),
        "check": check.returncode,
        "check_out": check.stdout[-600:],
        "build": None if built is None else built.returncode,
        "build_out": "" if built is None else (built.stderr[-800:]),
        "first_out": first.stdout,
        "mapping": mapping if mapping.is_file() else None,
    }


def read_fields(path: Path, mapping_file: Path | None) -> dict[str, str]:
    mapping, _ = read_mapping(mapping_file)
    page = read_page(path, mapping.columns)
    values = apply(mapping, page.values)
    return values | {"_hidden": " | ".join(page.hidden)}


def same(name: str, got: str, want: str, alt: list[str]) -> bool:
    got, want = got or "", want or ""
    if name in ("written", "published"):
        try:
            got = parse_date(got).isoformat() if got else ""
        except BadSourceValue:
            return False
        return got == want
    if name == "doc_no":
        return normal_doc_no(got) == normal_doc_no(want) or (not want and got in ("", "-", "无"))
    if name == "validity":
        try:
            return (status_of(got) if got else "") == want
        except BadSourceValue:
            return False
    if name == "topic":
        return label_key(got).replace("\\", "/") == label_key(want).replace("\\", "/")
    if name == "title":
        return label_key(got) in {label_key(want), *(label_key(a) for a in alt)}
    return label_key(got) == label_key(want)


KEY = {"topic": "topics", "validity": "status"}


def shown_status(meta: dict | None, got: dict[str, str]) -> str:
    """The item's 有效性 as imported: its status; 有效 only when the page stated one (a word or the
    dates of a 时效 sentence), else "" (the page states none, whatever the site then shows)."""
    if meta is None:
        return "?"
    if meta.get("status"):
        return meta["status"]
    expires = meta.get("expires")
    if expires and expires < dt.date.today():
        return "失效"
    return "有效" if got.get("status") or expires else ""


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--pages", type=Path, default=REAL / "pages")
    p.add_argument("--expected", type=Path, default=REAL / "expected.json")
    p.add_argument("--work", type=Path, default=REPO / ".cache" / "bench" / "realpages")
    p.add_argument("--no-build", action="store_true", help="skip mkdocs build")
    p.add_argument("--family", action="append", help="only these families")
    p.add_argument("--verbose", "-v", action="store_true", help="print each wrong field and the import reports")
    args = p.parse_args(argv)
    if not args.pages.is_dir():
        print(f"{args.pages} not found: the real pages are not on this machine", file=sys.stderr)
        return 2
    args.work.mkdir(parents=True, exist_ok=True)
    families = [f for f in sorted(args.pages.iterdir()) if f.is_dir() and (not args.family or f.name in args.family)]
    totals: Counter = Counter()
    results = []
    for family in families:
        r = family_run(family, args.work, not args.no_build)
        results.append(r)
        totals["pages"] += r["pages"]
        totals["imported"] += r["imported"]
        totals["i311"] += r["i311"]
        totals["chrome"] += sum(r["chrome"].values())
        totals["check_fail"] += r["check"] != 0
        totals["build_fail"] += bool(r["build"])
        print(
            f"{r['family']:12} imported {r['imported']}/{r['pages']}  I311 {r['i311']}  "
            f"chrome {sum(r['chrome'].values())} {r['chrome'] or ''}  check {'ok' if r['check'] == 0 else 'FAIL'}  "
            f"build {'-' if r['build'] is None else 'ok' if r['build'] == 0 else 'FAIL'}  second run: {r['second']}"
        )
        if args.verbose:
            print("  " + r["first_out"].replace("\n", "\n  ")[:3000])
            if r["check"]:
                print("  check: " + r["check_out"].replace("\n", "\n  "))
            if r["build"]:
                print("  build: " + r["build_out"].replace("\n", "\n  "))
        totals[f"mapping:{r['family']}"] = 1 if r["mapping"] else 0
    expected = json.loads(args.expected.read_text(encoding="utf-8"))
    metas = {name: meta for r in results for name, meta in r["metas"].items()}
    right: Counter = Counter()
    seen: Counter = Counter()
    for rel, want in expected.items():
        family = rel.split("/")[1]
        if args.family and family not in args.family:
            continue
        mapping = MAPPINGS / f"{family}.yml"
        got = read_fields(args.pages.parent / rel, mapping if mapping.is_file() else None)
        for name in FIELDS:
            seen[name] += 1
            if name == "validity":  # as imported: the status written, or worked out from the dates read
                ok = shown_status(metas.get(Path(rel).name), got) == want.get(name, "")
            else:
                ok = same(name, got.get(KEY.get(name, name), ""), want.get(name, ""), want.get("title_alt", []))
            right[name] += ok
            if not ok and args.verbose:
                print(f"  {rel} {name}: got {got.get(KEY.get(name, name), '')!r} want {want.get(name)!r}")
    print(
        f"imported {totals['imported']}/{totals['pages']} ({100 * totals['imported'] / max(totals['pages'], 1):.0f} %), "
        f"I311 reports {totals['i311']}, chrome words in bodies {totals['chrome']}, "
        f"check failing in {totals['check_fail']} families, build failing in {totals['build_fail']}"
    )
    print("fields on the hand-checked pages: " + ", ".join(f"{n} {right[n]}/{seen[n]}" for n in FIELDS))
    return 0


if __name__ == "__main__":
    sys.exit(main())
