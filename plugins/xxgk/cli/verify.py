"""xxgk verify: compare a deployed copy (a folder, or a site over HTTP) with a build's manifest.

Over HTTP a server cannot list its files, so "added" means files that the
deployed pages link to but the manifest does not hold (e.g. an injected page).
"""

from __future__ import annotations

import sys
import urllib.error
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from xxgk.cli.common import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE
from xxgk.core import limits
from xxgk.infra.place import digest
from xxgk.publish import manifest
from xxgk.publish.linkcheck import LinkChecker, page_refs

FETCHERS = 8
TIMEOUT = 30.0  # seconds without a byte
DEADLINE = 120.0  # seconds for one file in all (a trickling server)


def register(sub) -> None:
    p = sub.add_parser("verify", help="防篡改核验：把部署的站点（目录或网址）与构建清单逐个文件比对")
    p.add_argument("target", help="部署的站点：目录，或 http(s):// 网址")
    p.add_argument("--manifest", help=f"可信的清单文件（默认 site/{manifest.MANIFEST}，即本机构建的清单）")
    p.set_defaults(func=run)


class VerifyError(Exception):
    """A usage or connection problem; the message says what to do."""


def run(args) -> int:
    remote = args.target.startswith(("http://", "https://"))
    try:
        expected, source = _expected(args, remote)
        actual = _fetch_all(args.target, expected) if remote else _read_dir(Path(args.target))
    except (VerifyError, manifest.ManifestError) as exc:
        print(f"xxgk: {exc}", file=sys.stderr)
        return EXIT_USAGE
    result = manifest.compare(expected, actual)
    for label, paths in (("已修改", result.changed), ("缺失", result.missing), ("新增", result.added)):
        for path in paths:
            print(f"{label}：{path}")
    summary = (
        f"对照 {source}（{len(expected)} 个文件）：{len(result.changed)} 个已修改，"
        f"{len(result.missing)} 个缺失，{len(result.added)} 个新增"
    )
    if result.clean:
        print(f"{summary}；部署的站点与构建一致", file=sys.stderr)
        return EXIT_OK
    print(f"{summary}；请核查这些文件，并用构建输出重新部署", file=sys.stderr)
    return EXIT_PROBLEMS


def _expected(args, remote: bool) -> tuple[dict[str, str], str]:
    if args.manifest:
        path = Path(args.manifest)
    elif Path("site", manifest.MANIFEST).is_file():
        path = Path("site", manifest.MANIFEST)
    elif not remote and Path(args.target, manifest.MANIFEST).is_file():
        path = Path(args.target, manifest.MANIFEST)
        print(
            f"xxgk: 提示：使用目标自带的清单 {path}；它与站点一起部署，同被篡改时无法发现，"
            "请用 --manifest 指向本机构建的清单",
            file=sys.stderr,
        )
    else:
        raise VerifyError(f"找不到清单；请先构建（生成 site/{manifest.MANIFEST}），或用 --manifest 指定")
    if not path.is_file():
        raise VerifyError(f"找不到清单文件 {path}")
    return manifest.loads(path.read_bytes(), str(path)), str(path)


def _read_dir(root: Path) -> dict[str, str]:
    if not root.is_dir():
        raise VerifyError(f"找不到目录 {root}；请给出部署的站点目录，或以 http:// 开头的网址")
    return {rel: _digest_of(root / rel) for rel in manifest.list_files(root)}


def _digest_of(path: Path) -> str:
    """A regular file's SHA-256; anything else (a FIFO, a link, one over the size limit) is
    reported as changed under a digest no build writes, never read or waited on."""
    try:
        return digest(limits.read_regular(path))
    except limits.LimitError as exc:
        print(f"xxgk: {path}: {exc}", file=sys.stderr)
        return "not-a-regular-file"


def _get(url: str) -> bytes | None:
    """The body at url; None when the server says it is not there. Each file within
    TIMEOUT seconds of silence, DEADLINE seconds in all and limits.MAX_BYTES."""
    try:
        return limits.read_url(url, TIMEOUT, DEADLINE)
    except urllib.error.HTTPError as exc:
        if exc.code in (403, 404, 410):
            return None
        raise VerifyError(f"{url}: 服务器返回 {exc.code}；请检查站点是否正常运行") from None
    except limits.LimitError as exc:
        raise VerifyError(f"{url}: {exc}；请检查网址、网络和服务器") from None


def _fetch_all(base: str, expected: dict[str, str]) -> dict[str, str | None]:
    base = base.rstrip("/") + "/"
    known = set(expected)
    actual: dict[str, str | None] = {}
    linked: set[str] = set()
    resolver = LinkChecker(list(known))

    def fetch(path: str) -> tuple[str, bytes | None]:
        return path, _get(base + quote(path))

    site = urlsplit(base)

    def target_of(page: str, url: str) -> str | None:
        """The site file a reference on `page` names, however it is written: relative, /rooted,
        or a full URL to this host (injected links are often written the last two ways)."""
        parts = urlsplit(url.strip())
        if parts.scheme or parts.netloc:
            if (parts.scheme or site.scheme, parts.netloc.lower()) != (site.scheme, site.netloc.lower()):
                return None  # another site
        path = unquote(parts.path)
        if path.startswith("/") or parts.netloc:
            if not path.startswith(site.path):
                return None  # this host, but outside the deployed site
            page, path = "index.html", path[len(site.path) :] or "."
        return resolver.resolve(page, path) if path else None

    def record(path: str, data: bytes | None) -> None:
        actual[path] = digest(data) if data is not None else None
        if data is not None and path.endswith(".html"):
            for url in page_refs(data):
                target = target_of(path, url)
                if target and target not in known:
                    linked.add(target)

    with ThreadPoolExecutor(FETCHERS) as pool:
        for path, data in pool.map(fetch, sorted(known)):
            record(path, data)
        # Pages reached only through links the manifest does not know; follow them too.
        while linked:
            batch, linked = sorted(linked - actual.keys()), set()
            for path, data in pool.map(fetch, batch):
                record(path, data)
    return {p: d for p, d in actual.items() if p in known or d is not None}
