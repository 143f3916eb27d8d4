"""The last steps of a build, after the pages and the search index are written:
feeds, sitemap.xml, robots.txt, then one pass over every output file that both
checks links and hashes the file for the tamper-evidence manifest."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit

from xxgk.core import progress
from xxgk.core.model import Problem
from xxgk.core.site import Site
from xxgk.output.feeds import write_feeds
from xxgk.output.sitemap import write_robots, write_sitemap
from xxgk.publish import manifest
from xxgk.publish.background import halves
from xxgk.publish.linkcheck import LinkCache, LinkChecker, Parsed, parsed


@dataclass
class Published:
    problems: list[Problem]  # broken links: the build must fail
    sitemap: bool  # False when site_url is not set
    digests: dict[str, str]  # SHA-256 of every output file, by site-relative path


def scan(
    site_dir: Path,
    display_root: str = "site",
    skip: tuple[str, ...] = (),
    root_path: str = "/",
    hashes: bool = True,
    cache: LinkCache | None = None,
    later: tuple[str, Callable[[], dict[str, str]]] | None = None,
    listed: list[str] | None = None,
    known: dict[str, str] | None = None,
    arrived: Callable[[], None] = lambda: None,
) -> tuple[list[Problem], dict[str, str], LinkChecker]:
    """Read every output file once: link-check the HTML and (optionally) hash everything.
    With a cache (needs hashes), pages seen before with the same bytes are not parsed.
    `later` is (folder prefix, wait): the files of that folder are written in the background
    (the search index); they are read once every other file has been read and wait() has
    returned, with the SHA-256 of the files it wrote (not read again).
    `listed`: the output files when the caller has just listed them. `known`: SHA-256 of
    files whose bytes the caller vouches for (pages reused from the page cache): with a
    cache that has seen them, they are not read at all; arrived() returns once they are in
    site_dir, and is called before one of them is read."""
    prefix = later[0] if later else None
    files = [f for f in listed or manifest.list_files(site_dir) if not (prefix and f.startswith(prefix))]
    checker = LinkChecker(files, display_root, skip, root_path, later=(prefix,) if prefix else ())
    digests: dict[str, str] = {}
    with progress.phase("链接检查与校验值", len(files)) as checking:
        _read(site_dir, files, checker, digests, hashes, cache, known or {}, checking, arrived)
        if later and prefix:
            written = later[1]()
            added = [prefix + f for f in manifest.list_files(site_dir / prefix)] if (site_dir / prefix).is_dir() else []
            checker.add_files(added)
            checking.total = len(files) + len(added)
            _read(site_dir, added, checker, digests, hashes, cache, written, checking, lambda: None)
        problems = checker.finish()
        checking.note = f"{len(problems)} 个问题"
    return problems, digests, checker


def _parser(path: Path, data: bytes | None, arrived: Callable[[], None]) -> Callable[[], Parsed]:
    """The page's parse when the link cache misses: of the bytes in hand, or of the file read
    once arrived() has returned (the file may still be on its way)."""
    if data is not None:
        return lambda: parsed(data)

    def parse() -> Parsed:
        arrived()
        return parsed(path.read_bytes())

    return parse


# Below this many files to read, the second process is not worth its start (a fork of the
# build, and the pickled answer back): a rebuild renders a few pages, a full build all.
SPLIT_AT = 200


def _take(site_dir: Path, files: list[str], hashes: bool, counting: progress.Phase | None = None) -> dict[str, tuple]:
    """Each file's (SHA-256 or None, and for a page its parse), read from site_dir."""
    out: dict[str, tuple] = {}
    for rel in files:
        data = (site_dir / rel).read_bytes()
        out[rel] = (manifest.digest(data) if hashes else None, parsed(data) if rel.endswith(".html") else None)
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


def _read(
    site_dir: Path,
    files: list[str],
    checker: LinkChecker,
    digests: dict[str, str],
    hashes: bool,
    cache: LinkCache | None,
    known: dict[str, str],
    counting: progress.Phase,
    arrived: Callable[[], None],
) -> None:
    fresh = [rel for rel in files if not (hashes and rel in known)]  # files whose bytes must be read
    taken = _take_both(site_dir, fresh, hashes, counting) if len(fresh) >= SPLIT_AT else {}
    for rel in files:
        path = site_dir / rel
        if rel in taken:
            digest, parse = taken[rel]
            data = None
        else:
            counting.step()
            data = None if hashes and rel in known else path.read_bytes()
            digest = (known[rel] if data is None else manifest.digest(data)) if hashes else None
            parse = None
        if hashes:
            digests[rel] = digest
        if rel.endswith(".html"):
            parse_page = (lambda p=parse: p) if parse is not None else _parser(path, data, arrived)
            if cache is not None:
                checker.add_cached(rel, digests[rel], parse_page, cache)
            else:
                checker.add_parsed(rel, *parse_page())


def finish(
    site_dir: Path,
    site: Site,
    site_url: str | None,
    display_root: str = "site",
    skip: tuple[str, ...] = (),
    later: tuple[str, Callable[[], dict[str, str]]] | None = None,
    known: dict[str, str] | None = None,
    arrived: Callable[[], None] = lambda: None,
) -> Published:
    """`later`, `known`, `arrived`: see scan(); later's wait() is called after the pages are
    checked and hashed. Files of `known` need not be in site_dir yet (see arrived)."""
    write_feeds(site_dir, site, site_url)
    # once: a walk of every folder of the site, and the files of `known`, which may still be
    # on their way (reused pages, placed beside the build)
    files = sorted(set(manifest.list_files(site_dir)) | set(known or ()))
    has_sitemap = write_sitemap(site_dir, files, site_url)
    write_robots(site_dir, site_url, has_sitemap)
    files = sorted(set(files) | {"robots.txt"} | ({"sitemap.xml"} if has_sitemap else set()))
    cache = LinkCache(site.opts.root / ".cache" / "xxgk" / "linkcheck")
    problems, digests, _ = scan(
        site_dir,
        display_root,
        skip,
        urlsplit(site_url or "/").path,
        cache=cache,
        later=later,
        listed=files,
        known=known,
        arrived=arrived,
    )
    cache.save()  # also after a failed check: the fixed pages are all that is parsed next time
    if not problems:
        manifest.write(site_dir, digests)
    return Published(problems, has_sitemap, digests)
