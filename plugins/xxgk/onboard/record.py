"""What the import wrote, kept in `.xxgk/import.json` beside the site: the identity of every imported
item (its 索引号, or for a source row without one, the row's own key), the fields and body as
imported, and a hash of the source. A second run compares against it, so it writes nothing for
an unchanged source and `--update` can tell a field staff edited from one they left alone."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

RECORD = ".xxgk/import.json"
VERSION = 1


@dataclass
class Entry:
    file: str  # the item file, relative to the site root
    source: str  # where it came from, `source:row`
    source_hash: str  # the source record's bytes, to skip unchanged rows without converting
    fields: dict  # front matter as imported (plain JSON values)
    body_hash: str  # SHA-256 of the body as imported
    url: str = ""  # the old page's address, when known: links to it from other bodies lead here


@dataclass
class Record:
    path: Path
    items: dict[str, Entry] = field(default_factory=dict)  # index_no → entry
    origins: dict[str, str] = field(default_factory=dict)  # row key → the index_no it was given

    @classmethod
    def load(cls, root: Path) -> Record:
        path = root / RECORD
        record = cls(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return record
        except (OSError, ValueError):
            raise RecordError(f"{RECORD} 无法读取；它记录以前导入的内容，请从 Git 恢复该文件后再导入") from None
        record.items = {k: Entry(**v) for k, v in data.get("items", {}).items()}
        record.origins = dict(data.get("origins", {}))
        return record

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = {
            "version": VERSION,
            "items": {k: vars(v) for k, v in sorted(self.items.items())},
            "origins": dict(sorted(self.origins.items())),
        }
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        os.replace(tmp, self.path)


class RecordError(Exception):
    pass


def digest(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8") if isinstance(part, str) else part)
        h.update(b"\0")
    return h.hexdigest()
