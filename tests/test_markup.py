"""Bodies are safe HTML (issue 14, row 4): what runs or loads is an error at its line before
the build, what disclosure documents need passes, and the renderer applies the same
allow-list (nh3) so that nothing refused reaches a page either way."""

import pytest

from xxgk.rules.markup import clean, findings

NOTICE = "content/items/2024/bgs/notice.md"
HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=# onerror=alert(1)>",
    '<div onmouseover="alert(1)">悬停</div>',
    '<a href="javascript:alert(1)">点击</a>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<object data="x.swf"></object>',
    '<embed src="x.swf">',
    '<form action="https://example.com/"><input name="q"></form>',
    "<style>body{display:none}</style>",
    '<meta http-equiv="refresh" content="0;url=https://example.com/">',
    '<a href="JaVa&#115;cript:alert(1)">实体编码</a>',
    '<a href="java\tscript:alert(1)">夹杂 Tab</a>',
    '<img src="data:image/svg+xml;base64,PHN2Zz4=">',
    '<a href="vbscript:msgbox(1)">vb</a>',
    "[点击](javascript:alert(2))",
    "![图](data:image/png;base64,AAAA)",
    "[参考]: vbscript:msgbox",
    '## 小标题 {: onclick="alert(3)" }',
    '<p style="background:url(https://example.com/x.png)">样式</p>',
]
NEEDED = """<table>
<tr><th colspan="2" align="center">合并表头</th></tr>
<tr><td rowspan="2" style="text-align: right;">合并行</td><td valign="top">1</td></tr>
</table>

H<sub>2</sub>O，10<sup>3</sup> 元<br>第二行，<u>下划线</u>

<div align="right">云溪市人民政府办公室</div>

| 项目 | 金额 |
|:--|--:|
| 合计 | 100 |

行内代码 `<script>` 与代码块不算：

```
<script>alert(1)</script>
```

[政府网](https://www.gov.cn/)、[本站](../../../about/)、[邮件](mailto:xxgk@example.gov.cn)、<https://www.gov.cn/>
"""


@pytest.mark.parametrize("snippet", HOSTILE)
def test_each_kind_of_active_markup_is_found(snippet):
    assert findings(f"正文第一行。\n\n{snippet}\n") != [], snippet
    assert findings(f"正文第一行。\n\n{snippet}\n")[0][0] == 3


def test_what_documents_need_passes_the_check_and_the_cleaner():
    assert findings(NEEDED) == []
    import markdown

    html = markdown.markdown(NEEDED, extensions=["tables", "attr_list"])
    cleaned = clean(html)
    for kept in (
        'colspan="2"',
        'rowspan="2"',
        "<sub>2</sub>",
        "<sup>3</sup>",
        "<br>",
        "<u>",
        'align="right"',
        "text-align:right",
        'href="https://www.gov.cn/"',
        'href="../../../about/"',
    ):
        assert kept in cleaned, kept


def test_the_cleaner_removes_what_the_check_refuses():
    import markdown

    html = markdown.markdown("\n\n".join(HOSTILE), extensions=["tables", "attr_list"])
    cleaned = clean(html).lower()
    for gone in (
        "<script",
        "onerror",
        "onmouseover",
        "onclick",
        "javascript:",
        "vbscript:",
        "data:",
        "<iframe",
        "<object",
        "<embed",
        "<form",
        "<style",
        "<meta",
        "background",
    ):
        assert gone not in cleaned, gone


@pytest.mark.build
def test_hostile_body_stops_check_and_build_at_its_lines(mini):
    lines = "\n\n".join(HOSTILE)
    mini.edit(NOTICE, "各有关单位：请做好信息公开工作。", f"各有关单位：请做好信息公开工作。\n\n{lines}")
    result = mini.check()
    assert result.code == 1
    text = mini.read(NOTICE).splitlines()
    for snippet in HOSTILE:
        line = text.index(snippet) + 1
        assert f"{NOTICE}:{line}: E145" in result.out, snippet
    built = mini.build()
    assert built.code == 1 and "E145" in built.text and not (mini.path / "site").exists()


def test_renderer_applies_the_allow_list_to_every_page(mini):
    """The check is one guard; the renderer is the other (a page built without the check)."""
    from mkdocs.config import load_config
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.pages import Page

    from xxgk.adapter.plugin import XxgkPlugin

    config = load_config(str(mini.path / "mkdocs.yml"))
    page = Page(None, File("about.md", str(mini.path / "content"), str(mini.path / "site"), True), config)
    page.markdown = "<script>alert(1)</script>"
    out = XxgkPlugin().on_page_content(
        '<p>x</p><script>alert(1)</script><img src=x onerror="a()">', page, config, Files([page.file])
    )
    assert "<script" not in out and "onerror" not in out and "<p>x</p>" in out


@pytest.mark.build
def test_needed_html_is_published(mini):
    mini.edit(NOTICE, "各有关单位：请做好信息公开工作。", NEEDED)
    result = mini.build()
    assert result.code == 0, result.text
    page = mini.html("items/11990100MB0000001T/2024-00003")
    assert 'colspan="2"' in page and 'rowspan="2"' in page and "<sup>3</sup>" in page and "<u>下划线</u>" in page


@pytest.mark.build
def test_markup_in_front_matter_and_catalog_text_is_escaped_everywhere(mini):
    """Titles, summaries and catalog names are text: whatever they hold is shown, never run, on
    every page and feed (catalog.json and .csv carry it as data, which no browser runs)."""
    payload = '<img src=x onerror="alert(1)">'
    mini.edit(NOTICE, "title: 关于做好年度信息公开工作的通知", f"title: 关于做好年度信息公开工作的通知{payload}")
    mini.edit(NOTICE, "category: tzgg", f"category: tzgg\nsummary: '概述{payload}'\nkeywords: ['{payload}']")
    mini.edit("catalog/catalog.yml", "name: 政策文件", f"name: '政策文件{payload}'")
    result = mini.build()
    assert result.code == 0, result.text
    site = mini.path / "site"
    leaked = [
        p.relative_to(site).as_posix()
        for p in site.rglob("*")
        if p.is_file() and p.suffix in (".html", ".xml", ".js") and b"<img src=x" in p.read_bytes()
    ]
    assert leaked == []
    assert "&lt;img src=x" in mini.html("items/11990100MB0000001T/2024-00003")
