"""Progress on long builds: the build log names each phase with its count and elapsed time,
and between a phase's start and end at most one line per XXGK_PROGRESS_SECONDS."""

from __future__ import annotations

import re

import pytest

from conftest import BIN, SiteDir, run
from xxgk.infra import progress
from xxgk_dev.synthetic import generate

PHASES = ("载入条目", "内容检查", "搜索索引分片", "转换正文", "生成页面", "链接检查与校验值", "替换站点")


@pytest.mark.build
def test_a_synthetic_build_logs_every_phase_with_counts(tmp_path):
    generate(120, tmp_path / "repo", seed=3)
    site = SiteDir(tmp_path / "repo")
    site.edit("mkdocs.yml", "      page_size: 20\n", "      page_size: 20\n      search_shard_items: 50\n")
    result = run([str(BIN / "mkdocs"), "build"], site.path, {"NO_MKDOCS_2_WARNING": "1"})
    assert result.code == 0, result.text
    done = {m[1]: m[2] for m in re.finditer(r"(\S+)：完成 ?([\d,/]*)，[\d.]+ 秒", result.text)}
    assert set(PHASES) <= set(done), result.text
    items = len(list((site.path / "content/items").rglob("*.md")))
    assert done["载入条目"] == done["内容检查"] == f"{items}/{items}"
    shards = len((site.path / "site/pagefind/manifest.json").read_text().split('"id"')) - 1
    assert shards > 1 and done["搜索索引分片"] == f"{shards}/{shards}"
    rendered, pages = done["生成页面"].split("/")
    assert rendered == pages and int(pages.replace(",", "")) > items
    # lines between start and end come only when asked for (0 s: every step)
    chatty = run([str(BIN / "mkdocs"), "build"], site.path, {"NO_MKDOCS_2_WARNING": "1", "XXGK_PROGRESS_SECONDS": "0"})
    assert re.search(r"生成页面：\d+/[\d,]+（\d+%）", chatty.text)


def test_a_phase_is_quiet_between_lines_and_says_its_end():
    heard: list[str] = []
    stop = progress.listen(lambda phase, finished: heard.append(phase.line(finished)), seconds=3600)
    try:
        with progress.phase("生成页面", 5) as pages:
            for _ in range(5):
                pages.step()
            pages.note = "2 页沿用缓存"
    finally:
        stop()
    assert len(heard) == 1 and re.fullmatch(r"生成页面：完成 5/5，\d+\.\d 秒；2 页沿用缓存", heard[0])
    stop = progress.listen(lambda phase, finished: heard.append(phase.line(finished)), seconds=0)
    try:
        with progress.phase("载入条目", 4) as loading:
            loading.step(2)
    finally:
        stop()
    assert heard[1].startswith("载入条目：2/4（50%），")
    with progress.phase("无人倾听", 1) as quiet:  # nobody listening: nothing is told
        quiet.step()
    assert len(heard) == 3
