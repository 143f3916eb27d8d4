"""Where a link in an imported body goes, now that the old site is not around it.

A saved page's links were written for the old site: `./W020…pdf` beside the page, `/upfiles/…`
at the old site's root, `javascript:window.print()` for its toolbar. On the new site none of those
lead anywhere, and MkDocs stops the build on the first. So every link is decided at import:
a file saved beside the page is copied (importer); a script, an empty link or an anchor on the old
page is dropped, its text kept; a link into the old site becomes that site's absolute address, so the importer can turn it
into a link to the item imported from that address, or report it; a relative link on a page whose
own address is unknown cannot be placed and is dropped with a report.
"""

from __future__ import annotations

import re
from urllib.parse import urldefrag, urljoin, urlsplit

_SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)\s*(https?://[^\s>]+?)\s*-->", re.IGNORECASE)
KEEP, DROP, OLD, UNKNOWN = "keep", "drop", "old", "unknown"


def page_address(raw: str, root) -> str:
    """The address a saved page was fetched from: the browser's `saved from url` comment (the
    crawler writes one too), else `<link rel=canonical>`, `og:url` or `<base href>` when absolute."""
    m = _SAVED_FROM.search(raw[:2000])
    if m:
        return m.group(1)
    for value in root.xpath("//link[@rel='canonical']/@href | //meta[@property='og:url']/@content | //base/@href"):
        if urlsplit(value.strip()).scheme in ("http", "https"):
            return value.strip()
    return ""


def resolve(href: str, page: str, site: str = "") -> tuple[str, str]:
    """(what to do, the address): KEEP as it is, DROP the link (keep its text), OLD for an
    address on the old site (absolute), UNKNOWN when it cannot be placed. `page` is the page's own
    address, if known; `site` the old site's (the mapping's `old_site`), which places `/…` links only."""
    base = page or site
    href = href.strip()
    parts = urlsplit(href)
    scheme = parts.scheme.lower()
    # `#…`: the old page's anchors do not survive into Markdown, and the build checks anchors
    if not href or href.startswith("#") or scheme in ("javascript", "vbscript", "data"):
        return DROP, ""
    if scheme in ("mailto", "tel"):
        return KEEP, href
    if scheme in ("http", "https"):
        return (OLD, href) if base and same_site(href, base) else (KEEP, href)
    if scheme or not (page or (site and href.startswith("/"))):
        return UNKNOWN, href
    return OLD, urljoin(base, href)


def same_site(url: str, base: str) -> bool:
    return (urlsplit(url).hostname or "").lower() == (urlsplit(base).hostname or "").lower()


def key(url: str) -> str:
    """An address as pages are matched by it: no fragment, no default index name."""
    url = urldefrag(url)[0]
    return re.sub(r"/(?:index\.s?html?)?$", "/", url)
