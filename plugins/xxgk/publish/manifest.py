"""The tamper-evidence manifest: every output file's SHA-256, written last in each build.

`xxgk-manifest.json` lists site-relative paths (sorted) and their digests, and
nothing that changes between two builds of the same content. Comparing a
deployed copy against it shows files added, changed or missing (cli/verify.py).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

MANIFEST = "xxgk-manifest.json"
SIGNATURE = MANIFEST + ".sig"
FORMAT = "xxgk-manifest/1"
OWN_FILES = {MANIFEST, SIGNATURE}


def list_files(site_dir: Path) -> list[str]:
    """Every output file as a sorted site-relative POSIX path, the manifest itself excluded."""
    found: list[str] = []
    top = os.fspath(site_dir)
    cut = len(top.rstrip(os.sep)) + 1  # os.walk joins with os.sep: a folder's path past the top's
    for dirpath, _, filenames in os.walk(top):
        # as strings, not Paths: a site has a folder a page (use_directory_urls), 23,000 at 20,000 items
        prefix = dirpath[cut:].replace(os.sep, "/") + "/" if len(dirpath) > cut else ""
        found.extend(prefix + name for name in filenames)
    return sorted(f for f in found if f not in OWN_FILES)


def dumps(digests: dict[str, str]) -> bytes:
    """One file per line, sorted: diffable, and identical for identical sites."""
    lines = ",\n".join(f'    {json.dumps(p, ensure_ascii=False)}: "{d}"' for p, d in sorted(digests.items()))
    return f'{{\n  "format": "{FORMAT}",\n  "files": {{\n{lines}\n  }}\n}}\n'.encode()


def write(site_dir: Path, digests: dict[str, str]) -> Path:
    target = site_dir / MANIFEST
    target.write_bytes(dumps(digests))
    return target


class ManifestError(Exception):
    """The manifest cannot be read; the message says why, in Chinese."""


def loads(data: bytes, source: str) -> dict[str, str]:
    try:
        doc = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ManifestError(f"{source}: 清单不是有效的 JSON（{exc}）；请用 xxgk 构建生成的 {MANIFEST}") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT or not isinstance(doc.get("files"), dict):
        raise ManifestError(f'{source}: 不是 xxgk 清单（缺少 "format": "{FORMAT}"）')
    return doc["files"]


@dataclass
class Comparison:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not (self.added or self.changed or self.missing)


def compare(expected: dict[str, str], actual: Mapping[str, str | None]) -> Comparison:
    """actual maps path -> digest, or None where the file could not be found."""
    result = Comparison()
    for path in sorted(expected):
        got = actual.get(path)
        if got is None:
            result.missing.append(path)
        elif got != expected[path]:
            result.changed.append(path)
    result.added = sorted(p for p, d in actual.items() if d is not None and p not in expected)
    return result
