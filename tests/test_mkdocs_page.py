"""Pages rendered with the shared Markdown converter equal MkDocs' own render."""

from __future__ import annotations

import re
from pathlib import Path

import material
import pytest
from mkdocs.config import load_config
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import get_files
from mkdocs.structure.pages import Page

from conftest import ROOT
from xxgk.adapter.page import Converter, SharedPage
from xxgk.adapter.plugin import TEMPLATES, theme_stylesheet

# Each page exercises what a converter carries from one page to the next: heading ids
# (toc), footnote-like references, attr_list, tables, raw HTML ids, links and anchors.
PAGES = {
    "a.md": "# 第一页\n\n## 一、总则\n\n见[第二页](b.md#二附则)与[本页](#一总则)。\n\n[参考]: b.md\n\n"
    "| 项目 | 数量 |\n|---|---|\n| 甲 | 1 |\n\n段落{ .note }\n",
    "b.md": '## 二、附则\n\n<div id="raw-anchor">原样</div>\n\n## 一、总则\n\n[回到第一页][参考]\n\n[参考]: a.md\n',
    "c.md": "没有标题的一页，只有正文。\n",
}


def _render(make_page, tmp_path: Path) -> list[tuple]:
    docs = tmp_path / "docs"
    for name, text in PAGES.items():
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text(text, encoding="utf-8")
    config_file = ROOT / "mkdocs.yml"
    config = load_config(str(config_file), docs_dir=str(docs), site_dir=str(tmp_path / "site"), plugins=[])
    files = get_files(config)
    out = []
    for file in files.documentation_pages():
        page = make_page(file, config)
        page.read_source(config)
        page.render(config, files)
        if isinstance(page, SharedPage):  # converted just before its template (see SharedPage)
            page.convert(config)
        out.append(
            (
                file.src_uri,
                page.content,
                str(page.toc),
                page.title,
                sorted(page.present_anchor_ids),
                page.links_to_anchors and {f.src_uri: v for f, v in page.links_to_anchors.items()},
            )
        )
    return out


def test_shared_converter_renders_like_mkdocs(tmp_path):
    own = _render(lambda file, config: Page(None, file, config), tmp_path / "own")
    converters: dict[int, Converter] = {}

    def shared_page(file, config):
        return SharedPage(file, config, converters.setdefault(id(config), Converter(config)))

    shared = _render(shared_page, tmp_path / "shared")
    assert len(converters) == 1 and converters.popitem()[1].md is not None
    assert shared == own
    # heading ids start afresh on every page: a converter carrying state would go on at _3
    assert [anchors for *_, anchors, _ in shared] == [["_1", "_2"], ["_1", "_2", "raw-anchor"], []]


def test_the_frame_links_the_themes_stylesheet_by_its_hashed_name(tmp_path, demo_build):
    """main.html replaces Material's base.html and links its stylesheet, whose name changes
    with each Material version: read from the theme, and a theme without one is named.
    Every page of the demo links it, and the file is in the site."""
    theme = Path(material.__file__).parent / "templates"
    found = theme_stylesheet([str(tmp_path), str(TEMPLATES), str(theme)])
    assert found.startswith("assets/stylesheets/main.") and (theme / found).is_file()
    assert f"\"{{{{ '{found}' | url }}}}\"" in (theme / "base.html").read_text(
        encoding="utf-8"
    )  # as base.html links it
    site = demo_build.path / "site"
    assert (site / found).is_file()
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 20
    linked = re.compile(rf'<link rel="stylesheet" href="[^"]*{re.escape(found)}">')  # where it leads: the link check
    for page in pages:
        assert linked.search(page.read_text(encoding="utf-8")), page
    with pytest.raises(PluginError, match="找不到 Material 主题的样式表"):
        theme_stylesheet([str(tmp_path), str(TEMPLATES)])
