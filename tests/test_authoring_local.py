"""Local mode's guard, with real Git on a copy of the mini site: a save or publish that would stop
the build is refused in Chinese; two clerks' drafts never share a 索引号 or an attachment name; a
publish that would conflict is refused and leaves no merge in progress; attachments keep their
Chinese names and are titled by them."""

from __future__ import annotations

import base64
import subprocess

import pytest

from samples import write_pdf
from xxgk.authoring.attachments import safe_name, unique_path
from xxgk.authoring.local import Guarded
from xxgk.core.options import read_mkdocs_yml

GIT = ["git", "-c", "user.name=测试", "-c", "user.email=t@example.invalid"]
DRAFT = """---
title: 测试市财政局关于{what}的通知
index_no: {no}
publisher: czj
published: 2026-03-05
category: {category}
doc_type: 其他文件
attachments:
  - file: files/{file}
    title: ""
---
正文。
"""


def git(site, *args: str) -> str:
    done = subprocess.run([*GIT, *args], cwd=site.path, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture
def repo(mini):
    mini.write(".gitignore", "/site/\n/.cache/\n")
    git(mini, "init", "-q", "-b", "main")
    git(mini, "config", "user.name", "测试")
    git(mini, "config", "user.email", "t@example.invalid")
    git(mini, "add", "-A")
    git(mini, "commit", "-q", "-m", "初始")
    guarded = Guarded(read_mkdocs_yml(mini.path))
    yield mini, guarded
    guarded.close()


def pdf_b64(tmp_path, text: str) -> str:
    return base64.b64encode(write_pdf(tmp_path / f"{text}.pdf", [text]).read_bytes()).decode()


def save(guarded: Guarded, slug: str, raw: str, assets: list[dict]) -> tuple[int, dict] | dict:
    """A persistEntry as the form sends it; our refusal, or the body decap-server would get."""
    body: dict = {
        "action": "persistEntry",
        "params": {
            "branch": "main",
            "dataFiles": [{"path": f"content/items/2026/czj/{slug}.md", "slug": slug, "raw": raw}],
            "assets": assets,
            "options": {"collectionName": "qita", "useWorkflow": True, "commitMessage": "Create 其他文件 “x”"},
        },
    }
    return guarded.answer(body) or body["params"]


def commit_draft(site, params: dict) -> str:
    """What decap-server does with a forwarded save: the files on branch cms/<collection>/<slug>."""
    branch = f"cms/{params['options']['collectionName']}/{params['dataFiles'][0]['slug']}"
    git(site, "switch", "-q", "-c", branch, "main")
    for f in params["dataFiles"]:
        site.write(f["path"], f["raw"])
    for a in params["assets"]:
        (site.path / a["path"]).parent.mkdir(parents=True, exist_ok=True)
        (site.path / a["path"]).write_bytes(base64.b64decode(a["content"]))
    git(site, "add", "-A")
    git(site, "commit", "-q", "-m", params["options"]["commitMessage"])
    git(site, "switch", "-q", "main")
    return branch


def publish(guarded, branch: str):
    _, collection, slug = branch.split("/", 2)
    return guarded.answer(
        {"action": "publishUnpublishedEntry", "params": {"branch": "main", "collection": collection, "slug": slug}}
    )


def test_safe_names_keep_chinese_and_never_lose_the_extension():
    assert safe_name("安全生产责任清单.pdf") == "安全生产责任清单.pdf"
    assert safe_name("2026年 工作要点（定稿）.PDF") == "2026年-工作要点（定稿）.pdf"
    assert safe_name(".pdf") == "附件.pdf"
    assert safe_name("a/b?.docx") == "a-b.docx"
    held = {"d/files/通知.pdf": b"one", "d/files/通知-2.pdf": b"two"}
    assert unique_path("d/files/通知.pdf", b"one", held.get) == "d/files/通知.pdf"  # the same file again
    assert unique_path("d/files/通知.pdf", b"three", held.get) == "d/files/通知-3.pdf"


def test_two_clerks_drafts_get_their_own_index_no_and_attachment_name(repo, tmp_path):
    site, guarded = repo
    no = "11990100MB00000031/2026-00001"
    raw = DRAFT.format(what="甲", no=no, category="tzgg", file="安全生产责任清单.pdf")
    first = save(
        guarded,
        "a",
        raw,
        [
            {
                "path": "content/items/2026/czj/files/安全生产责任清单.pdf",
                "content": pdf_b64(tmp_path, "one"),
                "encoding": "base64",
            }
        ],
    )
    assert isinstance(first, dict), first  # forwarded, not refused
    [f] = first["dataFiles"]
    assert f["path"] == "content/items/2026/czj/2026-00001.md"
    assert "[{file: files/安全生产责任清单.pdf, title: 安全生产责任清单}]" in f["raw"]
    assert first["options"]["commitMessage"] == f"新增其他文件：测试市财政局关于甲的通知（{no}）"
    commit_draft(site, first)

    # the second clerk's form proposed the same number and uploaded another file of the same name
    second = save(
        guarded,
        "b",
        raw.replace("甲", "乙"),
        [
            {
                "path": "content/items/2026/czj/files/安全生产责任清单.pdf",
                "content": pdf_b64(tmp_path, "two"),
                "encoding": "base64",
            }
        ],
    )
    assert isinstance(second, dict), second
    [g] = second["dataFiles"]
    assert "index_no: 11990100MB00000031/2026-00002\n" in g["raw"]
    assert g["path"] == "content/items/2026/czj/2026-00002.md"
    assert second["assets"][0]["path"] == "content/items/2026/czj/files/安全生产责任清单-2.pdf"
    assert "[{file: files/安全生产责任清单-2.pdf, title: 安全生产责任清单}]"  # the name uploaded in g["raw"]
    branch = commit_draft(site, second)

    # both publish; the site checks clean with both
    assert publish(guarded, "cms/qita/a") == (200, {"message": "已发布到 main"})
    assert publish(guarded, branch)[0] == 200
    assert site.check().code == 0, site.check().text
    log = git(site, "log", "--format=%s", "-2", "main").splitlines()
    assert log == [
        "发布其他文件：测试市财政局关于乙的通知（11990100MB00000031/2026-00002）",
        f"发布其他文件：测试市财政局关于甲的通知（{no}）",
    ]
    assert git(site, "branch", "--list", "cms/*") == ""


def test_a_save_that_would_stop_the_build_is_refused_in_chinese(repo):
    site, guarded = repo
    raw = DRAFT.format(what="丙", no="11990100MB00000031/2026-00001", category="nosuch", file="x.pdf")
    status, answer = save(guarded, "c", raw.replace('attachments:\n  - file: files/x.pdf\n    title: ""\n', ""), [])
    assert status == 422
    assert answer["error"].startswith("没有保存：内容检查发现 1 个错误")
    assert "\nE108 " in answer["error"] and "nosuch" in answer["error"]  # the item in the form: no file name
    assert git(site, "branch", "--list", "cms/*") == ""


def test_a_broken_or_conflicting_publish_is_refused_and_leaves_main_as_it_was(repo):
    site, guarded = repo
    notice = "content/items/2024/bgs/notice.md"
    git(site, "switch", "-q", "-c", "cms/all/2024-00003")
    site.edit(notice, "title: 关于做好年度信息公开工作的通知", "title: 关于做好年度信息公开工作的通知（修订）")
    git(site, "commit", "-qam", "表单")
    git(site, "switch", "-q", "main")
    site.edit(notice, "title: 关于做好年度信息公开工作的通知", "title: 关于做好年度信息公开工作的补充通知")
    git(site, "commit", "-qam", "另一位工作人员先发布")
    head = git(site, "rev-parse", "main")
    status, answer = publish(guarded, "cms/all/2024-00003")
    assert status == 422 and "冲突" in answer["error"] and notice in answer["error"]
    assert git(site, "rev-parse", "main") == head
    assert git(site, "status", "--porcelain") == ""
    assert not (site.path / ".git" / "MERGE_HEAD").exists()

    git(site, "switch", "-q", "-c", "cms/all/broken")
    site.edit(notice, "category: tzgg", "category: nosuch")
    git(site, "commit", "-qam", "表单")
    git(site, "switch", "-q", "main")
    status, answer = publish(guarded, "cms/all/broken")
    assert status == 422 and answer["error"].startswith("没有发布：内容检查发现 1 个错误")
    assert git(site, "rev-parse", "main") == head


@pytest.mark.cli
def test_the_pr_check_refuses_a_new_item_whose_index_no_another_draft_holds(repo):
    site, _ = repo
    item = DRAFT.format(what="丁", no="11990100MB0000003C/2026-00001", category="tzgg", file="x.pdf").replace(
        'attachments:\n  - file: files/x.pdf\n    title: ""\n', ""
    )
    for branch, what in (("cms/qita/a", "丁"), ("cms/qita/b", "戊")):
        git(site, "switch", "-q", "-c", branch, "main")
        site.write(f"content/items/2026/czj/{branch[-1]}.md", item.replace("丁", what))
        git(site, "add", "-A")
        git(site, "commit", "-qm", "表单")
        git(site, "update-ref", f"refs/remotes/origin/{branch}", branch)  # as fetched on the forge
    result = site.xxgk("drafts", ".", "--base", "main")  # on cms/qita/b
    assert result.code == 1
    assert result.out.strip() == (
        "content/items/2026/czj/b.md:3: E010 索引号 11990100MB0000003C/2026-00001 也被未合并的草稿分支 "
        "origin/cms/qita/a 使用；请改用下一个未用的序号"
    )
    git(site, "switch", "-q", "cms/qita/a")
    git(site, "branch", "-D", "cms/qita/b")
    git(site, "update-ref", "-d", "refs/remotes/origin/cms/qita/b")
    assert site.xxgk("drafts", ".", "--base", "main").code == 0
