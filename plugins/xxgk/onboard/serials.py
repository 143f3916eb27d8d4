"""Next free 索引号 per publisher and year, for records that come without one.

`core/scaffold.next_index_no` decides the shape; this keeps the highest serial handed out per
(org, year), so thousands of rows cost one scan of the site, not one each.
"""

from __future__ import annotations

import re

from xxgk.core.scaffold import ScaffoldError, next_index_no


class Serials:
    def __init__(self, pattern: re.Pattern, existing: list[str]):
        self.pattern = pattern
        self.existing = set(existing)
        self.by_org: dict[str, list[str]] = {}
        for index_no in existing:
            m = pattern.fullmatch(index_no)
            if m:
                self.by_org.setdefault(m.groupdict().get("org") or "", []).append(index_no)
        self.last: dict[tuple[str, int], str] = {}

    def next(self, org: str, year: int) -> str | None:
        known = [self.last[(org, year)]] if (org, year) in self.last else self.by_org.get(org) or self._any()
        try:
            candidate = next_index_no(self.pattern, org, year, known)
        except ScaffoldError:
            return None
        while candidate in self.existing:  # a gap filled by someone else: step on
            try:
                candidate = next_index_no(self.pattern, org, year, [candidate])
            except ScaffoldError:
                return None
        self.existing.add(candidate)
        self.last[(org, year)] = candidate
        return candidate

    def _any(self) -> list[str]:
        return next(iter(self.by_org.values()), [])
