"""xxgk check --base REV: refuses losing published information, summarises the rest for reviewers."""

import json
import os
import re
import subprocess

import pytest
import yaml

from conftest import SiteDir, copy_demo

GIT_ENV = {
    "GIT_AUTHOR_NAME": "测试",
    "GIT_AUTHOR_EMAIL": "t@example.invalid",
    "GIT_COMMITTER_NAME": "测试",
    "GIT_COMMITTER_EMAIL": "t@example.invalid",
}


def git(site: SiteDir, *args: str) -> str:
    proc = subprocess.run(["git", *args], cwd=site.path, capture_output=True, text=True, env={**os.environ, **GIT_ENV})
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def commit(site: SiteDir, message: str = "修改") -> None:
    git(site, "add", "-A")
    git(site, "commit", "-q", "-m", message)


def make_repo(site: SiteDir) -> SiteDir:
    git(site, "init", "-q", "-b", "main")
    commit(site, "初始内容")
    return site


@pytest.fixture
def demo_repo(tmp_path) -> SiteDir:
    """A temporary Git repository made from this repository's demo site."""
    return make_repo(copy_demo(tmp_path))


@pytest.fixture
def mini_repo(mini) -> SiteDir:
    return make_repo(mini)


def plain_published_item(site: SiteDir) -> tuple[str, dict]:
    """A demo item that is in force on the test date and that no other item refers to."""
    files = sorted((site.path / "content/items").rglob("*.md"))
    texts = {f: f.read_text(encoding="utf-8") for f in files}
    for f, text in texts.items():
        meta = yaml.safe_load(text.split("---")[1])
        if (
            str(meta["published"]) < "2024-06-01"
            and not {"status", "expires", "effective"} & set(meta)
            and meta.get("doc_type") != "政策解读"
            and not any(meta["index_no"] in t for g, t in texts.items() if g != f)
        ):
            return f.relative_to(site.path).as_posix(), meta
    raise AssertionError("no plain demo item")


def test_deleting_a_published_item_is_refused_with_the_remedy(demo_repo):
    rel, meta = plain_published_item(demo_repo)
    (demo_repo.path / rel).unlink()
    commit(demo_repo, "删除条目")
    result = demo_repo.check("--base", "HEAD~1")
    assert result.code == 1, result.text
    line = next(l for l in result.out.splitlines() if " E160 " in l)
    assert line.startswith(f"{rel}:1: E160 ") and meta["index_no"] in line
    assert "status: 废止" in line and "replaces" in line and "git restore" in line


def test_marking_it_abolished_instead_passes_and_is_summarised(demo_repo):
    rel, meta = plain_published_item(demo_repo)
    demo_repo.edit(
        rel,
        f"index_no: {meta['index_no']}",
        f"index_no: {meta['index_no']}\nstatus: 废止\nabolished: {{date: 2024-12-01, reason: 清理}}",
    )
    commit(demo_repo, "标注废止")
    result = demo_repo.check("--base", "HEAD~1")
    assert result.code == 0, result.text
    assert "有效性变化 1 个" in result.out
    assert re.search(rf"{re.escape(meta['index_no'])}  .*：有效 → 废止", result.out)
    assert "有效性（status）、废止信息（abolished）" in result.out


def test_changing_an_index_no_is_refused(mini_repo):
    mini_repo.edit("content/items/2024/bgs/notice.md", "2024-00003", "2024-00009")
    result = mini_repo.check("--base", "main")
    assert "content/items/2024/bgs/notice.md:3: E161 索引号由 11990100MB0000001T/2024-00003 改为" in result.out
    assert result.code == 1


def test_moving_a_file_with_its_index_no_is_allowed(mini_repo):
    (mini_repo.path / "content/items/2024/bgs/notice.md").rename(mini_repo.path / "content/items/2024/notice.md")
    mini_repo.edit("content/items/2024/bgs/policy.md", "第一条", "第一条（修订）")
    result = mini_repo.check("--base", "main", "--format", "json")
    assert result.code == 0, result.text
    review = json.loads(result.out)["review"]
    assert review["moved"] == [
        {
            "index_no": "11990100MB0000001T/2024-00003",
            "title": "关于做好年度信息公开工作的通知",
            "path": "content/items/2024/notice.md",
            "doc_type": "一般信息",
            "from": "content/items/2024/bgs/notice.md",
        }
    ]
    assert [i["index_no"] for i in review["body_changed"]] == ["11990100MB0000001T/2024-00001"]
    assert review["metadata_changed"] == [] and review["added"] == []


def test_removing_a_page_or_catalog_node_is_refused(mini_repo):
    (mini_repo.path / "content/about.md").unlink()
    mini_repo.edit("catalog/catalog.yml", "- id: tzgg\n  name: 通知公告\n", "")
    mini_repo.edit("content/items/2024/bgs/notice.md", "category: tzgg", "category: zcwj")
    result = mini_repo.check("--base", "main")
    assert "content/about.md:1: E162 页面 about/" in result.out
    assert "catalog/catalog.yml:1: E162 页面 catalog/tzgg/（通知公告）" in result.out
    assert result.code == 1


def test_added_item_in_markdown_for_a_pull_request_comment(mini_repo):
    mini_repo.item(
        "2024/bgs/new.md",
        """
title: 新增的通知 | 含竖线
index_no: 11990100MB0000001T/2024-00006
publisher: bgs
published: 2024-06-01
category: tzgg
""",
    )
    result = mini_repo.check("--base", "main", "--format", "markdown")
    assert result.code == 0, result.text
    assert result.out.startswith("## xxgk 内容检查与审核摘要（对比 `main`）")
    assert "### 新增条目（1）" in result.out
    assert (
        "| 11990100MB0000001T/2024-00006 | 新增的通知 \\| 含竖线 | 一般信息，content/items/2024/bgs/new.md |"
        in result.out
    )


def test_errors_in_markdown(mini_repo):
    (mini_repo.path / "content/items/2024/bgs/notice.md").unlink()
    result = mini_repo.check("--base", "main", "--format", "markdown")
    assert "❌ **1 个错误**" in result.out and "**E160**" in result.out and result.code == 1


def test_not_a_git_repository_or_unknown_revision_is_a_usage_error(mini):
    result = mini.check("--base", "main")
    assert result.code == 2 and "不在 Git 仓库中" in result.err and "Traceback" not in result.text
    make_repo(mini)
    result = mini.check("--base", "no-such-branch")
    assert result.code == 2 and "找不到版本“no-such-branch”" in result.err and "Traceback" not in result.text


def test_open_cases_changed_by_the_change_are_summarised(mini_repo):
    ledger = "case: {n}\nreceived: 2024-12-16\nchannel: 信函\napplicant: 自然人\nevents: []\n"
    mini_repo.write("applications/2024-001.yml", ledger.format(n="2024-001"))
    mini_repo.write("applications/2024-002.yml", ledger.format(n="2024-002"))
    commit(mini_repo, "台账")
    mini_repo.edit("applications/2024-001.yml", "events: []", "events:\n  - {date: 2024-12-20, type: 征求第三方意见}")
    mini_repo.write("applications/2024-003.yml", ledger.format(n="2024-003"))  # new, not yet added to Git
    result = mini_repo.check("--base", "main", "--format", "markdown")
    assert result.code == 0, result.text
    assert "### 改动的未办结依申请公开案件（2）" in result.out
    # as of 2025-01-01: 20 working days from 16 December end on 14 January (1 January off)
    assert "| 2024-003 | 办理中 | 2025-01-14（剩 9 个工作日） |" in result.out
    assert "| 2024-001 | 征求第三方意见中 |" in result.out
    assert "2024-002" not in result.out  # unchanged
    data = json.loads(mini_repo.check("--base", "main", "--format", "json").out)
    assert [c["case"] for c in data["review"]["cases"]] == ["2024-001", "2024-003"]
