"""sitemap.xml and robots.txt, written from the pages actually built.

The sitemap protocol needs absolute addresses, so sitemap.xml is written only
when mkdocs.yml sets site_url (MkDocs' own sitemap is switched off by an empty
templates/sitemap.xml: without site_url it was an empty <urlset>, and its
lastmod and sitemap.xml.gz carried the build time). No dates: identical
content gives an identical file.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from xxgk.core.urls import ROUTES

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NOT_PAGES = (ROUTES["pagefind"], "assets/", ROUTES["feeds"])  # assets/: MkDocs' and ours


def page_urls(files: list[str]) -> list[str]:
    """Directory URLs of every built page, sorted (the 404 page is not a page)."""
    return sorted(
        f[: -len("index.html")]
        for f in files
        if (f == "index.html" or f.endswith("/index.html")) and not f.startswith(NOT_PAGES)
    )


def write_sitemap(site_dir: Path, files: list[str], site_url: str | None) -> bool:
    """Write sitemap.xml when site_url is known; False when it could not be written."""
    if not site_url:
        return False
    base = site_url.rstrip("/") + "/"
    ET.register_namespace("", SITEMAP_NS)
    urlset = ET.Element(f"{{{SITEMAP_NS}}}urlset")
    for url in page_urls(files):
        ET.SubElement(ET.SubElement(urlset, f"{{{SITEMAP_NS}}}url"), f"{{{SITEMAP_NS}}}loc").text = base + url
    tree = ET.ElementTree(urlset)
    ET.indent(tree)
    tree.write(site_dir / "sitemap.xml", encoding="utf-8", xml_declaration=True)
    return True


def write_robots(site_dir: Path, site_url: str | None, with_sitemap: bool) -> None:
    lines = ["User-agent: *", "Allow: /"]
    if site_url and with_sitemap:
        lines.append(f"Sitemap: {site_url.rstrip('/')}/sitemap.xml")
    (site_dir / "robots.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
