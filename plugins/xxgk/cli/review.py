"""`xxgk check --base REV`: the site as it was at a Git revision, compared with the working tree.

It refuses changes that lose published information (E160 deleted item file,
E161 changed index_no, E162 a page URL that existed in REV disappears) and
summarises the rest for the reviewer. Git is run as a subprocess; REV's
Markdown and YAML files are copied to a temporary folder and loaded with the
same core as the working tree, so both sides are read by the same rules.
"""

from __future__ import annotations

import dataclasses
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from xxgk.core import deadlines
from xxgk.core.fields import FIELDS
from xxgk.core.ledger import read_ledger
from xxgk.core.load import load_content
from xxgk.core.model import Item, Problem
from xxgk.core.relate import relate
from xxgk.core.site import Site
from xxgk.core.urls import item_url
from xxgk.core.wording import Acceptance, acceptances
from xxgk.output.pages import build_pages


class GitError(Exception):
    """Git could not give us REV; the message says what to do."""


@dataclass
class Review:
    base: str
    added: list[Item] = field(default_factory=list)
    moved: list[tuple[str, Item]] = field(default_factory=list)  # (old path, item)
    status_changed: list[tuple[Item, str, str]] = field(default_factory=list)  # (item, old, new)
    metadata_changed: list[tuple[Item, list[str]]] = field(default_factory=list)  # (item, keys)
    body_changed: list[Item] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # the wording check's findings in the items this change touches (shown first), and the
    # 用语放行 comments in them, whose reasons the reviewer judges
    wording: list[Problem] = field(default_factory=list)
    accepted: list[tuple[Item, Acceptance]] = field(default_factory=list)
    cases: list[tuple[str, str, str]] = field(
        default_factory=list
    )  # open 依申请公开 cases changed: (案号, 状态, 答复期限)


def git(root: Path, *args: str, stdin: bytes | None = None) -> bytes:
    """git's output; GitError with git's own message when it fails (check --base, normalise)."""
    try:
        proc = subprocess.run(["git", *args], cwd=root, input=stdin, capture_output=True)
    except FileNotFoundError:
        raise GitError("找不到 git 命令；--base 需要安装 Git") from None
    if proc.returncode != 0:
        raise GitError(proc.stderr.decode("utf-8", "replace").strip())
    return proc.stdout


def base_site(opts, rev: str) -> Site:
    """The site at `rev` (a revision cli/common.revision_arg let through), loaded and related (not
    checked: REV's own problems are not this change's)."""
    root = opts.root
    try:
        git(root, "rev-parse", "--is-inside-work-tree")
    except GitError:
        raise GitError(f"{root.resolve()} 不在 Git 仓库中；--base 只能在站点的 Git 仓库里使用") from None
    try:
        git(root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    except GitError:
        raise GitError(f"找不到版本“{rev}”；请确认分支名或提交号，拉取请求中可先运行 git fetch origin main") from None
    listing = git(root, "ls-tree", "-r", "-z", rev, "--", opts.docs_dir, opts.catalog_dir)
    wanted: list[tuple[str, str]] = []  # (blob, path)
    for entry in listing.split(b"\0"):
        if not entry:
            continue
        meta, raw_name = entry.split(b"\t", 1)
        _mode, kind, sha = meta.split()
        if kind == b"blob" and raw_name.endswith((b".md", b".yml", b".yaml")):
            wanted.append((sha.decode(), raw_name.decode("utf-8")))
    blobs = _cat_files(root, [blob for blob, _ in wanted])
    with tempfile.TemporaryDirectory(prefix="xxgk-base-") as tmp:
        for blob, name in wanted:
            target = Path(tmp) / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(blobs[blob])
        base_opts = dataclasses.replace(opts, root=Path(tmp))
        content = load_content(base_opts)  # everything needed is now in memory
    return Site(base_opts, content, relate(content, opts.as_of_date()), [])


def _cat_files(root: Path, shas: list[str]) -> dict[str, bytes]:
    """Every blob in one `git cat-file --batch` run, not one process per file."""
    out = git(root, "cat-file", "--batch", stdin="".join(f"{s}\n" for s in shas).encode())
    blobs, pos = {}, 0
    while pos < len(out):
        end = out.index(b"\n", pos)
        sha, _kind, size = out[pos:end].split()
        start = end + 1
        blobs[sha.decode()] = out[start : start + int(size)]
        pos = start + int(size) + 1
    return blobs


def page_urls(site: Site) -> dict[str, tuple[str, str]]:
    """url -> (kind, title) for every page except later pages of paginated lists, which shift by nature."""
    urls = {spec.url: (spec.kind, spec.title) for spec in build_pages(site) if "/page/" not in spec.url}
    for src in site.content.pages:
        url = src[:-3]
        url = url[:-5] if url == "index" or url.endswith("/index") else url + "/"
        urls[url] = ("page", src)
    return urls


def compare(site: Site, base: Site, rev: str) -> Review:
    review = Review(rev)
    now = {i.index_no: i for i in site.content.items if i.index_no}
    now_by_path = {i.path: i for i in site.content.items}
    before = base.rel.by_index_no
    for index_no, old in before.items():
        item = now.get(index_no)
        if item is None:
            review.problems.append(_lost(old, now_by_path.get(old.path), rev))
            continue
        if item.path != old.path:
            review.moved.append((old.path, item))
        old_status = base.rel.status_of(old).label
        new_status = site.rel.status[index_no].label if index_no in site.rel.status else old_status
        if old_status != new_status:
            review.status_changed.append((item, old_status, new_status))
        keys = [k for k in dict.fromkeys([*old.meta, *item.meta]) if old.meta.get(k) != item.meta.get(k)]
        if keys:
            review.metadata_changed.append((item, keys))
        if old.body.strip() != item.body.strip():
            review.body_changed.append(item)
    review.added = [i for no, i in now.items() if no not in before]
    touched = {i.path: i for i in [*review.added, *review.body_changed, *(i for i, _ in review.metadata_changed)]}
    review.wording = [p for p in site.problems if p.path in touched and p.code[1:2] == "5"]
    review.accepted = [(i, a) for i in touched.values() for a in acceptances(i.body)[0]]
    lost_items = {item_url(no) for no in before if no not in now}
    now_urls = page_urls(site)
    for url, (kind, title) in page_urls(base).items():
        if url not in now_urls and url not in lost_items:
            review.problems.append(_lost_page(site, url, kind, title, rev))
    return review


def _lost(old: Item, same_path: Item | None, rev: str) -> Problem:
    if same_path is not None:
        return Problem(
            same_path.path,
            same_path.line_of("index_no"),
            "E161",
            f"索引号由 {old.index_no} 改为 {same_path.index_no or '（空）'}；索引号发布后不能更改，"
            f"页面 {item_url(old.index_no)} 会失效。请改回 {old.index_no}；"
            "如确需新文件，请另建条目，并在新条目中写 replaces: " + old.index_no,
        )
    return Problem(
        old.path,
        1,
        "E160",
        f"删除了 {rev} 中已发布的条目《{old.title}》（{old.index_no}）；已公开的信息不能删除。"
        "请恢复该文件（git restore --source " + rev + " -- " + old.path + "），"
        "文件不再有效时改为标注 status: 废止 并写 abolished: {date: 废止日期, by: 废止依据}"
        "（或 status: 失效）；被新版本取代时保留旧文件，在新条目中写 replaces: " + old.index_no,
    )


def _lost_page(site: Site, url: str, kind: str, title: str, rev: str) -> Problem:
    opts = site.opts
    if kind == "page":
        where, remedy = f"{opts.docs_dir}/{title}", "请恢复该文件；内容过时可修改文字，但不要删除页面"
    elif kind in ("node", "catalog"):
        where, remedy = (
            f"{opts.catalog_dir}/catalog.yml",
            "请恢复该目录节点（id 不变）；栏目调整时保留原节点并在 description 中说明",
        )
    elif kind in ("topic", "topics"):
        where, remedy = f"{opts.catalog_dir}/topics.yml", "请恢复该主题分类名称"
    else:
        where, remedy = "mkdocs.yml", "请恢复产生该页面的设置"
    return Problem(
        where,
        1,
        "E162",
        f"页面 {url}（{title}）在 {rev} 中已发布，此次修改后将不再存在；已公开的页面地址不能撤下：{remedy}",
    )


def field_label(key: str) -> str:
    spec = FIELDS.get(key)
    return f"{spec.label}（{key}）" if spec else key


def changed_open_cases(site: Site, rev: str) -> list[tuple[str, str, str]]:
    """The open cases whose ledger files this change adds or edits, with their answer deadline:
    the reviewer sees which deadlines the change moves (the ledger itself is never published)."""
    folder = site.opts.applications_dir
    changed = git(site.opts.root, "diff", "--name-only", "--relative", rev, "--", folder).decode("utf-8").split("\n")
    changed += (
        git(site.opts.root, "ls-files", "--others", "--exclude-standard", "--", folder).decode("utf-8").split("\n")
    )
    wanted = {p.strip() for p in changed if p.strip()}
    as_of, cal = site.rel.as_of, site.content.calendar
    rows = []
    for case in read_ledger(site.opts).cases:
        if case.path not in wanted:  # both relative to the site repository
            continue
        if case.received > as_of or case.answered_by(as_of):
            continue
        clock = deadlines.clock(case, cal, as_of)
        due = clock.answer_due
        if due is None:
            detail = "暂无答复期限"
        elif clock.overdue(as_of):
            detail = f"{due.due.isoformat()}（已超期）"
        else:
            detail = f"{due.due.isoformat()}（剩 {clock.days_left(cal, as_of)} 个工作日）"
        rows.append((case.number, clock.state, detail))
    return rows
