"""Where xxgk keeps what it reuses between runs: one folder per kind under the site
repository's .cache/xxgk/. Any of them may be deleted at any time; the next run makes it
again, only slower."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

Cache = Literal[
    "pages",  # finished HTML by page key (build/pagecache.py)
    "search",  # search shards by their items' records (search/index.py)
    "linkcheck",  # each page's links and findings (publish/linkcheck.py)
    "front-matter",  # parsed front matter by its text (core/yamlio.py)
    "findings",  # what the checks of one item found, by its text (rules/base.py)
    "attachment-text",  # text of Word and PDF attachments (rules/attachment_text.py)
    "portal",  # the last good copy of each member site (portal/read.py)
    "forms",  # the blank application form, by what it is made of (output/apply_form.py)
    "templates",  # the templates compiled, by the engine's settings (adapter/bytecode.py)
]


def cache_dir(root: Path, name: Cache) -> Path:
    """The folder of one kind of cache for the site whose repository is at `root`."""
    return root / ".cache" / "xxgk" / name
