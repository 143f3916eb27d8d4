"""Office files (.docx, .xlsx) are zip archives: before a reader opens one, its declared
sizes are checked, so a few hundred kilobytes cannot unpack to gigabytes (a zip bomb).
Python's zipfile never decompresses past an entry's declared size, so the declared sizes
bound the work of every reader built on it (python-docx, openpyxl).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

MAX_UNPACKED = 100 * 1024 * 1024  # all entries together
MAX_ENTRIES = 10_000
MAX_RATIO = 100  # XML compresses 5 to 20 times; a bomb thousands of times
RATIO_FROM = 1024 * 1024  # small entries may compress as well as they like


class TooLarge(Exception):
    """The archive would unpack beyond the limits; the message says so in Chinese."""


def check(path: Path) -> None:
    """Raise TooLarge for an archive over the limits; anything not a zip is left to its reader."""
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    if len(entries) > MAX_ENTRIES:
        raise TooLarge(f"文件内含 {len(entries)} 个部件，超过 {MAX_ENTRIES} 个，疑似压缩炸弹")
    total = 0
    for entry in entries:
        total += entry.file_size
        if entry.file_size > RATIO_FROM and entry.file_size > MAX_RATIO * max(entry.compress_size, 1):
            raise TooLarge(
                f"文件中的 {entry.filename} 解压后是压缩前的 {entry.file_size // max(entry.compress_size, 1)} 倍，疑似压缩炸弹"
            )
    if total > MAX_UNPACKED:
        raise TooLarge(
            f"文件解压后共 {total / 1024 / 1024:.0f} MB，超过 {MAX_UNPACKED // 1024 // 1024} MB，疑似压缩炸弹"
        )
