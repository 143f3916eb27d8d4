"""Saved detail pages in the structures real government templates use, written here in our own
words (the real pages are in ../shared/realpages/, never copied): where each keeps its metadata
(label and value in sibling elements, `[标签] 值` lists, labels spaced with U+2002, U+3000 or
U+00A0, blocks a script shows), where its body sits (a table cell, an editor div), and the page
chrome around it. Each page's expected values are beside it in TEMPLATES."""

from __future__ import annotations

from pathlib import Path

AGENCY = "云溪市河西区人民政府办公室"
TEXT = (
    "为进一步做好河西区老旧小区改造工作，结合本区实际，现将有关事项通知如下。",
    "一、各街道要在本月底前完成摸底调查，建立改造项目清单。",
    "二、区住建局负责统筹协调，区财政局按规定安排补助资金。",
)
TABLE = "<table><tr><td>街道</td><td>小区数</td></tr><tr><td>文昌街道</td><td>12</td></tr></table>"


def paragraphs(style: str = "") -> str:
    attr = f' style="{style}"' if style else ""
    return "".join(f"<p{attr}>　　{t}</p>" for t in TEXT)


def page(title: str, inner: str, body_attr: str = "", head: str = "") -> str:
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}_通知公告_云溪市河西区</title>{head}</head>'
        f"<body{body_attr}><div class='top'><a href='/'>首页</a> <a href='/xxgk/'>信息公开</a></div>{inner}"
        "<div class='footer'>主办单位：云溪市河西区人民政府办公室 网站标识码：1199000001 ICP备00000000号</div>"
        "</body></html>"
    )


def policy_library(title: str) -> str:
    """政策文件库 (table.bd1): bold labels in cells, value in the next cell, body in td#UCAP-CONTENT,
    spans styled with `-webkit-text-stroke-width: 0px` that everyone sees."""
    stroke = "-webkit-text-stroke-width: 0px; font-size: 16px"
    return page(
        title,
        '<table class="bd1"><tr><td><b>索 引 号：</b></td><td>000014349/1996-00031</td>'
        "<td><b>主题分类：</b></td><td>城乡建设、环境保护\\住房</td></tr>"
        f"<tr><td><b>发文机关：</b></td><td>{AGENCY}</td><td><b>成文日期：</b></td><td>1996年03月02日</td></tr>"
        f'<tr><td><b>标　　题：</b></td><td colspan="3">{title}</td></tr>'
        "<tr><td><b>发文字号：</b></td><td>河政办发[1996]7号</td><td><b>发布日期：</b></td><td>2018年12月04日</td></tr>"
        '</table><table><tr><td id="UCAP-CONTENT">'
        f'<p style="{stroke}">　　<span style="{stroke}">根据河政办发〔1995〕3号文件精神，</span>{TEXT[0]}</p>'
        + "".join(f"<p>　　{t}</p>" for t in TEXT[1:])
        + TABLE
        + '</td></tr></table><div class="share">分享到：微信</div>',
    )


def beijing(title: str) -> str:
    """首都之窗: `[标签] <span>值</span>` list items, a 字号 widget above the text, 有效性 是."""
    return page(
        title,
        '<div class="crumbs">当前位置：首页 &gt; 政策文件</div><ol class="doc-info">'
        '<li>[主题分类] <span class="ztflx">城乡建设、环境保护/住房</span></li>'
        f'<li>[发文机构] <span class="zfdw"></span><span class="fwdw">{AGENCY}</span></li>'
        "<li>[联合发文单位] <span></span></li><li>[实施日期] <span></span></li>"
        "<li>[成文日期] <span>2025-06-30</span></li>"
        "<li>[发文字号] <span><span>河政办发</span><span>〔2025〕</span><span>13号</span></span></li>"
        "<li>[废止日期] <span></span></li><li>[发布日期] <span>2025-07-02</span></li>"
        '<li class="yxx">[有效性] <span>是</span></li></ol>'
        f'<div class="header"><p>{title}</p></div>'
        '<div class="fontsize">字号：<a href="javascript:;">大</a> <a href="javascript:;">中</a> '
        '<a href="javascript:;">小</a></div>'
        f'<div id="mainText"><div class="view TRS_UEDITOR">{paragraphs()}</div></div>',
    )


def guangdong(title: str) -> str:
    """gkmlpt: the whole body hidden until a script shows it; a label with an empty <i> in its cell,
    the value in the next cell; the title again in the article with 发布日期 and 浏览次数."""
    return page(
        title,
        '<div class="classify"><table class="table-info">'
        '<tr><td class="first">索引号：</td><td class="td-value-xl"><span>11990102MB0000001P/2024-00095</span></td>'
        '<td class="second">分类：</td><td class="td-value"><span>其他</span></td></tr>'
        f'<tr><td class="first">发布机构：</td><td class="td-value-xl"><span>{AGENCY}</span></td>'
        '<td class="second"> 成文日期：<i></i> </td><td class="td-value"> <span>2024-05-20</span> </td></tr>'
        '<tr><td class="first">文号：</td><td class="td-value-xl"><span>河建〔2024〕4号</span></td>'
        '<td class="second"> 发布日期： </td><td class="td-value"><span>2024-05-24</span></td></tr>'
        '<tr><td class="all"> 主题词： </td><td class="td-value" colspan="3"><span></span></td></tr></table></div>'
        f'<div class="article"><h1 class="title document-number">{title}</h1>'
        '<div class="date-row"> 发布日期：2024-05-24&nbsp;&nbsp;浏览次数：<span>-</span></div>'
        f'<div class="article-content">{paragraphs()}</div></div>',
        body_attr=" style='visibility: hidden'",
    )


def jcms(title: str) -> str:
    """大汉 JCMS: the metadata table in a display:none block a script shows; 文号 shown as "-"."""
    return page(
        title,
        '<div id="xxgkhide" style="display:none;"><table class="xxgkinfo">'
        "<tr><td>索引号:</td><td>11990102MB0000001P/2024-00168</td><td>公开方式:</td><td>主动公开</td></tr>"
        "<tr><td>文号:</td><td>-</td><td>发布日期:</td><td>2024-03-14</td></tr>"
        f"<tr><td>发布单位:</td><td>{AGENCY}</td><td>有效性:</td><td>有效</td></tr></table></div>"
        f'<p class="con-title">{title}</p><div class="main-txt">{paragraphs()}</div>'
        '<div class="xgxx">相关信息：<a href="/art/1.html">另一篇</a></div>',
    )


def changzhou(title: str) -> str:
    """gi_news: labels spaced with &ensp; in a span, the value after it in the same cell, a
    废止日期, the body in a td with paragraphs and a table, a link to an attachment on the old site."""
    return page(
        title,
        '<table class="govinfo"><tr><td><span class="govinfo_title">索&ensp;引&ensp;号：</span>'
        "11990102MB0000001P/2020-00118</td></tr>"
        f'<tr><td><span class="govinfo_title">信息名称：</span>{title}</td></tr>'
        '<tr><td><span class="govinfo_title">文件编号：</span>河政办发〔2020〕81号</td>'
        f'<td><span class="govinfo_title">发布机构：</span>{AGENCY}</td></tr>'
        '<tr><td><span class="govinfo_title">生成日期：</span>2020-09-11</td>'
        '<td><span class="govinfo_title">公开日期：</span>2020-09-11</td>'
        '<td><span class="govinfo_title">废止日期：</span>2024-12-20 </td></tr></table>'
        '<table><tr><td class="GovInfoContent">'
        + paragraphs()
        + TABLE
        + '<p>附件：<a href="/upfiles/admininfo/2020/anpai.pdf">改造安排.pdf</a></p>'
        '<p><a href="javascript:window.print()">打印</a></p></td></tr></table>',
    )


def hainan(title: str) -> str:
    """开普云 UCAP: `<strong>` labels padded with &nbsp;, the value after them; 时效性 in a div shown
    by a script; the body in <UCAPCONTENT>."""
    return page(
        title,
        '<div class="zwgk_comr1"><ul><li><span><strong>索&nbsp;&nbsp;引&nbsp;号：</strong>'
        "11990102MB0000001P/2023-98682</span><span><strong>主题分类：</strong></span></li>"
        f"<li><span><strong>发文机关：</strong>{AGENCY}</span><span><strong>成文日期：</strong>2023-11-10 18:14 </span></li>"
        f"<li><span><strong>标&nbsp;&nbsp;&nbsp;&nbsp;题：</strong>{title}</span></li>"
        "<li><span><strong>文&nbsp;&nbsp;&nbsp;&nbsp;号：</strong>河公积金〔2023〕14号</span>"
        "<span><strong>发布日期：</strong> 2023-11-10 18:14 </span></li>"
        "<li><span><strong>废止日期：</strong><i></i></span><span><strong>时&nbsp;&nbsp;效&nbsp;性：</strong>"
        '<div id="sxxli"><div class="yxxx" style="display:none">有效</div></div></span></li></ul></div>'
        f'<div id="zoomcon"><UCAPCONTENT>{paragraphs()}</UCAPCONTENT></div>',
    )


def cixi(title: str) -> str:
    """浙江 JCMS (慈溪): labels in <h1>, values in the <p> after; a 规范性文件编号 whose
    `文件编号` is not the 文号; 有效性 given."""
    return page(
        title,
        '<div class="flex"><h1>索引号：</h1><p>11990102MB0000001P/2023-175371</p></div>'
        f'<div class="flex"><h1>发布机构：</h1><p>{AGENCY}</p></div>'
        '<div class="flex"><h1>规范性文件编号：</h1><p>HXSD16-2023-0002</p></div>'
        '<div class="flex"><h1>有效性：</h1><p>有效</p></div>'
        '<div class="flex"><h1>发布日期：</h1><p>2023-04-24</p><h1>成文日期：</h1><p>2023-04-21</p></div>'
        '<div class="flex"><h1>文件编号：</h1><p>河住建〔2023〕36号</p></div>'
        f'<div class="article" id="zoom"><h1>{title}</h1>'
        '<div class="sp_time"><span>发布日期：2023-04-24 15:12</span> <span>信息来源：区住建局</span></div>'
        f"{paragraphs()}</div>",
    )


# file → (builder, title, expected values as the item shows them)
TEMPLATES = {
    "bd1.html": (
        policy_library,
        "河西区人民政府办公室关于做好老旧小区改造的通知",
        {
            "index_no": "000014349/1996-00031",
            "doc_no": "河政办发〔1996〕7号",
            "written": "1996-03-02",
            "published": "2018-12-04",
            "topics": ["城乡建设、环境保护"],
        },
    ),
    "bj.html": (
        beijing,
        "河西区人民政府办公室关于印发老旧小区改造工作措施的通知",
        {"doc_no": "河政办发〔2025〕13号", "written": "2025-06-30", "published": "2025-07-02"},
    ),
    "gd.html": (
        guangdong,
        "关于进一步优化老旧小区改造政策的通知",
        {
            "index_no": "11990102MB0000001P/2024-00095",
            "doc_no": "河建〔2024〕4号",
            "written": "2024-05-20",
            "published": "2024-05-24",
        },
    ),
    "jcms.html": (
        jcms,
        "关于进一步优化老旧小区改造措施的通知",
        {"index_no": "11990102MB0000001P/2024-00168", "published": "2024-03-14"},
    ),
    "cz.html": (
        changzhou,
        "区政府办公室关于进一步促进老旧小区改造的通知",
        {
            "index_no": "11990102MB0000001P/2020-00118",
            "doc_no": "河政办发〔2020〕81号",
            "written": "2020-09-11",
            "published": "2020-09-11",
            "status": "废止",
        },
    ),
    "hn.html": (
        hainan,
        "关于优化老旧小区改造资金使用的通知",
        {
            "index_no": "11990102MB0000001P/2023-98682",
            "doc_no": "河公积金〔2023〕14号",
            "written": "2023-11-10",
            "published": "2023-11-10",
        },
    ),
    "cx.html": (
        cixi,
        "河西区住房和城乡建设局关于印发老旧小区改造奖补细则的通知",
        {
            "index_no": "11990102MB0000001P/2023-175371",
            "doc_no": "河住建〔2023〕36号",
            "written": "2023-04-21",
            "published": "2023-04-24",
        },
    ),
}


def write_templates(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, (build, title, _) in TEMPLATES.items():
        (folder / name).write_text(build(title), encoding="utf-8")
