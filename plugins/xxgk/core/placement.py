"""Where the files under docs_dir land in the site, checked as the gate lists them: a name
that changes meaning in a link (" # ? % …), two names a case-insensitive disk or server takes
for one (Case.pdf, case.pdf), a page or file at an address xxgk generates (content/catalog/
index.md would be silently replaced by the generated catalog). The size limit of the files
no item lists is rules/attachments.unlisted_files.
"""

from __future__ import annotations

import posixpath

from xxgk.core import safetext
from xxgk.core.model import Problem

# The addresses a build writes itself (output/pages.py, feeds, open data, search, admin).
GENERATED_DIRS = (
    "catalog/",
    "topics/",
    "policies/",
    "search/",
    "stats/",
    "accessibility/",
    "feeds/",
    "admin/",
    "pagefind/",
    "assets/xxgk/",
)
GENERATED_FILES = frozenset(
    {"catalog.json", "catalog.csv", "catalog.schema.json", "sitemap.xml", "robots.txt", "404.html", "xxgk.json"}
)


def url_of(src_uri: str) -> str:
    """The site address MkDocs gives a file (directory URLs: a/b.md → a/b/, a/index.md → a/)."""
    if not src_uri.endswith(".md"):
        return src_uri
    folder, name = posixpath.split(src_uri[:-3])
    if name in ("index", "README"):
        return f"{folder}/" if folder else ""
    return f"{folder}/{name}/" if folder else f"{name}/"


def check(shown, pages: list[str], files: list[str]) -> list[Problem]:
    """Problems of the listed pages and files; `shown(src_uri)` is the path staff see."""
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for src_uri in sorted(pages + files):
        unsafe = safetext.file_name_problem(src_uri)
        if unsafe is not None:
            problems.append(Problem(shown(src_uri), 1, "E115", unsafe))
        folded = src_uri.casefold()
        if folded in seen:
            problems.append(
                Problem(
                    shown(src_uri),
                    1,
                    "E116",
                    f"{src_uri} 与 {seen[folded]} 仅大小写不同；在 Windows、macOS 和许多服务器上二者是同一个文件，"
                    "请把其中一个改名",
                )
            )
        seen.setdefault(folded, src_uri)
        url = url_of(src_uri)
        if url in GENERATED_FILES or url.startswith(GENERATED_DIRS):
            problems.append(
                Problem(
                    shown(src_uri),
                    1,
                    "E117",
                    f"{src_uri} 的地址 {url or '/'} 由 xxgk 生成，此文件会被替换或与之冲突；请改名或移到别的文件夹",
                )
            )
    return problems
