"""The site's folders against each other and the repository, checked before anything is read
or written: a build replaces site_dir whole, so a site_dir that is (or holds) the catalog,
the content or the repository itself would delete them; a docs_dir outside the repository
(`/`) would walk the disk; an items_dir that does not exist would publish every item as a
plain page while saying "0 个条目" (stray_item).
"""

from __future__ import annotations

from pathlib import Path

from xxgk.core.model import Page, Problem


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def folder_problem(root: Path, docs_dir: str, catalog_dir: str, items_dir: str, site_dir: str | None) -> Problem | None:
    """The first misplaced folder as an E118 problem on mkdocs.yml, or None."""
    root = root.resolve()
    docs = (root / docs_dir).resolve()
    catalog = (root / catalog_dir).resolve()
    shown = str(root / "mkdocs.yml")

    def refuse(message: str) -> Problem:
        return Problem(shown, 1, "E118", message)

    for key, folder in (("docs_dir", docs), ("catalog_dir", catalog)):
        if folder == root or not _inside(folder, root):
            return refuse(f"{key} 应为仓库内的一个子目录（现为 {folder}）；请改为如 content、catalog 的目录名")
    if _inside(docs, catalog) or _inside(catalog, docs):
        return refuse(f"docs_dir（{docs_dir}）与 catalog_dir（{catalog_dir}）不能互相包含；请分开放置")
    if site_dir is not None:
        site = (root / site_dir).resolve()
        for key, folder in (("仓库", root), ("docs_dir", docs), ("catalog_dir", catalog)):
            if _inside(folder, site) or (_inside(site, folder) and key != "仓库"):
                return refuse(
                    f"site_dir（{site_dir}）与{key}重叠：每次构建会整个替换 site_dir，其中的文件将被删除；"
                    "请改为单独的目录，如 site"
                )
        if _inside(site, root / ".git"):
            return refuse(f"site_dir（{site_dir}）不能在 .git 中；请改为单独的目录，如 site")
    items = (docs / items_dir.strip("/")).resolve()
    if items == docs or not _inside(items, docs):
        return refuse(f"items_dir（{items_dir}）应为 {docs_dir}/ 下的一个子目录，如 items")
    return None


def stray_item(items_dir: str, pages: list[Page]) -> tuple[Page, str] | None:
    """(the page, the message) for an ordinary page written as an item (it has an 索引号)
    while items_dir does not hold it: a mistyped items_dir publishes items as plain pages."""
    for page in pages:
        if "index_no" in page.meta:
            return page, (
                f"该文件写有索引号，却不在 items_dir（{items_dir}/）下，会被当作普通页面发布；"
                "请核对 mkdocs.yml 的 items_dir 拼写，或把文件移到条目目录"
            )
    return None
