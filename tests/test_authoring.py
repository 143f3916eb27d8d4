"""The authoring form's configuration follows catalog/, admin/ exists only where asked for, and the
normaliser turns what the form saved into the file `xxgk new` writes or keeps untouched lines."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess

import pytest

from xxgk.authoring.normalise import normalise
from xxgk.core.scaffold import item_text

GIT = ["git", "-c", "user.name=测试", "-c", "user.email=t@example.invalid"]
FORGE = "      admin: true\n      admin_backend: {name: gitlab, repo: yunxi/xxgk, auth_type: pkce, app_id: abc}\n"
WITH_ADMIN = ("      search: false\n", "      search: false\n" + FORGE)


def admin_config(site) -> dict:
    result = site.build()
    assert result.code == 0, result.text
    return json.loads(site.read("site/admin/config.json"))


def select(config: dict, collection: str, key: str) -> list[str]:
    coll = next(c for c in config["decap"]["collections"] if c["name"] == collection)
    return [o["value"] for o in next(f for f in coll["fields"] if f["name"] == key)["options"]]


@pytest.mark.build
def test_a_department_added_to_the_catalog_is_in_the_publisher_select(mini):
    mini.edit("mkdocs.yml", *WITH_ADMIN)
    assert "jyj" not in select(admin_config(mini), "guifan", "publisher")
    mini.write(
        "catalog/departments.yml",
        mini.read("catalog/departments.yml") + "- id: jyj\n  name: 测试市教育局\n  org_code: 11990100MB00000044\n",
    )
    config = admin_config(mini)
    assert "jyj" in select(config, "guifan", "publisher")
    assert config["next_index_no"]["jyj"]["2025"] == "11990100MB00000044/2025-00001"


@pytest.mark.build
def test_admin_true_writes_the_forge_backend_and_loads_nothing_from_outside(mini):
    mini.edit("mkdocs.yml", *WITH_ADMIN)
    config = admin_config(mini)
    assert config["decap"]["backend"] == {"name": "gitlab", "repo": "yunxi/xxgk", "auth_type": "pkce", "app_id": "abc"}
    assert config["decap"]["locale"] == "zh_Hans" and config["decap"]["publish_mode"] == "editorial_workflow"
    page = mini.read("site/admin/index.html")
    assert re.findall(r'(?:src|href)="([^"]+)"', page) == ["xxgk-init.js", "decap-cms.js", "xxgk-admin.js"]
    assert "<script>" not in page  # no inline script: the CSP needs none
    assert (mini.path / "site/admin/decap-cms.js").stat().st_size > 1_000_000  # the npm bundle, copied


@pytest.mark.build
def test_admin_true_without_a_backend_is_refused_with_a_message(mini):
    mini.edit("mkdocs.yml", "      search: false\n", "      search: false\n      admin: true\n")
    result = mini.build()
    assert result.code != 0 and "admin_backend" in result.text and "Traceback" not in result.text


def test_the_public_demo_build_has_no_admin(demo_build):
    assert not (demo_build.path / "site" / "admin").exists()


NEW = {
    "title": "测试市财政局关于印发某办法的通知",
    "index_no": "11990100MB00000031/2026-00001",
    "publisher": "czj",
    "published": dt.date(2026, 3, 5),
    "category": "gfxwj",
    "doc_type": "行政规范性文件",
    "doc_no": "测财规〔2026〕1号",
    "topics": ["财政、金融、审计"],
}
# What Decap CMS writes for those answers: its key order, block lists, empty fields.
SAVED = """---
title: 测试市财政局关于印发某办法的通知
index_no: 11990100MB00000031/2026-00001
publisher: czj
published: 2026-03-05
category: gfxwj
summary: ""
doc_type: 行政规范性文件
doc_no: 测财规〔2026〕1号
topics:
  - 财政、金融、审计
keywords: []
abolished:
  reason: ""
---
"""


def test_a_new_item_becomes_what_xxgk_new_writes():
    assert normalise(SAVED, None) == item_text(NEW)
    assert normalise(SAVED.replace("published: 2026-03-05", "published: '2026-03-05'"), None) == item_text(NEW)
    assert normalise(SAVED + "正文第一段。\n", None) == item_text(NEW, "正文第一段。\n")


BEFORE = """---
title: 测试市财政局关于印发某办法的通知
index_no: 11990100MB00000031/2026-00001
# 索引号发布后不改
publisher: czj
published: 2026-03-05
category: gfxwj
doc_type: 行政规范性文件
topics: [财政、金融、审计]
keywords: [采购,  公开]
reviewed_by: 王某
---

正文。
"""


def lines_changed(before: str, after: str) -> list[tuple[str, str]]:
    a, b = before.splitlines(), after.splitlines()
    assert len(a) == len(b), after
    return [(x, y) for x, y in zip(a, b) if x != y]


def test_an_edit_changes_only_the_edited_line():
    saved = (
        SAVED.replace("published: 2026-03-05", "published: 2026-03-06")
        .replace("doc_no: 测财规〔2026〕1号\n", "")
        .replace("keywords: []", "keywords:\n  - 采购\n  - 公开")
        + "正文。\n"
    )
    after = normalise(saved, BEFORE)
    assert lines_changed(BEFORE, after) == [("published: 2026-03-05", "published: 2026-03-06")]


def test_added_and_cleared_fields():
    saved = SAVED.replace('summary: ""', "summary: 一句话概述").replace("keywords: []", "") + "\n正文。\n"
    after = normalise(saved, BEFORE)
    assert "keywords" not in after  # cleared in the form
    assert "reviewed_by: 王某" in after  # a key the form does not know is kept
    assert after.splitlines()[6:9] == ["category: gfxwj", "summary: 一句话概述", "doc_type: 行政规范性文件"]
    assert after.endswith("---\n\n正文。\n")


@pytest.mark.cli
def test_xxgk_normalise_rewrites_form_saved_items_in_the_pr_check(mini):
    def git(*args):
        done = subprocess.run([*GIT, *args], cwd=mini.path, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        return done.stdout

    git("init", "-q", "-b", "main")
    git("add", "-A")
    git("commit", "-q", "-m", "初始")
    policy = "content/items/2024/bgs/policy.md"
    as_decap = (
        mini.read(policy)
        .replace("topics: [综合政务]", "topics:\n  - 综合政务")
        .replace("published: 2024-03-05", "published: '2024-03-06'")
    )
    mini.write(policy, as_decap)
    mini.write("content/items/2026/czj/2026-00001.md", SAVED)
    git("switch", "-q", "-c", "cms/guifan/x")  # as the form commits on the forge
    git("add", "-A")
    git("commit", "-q", "-m", "表单")
    check = mini.xxgk("normalise", ".", "--base", "main", "--check")
    assert check.code == 1 and check.out.split() == [
        "content/items/2024/bgs/policy.md",
        "content/items/2026/czj/2026-00001.md",
    ]
    assert mini.xxgk("normalise", ".", "--base", "main").code == 0
    assert mini.read("content/items/2026/czj/2026-00001.md") == item_text(NEW)
    diff = git("diff", "--unified=0", "main", "--", policy).splitlines()
    assert [line for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---")] == [
        "-published: 2024-03-05",
        "+published: 2024-03-06",
    ]
    assert mini.xxgk("normalise", ".", "--base", "main", "--check").code == 0


def test_local_mode_files_a_new_item_where_xxgk_new_would_with_its_attachments(mini):
    from xxgk.authoring.local import rewrite
    from xxgk.core.options import read_mkdocs_yml

    saved = SAVED.replace("published: 2026-03-05", "published: 2025-12-30").replace("2026-00001", "2025-00007")
    decap_path = "content/items/2026/czj/11990100mb00000031-2025-00007.md"  # Decap: {{year}} of saving, slug
    body = {
        "action": "persistEntry",
        "params": {
            "branch": "main",
            "dataFiles": [{"path": decap_path, "slug": "2026/czj/x", "raw": saved}],
            "assets": [{"path": "content/items/2026/czj/files/fujian.pdf", "content": "", "encoding": "base64"}],
            "options": {"collectionName": "guifan", "useWorkflow": True},
        },
    }
    out = rewrite(body, read_mkdocs_yml(mini.path), lambda ref, path: None)["params"]
    assert out["dataFiles"][0]["path"] == "content/items/2025/czj/2025-00007.md"
    assert out["assets"][0]["path"] == "content/items/2025/czj/files/fujian.pdf"
    assert out["dataFiles"][0]["raw"].startswith("---\ntitle: 测试市财政局关于印发某办法的通知\n")
    assert "topics: [财政、金融、审计]" in out["dataFiles"][0]["raw"]
