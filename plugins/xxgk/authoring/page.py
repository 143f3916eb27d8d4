"""The authoring page admin/: Decap CMS as installed from npm, our page and widget code, and the
configuration generated for this site. Everything it loads sits beside it on the site."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from xxgk.authoring.config import decap_config, next_index_numbers
from xxgk.core.relate import Relations
from xxgk.core.site import Site
from xxgk.core.status import newer_version, revision_date

ASSETS = Path(__file__).parents[1] / "browser" / "admin"  # our page and its code (search/browser.py HOME)
ADMIN = "admin"
# The bundle and the chunks it loads on demand; the source maps and the `cms.js` copies are not needed.
BUNDLE = ("decap-cms.js", "[0-9]*.decap-cms.js", "*.wasm", "decap-cms.js.LICENSE.txt")
SITE_CSS = ("assets/stylesheets/main.*.min.css", "assets/xxgk/xxgk.css")


class AuthoringError(Exception):
    """The authoring page cannot be written; the message says what to do."""


def npm_file(root: Path, rel: str) -> Path:
    """A file of an npm package (package.json, package-lock.json): the site's node_modules, else xxgk's."""
    for base in (root, Path(__file__).resolve().parents[3]):
        path = base / "node_modules" / rel
        if path.is_file():
            return path
    package = rel.split("/", 1)[0]
    raise AuthoringError(f"找不到 {package}（node_modules/{package}）：请先运行 scripts/setup --admin（npm ci）")


def write_admin(site_dir: Path, site: Site, backend: dict) -> Path:
    """Write site_dir/admin/ for `site`; `backend` is Decap's backend section."""
    dist = npm_file(site.opts.root, "decap-cms/dist/decap-cms.js").parent
    out = site_dir / ADMIN
    out.mkdir(parents=True, exist_ok=True)
    for pattern in BUNDLE:
        for f in dist.glob(pattern):
            shutil.copyfile(f, out / f.name)
    for f in ASSETS.iterdir():
        shutil.copyfile(f, out / f.name)
    content = site.content
    data = {
        "decap": decap_config(site.opts, content, backend),
        "next_index_no": next_index_numbers(site.opts, content, site.rel.as_of),
        "names": {"publisher": {d.id: d.name for d in content.departments.values()}},
        "newer": newer_versions(site.rel),
        "today": site.rel.as_of.isoformat(),
        "preview_styles": sorted(
            p.relative_to(site_dir).as_posix() for pattern in SITE_CSS for p in site_dir.glob(pattern)
        ),
    }
    (out / "config.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return out


def newer_versions(rel: Relations) -> dict[str, str]:
    """index_no -> the revision date of its newer version ("": not written), for the preview's
    status (assets/xxgk/lifecycle.js statusOn): the form edits one item, the site knows the rest."""
    out = {}
    for item in rel.items:
        if (new := newer_version(item, rel.by_index_no, rel.replaced_by)) is not None:
            day = revision_date(new)
            out[item.index_no] = day.isoformat() if day else ""
    return out
