"""Results of a costly pure step kept between builds, under .cache/: a folder of BUCKETS
pickles, each entry in the bucket a stable hash of its key picks. A bucket is read when
a key of it is first asked for, and written again only when its entries changed, so a
rebuild that changes a few entries rewrites a few small files, not one of the site's
size. A bucket that was read keeps only what this run used or kept (so the folder stays
the size of one site); one never read stays as it was. A change to the code that computes
the results starts afresh (`code`: its file, or a folder such as the whole package, for
results that many modules shape); so does a file pickle cannot read."""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import zlib
from collections.abc import Callable, Hashable
from pathlib import Path

BUCKETS = 64


def _bucket(key: Hashable) -> int:
    """Stable across runs (hash() of a str is not): keys are tuples of str, bytes and int."""
    return zlib.crc32(repr(key).encode("utf-8")) % BUCKETS


class Memo:
    def __init__(self, folder: Path, code: Path, write: bool = True):
        self.folder = folder
        self.write = write  # False: read, never written
        self.code = package_digest(code) if code.is_dir() else hashlib.sha256(code.read_bytes()).hexdigest()
        self.old: dict[int, dict] = {}  # bucket -> the last run's entries, once read
        self.new: dict[int, dict] = {}  # bucket -> this run's entries
        self.remade: set[int] = set()  # buckets where update() replaced an entry
        self.kept: dict[int, set] = {}  # bucket -> keys used without being asked for (keep)

    def _read(self, bucket: int) -> dict:
        if bucket not in self.old:
            self.old[bucket], self.new[bucket] = {}, {}
            try:
                code_digest, entries = pickle.loads((self.folder / f"{bucket:02x}.pickle").read_bytes())
                if code_digest == self.code:
                    self.old[bucket] = entries
            except Exception:  # missing, or unreadable in any of pickle's ways: compute its entries
                pass
        return self.old[bucket]

    def get(self, key: Hashable, make: Callable[[], object], update: Callable[[object], object] | None = None):
        """The entry for `key`, made by make() when there is none. `update` may bring a kept
        entry up to date: it returns the entry, or another in its place."""
        bucket = _bucket(key)
        old, new = self._read(bucket), self.new[bucket]
        if key in new:
            return new[key]
        if key in old:
            found = old[key] if update is None else update(old[key])
            if found is not old[key]:
                self.remade.add(bucket)
        else:
            found = make()
        new[key] = found
        return found

    def keep(self, key: Hashable) -> None:
        """Count the entry for `key` as used, without reading its bucket for it."""
        self.kept.setdefault(_bucket(key), set()).add(key)

    def save(self) -> None:
        """Write the buckets whose entries changed (a read-only checkout still builds, only
        without the memo)."""
        if not self.write:
            return
        try:
            for bucket, entries in self.new.items():
                old = self.old[bucket]
                entries.update((k, old[k]) for k in self.kept.get(bucket, ()) if k in old and k not in entries)
                if entries.keys() == old.keys() and bucket not in self.remade:
                    continue
                self.folder.mkdir(parents=True, exist_ok=True)
                path = self.folder / f"{bucket:02x}.pickle"
                tmp = path.with_suffix(".tmp")
                tmp.write_bytes(pickle.dumps((self.code, entries), protocol=pickle.HIGHEST_PROTOCOL))
                tmp.replace(path)
        except OSError:
            pass


def tree_digest(folder: Path) -> str:
    """Names and bytes of every file under `folder`, in a stable order."""
    h = hashlib.sha256()
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        for name in sorted(filenames):
            path = Path(dirpath) / name
            h.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


@functools.cache
def package_digest(folder: Path) -> str:
    """tree_digest of code this process runs: read once, as the code does not change under a
    running process (a site's own template folder can, and is hashed with tree_digest)."""
    return tree_digest(folder)
