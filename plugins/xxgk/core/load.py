"""Files → model. Reads catalog/*.yml and every item's front matter once, keeping line numbers.

Anything that does not fit the shape of docs/format.md becomes a Problem here;
rules about how records relate to each other live in rules/.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from frontmatter.default_handlers import YAMLHandler

from xxgk.core import fields as F
from xxgk.core import folders, gate, orgcode, safetext
from xxgk.core.columns import COLUMN_TYPES, STANDARD_FIELDS
from xxgk.core.holidays import load_holidays
from xxgk.core.model import (
    Catalog,
    CatalogNode,
    Department,
    Item,
    Page,
    Problem,
)
from xxgk.core.options import Options
from xxgk.core.wordlists import WORDING_FILE, Wordlists, load_wordlists
from xxgk.core.workdays import HOLIDAYS_FILE, WorkdayCalendar
from xxgk.core.yamlio import NOT_UTF8, LineDict, ParsedCache, YamlError, load_yaml, read_yaml_file
from xxgk.infra import progress
from xxgk.infra.caches import cache_dir
from xxgk.infra.place import read_file

NODE_ID = re.compile(r"[a-z][a-z0-9_-]*")
FM_BOUNDARY = YAMLHandler.FM_BOUNDARY


@dataclass
class Content:
    catalog: Catalog
    departments: dict[str, Department]
    topics: list[str]
    items: list[Item]
    pages: list[str]  # ordinary pages, src_uri relative to docs dir
    problems: list[Problem] = field(default_factory=list)
    calendar: WorkdayCalendar = field(default_factory=WorkdayCalendar)  # working days (core/workdays.py)
    page_files: list[Page] = field(default_factory=list)  # the ordinary pages as read
    files: list[str] = field(default_factory=list)  # attachments and images under docs dir
    wording: Wordlists = field(default_factory=Wordlists)  # the wording check's lists (core/wordlists.py)


def load_content(opts: Options, listing: gate.Listing | None = None) -> Content:
    problems: list[Problem] = []
    cat_dir = opts.catalog_path
    catalog = load_catalog(cat_dir / "catalog.yml", _display(cat_dir / "catalog.yml", opts), problems)
    departments = load_departments(cat_dir / "departments.yml", _display(cat_dir / "departments.yml", opts), problems)
    topics = load_topics(cat_dir / "topics.yml", _display(cat_dir / "topics.yml", opts), problems)
    holidays_shown = _display(cat_dir / HOLIDAYS_FILE, opts)
    calendar = WorkdayCalendar(load_holidays(cat_dir / HOLIDAYS_FILE, holidays_shown, problems), holidays_shown)
    wording = load_wordlists(cat_dir / WORDING_FILE, _display(cat_dir / WORDING_FILE, opts), problems)
    items = []
    docs = opts.docs_path
    if not docs.is_dir():
        problems.append(
            Problem(
                _display(docs, opts),
                1,
                "E100",
                f"找不到内容目录 {opts.docs_dir}/，请确认在站点仓库根目录运行，或检查 mkdocs.yml 的 docs_dir",
            )
        )
    shown_docs = _display(docs, opts)  # once, not per file: resolving a path walks its every folder
    parsed = ParsedCache(cache_dir(opts.root, "front-matter"), opts.keep_caches)
    listing = listing or gate.list_docs(opts)
    problems += listing.problems
    with progress.phase("载入条目", len(listing.items)) as loading:
        for src_uri in listing.items:
            item = load_item(docs / src_uri, src_uri, f"{shown_docs}/{src_uri}", problems, parsed.load_yaml)
            if item is not None:
                items.append(item)
            loading.step()
    page_files = []
    for src_uri in listing.pages:
        page = load_page(docs / src_uri, src_uri, f"{shown_docs}/{src_uri}", problems, parsed.load_yaml)
        if page is not None:
            page_files.append(page)
    parsed.save()
    stray = folders.stray_item(opts.items_dir, page_files)
    if stray is not None:
        problems.append(Problem(stray[0].path, 1, "E118", stray[1]))
    return Content(
        catalog,
        departments,
        topics,
        items,
        list(listing.pages),
        problems,
        calendar,
        page_files,
        list(listing.files),
        wording,
    )


def _display(path: Path, opts: Options) -> str:
    """Paths as staff see them: relative to the site repository."""
    try:
        return path.resolve().relative_to(opts.root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _read_catalog_file(path: Path, shown: str, problems: list[Problem], code: str, what: str):
    """The file's data; None (and a problem) when it is missing, unreadable or empty. An empty
    file is named here, once: every item that refers to it would fail for that one reason."""
    if not path.exists():
        problems.append(Problem(shown, 1, "E130", f"缺少文件 {shown}，请按 docs/format.md 创建"))
        return None
    readable, data = read_yaml_file(path, shown, problems)
    if not readable:
        return None
    if not data:
        problems.append(
            Problem(
                shown, 1, code, f"{shown} 是空的，没有任何{what}；引用它的条目都会因此报错，请先按 docs/format.md 填写"
            )
        )
        return None
    return data


def read_text(path: Path) -> str:
    """A content file's text (UTF-8, with or without BOM; CRLF and a lone CR read as LF, as text
    mode reads them); UnicodeDecodeError otherwise. Read as bytes and decoded here:
    Path.read_text's file object was 0.3 s of every build at 20,000 items."""
    text = read_file(os.fspath(path)).decode("utf-8-sig")
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


# ---------------------------------------------------------------- catalog


def load_catalog(path: Path, shown: str, problems: list[Problem]) -> Catalog:
    data = _read_catalog_file(path, shown, problems, "E131", "目录节点")
    seen: dict[str, int] = {}

    def node_of(raw, parent) -> CatalogNode | None:
        if not isinstance(raw, LineDict):
            problems.append(Problem(shown, getattr(parent, "line", 1), "E131", "目录节点应为含 id 和 name 的映射"))
            return None
        for key in ("id", "name", "description", "department", "deadline"):
            if not isinstance(raw.get(key, ""), (str, int)) or isinstance(raw.get(key), bool):
                # a list or mapping here (department: [czj]) would be printed as Python
                problems.append(
                    Problem(shown, raw.line_of(key), "E131", f"目录节点的 {key} 应为一段文字，不是列表或映射")
                )
                return None
        node_id = str(raw.get("id", "")).strip()
        name = str(raw.get("name", "")).strip()
        if not NODE_ID.fullmatch(node_id):
            problems.append(
                Problem(shown, raw.line, "E131", f"目录节点 id“{node_id}”无效：应为小写英文字母开头的字母、数字、-、_")
            )
            return None
        if not name:
            problems.append(Problem(shown, raw.line, "E131", f"目录节点 {node_id} 缺少 name（中文名称）"))
        if node_id in seen:
            problems.append(
                Problem(shown, raw.line, "E132", f"目录节点 id {node_id} 与第 {seen[node_id]} 行重复，id 须全目录唯一")
            )
            return None
        seen[node_id] = raw.line
        kind = str(raw.get("column_type") or "").strip()
        if kind and kind not in COLUMN_TYPES:
            problems.append(
                Problem(
                    shown,
                    raw.line_of("column_type"),
                    "E181",
                    f"目录节点 {node_id} 的 column_type“{kind}”不在栏目类型词表中；可用：{'、'.join(COLUMN_TYPES)}",
                )
            )
            kind = ""
        node = CatalogNode(
            id=node_id,
            name=name or node_id,
            description=str(raw.get("description") or ""),
            department=str(raw["department"]) if raw.get("department") else None,
            deadline=str(raw.get("deadline") or ""),
            column_type=kind,
            standard={k: str(raw[k]).strip() for k in STANDARD_FIELDS if raw.get(k) not in (None, "")},
            parent=parent,
            line=raw.line,
        )
        children = raw.get("children") or []
        if not isinstance(children, list):
            problems.append(Problem(shown, raw.line_of("children"), "E131", "children 应为列表"))
            children = []
        node.children = [c for c in (node_of(r, node) for r in children) if c is not None]
        return node

    roots = []
    if data is not None and not isinstance(data, list):
        problems.append(Problem(shown, 1, "E131", "catalog.yml 应为节点列表（每项以 - id: 开头）"))
    elif data:
        roots = [n for n in (node_of(raw, None) for raw in data) if n is not None]
    return Catalog(roots=roots, path=shown)


def load_departments(path: Path, shown: str, problems: list[Problem]) -> dict[str, Department]:
    data = _read_catalog_file(path, shown, problems, "E133", "发布机构")
    departments: dict[str, Department] = {}
    if data is not None and not isinstance(data, list):
        problems.append(Problem(shown, 1, "E133", "departments.yml 应为发布机构列表（每项以 - id: 开头）"))
        return departments
    for raw in data or []:
        if not isinstance(raw, LineDict) or not raw.get("id"):
            problems.append(Problem(shown, getattr(raw, "line", 1), "E133", "发布机构缺少 id"))
            continue
        dep_id = str(raw["id"])
        unsafe = (  # ids become folder names (xxgk new) and page addresses
            "发布机构 id 应为一段文字"
            if not isinstance(raw["id"], str)
            else safetext.identity_problem(dep_id, "发布机构 id")
        )
        if unsafe is not None:
            problems.append(Problem(shown, raw.line_of("id"), "E115", unsafe))
            continue
        if not isinstance(raw.get("name", ""), str):
            problems.append(Problem(shown, raw.line_of("name"), "E133", f"发布机构 {dep_id} 的 name 应为一段文字"))
            continue
        org_code = str(raw.get("org_code") or "").strip()
        if not raw.get("name"):
            problems.append(Problem(shown, raw.line, "E133", f"发布机构 {dep_id} 缺少 name"))
        if not orgcode.SHAPE.fullmatch(org_code):
            problems.append(
                Problem(
                    shown,
                    raw.line_of("org_code"),
                    "E133",
                    f"发布机构 {dep_id} 的 org_code“{org_code}”应为18位统一社会信用代码或9位组织机构代码（大写字母和数字）",
                )
            )
        elif wrong := orgcode.problem(org_code):  # the shape fits: the check character may not
            problems.append(
                Problem(shown, raw.line_of("org_code"), "W241", f"发布机构 {dep_id} 的 org_code“{org_code}”{wrong}")
            )
        if dep_id in departments:
            problems.append(Problem(shown, raw.line, "E133", f"发布机构 id {dep_id} 重复"))
            continue
        reviewers = raw.get("reviewers") or []
        departments[dep_id] = Department(
            dep_id,
            str(raw.get("name") or dep_id),
            org_code,
            [str(r) for r in reviewers] if isinstance(reviewers, list) else [str(reviewers)],
            raw.line,
        )
    return departments


def load_topics(path: Path, shown: str, problems: list[Problem]) -> list[str]:
    data = _read_catalog_file(path, shown, problems, "E134", "主题分类")
    names: list[str] = []

    def walk(entries):
        for entry in entries:
            if isinstance(entry, str):
                names.append(entry.strip())
            elif isinstance(entry, LineDict) and entry.get("name"):
                names.append(str(entry["name"]).strip())
                walk(entry.get("children") or [])
            else:
                problems.append(
                    Problem(shown, getattr(entry, "line", 1), "E134", "主题分类应为名称，或含 name 和 children 的映射")
                )

    if isinstance(data, list):
        walk(data)
    elif data is not None:
        problems.append(Problem(shown, 1, "E134", "topics.yml 应为主题名称列表"))
    return names


# ---------------------------------------------------------------- items


def split_front_matter(text: str) -> tuple[str, int, str, int] | None:
    """(front matter, its first line, body, body's first line), or None without front matter."""
    first = FM_BOUNDARY.match(text)
    if not first:
        return None
    second = FM_BOUNDARY.search(text, first.end())
    if not second:
        return None
    body_start = second.end() + 1 if text[second.end() : second.end() + 1] == "\n" else second.end()
    return (
        text[first.end() : second.start()],
        text.count("\n", 0, first.end()) + 1,
        text[body_start:],
        text.count("\n", 0, body_start) + 1,
    )


def read_front_matter(path: Path, shown: str, problems: list[Problem], parse=load_yaml, required: bool = True):
    """(front matter as a LineDict, body, body's first line, SHA-1 of the file's text, SHA-1 of
    the front matter's text), or None after reporting why. Without a leading --- there is no
    front matter: for an item that is an error, for an ordinary page it is ({}, text, 1, SHA-1, "")."""
    try:
        text = read_text(path)
    except UnicodeDecodeError:
        problems.append(Problem(shown, 1, "E101", NOT_UTF8))
        return None
    except OSError as exc:  # unreadable (permissions), or removed since the folder was listed
        problems.append(
            Problem(
                shown, 1, "E101", f"文件无法读取（{exc.strerror or exc}）；请检查文件的读取权限，或确认文件仍在该位置"
            )
        )
        return None
    if not FM_BOUNDARY.match(text):
        if required:
            problems.append(
                Problem(
                    shown, 1, "E101", "缺少元数据头：文件第一行应为 ---，随后是 title:、index_no: 等，再以 --- 结束"
                )
            )
            return None
        return LineDict(), text, 1, _sha1(text), ""
    parts = split_front_matter(text)
    if parts is None:
        problems.append(
            Problem(
                shown,
                1,
                "E101",
                "元数据头没有结束：第 1 行的 --- 之后找不到单独成行的结束 ---；请在元数据之后补上一行 ---",
            )
        )
        return None
    fm_text, fm_line, body, body_line = parts
    try:
        meta = parse(fm_text, first_line=fm_line)
    except YamlError as exc:
        problems.append(Problem(shown, exc.line, exc.code, f"元数据头{exc.message}"))
        return None
    if meta is None:
        meta = LineDict()
    if not isinstance(meta, LineDict):
        problems.append(Problem(shown, fm_line, "E101", "元数据头应为“键: 值”形式的映射"))
        return None
    for key, line in meta.duplicates:
        problems.append(Problem(shown, line, "E112", f"键 {key} 重复出现，请只保留一个"))
    return meta, body, body_line, _sha1(text), _sha1(fm_text)


def _sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def load_item(path: Path, src_uri: str, shown: str, problems: list[Problem], parse=load_yaml) -> Item | None:
    read = read_front_matter(path, shown, problems, parse)
    if read is None:
        return None
    meta, body, body_line, digest, meta_digest = read
    item = Item(
        path=shown,
        src_uri=src_uri,
        body=body,
        body_line=body_line,
        meta=dict(meta),
        lines=dict(meta.key_lines),
        digest=digest,
        meta_digest=meta_digest,
    )
    _fill_fields(item, meta, problems)
    return item


def load_page(path: Path, src_uri: str, shown: str, problems: list[Problem], parse=load_yaml) -> Page | None:
    """An ordinary page; its front matter is optional but, when there, must be valid YAML
    (MkDocs would otherwise publish the broken header as text)."""
    read = read_front_matter(path, shown, problems, parse, required=False)
    if read is None:
        return None
    meta, body, body_line, digest, _ = read
    for key in sorted(RESERVED_PAGE_KEYS.keys() & meta.keys()):
        problems.append(Problem(shown, meta.line_of(key), "E114", RESERVED_PAGE_KEYS[key]))
        return None
    return Page(shown, src_uri, body, body_line, dict(meta), dict(meta.key_lines), digest)


# Keys of an ordinary page's front matter MkDocs would act on: `template` names a file the
# build then fails to find (or a template of ours given the wrong data).
RESERVED_PAGE_KEYS = {"template": "页面元数据中的 template 由 xxgk 决定，不能自行指定；请删除该行"}


def _fill_fields(item: Item, meta: LineDict, problems: list[Problem]) -> None:
    def report(key, code, message):
        problems.append(Problem(item.path, meta.line_of(key), code, message))

    for key, value in meta.items():
        spec = F.FIELDS.get(key)
        if spec is None:
            hint = difflib.get_close_matches(str(key), F.FIELDS, n=1, cutoff=0.6)
            report(
                key,
                "W201",
                f"未知的键 {key}" + (f"，是否应为 {hint[0]}？" if hint else "，请删除或改为 docs/format.md 中的键"),
            )
            continue
        if value is None or value == "" or value == []:
            continue
        try:
            parsed = spec.parse(value, meta.line_of(key))
            if spec.kind == "moment":  # the date, and the time where one is written (PubDate, pages)
                item.published, item.published_time = parsed
            else:
                setattr(item, key, parsed)
        except F.BadValue as exc:
            report(key, spec.code, f"{spec.label}（{key}）{exc}")
    for spec in F.FIELDS.values():
        if spec.required and meta.get(spec.key) in (None, "", []):
            if spec.key in meta:  # written but empty: its own line; missing: the header's first line
                report(spec.key, "E102", f"必填项 {spec.key}（{spec.label}）为空，请填写")
            else:
                problems.append(
                    Problem(item.path, 1, "E102", f"缺少必填项 {spec.key}（{spec.label}），请在元数据头中补上")
                )
