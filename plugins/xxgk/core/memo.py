"""Results of a costly pure step kept between builds: one pickle under .cache/ per step,
holding only what the last run used (so it stays the size of one site). A change to
the code that computes the results starts it afresh; so does a file pickle cannot read."""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable, Hashable
from pathlib import Path


class Memo:
    def __init__(self, path: Path, code: Path):
        self.path = path
        self.code = hashlib.sha256(code.read_bytes()).hexdigest()
        self.old: dict = {}
        self.new: dict = {}
        try:
            code_digest, entries = pickle.loads(path.read_bytes())
            if code_digest == self.code:
                self.old = entries
        except Exception:  # missing, or unreadable in any of pickle's ways: compute everything
            pass

    def get(self, key: Hashable, make: Callable[[], object]):
        if key in self.new:
            return self.new[key]
        found = self.old[key] if key in self.old else make()
        self.new[key] = found
        return found

    def save(self) -> None:
        """Keep this run's entries (nothing to write when they are the last run's)."""
        if self.new.keys() == self.old.keys():
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(".tmp")
            tmp.write_bytes(pickle.dumps((self.code, self.new), protocol=pickle.HIGHEST_PROTOCOL))
            tmp.replace(self.path)
        except OSError:  # a read-only checkout still builds, only without the memo
            pass
