"""Reading what someone else controls, with bounds: a file that must be a regular file (not a
FIFO that blocks for ever, not a link), an HTTP body read against a size limit and an overall
deadline (a server that trickles one byte every few seconds never trips a socket timeout),
and JSON with a nesting limit (a deeply nested document ends in RecursionError in the
decoder, the schema check or our own walks). Every failure is a LimitError with a Chinese
message; callers add where and what to do.
"""

from __future__ import annotations

import json
import os
import stat
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

MAX_BYTES = 256 * 1024 * 1024  # one file: far above a 100,000-item catalog.json
MAX_DEPTH = 64  # JSON nesting: our documents need fewer than ten levels
CHUNK = 64 * 1024


class LimitError(Exception):
    """The input could not be read within its bounds; the message says why, in Chinese."""


def read_regular(path: Path, max_bytes: int = MAX_BYTES) -> bytes:
    """A regular file's bytes; never follows a final link, never blocks on a FIFO or device."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as exc:
        raise LimitError(f"无法打开（{exc.strerror}，可能是符号链接或已失效的链接）") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise LimitError("不是普通文件（可能是管道、设备或文件夹）")
        if info.st_size > max_bytes:
            raise LimitError(f"文件有 {info.st_size // 1024 // 1024} MB，超过上限 {max_bytes // 1024 // 1024} MB")
        with os.fdopen(fd, "rb", closefd=False) as stream:
            data = stream.read(max_bytes + 1)
        if len(data) > max_bytes:  # grew while read
            raise LimitError(f"文件超过上限 {max_bytes // 1024 // 1024} MB")
        return data
    finally:
        os.close(fd)


def read_url(url: str, timeout: float, deadline: float, max_bytes: int = MAX_BYTES) -> bytes:
    """The body at `url`: each wait at most `timeout` seconds, the whole read at most
    `deadline` seconds and `max_bytes` bytes. urllib's HTTPError passes through."""
    ends = time.monotonic() + deadline
    try:
        with urllib.request.urlopen(url, timeout=timeout) as reply:
            declared = reply.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise LimitError(f"内容有 {int(declared) // 1024 // 1024} MB，超过上限 {max_bytes // 1024 // 1024} MB")
            parts: list[bytes] = []
            size = 0
            while True:
                if time.monotonic() > ends:
                    raise LimitError(f"读取超过 {deadline:g} 秒仍未完成（服务器太慢或有意拖延）")
                part = reply.read1(CHUNK)
                if not part:
                    return b"".join(parts)
                size += len(part)
                if size > max_bytes:
                    raise LimitError(f"内容超过上限 {max_bytes // 1024 // 1024} MB")
                parts.append(part)
    except urllib.error.HTTPError:
        raise
    except TimeoutError:
        raise LimitError(f"超时（{timeout:g} 秒），服务器无响应") from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise LimitError(f"无法连接（{getattr(exc, 'reason', exc)}）") from None


def loads_json(data: bytes, max_depth: int = MAX_DEPTH) -> Any:
    """JSON from UTF-8 bytes, at most `max_depth` levels deep."""
    try:
        doc = json.loads(data.decode("utf-8"))
    except RecursionError:
        raise LimitError(f"JSON 嵌套超过 {max_depth} 层") from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise LimitError(f"不是有效的 JSON：{exc}") from None
    stack = [(doc, 1)] if isinstance(doc, (dict, list)) else []
    while stack:
        value, depth = stack.pop()
        if depth > max_depth:
            raise LimitError(f"JSON 嵌套超过 {max_depth} 层")
        children = value.values() if isinstance(value, dict) else value
        stack.extend((v, depth + 1) for v in children if isinstance(v, (dict, list)))
    return doc
