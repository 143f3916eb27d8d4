"""The records xxgk works on. Plain data: no I/O, no MkDocs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from xxgk.core.codes import ERROR, WARNING, registered
from xxgk.core.columns import STANDARD_FIELDS

# What an item writes when it states its own validity (core/fields.py keys).
VALIDITY_KEYS = ("status", "effective", "expires", "abolished", "revised_by", "replaces")

__all__ = ["ERROR", "WARNING"]  # with the records, for the modules that compare severities


POLICY_TYPES = ("规章", "行政规范性文件")  # the documents whose 有效性 always means something


@dataclass(frozen=True, order=True)
class Problem:
    """One finding of a check, printed for staff as `path:line: CODE 说明`. Its severity is
    the code's (core/codes.py); a code missing there fails here, when the Problem is made."""

    path: str
    line: int
    code: str
    message: str

    def __post_init__(self) -> None:
        registered(self.code)

    @property
    def severity(self) -> str:
        return registered(self.code).severity

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.code} {self.message}"


@dataclass
class Department:
    id: str
    name: str
    org_code: str
    reviewers: list[str] = field(default_factory=list)
    line: int = 0


@dataclass
class CatalogNode:
    id: str
    name: str
    description: str = ""
    department: str | None = None
    deadline: str = ""
    column_type: str = ""  # written in catalog.yml; output/meta.py infers it when empty
    standard: dict[str, str] = field(default_factory=dict)  # 标准目录 fields (core/columns.STANDARD_FIELDS)
    children: list[CatalogNode] = field(default_factory=list)
    parent: CatalogNode | None = field(default=None, repr=False)
    line: int = 0

    @property
    def ancestors(self) -> list[CatalogNode]:
        """Root first, self excluded."""
        chain, node = [], self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain[::-1]

    @property
    def standard_rows(self) -> list[tuple[str, str]]:
        """The 标准目录 fields the node states, (label, text) in the standard's order."""
        return [(label, self.standard[key]) for key, label in STANDARD_FIELDS.items() if key in self.standard]

    @property
    def root(self) -> CatalogNode:
        return (self.ancestors or [self])[0]

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class Catalog:
    roots: list[CatalogNode]
    path: str = "catalog/catalog.yml"

    def walk(self):
        for root in self.roots:
            yield from root.walk()


@dataclass
class Attachment:
    file: str
    title: str
    line: int = 0


@dataclass
class Abolition:
    date: dt.date | None
    by: str = ""
    reason: str = ""


@dataclass
class Consultation:
    start: dt.date | None = None
    end: dt.date | None = None
    feedback: str = ""


@dataclass
class Item:
    """A disclosure item: one Markdown file with front matter (docs/format.md)."""

    path: str  # as shown to staff, e.g. content/items/2018/bgs/a.md
    src_uri: str  # relative to the docs dir, e.g. items/2018/bgs/a.md
    body: str
    body_line: int  # line number of the body's first line in the file
    meta: dict[str, Any]  # front matter as written
    lines: dict[str, int]  # front-matter key -> line number
    digest: str = ""  # SHA-1 of the file's text: the key of what checks found in it (rules/base.py)
    meta_digest: str = ""  # SHA-1 of the front matter's text, which `meta` is read from alone (page cache)
    # Typed fields; None where absent or unusable (the checks say why).
    title: str = ""
    index_no: str = ""
    publisher: str = ""
    published: dt.date | None = None
    published_time: str = ""  # "HH:MM" when `published` carries a time
    category: str = ""
    summary: str = ""
    doc_type: str = "一般信息"
    doc_no: str = ""
    written: dt.date | None = None
    topics: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    status: str = "有效"
    effective: dt.date | None = None
    expires: dt.date | None = None
    abolished: Abolition | None = None
    revised_by: str = ""
    replaces: str = ""
    interprets: list[str] = field(default_factory=list)
    interpretation_form: str = ""
    consultation: Consultation | None = None
    attachments: list[Attachment] = field(default_factory=list)
    privacy_ok: list[str] = field(default_factory=list)

    def line_of(self, key: str) -> int:
        return self.lines.get(key, 1)

    @property
    def states_validity(self) -> bool:
        """Whether 有效性 means something here: a 规章 or 行政规范性文件, or an item that states
        it (有效性, 施行日期, 有效期至, 废止, 修订). A 通知 or a 处罚公示 is neither in force nor not."""
        return self.doc_type in POLICY_TYPES or any(k in self.meta for k in VALIDITY_KEYS)

    @property
    def sort_key(self):
        """Newest first when sorted in reverse."""
        return (self.published or dt.date.min, self.index_no)


@dataclass
class Page:
    """An ordinary page (about.md …): Markdown with optional front matter, checked like an item's body."""

    path: str  # as shown to staff
    src_uri: str  # relative to the docs dir
    body: str
    body_line: int
    meta: dict[str, Any]
    lines: dict[str, int]
    digest: str = ""  # SHA-1 of the file's text, as Item.digest

    def line_of(self, key: str) -> int:
        return self.lines.get(key, 1)
