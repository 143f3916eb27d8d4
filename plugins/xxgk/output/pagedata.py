"""What each page kind hands its template (xxgk/<kind>.html reads `xx.data`): one dataclass
per kind, every value computed here in Python, so that a template only reads fields. The
portal's page kinds have theirs in portal/pages.py."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from xxgk.core.lifecycle import Event
from xxgk.core.model import CatalogNode, Department, Item
from xxgk.core.stats import YearStats
from xxgk.core.status import Status


@dataclass(frozen=True)
class Pager:
    number: int
    total: int
    prev: str | None  # site-relative URLs; None where there is none
    next: str | None
    first: str
    last: str
    pages: list[tuple[int, str]]  # the numbered links shown around this one


@dataclass(frozen=True)
class Facet:
    """One drop-down of the search page: the filter, its label, the values it can take."""

    key: str
    label: str
    values: list[str]


@dataclass(frozen=True)
class Ahead:
    """A change of status after the build: from `start`, `status`, caused by `by`."""

    start: dt.date
    status: Status
    by: Item | None


@dataclass(frozen=True)
class AttachmentLink:
    url: str  # where it is served: copied beside the item's source
    title: str
    ext: str  # for the reader: pdf, docx … or 文件
    size: str  # human-readable, "" when the file is missing


@dataclass
class HomeData:
    tree: list[dict]
    latest: list[Item]
    policy_lists: list[tuple[str, str]]  # (title, url) of the 现行有效 lists
    total: int


@dataclass
class CatalogData:
    tree: list[dict]


@dataclass
class NodeData:
    node: CatalogNode
    rows: list[Item]
    tree: list[dict]
    open: str  # the first-level node whose branch the tree shows open
    department: Department | None
    pager: Pager


@dataclass
class TopicsData:
    topics: list[tuple[str, int, str]]  # (name, count, url)


@dataclass
class TopicData:
    rows: list[Item]
    topics: list[tuple[str, int, str]]
    pager: Pager


@dataclass
class PoliciesData:
    rows: list[Item]
    count: int
    lists: list[tuple[str, str]]  # (title, url) of every policy list, 在某日有效 last
    state: str  # current | repealed
    pager: Pager


@dataclass
class SearchData:
    facets: list[Facet]
    tree: list[dict] = field(default_factory=list)
    policies: str = ""  # the 在某日有效 data, for the 在某日有效 filter ("" on a portal)
    indexed: bool = False  # a site without items has no Pagefind runtime to preload
    door: str = ""  # a portal's search door (portal.door), which the page asks first


@dataclass
class StatsYear:
    stats: YearStats
    months: list[tuple[str, int]]
    nodes: list[tuple[str, int]]
    month_chart: str  # SVG markup, drawn once per build
    node_chart: str
    tables: list  # the 年报 tables 二–四 as rows of text (output/annual_tables.py); counts only


@dataclass
class StatsData:
    years: list[StatsYear]
    definitions: tuple


@dataclass
class AccessibilityData:
    pass


@dataclass
class OndateData:
    publishers: list[str]
    doc_types: list[str]
    topics: list[str]
    labels: list[str]
    not_in_force: list[str]  # the statuses the form offers beside 当日有效
    data: str  # the two files the page reads (output/ondate.py)
    texts: str
    count: int
    current: str  # the 现行有效 list a reader without JavaScript is sent to


@dataclass
class ItemData:
    item: Item
    status: Status
    status_by: Item | None
    ahead: list[Ahead]
    timeline: list[Event]
    publisher: Department | None
    node: CatalogNode | None
    topics: list[tuple[str, str]]  # (name, url)
    interpretations: list[Item]
    interprets: list[Item]
    versions: list[Item]
    feedback: Item | None
    consultation: str  # 已结束 | 进行中 | ""
    attachments: list[AttachmentLink]
    report: YearStats | None


@dataclass
class ApplyData:
    """The 依申请公开 page (output/apply_form.py): how to apply and the application form."""

    agency: str
    channels: list[tuple[str, str, str]]  # (label, value, option key) of each channel the site names
    fields: list[dict]  # the form's fields (apply_form.FormField as plain values)
    forms: list[str]  # 信息的载体形式
    ways: list[str]  # 获取方式
    docx: str  # the same form to download
    person: str
    org: str
