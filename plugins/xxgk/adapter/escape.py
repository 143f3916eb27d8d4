"""One escaping rule for the templates, ours and the theme's we inherit.

MkDocs renders with autoescape off, and Material's base template writes page.meta values
(description, author) and every `| url` straight into attributes. Two things make that
safe whatever a value holds:

- the `url` filter's result is HTML-escaped (a Markup, so `| url | e` stays single-escaped):
  a file name or 索引号 with `"` can no longer leave its href;
- main.html's `site_meta` block writes the theme's meta tags with `| e`, and a strict
  Content-Security-Policy `<meta>` (CSP below), so a static host that cannot send the
  README's header still runs no inline or outside script.
"""

from __future__ import annotations

import functools

from jinja2 import Environment, pass_context
from markupsafe import Markup, escape
from mkdocs.utils import _get_norm_url, _norm_parts

# The README's header without what a <meta> cannot carry (frame-ancestors, reporting):
# the site's own script files and Pagefind's WebAssembly only; nothing from elsewhere.
CSP = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'"
)


def policy(origins: list[str]) -> str:
    """CSP, with a portal's members on other origins allowed to serve its search index files,
    as data (connect-src) only: the portal runs its own Pagefind runtime (search.js), never
    a member's script."""
    if not origins:
        return CSP
    return CSP + f"; connect-src 'self' {' '.join(sorted(set(origins)))}"


def install(env: Environment, csp: bool = True, origins: list[str] | None = None) -> None:
    """Escape the `url` filter and give templates `xx_csp` (None under `mkdocs serve`,
    whose live-reload script is inline)."""
    plain = env.filters["url"]
    done: dict[tuple, Markup] = {}  # (value, the folder's depth) -> the escaped url
    folders: dict[str, Folder] = {}  # page.url -> its folder

    @pass_context
    def url(context, value) -> Markup:
        # Material and our frame ask some 35 urls a page, mostly the same few (assets,
        # feeds, columns): each is worked out once per kind of folder (issue 35)
        page = context.get("page")
        if page is None or not isinstance(value, str):
            return escape(plain(context, value))
        folder = folders.get(page.url)
        if folder is None:
            folder = folders[page.url] = Folder(page.url)
        shared = folder.key(value)
        if not isinstance(shared, int):  # a url inside the page's own folder tree: seldom asked
            return escape(plain(context, value))  # again, and kept it would grow with the pages
        key = (value, shared)
        if key not in done:
            done[key] = escape(plain(context, value))
        return done[key]

    if not getattr(plain, "xx_escaped", False):  # on_env runs once per build, serve rebuilds
        url.xx_escaped = True  # type: ignore[attr-defined]
        env.filters["url"] = url
    env.globals["xx_csp"] = policy(origins or []) if csp else None


class Folder:
    """A page's folder as MkDocs' url filter reads it (mkdocs.utils.get_relative_url: the
    page's url without a last part holding a dot, normalised into parts). For a path whose
    first part is not the folder's, no part is common, and the path relative to the folder
    is `../` for each of the folder's parts, then the path: it depends on the folder's
    depth alone, which is then the key. Otherwise the key is the folder itself."""

    def __init__(self, page_url: str):
        head, _, last = page_url.rpartition("/")
        self.parts = _norm_parts(head if "." in last else page_url)
        self.first = self.parts[0] if self.parts else None

    def key(self, value: str) -> object:
        dest = _first(value)
        return len(self.parts) if dest is None or dest != self.first else tuple(self.parts)


@functools.cache
def _first(value: str) -> str | None:
    """The first part of the path the url filter makes relative (normalize_url's)."""
    parts = _norm_parts(_get_norm_url(value)[0])
    return parts[0] if parts else None
