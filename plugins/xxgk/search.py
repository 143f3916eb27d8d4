"""Pagefind indexing of the built site: item pages only, through the pagefind Python API."""
from __future__ import annotations

import asyncio
from pathlib import Path

from pagefind.index import IndexConfig, PagefindIndex

from .core import Site


async def _index(site_dir: Path) -> None:
    config = IndexConfig(output_path=str(site_dir / "pagefind"))
    async with PagefindIndex(config=config) as index:
        await index.add_directory(str(site_dir), glob="items/**/*.html")


def build_index(site_dir: Path, site: Site) -> None:
    asyncio.run(_index(site_dir))
