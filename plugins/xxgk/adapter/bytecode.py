"""The templates compiled once, not on every build: Jinja's bytecode cache under
.cache/xxgk/templates/ (issue 35). Compiling the 18 to 29 templates a build loads (Material's
and ours) cost 0.17 s of CPU on every build, a one-item rebuild's included; read from the
cache, 0.01 s.

Jinja keys each compiled template by its name and file and keeps it only while the file's
text is the same (a checksum of the source), and it starts afresh for another Jinja or
Python version. What it does not see are the settings the environment compiles with (the
delimiters, whitespace control, extensions): those name the folder, so a MkDocs that sets
them otherwise never reads code compiled under the old ones."""

from __future__ import annotations

import hashlib
import json
from importlib.metadata import version
from pathlib import Path

from jinja2 import Environment, FileSystemBytecodeCache

from xxgk.infra.caches import cache_dir

SETTINGS = (
    "block_start_string",
    "block_end_string",
    "variable_start_string",
    "variable_end_string",
    "comment_start_string",
    "comment_end_string",
    "line_statement_prefix",
    "line_comment_prefix",
    "trim_blocks",
    "lstrip_blocks",
    "newline_sequence",
    "keep_trailing_newline",
    "optimized",
    "is_async",
    "autoescape",
    "finalize",
)


def _named(value: object) -> object:
    """A setting as text that stays the same between runs (a function by its name)."""
    if callable(value):
        return f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', type(value).__name__)}"
    return value


def compiled_once(env: Environment, root: Path) -> None:
    """Give `env` the site's bytecode cache, in the folder of its compile settings."""
    settings = {name: _named(getattr(env, name)) for name in SETTINGS}
    settings["extensions"] = sorted(env.extensions)
    settings["jinja2"] = version("jinja2")
    digest = hashlib.sha256(json.dumps(settings, sort_keys=True, default=str).encode()).hexdigest()[:16]
    folder = cache_dir(root, "templates") / digest
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:  # a read-only checkout still builds, compiling as before
        return
    env.bytecode_cache = FileSystemBytecodeCache(str(folder))
