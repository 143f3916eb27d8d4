"""The real Decap CMS form, driven in Chromium against decap-server in git mode (local mode) on a
scratch Git copy of the demo: what staff do in the form lands as the files `xxgk new` writes,
on local branches, and an edit changes only the edited line."""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

from conftest import DEMO_AS_OF, ROOT, SiteDir, copy_demo
from xxgk.authoring.local import LocalMode
from xxgk.core.options import read_mkdocs_yml

GIT = ["git", "-c", "user.name=测试", "-c", "user.email=t@example.invalid"]
POLICY = {
    "title": "云溪市财政局关于规范政府采购意向公开工作的通知",
    "publisher": "czj",
    "category": "gfxwj",
    "published": "2026-11-20",
    "doc_no": "云财规〔2026〕3号",
    "topic": "财政、金融、审计",
}
JIEDU = {
    "title": "《关于规范政府采购意向公开工作的通知》政策解读",
    "publisher": "czj",
    "category": "zcjd",
    "published": "2026-11-21",
    "form": "文字解读",
}
EDITED = "content/items/2019/fgw/minying-xiaowei-qiye-ruogan-cuoshi-jiedu.md"


def git(site: SiteDir, *args: str) -> str:
    done = subprocess.run([*GIT, *args], cwd=site.path, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def local(tmp_path):
    """The demo as a Git repository, `xxgk admin`'s servers on it, and its site with admin/ served."""
    site = copy_demo(tmp_path / "repo")
    shutil.copy(ROOT / ".gitignore", site.path / ".gitignore")  # site/ and .cache/ stay out of commits
    git(site, "init", "-q", "-b", "main")
    git(site, "add", "-A")
    git(site, "commit", "-q", "-m", "演示内容")
    mode = LocalMode(read_mkdocs_yml(site.path), 0).start()
    proxy = mode.server
    assert proxy is not None  # start() made it
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    http = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site.path / "site")))
    threading.Thread(target=http.serve_forever, daemon=True).start()
    env = {"XXGK_ADMIN_API": mode.api, "XXGK_ADMIN_BRANCH": "main", "XXGK_AS_OF": DEMO_AS_OF}
    build = lambda: site.build(env=env)  # mkdocs serve rebuilds after each publish
    result = build()
    assert result.code == 0, result.text
    yield site, f"http://127.0.0.1:{http.server_address[1]}/admin/", build
    http.shutdown()
    proxy.shutdown()
    mode.stop()


def open_form(page, url: str) -> None:
    """A fresh load of the page (the configuration the last build wrote), logged in, the form shown."""
    page.goto(url)
    page.reload()
    login = page.get_by_role("button", name="登录")
    title = page.locator('[id^="title-field-"]')
    login.or_(title).first.wait_for(timeout=60_000)
    if login.is_visible():
        login.click()
    title.first.wait_for(timeout=60_000)


def field(page, name: str):
    return page.locator(f'[id^="{name}-field-"]').first


def choose(page, name: str, text: str) -> None:
    """A select or relation widget: type to search, take the option that shows `text`."""
    field(page, name).click()
    page.keyboard.type(text)
    page.locator('[id*="-option-"]', has_text=text).first.click()


def save(page) -> None:
    page.get_by_role("button", name="保存", exact=True).click()
    try:
        page.get_by_role("button", name="状态: 草稿").wait_for()
    except Exception:
        page.screenshot(path="/tmp/i31-save.png")
        raise


def set_status(page, current: str, new: str) -> None:
    page.get_by_role("button", name=f"状态: {current}").click()
    page.get_by_text(new, exact=True).click()
    page.get_by_role("button", name=f"状态: {new}").wait_for()


def until(condition, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


def cms_branches(site: SiteDir) -> list[str]:
    return git(site, "branch", "--list", "cms/*", "--format=%(refname:short)").split()


def changed(site: SiteDir, base: str, branch: str) -> list[str]:
    return git(site, "diff", "--name-only", base, branch).split()


def xxgk_new(tmp_path, answers: dict, *extra: str, add: tuple[str, str] | None = None) -> tuple[str, str]:
    """What `xxgk new` writes for the same answers, in a fresh copy of the demo: (path, text)."""
    other = copy_demo(tmp_path / f"cli-{len(list(tmp_path.iterdir()))}")
    if add:
        other.write(*add)
    args = [
        "new",
        ".",
        "--publisher",
        answers["publisher"],
        "--category",
        answers["category"],
        "--title",
        answers["title"],
        "--published",
        answers["published"],
        *extra,
    ]
    result = other.xxgk(*args, env={"XXGK_AS_OF": DEMO_AS_OF})
    assert result.code == 0, result.text
    path = result.out.strip()
    return path, other.read(path)


@pytest.mark.cli
@pytest.mark.build
def test_form_writes_what_xxgk_new_writes_on_local_branches(local, browser, tmp_path):
    site, admin, build = local
    start = git(site, "rev-parse", "HEAD").strip()
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    outside: list[str] = []
    page.on("request", lambda r: None if r.url.startswith("http://127.0.0.1") else outside.append(r.url))
    page.on("dialog", lambda d: d.accept())  # 你确定要发布此内容吗？
    # 行政规范性文件, through draft → in review → ready → published (merged into local main)
    open_form(page, admin + "#/collections/guifan/new")
    field(page, "title").fill(POLICY["title"])
    choose(page, "publisher", "云溪市财政局")
    field(page, "published").fill(POLICY["published"])
    field(page, "doc_no").fill(POLICY["doc_no"])
    choose(page, "topics", POLICY["topic"])
    page.keyboard.press("Escape")
    save(page)
    [policy_branch] = cms_branches(site)
    [policy_file] = changed(site, "main", policy_branch)
    want_path, want_text = xxgk_new(
        tmp_path, POLICY, "--doc-type", "行政规范性文件", "--doc-no", POLICY["doc_no"], "--topic", POLICY["topic"]
    )
    assert policy_file == want_path
    assert git(site, "show", f"{policy_branch}:{policy_file}") == want_text
    policy_index = field(page, "index_no").input_value()
    assert policy_index == "11990100MB00000031/2026-00002"
    set_status(page, "草稿", "审核中")
    set_status(page, "审核中", "就绪")
    page.get_by_role("button", name="发布", exact=True).click()
    page.get_by_text("立即发布", exact=True).click()
    until(lambda: cms_branches(site) == [])
    assert changed(site, start, "main") == [policy_file]
    assert build().code == 0  # as `mkdocs serve` does after main changed: the next free 索引号 moves on

    # its 政策解读, the policy chosen in the relation widget by part of its title; left in review
    open_form(page, admin + "#/collections/jiedu/new")
    field(page, "title").fill(JIEDU["title"])
    choose(page, "publisher", "云溪市财政局")
    field(page, "published").fill(JIEDU["published"])
    choose(page, "interprets", "规范政府采购意向")
    choose(page, "interpretation_form", JIEDU["form"])
    save(page)
    set_status(page, "草稿", "审核中")
    [jiedu_branch] = cms_branches(site)
    [jiedu_file] = changed(site, "main", jiedu_branch)
    want_path, want_text = xxgk_new(
        tmp_path,
        JIEDU,
        "--doc-type",
        "政策解读",
        "--interprets",
        policy_index,
        "--form",
        JIEDU["form"],
        add=(policy_file, want_text),
    )
    assert jiedu_file == want_path
    assert git(site, "show", f"{jiedu_branch}:{jiedu_file}") == want_text
    assert sorted(changed(site, start, jiedu_branch)) == sorted([policy_file, jiedu_file])

    # the branch passes the PR check against main
    review = tmp_path / "review"
    git(site, "worktree", "add", "-q", str(review), jiedu_branch)
    checked = SiteDir(review).xxgk("check", ".", "--base", "main", env={"XXGK_AS_OF": DEMO_AS_OF})
    assert checked.code == 0, checked.text

    # editing one field of an existing item changes that one line
    open_form(page, admin + "#/collections/all/entries/" + EDITED.removeprefix("content/items/").removesuffix(".md"))
    summary = field(page, "summary")
    expect(summary).to_have_value(re.compile("16条措施。$"), timeout=30_000)  # the entry has loaded
    summary.fill(summary.input_value() + "（修订）")
    save(page)
    edit_branch = next(b for b in cms_branches(site) if b.startswith("cms/all/"))
    diff = git(site, "diff", "--unified=0", "main", edit_branch).splitlines()
    body = [line for line in diff if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert len(body) == 2 and body[0].startswith("-summary: ") and body[1].endswith("（修订）"), diff

    # the preview's status is the site's (core/status.py status_on, by its port in lifecycle.js):
    # written 失效 with the expiry still ahead on the as-of day is 有效 there, and then 失效
    open_form(page, admin + "#/collections/guifan/new")
    field(page, "title").fill("预览有效性")
    choose(page, "status", "失效")
    expires = field(page, "expires")
    expires.fill("2027-12-31")
    preview = page.frame_locator("#preview-pane")
    badge = preview.locator(".xx-meta .xx-status")
    expect(badge).to_have_text(re.compile("有效$"))
    expect(preview.locator(".xx-banner")).to_have_count(0)
    expires.fill("2026-01-01")
    expect(badge).to_have_text(re.compile("失效$"))
    expect(preview.locator(".xx-banner__title")).to_have_text("本文件已失效")
    assert outside == []
    page.close()
