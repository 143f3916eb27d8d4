"""The content checks, one module per family. Each family lists its rules in `RULES`;
`check` runs them in the order of `FAMILIES` (the result is sorted by file and line).

Codes: E1xx errors stop the build; W2xx warnings are printed. Field shapes
(E101–E112) are reported while loading (core/load.py); everything that needs the
catalog or other items is here.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from xxgk.core.gate import Listing
from xxgk.core.load import Content, load_content
from xxgk.core.model import Problem
from xxgk.core.options import Options
from xxgk.core.relate import Relations, relate
from xxgk.core.site import Site
from xxgk.infra import progress
from xxgk.infra.caches import cache_dir
from xxgk.infra.memo import Memo
from xxgk.rules import (
    annual_report,
    attachments,
    bounds,
    costs,
    identity,
    items,
    ledger,
    markup,
    placeholders,
    privacy,
    relations,
    timeliness,
    wording,
)
from xxgk.rules.base import Context

FAMILIES = (
    items,
    relations,
    bounds,
    markup,
    attachments,
    privacy,
    timeliness,
    annual_report,
    ledger,
    wording,
    placeholders,
    identity,
    costs,
)


def check(content: Content, rel: Relations, opts: Options) -> list[Problem]:
    """Every problem in the site, loading problems included, in file and line order."""
    findings = Memo(cache_dir(opts.root, "findings"), Path(__file__).parents[1], opts.keep_caches)
    ctx = Context(content, rel, opts, findings)
    found = list(content.problems)
    with progress.phase("内容检查", len(content.items)) as checking:
        for family in FAMILIES:
            for fn in family.RULES:
                found.extend(fn(ctx))
        checking.done = len(content.items)
        checking.note = f"{len(found)} 个问题"
    findings.save()
    return sorted(set(found))


def analyse(opts: Options, listing: Listing | None = None, loaded: Callable[[], None] = lambda: None) -> Site:
    """load → relate → check, in one call shared by the plugin, the CLI and the tests
    (`listing`: the files under docs_dir, when the caller has walked them already; `loaded`
    is called once the content is read: a build holds it from then, infra/heap.py)."""
    content = load_content(opts, listing)
    loaded()
    rel = relate(content, opts.as_of_date())
    return Site(opts, content, rel, check(content, rel, opts))
