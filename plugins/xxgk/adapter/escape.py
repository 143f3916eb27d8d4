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

from jinja2 import Environment, pass_context
from markupsafe import Markup, escape

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

    @pass_context
    def url(context, value) -> Markup:
        return escape(plain(context, value))

    if not getattr(plain, "xx_escaped", False):  # on_env runs once per build, serve rebuilds
        url.xx_escaped = True  # type: ignore[attr-defined]
        env.filters["url"] = url
    env.globals["xx_csp"] = policy(origins or []) if csp else None
