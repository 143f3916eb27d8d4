"""Sources for the import tests, written here: saved detail pages in four layouts of old sites, and
spreadsheets in the dialects office software exports (xlsx with a title row, GBK CSV), with the
seeds' real text as bodies (fixtures/onboard/seeds.yml)."""

from __future__ import annotations

import csv
import datetime as dt
import html
from pathlib import Path

import yaml

SEEDS = yaml.safe_load((Path(__file__).parent / "fixtures" / "onboard" / "seeds.yml").read_text(encoding="utf-8"))
DOCS = {d["seed"]: d for d in SEEDS}
CHROME = ("当前位置", "分享到", "打印本页", "关闭窗口", "字号", "相关链接", "上一篇", "版权所有")


def paragraphs_html(seed: str) -> str:
    return "".join(f"<p>　　{html.escape(p)}</p>" for p in DOCS[seed]["paragraphs"])


HEAD = '<!DOCTYPE html><html><head><meta charset="{charset}"><title>{title}_云溪市河西区人民政府</title></head><body>'
TOP = (
    '<div class="top"><a href="../index.html">首页</a> | 政务公开 | 互动交流</div>'
    '<div class="crumb">当前位置：<a href="../index.html">首页</a> &gt; 政府信息公开 &gt; 其他文件</div>'
)
TAIL = (
    '<div class="tools">【<a href="javascript:window.print()">打印本页</a>】【<a href="javascript:window.close()">关闭窗口</a>】</div>'
    '<div class="bdshare">分享到：微信 微博 QQ空间</div>'
    '<div class="xglj"><h3>相关链接</h3><ul><li><a href="../other.html">河西区2017年政务公开工作要点</a></li></ul></div>'
    '<div class="foot">版权所有：云溪市河西区人民政府办公室 地址：文昌路88号</div></body></html>'
)


def table_layout(d: dict, index_no: str) -> str:
    """The State Council policy-library layout: a label/value table above the text, spaced labels."""
    return (
        HEAD.format(charset="gbk", title=d["title"])
        + TOP
        + '<table class="xxgk_table"><tr><td>索 引 号：</td><td>'
        + index_no
        + "</td><td>主题分类：</td><td>综合政务</td></tr>"
        + "<tr><td>发布机构：</td><td>云溪市河西区人民政府</td><td>成文日期：</td><td>"
        + _cn(d["written"])
        + "</td></tr>"
        + '<tr><td>名　　称：</td><td colspan="3">'
        + d["title"]
        + "</td></tr>"
        + "<tr><td>文　　号：</td><td>河政办[2018]10号</td><td>发布日期：</td><td>"
        + _cn(d["published"])
        + "</td></tr></table>"
        + f"<h1>{d['title']}</h1>"
        + '<div class="fontsize">字号：【大 中 小】</div>'
        + '<div id="zoom">'
        + paragraphs_html(d["seed"])
        + '<p>附件：<a href="files/anpai.pdf">2018年政务公开重点工作安排.pdf</a></p></div>'
        + TAIL
    )


def dl_layout(d: dict, index_no: str) -> str:
    """A `dl` of metadata, the body in a plain div; seed 001 carries its injected spam."""
    return (
        HEAD.format(charset="utf-8", title=d["title"])
        + TOP
        + f'<div class="article"><h2>{d["title"]}</h2>'
        + f"<dl><dt>索引号</dt><dd>{index_no}</dd><dt>发布机构</dt><dd>云溪市河西区人民政府</dd>"
        + f"<dt>发布日期</dt><dd>{d['published']}</dd><dt>目录分类</dt><dd>政府信息公开年度报告</dd>"
        + "<dt>有效性</dt><dd>现行有效</dd></dl>"
        + '<div class="text">'
        + paragraphs_html(d["seed"])
        + '<div style="display:none">欧博abg 真人视讯 <a href="http://casino.example/">娱乐城</a></div></div></div>'
        + TAIL
    )


def runs_layout(d: dict, index_no: str) -> str:
    """标签：值 runs on lines of their own, full-width colons and spaces, like seed 002's page."""
    return (
        HEAD.format(charset="utf-8", title=d["title"])
        + TOP
        + f'<div class="main"><div class="title">{d["title"]}</div>'
        + f'<div class="info">索 引 号：{index_no}　发布机构：云溪市河西区人民政府　文　号：河政发（2017）3号</div>'
        + f'<div class="info2">作者：　来源：本站　更新时间：{d["published"]} 09:06:34　浏览次数：12</div>'
        + '<div class="txt">'
        + paragraphs_html(d["seed"])
        + '<p>详见<a href="http://www.example-casino.com/">外部链接</a>。</p></div>'
        + "<div>上一篇：无　下一篇：无</div></div>"
        + TAIL
    )


def spans_layout(d: dict, index_no: str) -> str:
    """Labels in spans inside a list, the body in .TRS_Editor, an image saved beside the page."""
    return (
        HEAD.format(charset="utf-8", title=d["title"])
        + TOP
        + f'<h1>{d["title"]}</h1><ul class="meta">'
        + f"<li><span>【索引号】</span>{index_no}</li><li><span>【发布机构】</span>云溪市河西区人民政府</li>"
        + f"<li><span>【发布日期】</span>{_cn(d['published'])}</li><li><span>【时效】</span>有效</li></ul>"
        + '<div class="TRS_Editor">'
        + paragraphs_html(d["seed"])
        + '<p><img src="files/tu.png" alt="示意图"></p></div>'
        + TAIL
    )


def _cn(iso: str) -> str:
    y, m, d = iso.split("-")
    return f"{y}年{int(m)}月{int(d)}日"


PAGES = {  # file → (layout, seed, index_no)
    "p-table.html": (table_layout, "000", "11990102MB0000001P/2018-00101"),
    "p-dl.html": (dl_layout, "001", "11990102MB0000001P/2019-00007"),
    "p-runs.html": (runs_layout, "002", "11990102MB0000001P/2017-00003"),
    "p-spans.html": (spans_layout, "003", "11990102MB0000001P/2019-00015"),
}
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def write_pages(folder: Path) -> None:
    (folder / "files").mkdir(parents=True, exist_ok=True)
    (folder / "files" / "anpai.pdf").write_bytes(b"%PDF-1.4\n% test attachment\n")
    (folder / "files" / "tu.png").write_bytes(PNG)
    for name, (layout, seed, index_no) in PAGES.items():
        text = layout(DOCS[seed], index_no)
        (folder / name).write_bytes(text.encode("gbk" if 'charset="gbk"' in text else "utf-8", "xmlcharrefreplace"))


def write_docx(path: Path, seed: str) -> None:
    from docx import Document

    doc = Document()
    for p in DOCS[seed]["paragraphs"]:
        doc.add_paragraph(p)
    doc.save(str(path))


# spreadsheet: a title row, then the header names one old system used
XLSX_HEADER = [
    "索引号",
    "信息名称",
    "发文机关",
    "文号",
    "成文日期",
    "发布日期",
    "主题分类",
    "所属栏目",
    "有效性",
    "正文文件",
    "备注",
]


def write_xlsx(folder: Path) -> Path:
    from openpyxl import Workbook

    folder.mkdir(parents=True, exist_ok=True)
    write_docx(folder / "004.docx", "004")
    write_docx(folder / "003.docx", "003")
    (folder / "000.pdf").write_bytes(b"%PDF-1.4\n% scanned original\n")
    book = Workbook()
    sheet = book.active
    sheet.append(["云溪市河西区人民政府信息公开目录（导出）"])
    sheet.append(XLSX_HEADER)
    sheet.append(
        [
            "11990102MB0000001P/2021-00012",
            DOCS["004"]["title"],
            "云溪市河西区人民政府",
            "河政办函[2021]5号",
            "二〇二一年三月十日",
            dt.datetime(2021, 3, 15, 9, 30),
            "综合政务",
            "征求意见",
            "有效",
            "004.docx",
            "x",
        ]
    )
    sheet.append(
        [
            "",
            DOCS["003"]["title"],
            "云溪市河西区人民政府",
            "",
            "",
            "2019/4/2",
            "市场监管",
            "其他文件",
            "",
            "003.docx",
            "",
        ]
    )
    sheet.append(
        ["", "正文文件不存在的条目", "云溪市河西区人民政府", "", "", "2019-05-06", "", "其他文件", "", "缺.docx", ""]
    )
    sheet.append(["", "发布机构不认识的条目", "河西区老干部局", "", "", "2019年13月1日", "", "其他文件", "", "", ""])
    sheet.append(
        [
            "11990102MB0000001P/2018-00020",
            "附件是扫描件的条目",
            "云溪市河西区人民政府",
            "(2018)1号",
            "",
            "2018-09-01 17:10",
            "综合政务",
            "政策文件/其他文件",
            "已失效",
            "000.pdf",
            "",
        ]
    )
    path = folder / "catalog.xlsx"
    book.save(str(path))
    return path


CSV_HEADER = ["索 引 号", "标题", "发布单位", "发文字号", "公开日期", "时效", "内容概述", "正文"]


def write_gbk_csv(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    d = DOCS["002"]
    rows = [
        CSV_HEADER,
        [
            "11990102MB0000001P/2017-00021",
            d["title"] + "（转载）",
            "云溪市河西区人民政府",
            "河政发〔2017〕9号",
            "2017/7/3",
            "有效",
            "部署全年政务公开工作。",
            "\n".join(d["paragraphs"]).replace("\xa0", " "),
        ],
        ["11990102MB0000001P/2017-00022", "缺少日期的条目", "云溪市河西区人民政府", "", "", "", "", "正文"],
    ]
    path = folder / "old.csv"
    with path.open("w", encoding="gbk", newline="") as out:
        csv.writer(out).writerows(rows)
    return path


MAPPING = """\
defaults: {category: qtwj}
aliases:
  topic: {市场监管: 市场监管、安全生产监管}
  category: {征求意见: zqyj}
"""
