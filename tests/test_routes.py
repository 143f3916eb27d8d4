"""One route table and one home for the browser code. Every site path comes from
core/urls.py: templates read it as `xx_urls`, the browser as `routes` in rules.js; a path
written in a template or a browser file would drift the day a route moves."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import ROOT
from xxgk.adapter.plugin import TEMPLATES
from xxgk.core.options import read_mkdocs_yml
from xxgk.core.urls import ROUTES
from xxgk.search.browser import HOME, rules

# each route's fixed first part (catalog/, policies/date/, catalog.json …), longest first
PATHS = sorted({v for v in ROUTES.values() if v}, key=len, reverse=True)
QUOTED = re.compile(r"""(["'`])([^"'`\n]*)\1""")
# a module's imports name files of the one browser folder, relative to the importing file
IMPORT = re.compile(r"""(?:\bfrom\s+|\bimport\s*\(\s*)$""")


def written_paths(text: str) -> list[str]:
    """Site paths inside quoted strings: a string that is a route, or starts with one."""
    found = []
    for m in QUOTED.finditer(text):
        if IMPORT.search(text, 0, m.start()):
            continue
        value = m.group(2).lstrip("./")
        found += [p for p in PATHS if value.startswith(p) or value.startswith(p.rstrip("/") + "/")][:1]
    return found


def sources() -> list[Path]:
    return sorted([*TEMPLATES.rglob("*.html"), *HOME.rglob("*.js"), *HOME.rglob("*.html")])


def test_no_template_or_browser_file_writes_a_site_path():
    found = {
        str(path.relative_to(HOME.parent)): paths
        for path in sources()
        if (paths := written_paths(path.read_text(encoding="utf-8")))
    }
    assert found == {}, "take these from core/urls.py (xx_urls, rules.js routes)"


def test_the_check_finds_a_written_path():
    assert written_paths("""<a href="{{ 'policies/current/gfxwj/' | url }}">""") == ["policies/"]
    assert written_paths('new URL("pagefind/", ROOT)') == ["pagefind/"]
    assert written_paths("fetch(`./catalog.json`)") == ["catalog.json"]
    assert written_paths('import { statusOn } from "../assets/xxgk/lifecycle.js";') == []
    assert written_paths("""{{ (xx_urls.assets ~ 'xxgk.css') | url }} "本文件已失效" """) == []
    assert len(sources()) > 20


def test_all_browser_code_lives_in_one_folder():
    """Served as assets/xxgk/ and admin/ from plugins/xxgk/browser/ alone: a second source
    folder merged into the same URLs would let a same-named file shadow another silently."""
    package = HOME.parent
    elsewhere = [p for p in package.rglob("*.js") if HOME not in p.parents and "node_modules" not in p.parts]
    assert elsewhere == []
    assert (HOME / "assets/xxgk/search.js").is_file() and (HOME / "admin/xxgk-admin.js").is_file()


def test_the_type_of_rules_js_names_every_key_the_build_writes():
    """tsc checks the browser code against rules.d.ts; it must describe what rules.js holds."""
    declared = re.findall(r"^  (\w+):", (HOME / "assets/xxgk/rules.d.ts").read_text(encoding="utf-8"), re.M)
    assert sorted(declared) == sorted(rules(read_mkdocs_yml(ROOT)))
