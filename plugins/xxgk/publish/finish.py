"""The last steps of a build, after the pages and the search index are written:
feeds, sitemap.xml, robots.txt, then one pass over every output file that both
checks links and hashes the file for the tamper-evidence manifest."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from xxgk.core.model import Problem
from xxgk.core.site import Site
from xxgk.infra import progress
from xxgk.infra.background import Background, halves
from xxgk.infra.caches import cache_dir
from xxgk.infra.place import digest, read_file
from xxgk.output.feeds import write_feeds
from xxgk.output.sitemap import write_robots, write_sitemap
from xxgk.publish import manifest
from xxgk.publish.linkcheck import LinkCache, LinkChecker, Parsed, parsed

if TYPE_CHECKING:  # not imported otherwise: it loads Pagefind
    from xxgk.search.index import IndexJob, RuntimeJob


@dataclass
class Reused:
    """Pages reused from the page cache, which a job beside the build may still be putting
    into the site: the SHA-256 of each (a build computed it before), by site-relative path."""

    digests: dict[str, str]
    placing: Background[None]


@dataclass
class Published:
    problems: list[Problem]  # broken links: the build must fail
    sitemap: bool  # False when site_url is not set
    digests: dict[str, str]  # SHA-256 of every output file, by site-relative path


class Scan:
    """One read of output files: the HTML link-checked, every file hashed (with `hashes`) for
    the manifest. With a link cache (needs hashes), pages seen before with the same bytes
    are not parsed."""

    def __init__(self, site_dir: Path, checker: LinkChecker, hashes: bool = True, cache: LinkCache | None = None):
        self.site_dir, self.checker, self.hashes, self.cache = site_dir, checker, hashes, cache
        self.digests: dict[str, str] = {}  # SHA-256 by site-relative path
        self.counting = progress.phase("链接检查与校验值", len(checker.files))

    def read(self, files: list[str], known: Mapping[str, str] = {}, placing: Background[None] | None = None) -> None:
        """`known`: SHA-256 of files whose bytes the build vouches for (pages reused from the
        page cache, files the search job wrote): with hashes they are not read unless the link
        cache has not seen them. `placing`: the job that may still be putting files of
        `known` into site_dir, waited for before one of them is read."""
        fresh = [rel for rel in files if not (self.hashes and rel in known)]  # files whose bytes must be read
        taken = _take_both(self.site_dir, fresh, self.hashes, self.counting) if len(fresh) >= SPLIT_AT else {}
        root = os.fspath(self.site_dir)
        for rel in files:  # no Path a file: most are reused pages, known by their SHA-256
            if rel in taken:
                sha, parse = taken[rel]
                data = None
            else:
                self.counting.step()
                data = None if self.hashes and rel in known else read_file(f"{root}/{rel}")
                sha = (known[rel] if data is None else digest(data)) if self.hashes else None
                parse = None
            if sha is not None:
                self.digests[rel] = sha
            if rel.endswith(".html"):
                parse_page = (lambda p=parse: p) if parse is not None else _parser(f"{root}/{rel}", data, placing)
                if self.cache is not None:
                    self.checker.add_cached(rel, self.digests[rel], parse_page, self.cache)
                else:
                    self.checker.add_parsed(rel, *parse_page())

    def add(self, files: list[str], written: Mapping[str, str]) -> None:
        """Files written beside the build, read once the others were (the search index), with
        the SHA-256 of each as written."""
        self.checker.add_files(files)
        self.counting.total = (self.counting.total or 0) + len(files)
        self.read(files, written)

    def finish(self) -> list[Problem]:
        problems = self.checker.finish()
        self.counting.finish(f"{len(problems)} 个问题")
        return problems


def scan(
    site_dir: Path, display_root: str = "site", skip: tuple[str, ...] = (), root_path: str = "/", hashes: bool = True
) -> tuple[list[Problem], dict[str, str], LinkChecker]:
    """Every file of a built site read once (`xxgk linkcheck`): the problems, each file's
    SHA-256 (with hashes) and the checker."""
    files = manifest.list_files(site_dir)
    checker = LinkChecker(files, display_root, skip, root_path)
    reading = Scan(site_dir, checker, hashes)
    reading.read(files)
    return reading.finish(), reading.digests, checker


def _parser(path: str, data: bytes | None, placing: Background[None] | None) -> Callable[[], Parsed]:
    """The page's parse when the link cache misses: of the bytes in hand, or of the file read
    once `placing` has put it there (the file may still be on its way)."""
    if data is not None:
        return lambda: parsed(data)

    def parse() -> Parsed:
        if placing is not None:
            placing.wait()
        return parsed(read_file(path))

    return parse


# Below this many files to read, the second process is not worth its start (a fork of the
# build, and the pickled answer back): a rebuild renders a few pages, a full build all.
SPLIT_AT = 200


def _take(site_dir: Path, files: list[str], hashes: bool, counting: progress.Phase | None = None) -> dict[str, tuple]:
    """Each file's (SHA-256 or None, and for a page its parse), read from site_dir."""
    out: dict[str, tuple] = {}
    root = os.fspath(site_dir)
    for rel in files:
        data = read_file(f"{root}/{rel}")
        out[rel] = (digest(data) if hashes else None, parsed(data) if rel.endswith(".html") else None)
        if counting is not None:
            counting.step()
    return out


def _take_both(site_dir: Path, files: list[str], hashes: bool, counting: progress.Phase) -> dict[str, tuple]:
    """_take on two cores (background.halves). Once the pages are written the search job is
    ending or over, and reading, hashing and parsing every page was the build's last long
    step on one core."""
    mine, theirs = halves(
        files,
        partial(_take, site_dir, hashes=hashes),
        "xxgk-linkcheck",
        partial(_take, site_dir, hashes=hashes, counting=counting),
    )
    counting.step(len(theirs))
    return mine | theirs


def finish(
    site_dir: Path,
    site: Site,
    site_url: str | None,
    display_root: str,
    skip: tuple[str, ...],
    search: IndexJob | RuntimeJob | None,
    reused: Reused | None,
) -> Published:
    """Feeds, sitemap.xml, robots.txt, then every file read once for the link check and the
    manifest. The search job's files are read last, once it has finished; reused pages are
    taken by their SHA-256 while they may still be being placed (Reused)."""
    write_feeds(site_dir, site, site_url)
    arriving = reused.digests if reused else {}
    # once: a walk of every folder of the site, and the reused pages, which may still be on
    # their way (placed beside the build)
    files = sorted(set(manifest.list_files(site_dir)) | set(arriving))
    has_sitemap = write_sitemap(site_dir, files, site_url)
    write_robots(site_dir, site_url, has_sitemap)
    files = sorted(set(files) | {"robots.txt"} | ({"sitemap.xml"} if has_sitemap else set()))
    later = f"{search.output}/" if search else ""
    pages = [f for f in files if not (later and f.startswith(later))]
    checker = LinkChecker(pages, display_root, skip, urlsplit(site_url or "/").path, later=(later,) if later else ())
    cache = LinkCache(cache_dir(site.opts.root, "linkcheck"))
    reading = Scan(site_dir, checker, cache=cache)
    reading.read(pages, arriving, reused.placing if reused else None)
    if search is not None:  # written beside the build: read once it has finished
        written = search.finish()
        folder = site_dir / search.output
        reading.add([later + f for f in manifest.list_files(folder)] if folder.is_dir() else [], written)
    problems = reading.finish()
    cache.save()  # also after a failed check: the fixed pages are all that is parsed next time
    if not problems:
        manifest.write(site_dir, reading.digests)
    return Published(problems, has_sitemap, reading.digests)
