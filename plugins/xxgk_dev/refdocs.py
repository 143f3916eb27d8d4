"""The reference generated from the code: docs/codes.md whole, the marked parts of
docs/format.md (fields, options, statuses), so that neither can drift from what the build does,
and the layer table (xxgk.LAYERS) in DEVELOPING.md and in the package's docstring.

    scripts/docs           rewrite them
    scripts/docs --check   exit 1 when they are stale (tests/test_docs.py does the same)
"""

from __future__ import annotations

import re
import sys
import textwrap
from collections.abc import Callable, Sequence
from pathlib import Path

from xxgk import LAYERS
from xxgk.core import fields as F
from xxgk.core import ledger as L
from xxgk.core import options as O
from xxgk.core.codes import CODES, ERROR
from xxgk.core.status import KINDS

DOCS = Path(__file__).resolve().parents[2] / "docs"
DEVELOPING = DOCS.parent / "DEVELOPING.md"
PACKAGE = DOCS.parent / "plugins" / "xxgk" / "__init__.py"
DOCSTRING = re.compile(r'\A(""".*?LAYERS:\n)(.*?)(^""")', re.S | re.M)  # the generated part: the rest
BLOCK = re.compile(r"(<!-- generated: (\w+) -->\n).*?(<!-- end generated -->)", re.S)
GROUPS = (  # (code prefixes, heading): every code must fall in one
    (("E0",), "站点设置"),
    (("E1",), "内容（错误，构建停止）"),
    (("W2",), "内容（警告）"),
    (("E3",), "构建后的站点"),
    (("E4",), "依申请公开台账与年度统计（错误）"),
    (("W4",), "依申请公开台账与年度报告（警告）"),
    (("E5", "W5"), "用语检查（严重表述错误）"),
    (("W6",), "门户：成员站点"),
    (("E7", "W7"), "门户：搜索引擎（xxgk portal-index）"),
    (("I3",), "导入（xxgk import）"),
)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _table(head: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def codes_md() -> str:
    out = [
        "# 问题代码一览\n",
        "<!-- 本文件由 scripts/docs 根据 plugins/xxgk/core/codes.py 生成，请勿手改。 -->\n",
        "`xxgk check` 和构建报告的每个问题都写成 `文件:行号: 代码 说明`。"
        "E 开头的是错误：构建停止，改正后才能发布；W 开头的是警告：照常构建，请核对。"
        "说明里已写明这一处该怎么改；下表是每个代码的含义和一般的处理办法。\n",
    ]
    for prefixes, title in GROUPS:
        rows = [
            (f"`{c.code}`", "错误" if c.severity == ERROR else "警告", c.title, c.fix)
            for c in CODES.values()
            if c.code.startswith(prefixes)
        ]
        if rows:
            out += [f"## {title}\n", _table(("代码", "级别", "问题", "怎么改"), rows)]
    stray = [c for c in CODES if not c.startswith(tuple(p for prefixes, _ in GROUPS for p in prefixes))]
    if stray:  # a code docs/codes.md would leave out: give its hundred a heading above
        raise SystemExit(f"refdocs: no heading in GROUPS for {', '.join(stray)}")
    return "\n".join(out)


def _field_value(f: F.Field) -> str:
    if f.choices:
        return "、".join(f"`{c}`" for c in f.choices) + (f"；{f.note}" if f.note else "")
    return f.note


def fields_block() -> str:
    rows = [(f"`{f.key}`", f.label, f.requirement, _field_value(f)) for f in F.FIELDS.values()]
    return _table(("键", "中文名", "是否必填", "怎么写"), rows)


def options_block() -> str:
    rows = []
    for key in O.OPTIONS:
        value = O.default(key)
        shown = (
            "不写"
            if value is None
            else ", ".join(value)
            if isinstance(value, list)
            else str(value).lower()
            if isinstance(value, bool)
            else str(value)
        )
        rows.append((f"`{key}`", O.spec(key).help, O.spec(key).shape, f"`{shown}`"))
    return _table(("设置项", "含义", "取值", "默认"), rows)


def statuses_block() -> str:
    rows = [
        (f"`{k.label}`", k.meaning, "是" if k.in_force else "", "是" if k.repealed else "", f"`xx-status--{k.css}`")
        for k in KINDS.values()
    ]
    return _table(("有效性", "含义", "列入“现行有效”", "列入“已废止、失效”（搜索时可不显示）", "标签样式"), rows)


def _imports(layer: str) -> str:
    return ", ".join(LAYERS[layer][1]) or "nothing"


def layers_block() -> str:
    """DEVELOPING.md's table of the layers, bottom to top."""
    rows = [(f"`{name}/`", _imports(name).replace(", ", " "), what) for name, (what, _) in LAYERS.items()]
    return _table(("layer", "may import", "what it holds"), rows)


def layers_docstring() -> str:
    """The same table for the package's docstring, wrapped."""
    lines = []
    for name, (what, _) in LAYERS.items():
        text = f"{what.replace('`', '')}. Imports: {_imports(name)}."
        lines += textwrap.wrap(text, 92, initial_indent=f"    {name + '/':<11}", subsequent_indent=" " * 15)
    return "\n".join(lines) + "\n"


def package_init(text: str) -> str:
    """xxgk/__init__.py with its docstring's table made afresh."""
    return DOCSTRING.sub(lambda m: m[1] + "\n" + layers_docstring() + m[3], text, count=1)


def ledger_block() -> str:
    """What each key of a case file takes (core/ledger.py)."""
    rows = [
        ("`channel`", "申请渠道", "、".join(L.CHANNELS)),
        ("`applicant`", "申请人类型（年报表三的列）", "、".join(L.APPLICANTS)),
        ("`events[].type`", "事件类型", "、".join(L.EVENT_TYPES)),
        ("`events[].result`", "答复结果（只用于“答复”，年报表三的行）", "<br>".join(f"`{r}`" for r in L.RESULTS)),
        ("`appeals[].kind`", "复议诉讼类别（年报表四的行）", "、".join(L.APPEAL_KINDS)),
        ("`appeals[].outcome`", "审结结果（尚未审结的不写）", "、".join(L.OUTCOMES)),
    ]
    return _table(("键", "含义", "可选值"), rows)


BLOCKS: dict[str, Callable[[], str]] = {
    "fields": fields_block,
    "options": options_block,
    "statuses": statuses_block,
    "layers": layers_block,
    "ledger": ledger_block,
}


def format_md(text: str) -> str:
    """docs/format.md (or DEVELOPING.md) with every marked block made afresh."""
    return BLOCK.sub(lambda m: m[1] + BLOCKS[m[2]]() + m[3], text)


def expected() -> dict[Path, str]:
    fmt = DOCS / "format.md"
    return {
        DOCS / "codes.md": codes_md(),
        fmt: format_md(fmt.read_text(encoding="utf-8")),
        DEVELOPING: format_md(DEVELOPING.read_text(encoding="utf-8")),
        PACKAGE: package_init(PACKAGE.read_text(encoding="utf-8")),
    }


def main(argv: list[str]) -> int:
    stale = [p for p, text in expected().items() if not p.exists() or p.read_text(encoding="utf-8") != text]
    if "--check" in argv:
        for p in stale:
            print(f"{p.relative_to(DOCS.parent)} 已过时：请运行 scripts/docs", file=sys.stderr)
        return 1 if stale else 0
    for p, text in expected().items():
        p.write_text(text, encoding="utf-8")
    print("已生成：" + "、".join(str(p.relative_to(DOCS.parent)) for p in expected()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
