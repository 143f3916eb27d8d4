"""Issue 30, bounded work: bodies nested too deep or too long are E173 before rendering, a
run of `[` renders in linear time, and office files that would unpack to gigabytes, CSV
cells over the field limit and spreadsheets with a DTD end in a message, not a traceback."""

from __future__ import annotations

import time
import zipfile

import markdown
import pytest

from xxgk.core import ziplimits
from xxgk.core.options import read_mkdocs_yml
from xxgk.onboard.mapping import read_mapping
from xxgk.onboard.sources import Unreadable, incoming
from xxgk.rules import analyse
from xxgk.rules.attachment_text import Unreadable as NoText
from xxgk.rules.attachment_text import extract

NOTICE = "content/items/2024/bgs/notice.md"
EXTENSIONS = ["tables", "attr_list", "toc"]


def found(site, code):
    return [(p.path, p.line, p.message) for p in analyse(read_mkdocs_yml(site.path)).problems if p.code == code]


@pytest.mark.parametrize(
    "body",
    ["".join("    " * i + "- 项\n" for i in range(40)), "> " * 40 + "引用\n", "\t" * 20 + "- 项\n"],
)
def test_deep_nesting_is_e173_at_its_line(mini, body):
    mini.write(NOTICE, mini.read(NOTICE) + "\n" + body)
    (problem,) = found(mini, "E173")
    assert problem[0] == NOTICE and problem[1] >= 10 and "嵌套过深" in problem[2]


def test_ordinary_nesting_passes(mini):
    mini.write(NOTICE, mini.read(NOTICE) + "\n" + "".join("    " * i + "- 项\n" for i in range(6)))
    assert found(mini, "E173") == []


def test_an_overlong_body_is_e173(mini, monkeypatch):
    from xxgk.rules import bounds

    monkeypatch.setattr(bounds, "MAX_BODY_CHARS", 1000)
    mini.write(NOTICE, mini.read(NOTICE) + "正文" * 600)
    assert [p[:2] for p in found(mini, "E173")] == [(NOTICE, 9)]


def test_brackets_render_in_linear_time_with_the_same_html():
    plain = markdown.Markdown(extensions=EXTENSIONS)
    linear = markdown.Markdown(extensions=[*EXTENSIONS, "xxgk.adapter.mdlinear"])
    started = time.monotonic()
    linear.convert("[" * 40_000)
    assert time.monotonic() - started < 5  # 40,000 `[`: minutes without the extension
    for text in ["[a](b) [c][d]\n\n[d]: http://x", "![i](j 't') [[n]](m) [x", "[a [b] c](d) ][", "\\[a](b)"]:
        plain.reset()
        linear.reset()
        assert linear.convert(text) == plain.convert(text)


# Every inline pattern of Markdown, alone, nested, next to each other and where one starts
# after another has matched (the step's start index), in Chinese prose and in English.
INLINE = [
    "《关于印发某办法的通知》，各单位：现将有关事项通知如下。\n第二行（含全角括号）：完毕。",
    "`代码 \\` 与 ``a`b`` \\\\`x` \\*不是强调\\* \\_也不是\\_",
    "**粗体** *斜体* ***两者*** __粗__ _斜_ a_b_c * 单独 * 2*3*4 **未闭合",
    '[链接](http://a.example/ "题") ![图](/i.png) [引用][r] [r] ![图][r] [[嵌套]](b.md)\n\n[r]: http://r.example',
    '<http://auto.example/x> <me@mail.example> <span class="x">行内 **HTML**</span> <!-- 注释 --> &amp; &#169; &copy',
    "行末两个空格  \n换行 [含 *强调* 的链接](c.md) *含 [链接](d.md) 的强调* `码`**紧跟**",
    "| 项目 | *数量* |\n|---|---|\n| `甲` | [1](e.md) |",
    "# 标题 *强调* {: #id }\n\n段落{ .note } __粗__体",
]


def test_inline_patterns_are_tried_only_where_they_can_match(monkeypatch):
    """Issue 35: the same HTML as Markdown's own inline step, which (with the extension) no
    longer tries a pattern on a text its expression finds nothing in."""
    from markdown.treeprocessors import InlineProcessor

    from xxgk.adapter.mdlinear import QuickInline

    plain = markdown.Markdown(extensions=EXTENSIONS)
    quick = markdown.Markdown(extensions=[*EXTENSIONS, "xxgk.adapter.mdlinear"])
    assert type(quick.treeprocessors["inline"]) is QuickInline
    for text in INLINE:
        plain.reset()
        quick.reset()
        assert quick.convert(text) == plain.convert(text), text
    tried = []
    apply = InlineProcessor._InlineProcessor__applyPattern

    def counted(self, pattern, *args):
        tried.append(pattern)
        return apply(self, pattern, *args)

    monkeypatch.setattr(InlineProcessor, "_InlineProcessor__applyPattern", counted)
    quick.reset().convert(INLINE[0])  # prose with none of the patterns' characters
    assert tried == []
    plain.reset().convert(INLINE[0])
    assert len(tried) >= 10  # the unchanged step tries every pattern


def _bomb(path, inner: str):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr(inner, b" " * (20 * 1024 * 1024))  # 20 MB of spaces: about 20 KB packed
    return path


def test_a_docx_bomb_is_not_unpacked(tmp_path):
    bomb = _bomb(tmp_path / "bomb.docx", "word/document.xml")
    assert bomb.stat().st_size < 200_000
    with pytest.raises(NoText, match="压缩炸弹"):
        extract(bomb, tmp_path / "cache")


def test_limits_hold_on_the_declared_sizes(tmp_path, monkeypatch):
    monkeypatch.setattr(ziplimits, "MAX_UNPACKED", 1000)
    with zipfile.ZipFile(tmp_path / "a.xlsx", "w") as z:
        z.writestr("x.xml", "x" * 2000)
    with pytest.raises(ziplimits.TooLarge, match="超过"):
        ziplimits.check(tmp_path / "a.xlsx")


def _read(path):
    mapping, problems = read_mapping(None)
    assert not problems
    return list(incoming([path], mapping))


def test_import_sources_that_cost_too_much_are_unreadable(tmp_path):
    big = tmp_path / "big.csv"
    big.write_text("索引号,标题,发布日期\nA/2024-00001," + "长" * 200_000 + ",2024-01-01\n", encoding="utf-8")
    bomb = _bomb(tmp_path / "bomb.xlsx", "xl/sharedStrings.xml")
    dtd = tmp_path / "dtd.xlsx"
    _dtd_workbook(dtd)
    for path in (big, bomb, dtd):
        unreadable = [r for r in _read(path) if isinstance(r, Unreadable)]
        assert len(unreadable) == 1, path
        assert "无法" in unreadable[0].message or "压缩炸弹" in unreadable[0].message


def _dtd_workbook(path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["索引号", "标题", "发布日期"])
    book.active.append(["A/2024-00001", "标题", "2024-01-01"])
    book.save(path)
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode("utf-8")
    evil = '<!DOCTYPE worksheet [<!ENTITY e SYSTEM "file:///etc/hostname">]>'
    row = '<row r="3"><c r="A3" t="inlineStr"><is><t>&e;</t></is></c></row>'
    parts["xl/worksheets/sheet1.xml"] = (evil + sheet.replace("</sheetData>", row + "</sheetData>", 1)).encode("utf-8")
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)


def test_a_workbook_without_sheets_is_unreadable(tmp_path):
    """Found by the table fuzzer (docs/fuzzing.md): no sheet was an IndexError."""
    import re

    from openpyxl import Workbook

    path = tmp_path / "empty.xlsx"
    Workbook().save(path)
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts["xl/workbook.xml"] = re.sub(rb"<sheet [^>]*/>", b"", parts["xl/workbook.xml"])
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    (unreadable,) = [r for r in _read(path) if isinstance(r, Unreadable)]
    assert "无法读取" in unreadable.message
