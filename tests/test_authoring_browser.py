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

GIT = ["git", "-c", "user.name=测试", "-c", "user.email=t@example.invalid", "-c", "core.quotePath=false"]
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
    """保存, then wait for the draft: local mode checks the would-be tree first (authoring/guard.py),
    a whole `xxgk check` that takes more than Playwright's 30 s on a busy 2-core machine."""
    page.get_by_role("button", name="保存", exact=True).click()
    page.get_by_role("button", name="状态: 草稿").wait_for(timeout=120_000)


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
    page = browser.new_page(
        viewport={"width": 1366, "height": 900}, bypass_csp=False
    )  # the form's own policy, as a clerk's browser obeys it
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


# Words Decap's own Chinese gets wrong or leaves in English; none may be visible on any screen.
WRONG_WORDS = ("帖子", "集合", "审查中", "待审查", "API_ERROR", "Unknown error", "December", "January", "內容", "尋找")


def visible_words(page) -> str:
    text = page.evaluate("document.body.innerText")
    for word in WRONG_WORDS:
        assert word not in text, f"{word!r} on {page.url}: {text[:400]}"
    # file names are the clerk's; the workflow card quotes `xxgk new`'s placeholder comment for the body
    words = re.sub(r"files/\S+|[^\s/]+\.(?:pdf|docx?|xlsx?|ofd|wps|zip|png|jpe?g)\b|<!--.*?-->", "", text, flags=re.S)
    english = [w for w in re.findall(r"[A-Za-z]{3,}", words) if w not in ("PDF", "YYYY")]
    assert not english, f"English on {page.url}: {english}"
    return text


def attach(page, path) -> None:
    """The 附件 list: add a row, open its file chooser, upload `path`, take it."""
    page.get_by_role("button", name="添加附件").click()
    page.get_by_role("button", name="选择文件").first.click()
    page.locator('input[type="file"]').set_input_files(str(path))
    page.get_by_text(path.name).wait_for()  # uploaded under its own name
    page.get_by_role("button", name="选用已选中项目").click()


def test_two_clerks_a_chinese_named_pdf_a_refused_mistake_and_a_calm_form(local, browser, tmp_path):
    from samples import write_pdf

    site, admin, build = local
    pdf = write_pdf(tmp_path / "安全生产责任清单.pdf", ["list"])
    shots = tmp_path / "shots"  # what a clerk sees at each step (looked at when the test was written)
    # bypass_csp=False: the test below asks the page's own Content-Security-Policy to keep live reload out
    clerks = [browser.new_page(viewport={"width": 1366, "height": 900}, bypass_csp=False) for _ in range(2)]
    for page in clerks:
        page.on("dialog", lambda d: d.accept())
    first, second = clerks
    first.goto(admin)
    first.get_by_role("button", name="登录").click()
    first.get_by_role("link", name="全部条目").first.wait_for(timeout=60_000)
    first.screenshot(path=str(shots / "0-list.png"))
    collections = first.get_by_role("link").all_inner_texts()
    assert collections.index("其他文件") < collections.index("规章"), collections  # the most used first
    visible_words(first)
    for page, title in ((first, "关于安全生产责任清单的通知"), (second, "关于第二份通知的说明")):
        open_form(page, admin + "#/collections/qita/new")
        field(page, "title").fill(title)
        choose(page, "publisher", "云溪市财政局")
        field(page, "published").fill("2026-11-20")
    attach(first, pdf)
    first.screenshot(path=str(shots / "1-attached.png"))
    visible_words(first)
    save(first)
    save(second)  # both forms proposed the same 索引号 before either saved
    first.screenshot(path=str(shots / "2-saved.png"))
    branches = cms_branches(site)
    assert len(branches) == 2
    files = [f for b in branches for f in changed(site, "main", b)]
    assert "content/items/2026/czj/files/安全生产责任清单.pdf" in files, files
    items = sorted(f for f in files if f.endswith(".md"))
    assert len(set(items)) == 2, items  # two files, two 索引号
    for page in clerks:
        set_status(page, "草稿", "审核中")
        set_status(page, "审核中", "就绪")
    second.goto(admin + "#/workflow")
    second.get_by_text("关于第二份通知的说明").first.wait_for()
    second.screenshot(path=str(shots / "3-workflow.png"))
    visible_words(second)
    # the form never reloads under a clerk: the preview server's live reload is an inline script,
    # which the page's Content-Security-Policy does not run
    assert second.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.__ran = 1';"
        " document.body.appendChild(s); return window.__ran === undefined; }"
    )
    # the first publishes, and the form then shows the published item, not an empty form
    first.get_by_role("button", name="发布", exact=True).click()
    first.get_by_text("立即发布", exact=True).click()
    until(lambda: len(cms_branches(site)) == 1)
    expect(field(first, "title")).to_have_value("关于安全生产责任清单的通知", timeout=30_000)
    first.screenshot(path=str(shots / "4-published.png"))
    visible_words(first)
    assert build().code == 0

    # a mistake the form cannot see: signed (成文) after it was published; refused, in Chinese
    open_form(first, admin + "#/collections/qita/new")
    field(first, "title").fill("关于成文日期有误的通知")
    choose(first, "publisher", "云溪市财政局")
    field(first, "published").fill("2026-11-20")
    field(first, "written").fill("2026-12-01")
    first.get_by_role("button", name="保存", exact=True).click()
    refusal = first.get_by_text(re.compile("没有保存：内容检查发现 1 个错误"))
    refusal.wait_for()
    first.screenshot(path=str(shots / "5-refused.png"))
    assert "E126" in refusal.inner_text()
    visible_words(first)
    assert len(cms_branches(site)) == 1  # nothing committed
    field(first, "written").fill("2026-11-19")
    save(first)
    assert len(cms_branches(site)) == 2


def test_a_doc_no_the_form_refuses_is_shown_beside_the_field_in_chinese(local, browser):
    """Decap refuses 保存 for a 发文字号 that breaks its pattern (config.DOC_NO_PATTERN) but raises a
    notice only for an empty required field: with the field scrolled out of sight, the clerk saw
    nothing happen. The refused field comes into view with the reason in plain Chinese."""
    site, admin, _ = local
    page = browser.new_page(
        viewport={"width": 1366, "height": 700}, bypass_csp=False
    )  # the form's own policy, as a clerk's browser obeys it
    page.on("dialog", lambda d: d.accept())
    open_form(page, admin + "#/collections/guifan/new")
    field(page, "title").fill("年份括号有误的规范性文件")
    choose(page, "publisher", "云溪市财政局")
    field(page, "published").fill("2026-11-20")
    field(page, "doc_no").fill("云财规[2026]3号")  # half-width brackets
    field(page, "summary").fill("规范政府采购意向公开。")  # goes on with the form, reads it down to the end
    page.mouse.move(300, 400)
    page.mouse.wheel(0, 5000)
    expect(field(page, "doc_no")).not_to_be_in_viewport()
    page.get_by_role("button", name="保存", exact=True).click()
    reason = page.get_by_text("“发文字号”有误：年份请用全角六角括号〔〕，例如 云政规〔2026〕1号", exact=True)
    expect(reason).to_be_in_viewport()
    expect(field(page, "doc_no")).to_be_focused()  # the cursor is where the fix goes
    visible_words(page)
    assert cms_branches(site) == []  # nothing saved
    field(page, "doc_no").fill("云财规〔2026〕3号")
    save(page)
    expect(reason).to_have_count(0)
    assert len(cms_branches(site)) == 1
