"""MkDocs' side of the page cache (build/pagecache.py): the salt of every page's key, and
which pages it may serve and where their links lead as MkDocs resolves them."""

from __future__ import annotations

import hashlib
import json
import posixpath
import re
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from xxgk.infra.memo import package_digest, tree_digest

PACKAGES = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "jinja2", "markupsafe")
MD_LINK = re.compile(r"\]\(\s*<?([^)\s>]+?\.md)(?:#[^)\s>]*)?>?|^\s*\[[^\]]+\]:\s*<?(\S+?\.md)\b", re.M)


def _versions() -> list[str]:
    found = []
    for name in PACKAGES:
        try:
            found.append(f"{name}={version(name)}")
        except PackageNotFoundError:
            found.append(f"{name}=-")
    return found


def salt(config_text: str, settings: dict, theme_dirs: list[str]) -> str:
    """What every page depends on but the as-of date: code, templates, versions, configuration."""
    package = Path(__file__).parents[1]  # the whole xxgk package
    packages = tuple(str(Path(m.__file__).parent) for m in _installed_themes())
    dirs = [tree_digest(Path(d)) if not str(d).startswith(packages) else Path(d).name for d in theme_dirs]
    blob = json.dumps(
        [_versions(), package_digest(package), dirs, config_text, settings],
        ensure_ascii=False,
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def _installed_themes():
    """Theme packages covered by their version instead of by hashing their (many) files."""
    import material
    import mkdocs

    return (material, mkdocs)


def nav_paths(nav) -> set[str]:
    """Pages named in the nav: never served from the cache, because MkDocs takes a nav
    entry's missing title from the page it renders, and every page shows the nav."""
    if isinstance(nav, str):
        return {nav}
    if isinstance(nav, dict):
        return set().union(*(nav_paths(v) for v in nav.values()))
    if isinstance(nav, list):
        return set().union(*(nav_paths(v) for v in nav)) if nav else set()
    return set()


def md_links(markdown: str, src_uri: str) -> list[str]:
    """The docs-relative paths of the `.md` files a page's Markdown links to."""
    if ".md" not in markdown:  # what both kinds of link end with: most bodies, read once in C
        return []
    found = []
    for m in MD_LINK.finditer(markdown):
        target = m.group(1) or m.group(2)
        if "://" not in target:
            found.append(posixpath.normpath(posixpath.join(posixpath.dirname(src_uri), target)))
    return found
