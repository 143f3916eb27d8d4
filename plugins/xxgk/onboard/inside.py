"""The importer reads only inside the sources it was given: a path written in a source (a
spreadsheet's 正文文件 column, a link in a saved page) is followed only when it stays in the
source's own folder. An absolute path or `../` would otherwise copy any file of the
importing computer (a key, a password file) into content/ and publish it.
"""

from __future__ import annotations

from pathlib import Path


def inside(folder: Path, written: str, within: Path | None = None) -> Path | None:
    """The file `written` names relative to `folder`, resolved; None when it leads outside
    `within` (by default `folder` itself)."""
    base = (within or folder).resolve()
    try:
        target = (folder.resolve() / written).resolve()
    except (OSError, RuntimeError, ValueError):  # a loop of links, a NUL in the name
        return None
    return target if target.is_relative_to(base) and target != base else None
