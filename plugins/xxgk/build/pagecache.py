"""Persistent page cache: the finished HTML of every generated and item page, kept under
.cache/xxgk/pages/ and keyed by a hash of everything that goes into the page.

A page whose key is in the cache is not rendered again (no Markdown, no Jinja): the
build puts the stored file in place. So the key must cover all the page shows:

- the build salt, which the engine gives (adapter/cache.py for MkDocs): xxgk's code and
  templates, the theme's own files outside site-packages (overrides/), the versions of
  MkDocs, Material, Markdown and Jinja, the site configuration and the as-of date;
- the page: its URL, kind, title, crumbs, its Markdown source, where the `.md`
  links in that source lead, and its PageSpec data. An item appearing in the data
  counts by its front matter and its effective status (templates show other items'
  metadata, never their bodies; the page's own body is its Markdown source).

Keys are content hashes, so a stale entry is never read; entries not used by a
successful build are removed after it, so the folder stays the size of one site.
Pages are hard-linked between the cache and site/, not copied (infra/place.py); an entry
whose file was changed after it was stored is not reused (PageCache).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
import pickle
from functools import partial
from pathlib import Path

from xxgk.core.model import CatalogNode, Department, Item
from xxgk.core.relate import Relations
from xxgk.core.stats import YearStats
from xxgk.core.status import Status
from xxgk.infra.background import Background
from xxgk.infra.place import digest, place, read_file, signature

FORMAT = "6"  # bump when the key's recipe changes


class Fingerprint:
    """A PageSpec's data as canonical JSON for the key: plain values as they are, items by
    front matter and status (memoised: an item is listed on many pages), catalog nodes
    without their parent and child links, statuses (memoised too: the site's own, which
    nothing changes once analysed); by the SHA-256 of their JSON, memoised: catalog nodes,
    departments, a year's statistics and a list of dicts in a dataclass's field (the catalog
    tree that every node page, the home and the catalog page carry, 0.85 ms a page to
    encode). JSON's C encoder does the walking."""

    def __init__(self, rel: Relations):
        self.rel = rel
        self.items: dict[int, str] = {}
        self.nodes: dict[int, str] = {}
        self.fields: dict[type, tuple[str, ...]] = {}  # a dataclass's field names, by its type
        self.trees: dict[int, tuple[object, str]] = {}  # the value is held, so that its id is never another's
        self.held: dict[int, tuple[object, dict]] = {}  # statuses as dicts, each held too

    def item(self, item: Item) -> str:
        key = id(item)
        if key not in self.items:
            status = self.rel.status.get(item.index_no)
            changes = self.rel.changing.get(item.index_no, ())  # changes ahead
            # The front matter by the digest of its text, which `meta` is read from alone:
            # its JSON, sorted, was half a second of every build at 20,000 items.
            blob = json.dumps(
                [item.src_uri, item.meta_digest or item.meta, status, list(changes)],
                default=self._written,
                ensure_ascii=False,
                sort_keys=True,
            )
            self.items[key] = hashlib.sha256(blob.encode("utf-8")).hexdigest()
        return self.items[key]

    def _plain(self, value):
        if isinstance(value, Item):
            return "item:" + self.item(value)
        if isinstance(value, CatalogNode):
            if id(value) not in self.nodes:  # the site's nodes live as long as the build
                shown = [
                    value.id,
                    value.name,
                    value.description,
                    value.department,
                    value.deadline,
                    [(n.id, n.name) for n in value.ancestors],
                    [(n.id, n.name) for n in value.children],
                ]
                self.nodes[id(value)] = "node:" + hashlib.sha256(self.dumps(shown)).hexdigest()
            return self.nodes[id(value)]
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, (set, frozenset)):
            return sorted(value, key=repr)
        if isinstance(value, Status):  # the site's own, each shown on a few pages
            if id(value) not in self.held:
                self.held[id(value)] = (value, self._dataclass(value))
            return self.held[id(value)][1]
        if isinstance(value, (Department, YearStats)):  # the site's own, shown on many pages
            return self.shared(value)
        return self._dataclass(value)

    def _dataclass(self, value) -> dict:
        kind = type(value)
        if kind not in self.fields and dataclasses.is_dataclass(value):
            self.fields[kind] = tuple(f.name for f in dataclasses.fields(value))
        if kind in self.fields:
            return {"~": kind.__name__, **{name: self._field(getattr(value, name)) for name in self.fields[kind]}}
        # an unknown kind of value could hide a dependency: refuse rather than guess
        raise TypeError(f"page cache cannot fingerprint {type(value).__name__}")

    def _field(self, value):
        """A list of dicts by its digest (shared)."""
        if type(value) is not list or not value or type(value[0]) is not dict:
            return value
        return self.shared(value)

    def shared(self, value: list | Department | YearStats) -> str:
        """A value that many pages hold by the SHA-256 of its JSON, memoised by identity (the
        memo holds the value: a page's data dropped after its key cannot hand its id to another):
        the catalog tree, and the crumbs every item of a category shares, whose dataclasses
        were 0.4 s of the keys at 20,000 items; the departments; a year's statistics, which
        list that year's items by their fingerprints (a megabyte of JSON at 20,000 items) and
        which the statistics page and each annual report show: 0.35 s of the keys when
        written out on each."""
        if id(value) not in self.trees:
            plain = value if isinstance(value, list) else self._dataclass(value)
            self.trees[id(value)] = (value, "tree:" + hashlib.sha256(self.dumps(plain)).hexdigest())
        return self.trees[id(value)][1]

    def _written(self, value):
        """Front matter may hold any value YAML reads (bytes, say): as text when not one of ours."""
        try:
            return self._plain(value)
        except TypeError:
            return str(value)

    def dumps(self, value) -> bytes:
        return json.dumps(value, default=self._plain, ensure_ascii=False, sort_keys=True).encode("utf-8")


class PageCache:
    """Entries are trusted by the size and modification time each had when stored (kept
    in pages.index beside the folder, like git's index): pages are hard-linked into site/
    (place.py), so a file in site/ edited in place changes its entry too, and such an
    entry is then rendered again instead of being reused. The index also keeps each
    entry's SHA-256 once a build has computed it, so reused pages need no reading for
    the manifest and the link check; `sound` names the entries whose file still matches
    (sound(), checked beside the analysis)."""

    def __init__(self, folder: Path, salt: str, rel: Relations, sound: set[str]):
        self.folder = folder
        self.salt = salt
        self.fingerprint = Fingerprint(rel)
        self.used: set[str] = set()
        self.index_path = index_path(folder)
        self.stats = read_index(folder)
        self.sound = sound  # entries whose file is as the index recorded it (sound())
        self.kept: dict[str, tuple] = {}  # key -> (size, mtime_ns, SHA-256 or None)
        self.folders: set[Path] = set()  # made by store()

    def key(self, spec, markdown: str, link_targets: dict[str, str | None]) -> str:
        """The Markdown is hashed as it is (as JSON it took a second at 20,000 items), each
        part after its length so that no two pages' parts can run into each other."""
        h = hashlib.sha256(f"{FORMAT} {self.salt}".encode())
        for part in (
            self.fingerprint.dumps(
                [
                    spec.src_uri,
                    spec.url,
                    spec.kind,
                    spec.title,
                    self.fingerprint.shared(spec.crumbs),
                    sorted(link_targets.items()),
                ]
            ),
            markdown.encode("utf-8"),
            self.fingerprint.dumps(spec.data),
        ):
            h.update(b"%d:" % len(part))
            h.update(part)
        key = h.hexdigest()
        self.used.add(key)
        return key

    def file_key(self, name: str, made_from: bytes) -> str:
        """The key of a site file that is no page (`name`), made from `made_from` alone (with
        what the salt covers): catalog.json, say, which a rebuild after a body edit would
        otherwise write again from every item."""
        h = hashlib.sha256(f"{FORMAT} {self.salt} {name}\0".encode())
        h.update(made_from)
        key = h.hexdigest()
        self.used.add(key)
        return key

    def path(self, key: str) -> Path:
        return entry_path(self.folder, key)

    def hit(self, key: str) -> Path | None:
        entry = self.stats.get(key)
        if entry is None or key not in self.sound:  # the index this process read is the judge
            return None
        self.kept[key] = entry
        return self.path(key)

    def digest(self, key: str) -> str | None:
        """The SHA-256 of a page reused or stored by this build, when a build computed it."""
        return self.kept[key][2] if key in self.kept else None

    def note_digests(self, digests: dict[str, str]) -> None:
        """SHA-256 by key, as this build's manifest computed them."""
        for key, sha in digests.items():
            if key in self.kept:
                self.kept[key] = (*self.kept[key][:2], sha)

    def store(self, key: str, page: Path, link: bool) -> None:
        """Keep the page MkDocs wrote under its key (a killed build never leaves half a page)."""
        path = self.path(key)
        if path.parent not in self.folders:  # 256 of them: not a system call a page
            path.parent.mkdir(parents=True, exist_ok=True)
            self.folders.add(path.parent)
        place(page, path, link)
        self.kept[key] = (*signature(path), None)

    def prune(self) -> int:
        """After a successful build: remove entries it did not use, record the rest; returns how many went."""
        removed = 0
        if self.folder.is_dir():
            for sub in self.folder.iterdir():
                for entry in sub.iterdir() if sub.is_dir() else [sub]:
                    if entry.stem not in self.used or entry.suffix != ".html":
                        entry.unlink()
                        removed += 1
        tmp = self.index_path.with_suffix(".tmp")
        tmp.write_bytes(pickle.dumps(self.kept, protocol=pickle.HIGHEST_PROTOCOL))
        tmp.replace(self.index_path)
        return removed


def entry_path(folder: Path, key: str) -> Path:
    return folder / key[:2] / f"{key}.html"


def index_path(folder: Path) -> Path:
    return folder.with_name(folder.name + ".index")


def read_index(folder: Path) -> dict[str, tuple]:
    """key -> (size, mtime_ns, SHA-256 or None) as the last successful build left them."""
    try:
        return pickle.loads(index_path(folder).read_bytes())
    except Exception:  # missing, or unreadable in any of pickle's ways: trust no entry
        return {}


def sound(folder: Path) -> set[str]:
    """The entries whose file has the size and mtime the index recorded and, where a build
    recorded it, the SHA-256 too. An entry whose file was edited is not reused: pages are
    hard-linked into site/, so a page of site/ edited in place edits its entry; the manifest
    takes a reused page by the SHA-256 the index holds, so an edit that kept size and mtime
    must not pass either (issue 30)."""
    found = set()
    for key, entry in read_index(folder).items():
        if len(entry) != 3:
            continue
        path = entry_path(folder, key)
        try:
            if signature(path) != entry[:2]:
                continue
        except OSError:
            continue
        if entry[2] is None or _sha256(path) == entry[2]:
            found.add(key)
    return found


def checking(folder: Path) -> Background[set[str]]:
    """sound() beside the build's analysis, which leaves the second core idle: done in the
    look-ups, reading the 23,000 pages of a 20,000-item site and their stats was 0.9 s of a
    one-item rebuild's critical path. An edit in the seconds between this reading and the
    placing goes unseen, as one between the look-up and the placing always did."""
    return Background(partial(sound, folder), "xxgk-check-cache", lambda code: RuntimeError(f"exit code {code}"))


def checked(job: Background[set[str]], folder: Path) -> set[str]:
    """checking()'s answer; a fork that was killed (out of memory, say) leaves the reading to
    this process."""
    try:
        return job.wait()
    except Exception:
        return sound(folder)


def _sha256(path: Path) -> str | None:
    try:
        return digest(read_file(os.fspath(path)))
    except OSError:
        return None


def copy_hits(hits: list[tuple[Path, Path]], link: bool) -> None:
    """Put cached pages in their places in the site (source, destination)."""
    made: set[Path] = set()
    for src, dest in hits:
        if dest.parent not in made:
            dest.parent.mkdir(parents=True, exist_ok=True)
            made.add(dest.parent)
        place(src, dest, link)


class PlacingError(Exception):
    """The reused pages could not be put into the site; the message says what to do."""

    def __init__(self, why: object):
        super().__init__(
            f"沿用缓存的页面无法放入站点：{why}；请检查磁盘空间和文件权限后重新构建，"
            "或在 mkdocs.yml 中设 cache: false 不用页面缓存"
        )


def placing(hits: list[tuple[Path, Path]], link: bool) -> Background[None]:
    """copy_hits beside the build (infra/background.py), while the engine renders the pages
    that changed: a folder and a link a page, which a rebuild would otherwise wait for."""
    return Background(partial(_copy_hits, hits, link), "xxgk-place-pages", _lost)


def _copy_hits(hits: list[tuple[Path, Path]], link: bool) -> None:
    try:
        copy_hits(hits, link)
    except OSError as exc:
        raise PlacingError(exc) from None


def _lost(code: int | None) -> PlacingError:
    return PlacingError(f"放置页面的进程意外退出（退出码 {code}）")
