"""The rules the browser shares with the build, written as data into assets/xxgk/rules.js:
the statuses (core/status.py), the route table (core/urls.py), the 文号 patterns and numeral tables (core/docno.py), the
search key prefixes and run-end mark (search/text.py), the site's index_no_pattern, and the check characters of
the 居民身份证号 (core/idnumber.py) and the 统一社会信用代码 (core/orgcode.py). The browser code
imports it, so no rule is copied by hand into JavaScript (format: DEVELOPING.md)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from xxgk.core import docno, idnumber, orgcode
from xxgk.core.options import Options
from xxgk.core.status import browser_table
from xxgk.core.urls import ROUTES
from xxgk.search import text

RULES_JS = "assets/xxgk/rules.js"
# Every hand-written browser file, laid out as the site serves it: assets/ on every site,
# admin/ where the authoring page is built (authoring/page.py).
HOME = Path(__file__).parents[1] / "browser"


def site_files() -> list[str]:
    return sorted(p.relative_to(HOME).as_posix() for p in (HOME / "assets").rglob("*.js"))


def js_pattern(pattern: str) -> str:
    """A Python pattern as JavaScript reads it: named groups are (?<name>…) there."""
    return re.sub(r"\(\?P<", "(?<", pattern)


def rules(opts: Options) -> dict:
    return {
        "statuses": browser_table(),
        "routes": ROUTES,
        "han": [list(r) for r in docno.HAN_RANGES],
        "doc_no": docno.DOC_NO_PATTERN,
        "order_no": docno.ORDER_NO_PATTERN,
        "digits": docno.DIGITS,
        "units": docno.UNITS,
        "keys": {"own": text.OWN_DOC_NO, "cited": text.CITED_DOC_NO, "index": text.INDEX_NO},
        "run_end": text.RUN_END,
        "index_no": js_pattern(opts.index_no_pattern),
        # the 依申请公开 form's check characters (apply.js)
        "id_number": {"weights": idnumber.ID_WEIGHTS, "check": idnumber.ID_CHECK, "born": idnumber.BORN},
        "uscc": {"chars": orgcode.USCC_CHARS, "weights": orgcode.USCC_WEIGHTS},
    }


def module(opts: Options) -> str:
    data = json.dumps(rules(opts), ensure_ascii=True, sort_keys=True, indent=1)
    return f"// Written by the build (plugins/xxgk/search/browser.py): the rules search.js shares with it.\nexport default {data};\n"
