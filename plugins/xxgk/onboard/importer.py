"""`xxgk import`: incoming records → item files under content/items/<year>/<publisher>/, safely repeated.

The 索引号 is the identity. A record already imported and unchanged is skipped without being
converted; a changed one is applied only with `update`, and then only to the fields (and the
body) that still read as they were imported — what staff edited since stays theirs.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from xxgk.core.fields import FIELDS
from xxgk.core.gate import allowed_kinds
from xxgk.core.load import Content, load_content, split_front_matter
from xxgk.core.model import Problem
from xxgk.core.options import Options, read_mkdocs_yml
from xxgk.core.scaffold import front_matter
from xxgk.onboard import html_body as H
from xxgk.onboard import links as L
from xxgk.onboard.bodies import Body, BodyError
from xxgk.onboard.convert import convert, plain
from xxgk.onboard.mapping import Mapping, apply
from xxgk.onboard.names import Names
from xxgk.onboard.record import RECORD, Entry, Record, digest
from xxgk.onboard.serials import Serials
from xxgk.onboard.sources import Incoming, Unreadable, incoming
from xxgk.rules import analyse

# the fields the run's report counts ("索引号 58/60"): what a clerk checks first after an import
REPORTED = ("title", "index_no", "publisher", "doc_no", "written", "published", "category", "topics", "status")
SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
DATE_KEYS = ("published", "written", "effective", "expires")


@dataclass
class Outcome:
    imported: int = 0
    updated: int = 0
    skipped: int = 0
    to_fix: int = 0
    problems: list[Problem] = field(default_factory=list)
    written: dict[str, str] = field(default_factory=dict)  # item file → source:row
    read: Counter = field(default_factory=Counter)  # field → records whose source gave a value
    templates: Counter = field(default_factory=Counter)  # saved pages per CMS family recognised
    records: int = 0

    def note(self, shown: str, line: int, code: str, message: str) -> None:
        self.problems.append(Problem(shown, line, code, message))


class Importer:
    def __init__(self, opts: Options, mapping: Mapping, *, update: bool):
        self.opts, self.mapping, self.update = opts, mapping, update
        self.content: Content = load_content(opts)
        self.names = Names.of(self.content, mapping.aliases)
        self.record = Record.load(opts.root)
        self.site_items = {i.index_no: i for i in self.content.items if i.index_no}
        self.serials = Serials(opts.index_no_re, list(self.site_items) + list(self.record.items))
        self.seen: dict[str, str] = {}  # index_no → source:row, within this run
        self.waiting: list[tuple[Incoming, dict, str]] = []  # records without 索引号, numbered last
        self.out = Outcome()
        self.kinds = allowed_kinds(opts)  # what the gate lets the site publish
        self.old_links: list[tuple[str, int, str, str]] = []  # (source, row, title, old address) in bodies

    def run(self, paths: list[Path], tick: Callable[[], None] = lambda: None) -> Outcome:
        for record in incoming(paths, self.mapping):
            if isinstance(record, tuple):
                shown, header_row, unknown = record
                if unknown:
                    self.out.note(
                        shown,
                        header_row,
                        "I301",
                        f"未识别的列：{'、'.join(unknown)}，已忽略；需要时在映射文件 columns 中写明对应的项",
                    )
                continue
            if isinstance(record, Unreadable):
                self.out.note(record.shown, record.line, "I317", record.message)
                self.out.to_fix += 1
            else:
                self.one(record)
            tick()
        self.serials.existing.update(self.seen)  # numbers the sources give are taken, wherever they come
        for rec, meta, key in self.waiting:
            self.assign(rec, meta, key)
        self.link_items()
        if self.out.imported or self.out.updated:
            self.record.save()
        return self.out

    # ------------------------------------------------------------ one record

    def one(self, rec: Incoming) -> None:
        where = f"{rec.shown}:{rec.line}"
        values = apply(self.mapping, rec.values)
        self.out.records += 1
        self.out.read.update(k for k in REPORTED if str(values.get(k, "")).strip())
        if rec.template:
            self.out.templates[rec.template] += 1
        conv = convert(values, self.names)
        for n in conv.notes:
            self.out.note(rec.shown, rec.line, n.code, n.message)
        if not conv.ok:
            self.out.to_fix += 1
            return
        meta = conv.meta
        key = digest(*(str(rec.values.get(k, "")) for k in ("publisher", "title", "published", "doc_no")))
        index_no = meta.get("index_no") or self.record.origins.get(key)
        if index_no in self.seen:
            self.out.note(
                rec.shown,
                rec.line,
                "I316",
                f"索引号 {index_no} 与 {self.seen[index_no]} 重复；同一条信息只导入一次",
            )
            self.out.to_fix += 1
            return
        entry = self.record.items.get(index_no) if index_no else None
        if entry is None and index_no in self.site_items:
            self.out.note(
                rec.shown,
                rec.line,
                "I315",
                f"索引号 {index_no} 已由 {self.site_items[index_no].path} 使用，且不是导入的条目；未导入，请核对索引号",
            )
            self.out.skipped += 1
            return
        if index_no is None:  # numbered after every source is read: a later row may use the next number itself
            self.waiting.append((rec, meta, key))
            return
        self.seen[index_no] = where
        self.place(rec, meta, index_no, entry, None)

    def assign(self, rec: Incoming, meta: dict, key: str) -> None:
        """The next free 索引号 for a record without one; its body is read first, so a failing row uses none."""
        body = self.body_of(rec)
        if body is None:
            return
        index_no = self.serials.next(self.names.org_codes[meta["publisher"]], meta["published"].year)
        if index_no is None:
            self.out.note(
                rec.shown, rec.line, "I309", "缺少索引号，且无法按 index_no_pattern 推算；请在来源中补上索引号"
            )
            self.out.to_fix += 1
            return
        self.out.note(rec.shown, rec.line, "I321", f"来源中没有索引号，已分配 {index_no}（发布后不能更改）")
        self.record.origins[key] = index_no
        self.seen[index_no] = f"{rec.shown}:{rec.line}"
        self.place(rec, meta, index_no, None, body)

    def place(self, rec: Incoming, meta: dict, index_no: str, entry: Entry | None, body: Body | None) -> None:
        meta["index_no"] = index_no
        if entry is not None and entry.source_hash == rec.source_hash:
            self.out.skipped += 1
            return
        if entry is not None and not self.update:
            self.out.note(rec.shown, rec.line, "I313", f"来源已变化，条目 {entry.file} 未更新；确认后用 --update 更新")
            self.out.skipped += 1
            return
        body = body or self.body_of(rec)
        if body is not None:
            self.write(rec, meta, body, entry)

    def body_of(self, rec: Incoming) -> Body | None:
        try:
            return rec.body()
        except BodyError as exc:
            self.out.note(rec.shown, rec.line, "I308", str(exc))
            self.out.to_fix += 1
            return None

    def write(self, rec: Incoming, meta: dict, body: Body, entry: Entry | None) -> None:
        target = self.root_path(entry.file) if entry else self.new_path(meta)
        folder_rel = target.relative_to(self.opts.root).parent
        text, attachments = self.body_text(rec, meta, body, target)
        if attachments:
            meta["attachments"] = attachments
        fields, body_hash = plain(meta), digest(text)  # recorded as imported, before staff's edits win
        if entry is not None:
            meta, text = self.merge(rec, entry, meta, text, target)
        file_rel = target.relative_to(self.opts.root).as_posix()
        target.parent.mkdir(parents=True, exist_ok=True)
        for dest, data in self.pending:
            (self.opts.root / folder_rel / dest).parent.mkdir(parents=True, exist_ok=True)
            (self.opts.root / folder_rel / dest).write_bytes(data)
        target.write_text(front_matter(_typed(meta)) + "\n" + text, encoding="utf-8")
        self.record.items[meta["index_no"]] = Entry(
            file_rel, f"{rec.shown}:{rec.line}", rec.source_hash, fields, body_hash, body.url
        )
        self.out.written[file_rel] = f"{rec.shown}:{rec.line}"
        if entry is None:
            self.out.imported += 1
        else:
            self.out.updated += 1

    def merge(self, rec: Incoming, entry: Entry, meta: dict, text: str, target: Path) -> tuple[dict, str]:
        """--update: a field takes the new source value only where the file still holds the imported one."""
        try:
            current_text = target.read_text(encoding="utf-8")
            fm, _, current_body, _ = split_front_matter(current_text) or ("", 1, current_text, 1)
            current = plain(yaml.safe_load(fm) or {})
        except (OSError, yaml.YAMLError):
            current, current_body = dict(entry.fields), None
        merged = dict(current)
        for key in {*entry.fields, *plain(meta)}:
            was, new = entry.fields.get(key), plain(meta).get(key)
            if current.get(key) == was:
                if new is None:
                    merged.pop(key, None)
                else:
                    merged[key] = new
            elif new != was:
                self.out.note(rec.shown, rec.line, "I314", f"{entry.file} 的 {key} 已在导入后修改，保留修改后的值")
        if current_body is not None and digest(current_body.lstrip("\n")) != entry.body_hash:
            if digest(text) != entry.body_hash:
                self.out.note(rec.shown, rec.line, "I314", f"{entry.file} 的正文已在导入后修改，保留修改后的正文")
            text = current_body.lstrip("\n")
        return merged, text

    # ------------------------------------------------------------ places and bodies

    def root_path(self, rel: str) -> Path:
        return self.opts.root / rel

    def new_path(self, meta: dict) -> Path:
        folder = self.opts.docs_path / self.opts.items_dir / str(meta["published"].year) / meta["publisher"]
        stem = meta["index_no"].rsplit("/", 1)[-1]
        stem = stem if SAFE_NAME.fullmatch(stem) else re.sub(r"[^A-Za-z0-9_.-]+", "-", stem).strip("-.") or "item"
        target, n = folder / f"{stem}.md", 1
        while target.exists() or target.relative_to(self.opts.root).as_posix() in self.out.written:
            n += 1
            target = folder / f"{stem}-{n}.md"
        return target

    def body_text(self, rec: Incoming, meta: dict, body: Body, target: Path) -> tuple[str, list[dict]]:
        """The body as Markdown, its files placed under files/<item>/, and what looks injected reported."""
        self.pending: list[tuple[str, bytes]] = []
        stem = target.stem
        attachments: list[dict] = []
        used: set[str] = set()

        def place(path_or_name: str, data: bytes, title: str) -> str:
            name = Path(path_or_name).name
            if not SAFE_NAME.fullmatch(name):
                name = f"{stem}-{len(used) + 1}{Path(name).suffix.lower()}"
            while name in used:
                name = f"{Path(name).stem}-{len(used) + 1}{Path(name).suffix}"
            used.add(name)
            dest = f"files/{stem}/{name}"
            self.pending.append((dest, data))
            return dest

        if body.suspect:
            self.out.note(
                rec.shown,
                rec.line,
                "I323",
                f"“{meta['title']}”选作正文的部分{body.suspect}，可能不是正文；请打开该网页核对",
            )
        for title, text in (("隐藏文字", t) for t in body.hidden):
            self.out.note(
                rec.shown,
                rec.line,
                "I311",
                f"“{meta['title']}”中有读者看不到的{title}“{text}”，疑似被植入，已删除；请核实原网站是否被篡改",
            )
        if body.root is not None:
            root = body.root
            placed: set = set()  # links already pointing at the files copied under files/
            for el, path in body.links:
                if not self.allowed(rec, meta, path):
                    continue  # the link stays as the old site had it: links.py decides it below
                dest = place(path.name, path.read_bytes(), path.stem)
                placed.add(el)
                if el.tag == "a":
                    el.set("href", dest)
                    if path.suffix.lower() not in (".jpg", ".jpeg", ".png", ".gif"):
                        attachments.append({"file": dest, "title": _title_of(H.plain_text(el)) or path.stem})
                else:
                    el.set("src", dest)
            images = {src: (ext, data) for src, ext, data in body.images}
            for img in list(root.iter("img")):
                src = img.get("src") or ""
                if src in images:
                    ext, data = images[src]
                    img.set("src", place(f"{stem}-image.{ext}", data, ""))
                elif not src.startswith("files/"):
                    self.out.note(
                        rec.shown,
                        rec.line,
                        "I319",
                        f"“{meta['title']}”中的图片 {src[:60]} 不在本地，未导入；请另行保存为附件",
                    )
                    H._remove(img)
            self.place_links(rec, meta, root, body.url, placed)
            hosts = H.outside_hosts(root, self.mapping.allowed_hosts)
            if hosts:
                self.out.note(
                    rec.shown,
                    rec.line,
                    "I312",
                    f"“{meta['title']}”的正文链接到外部网站 {'、'.join(hosts[:3])}，疑似被植入；请核实后删除或保留",
                )
            text = H.to_markdown(root)
            plain_body = H.plain_text(root)
        else:
            text = body.markdown
            plain_body = text
        for path in filter(lambda p: self.allowed(rec, meta, p), body.attachments):
            attachments.append({"file": place(path.name, path.read_bytes(), path.stem), "title": path.stem})
        terms = H.spam_terms(" ".join((meta.get("title", ""), meta.get("summary", ""), plain_body)))
        if terms:
            self.out.note(
                rec.shown,
                rec.line,
                "I310",
                f"“{meta['title']}”含疑似植入的赌博类词语：{'、'.join(terms)}；请核实原网站是否被篡改，并在导入的条目中删除",
            )
        return text, attachments

    def allowed(self, rec: Incoming, meta: dict, path: Path) -> bool:
        """Whether the site publishes files of this kind (the gate's list, mkdocs.yml attachment_types)."""
        kind = path.suffix.lower().lstrip(".")
        if kind in self.kinds:
            return True
        self.out.note(
            rec.shown,
            rec.line,
            "I326",
            f"“{meta['title']}”的附件 {path.name} 的类型“{kind or '无扩展名'}”本站不发布，未复制；"
            "请转存为 PDF 等允许的类型，或在 mkdocs.yml 的 attachment_types 中加上该类型",
        )
        return False

    def place_links(self, rec: Incoming, meta: dict, root, page_url: str, placed: set) -> None:
        """Every link of the body decided (links.py): scripts dropped, old-site links made absolute
        (and remembered, to point at the items imported from them once all are written)."""
        for a in list(root.iter("a")):
            href = a.get("href")
            if href is None or a in placed:
                continue
            what, url = L.resolve(href, page_url, self.mapping.old_site)
            if what == L.DROP:
                a.drop_tag()
            elif what == L.UNKNOWN:
                self.out.note(
                    rec.shown,
                    rec.line,
                    "I325",
                    f"“{meta['title']}”的正文链接 {href[:80]} 无法确定指向（网页没有写明自己的地址）；"
                    "已去掉链接、保留文字；需要时在映射文件 old_site 中写明旧网站地址",
                )
                a.drop_tag()
            elif what == L.OLD:
                a.set("href", url)
                self.old_links.append((rec.shown, rec.line, meta["title"], url))

    def link_items(self) -> None:
        """Old-site links in the bodies written this run → the items imported from those addresses
        (this run or before); the rest stay absolute and are reported (I324)."""
        items = {L.key(e.url): e.file for e in self.record.items.values() if e.url}
        by_source = {f"{e.source}": e for e in self.record.items.values()}
        for shown, line, title, url in self.old_links:
            entry = by_source.get(f"{shown}:{line}")
            target = items.get(L.key(url))
            if entry is None:
                continue
            if target is None:
                self.out.note(
                    shown,
                    line,
                    "I324",
                    f"“{title}”的正文链接 {url[:100]} 指向旧站上未导入的网页或文件，已写成旧站的完整地址；"
                    "请把该文件作为附件保存，或确认旧站地址长期可用",
                )
                continue
            path = self.opts.root / entry.file
            rel = Path(os.path.relpath(self.opts.root / target, path.parent)).as_posix()
            text = path.read_text(encoding="utf-8")
            # the link, with or without a title; the old page's anchors are gone: the page itself
            new = text.replace(f"]({url})", f"]({rel})").replace(f']({url} "', f']({rel} "')
            if new != text:
                path.write_text(new, encoding="utf-8")
                fm = split_front_matter(new)
                entry.body_hash = digest(fm[2].lstrip("\n")) if fm else entry.body_hash


class TrialError(Exception):
    """The site cannot be copied for a trial; the message says why and what to do."""


def trial_copy(opts: Options, into: Path) -> Options:
    """The site's sources copied into `into` (mkdocs.yml, content, catalog, the import record),
    for --dry-run: the import runs there for real and is checked like any other, then the
    copy is thrown away, so a trial reports all a real run would. A docs_dir or catalog_dir
    outside the repository would stay the real one in the copy: refused, not written to."""
    root = opts.root.resolve()
    for name, rel in (("docs_dir", opts.docs_dir), ("catalog_dir", opts.catalog_dir)):
        if not (opts.root / rel).resolve().is_relative_to(root):
            raise TrialError(
                f"mkdocs.yml 的 {name}（{rel}）不在站点仓库之内，试运行无法在副本上进行；"
                "请把它移进仓库后再试，或去掉 --dry-run 前先备份该目录"
            )
    for rel in ("mkdocs.yml", opts.docs_dir, opts.catalog_dir, RECORD):
        source = opts.root / rel
        if source.is_dir():
            shutil.copytree(source, into / rel, symlinks=True)
        elif source.is_file():
            (into / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, into / rel)
    return read_mkdocs_yml(into)


def report(out: Outcome) -> list[str]:
    """What staff act on after a run: how many sources gave each field, and how many reports of each
    kind ask for a person (the lines above name every source)."""
    if not out.records:
        return []
    lines = ["来源中读到的项：" + "，".join(f"{FIELDS[k].label} {out.read[k]}/{out.records}" for k in REPORTED)]
    if out.templates:
        lines.append("网页的模板：" + "，".join(f"{name} {n}" for name, n in out.templates.most_common()))
    asks = Counter(p.code for p in out.problems if p.code in REVIEW)
    if asks:
        lines.append("需要人工核对：" + "，".join(f"{code} {REVIEW[code]} {n} 处" for code, n in sorted(asks.items())))
    return lines


# reports that ask a person to look at the old page or the item
REVIEW = {
    "I310": "疑似植入的词语",
    "I311": "已删除的隐藏文字",
    "I312": "外部链接",
    "I319": "未导入的图片",
    "I321": "新分配的索引号",
    "I322": "有效性待确认",
    "I323": "正文可能选错",
    "I324": "指向旧站的链接",
    "I325": "已去掉的链接",
}


def check_written(opts: Options, out: Outcome) -> list[Problem]:
    """`xxgk check`'s problems in the files this run wrote: what stops an imported item."""
    if not out.written:
        return []
    found = [p for p in analyse(opts).problems if p.path in out.written]
    out.to_fix += len({p.path for p in found if p.is_error})
    return found


def _typed(meta: dict) -> dict:
    """Plain record values back to what YAML should show (dates unquoted)."""
    out = dict(meta)
    for key in DATE_KEYS:
        out[key] = _date(out.get(key))
    if isinstance(out.get("abolished"), dict):
        out["abolished"] = {**out["abolished"], "date": _date(out["abolished"].get("date"))}
    return {k: v for k, v in out.items() if v is not None}


def _date(value):
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else value
    except ValueError:
        return value  # staff's own text: written back as it was


def _title_of(link_text: str) -> str:
    """`工作安排.pdf` → `工作安排`: the page shows the type beside the title anyway."""
    return re.sub(r"\.(pdf|docx?|xlsx?|ofd|wps|zip|rar|txt)$", "", link_text.strip(), flags=re.IGNORECASE)
