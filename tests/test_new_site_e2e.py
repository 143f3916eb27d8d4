"""End to end, as the IT person and the clerks of a new agency would: xxgk's wheel built from this
checkout, `xxgk init` with it in a temporary folder, the site's own two commands run with a clean
environment (a fresh .venv from PyPI and the wheel, the form from npm), then its form in Chromium:
a Chinese-named PDF, two clerks' drafts, a mistake refused, a publish.

Minutes long (package installs): marked slow, so `-m "not slow"` skips it in a fast run; the full
suite runs it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request

import pytest
from playwright.sync_api import expect

from conftest import BIN, ROOT, SiteDir, fill_in, run
from samples import write_pdf
from test_authoring_browser import attach, field, open_form, save, set_status
from xxgk.authoring.local import free_port

pytestmark = pytest.mark.slow
ORG = "11990102MB0000001P"
AGENCY = "云溪市河西区人民政府"


def sh(cmd: list[str], cwd, env: dict, timeout: float = 900) -> str:
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{cmd}: {done.stdout[-3000:]}{done.stderr[-3000:]}"
    return done.stdout + done.stderr


def wait_for(url: str, seconds: float = 600) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        assert time.monotonic() < deadline, f"{url} never answered"
        time.sleep(1)


def test_a_new_site_from_the_wheel_builds_checks_and_its_form_publishes(tmp_path, browser):
    wheels = tmp_path / "wheels"
    sh(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(ROOT)],
        tmp_path,
        dict(os.environ),
    )
    [wheel] = wheels.glob("xxgk-*.whl")
    site = tmp_path / "hexi"
    made = run(
        [
            str(BIN / "xxgk"),
            "init",
            str(site),
            "--agency",
            AGENCY,
            "--org-code",
            ORG,
            "--kind",
            "county",
            "--xxgk-wheel",
            str(wheel),
        ],
        tmp_path,
    )
    assert made.code == 0, made.text
    assert "git init -b main" in made.err

    # a clean environment: no virtualenv, no xxgk checkout on any path; the pip and npm caches stay
    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": os.environ.get("HOME", str(tmp_path)),
        "LANG": "C.UTF-8",
        "GIT_AUTHOR_NAME": "测试",
        "GIT_AUTHOR_EMAIL": "t@example.invalid",
        "GIT_COMMITTER_NAME": "测试",
        "GIT_COMMITTER_EMAIL": "t@example.invalid",
        # Debian's own python3 (3.11.2 on Debian 12, the oldest the lock is resolved for) where
        # there is one, as on the agency's machine; else the interpreter the tests run on
        "PYTHON": "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else os.path.realpath(sys.executable),
    }
    fill_in(SiteDir(site))  # what staff do first: the drafts' 【待填写】 stop the build (E180)
    sh(["git", "init", "-q", "-b", "main"], site, env)
    sh(["git", "add", "-A"], site, env)
    sh(["git", "commit", "-qm", "xxgk init"], site, env)
    sh(["scripts/build"], site, env)  # the README's commands
    assert (site / "site" / "index.html").is_file()
    sh([".venv/bin/xxgk", "check"], site, env)
    where = sh([".venv/bin/python", "-c", "import xxgk; print(xxgk.__file__)"], site, env)
    assert str(site / ".venv") in where and str(ROOT) not in where  # the wheel, not this checkout

    port, admin_port = free_port(), free_port()
    serve = subprocess.Popen(
        ["scripts/build", "--serve", "--admin"],
        cwd=site,
        env={**env, "XXGK_PORT": str(port), "XXGK_ADMIN_PORT": str(admin_port)},
        stdout=(log := open(tmp_path / "serve.log", "wb")),  # closed after the process ends
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        admin = f"http://127.0.0.1:{port}/admin/"
        wait_for(admin + "config.json")
        assert (site / "node_modules" / "decap-server").is_dir()
        assert sh(["git", "status", "--porcelain"], site, env) == ""  # node_modules/ ignored
        pdf = write_pdf(tmp_path / "安全生产责任清单.pdf", ["list"])
        # bypass_csp=False: as in a clerk's browser, the form's own policy keeps the preview server's
        # live-reload script out, so a rebuild never reloads the form under what was typed
        first, second = (browser.new_page(viewport={"width": 1366, "height": 900}, bypass_csp=False) for _ in range(2))
        for page, title in ((first, "关于安全生产责任清单的通知"), (second, "关于第二份通知的说明")):
            page.on("dialog", lambda d: d.accept())
            page.goto(admin + "#/collections/qita/new")
            page.get_by_role("button", name="登录").click()
            field(page, "title").wait_for(timeout=60_000)
            field(page, "title").fill(title)
            field(page, "published").fill("2026-11-20")  # 发布机构: the one publisher, preselected
        attach(first, pdf)
        save(first)
        save(second)
        drafts = sh(["git", "-c", "core.quotePath=false", "diff", "--name-only", "main", "--all"], site, env)
        branches = sh(["git", "branch", "--list", "cms/*", "--format=%(refname:short)"], site, env).split()
        assert len(branches) == 2
        files = [
            sh(["git", "-c", "core.quotePath=false", "diff", "--name-only", "main", b], site, env).split()
            for b in branches
        ]
        items = sorted(f for fs in files for f in fs if f.endswith(".md"))
        assert items == ["content/items/2026/zf/2026-00001.md", "content/items/2026/zf/2026-00002.md"], drafts
        assert "content/items/2026/zf/files/安全生产责任清单.pdf" in [f for fs in files for f in fs]

        # a mistake is refused in Chinese, and nothing is committed
        mistake = second
        open_form(mistake, admin + "#/collections/qita/new")
        field(mistake, "title").fill("关于成文日期有误的通知")
        field(mistake, "published").fill("2026-11-20")
        field(mistake, "written").fill("2026-12-01")
        mistake.get_by_role("button", name="保存", exact=True).click()
        try:
            expect(mistake.get_by_text("没有保存：内容检查发现 1 个错误", exact=False)).to_be_visible(timeout=60_000)
        finally:
            mistake.screenshot(path=str(tmp_path / "mistake.png"))  # what the clerk saw

        set_status(first, "草稿", "审核中")
        set_status(first, "审核中", "就绪")
        first.get_by_role("button", name="发布", exact=True).click()
        first.get_by_text("立即发布", exact=True).click()
        deadline = time.monotonic() + 120
        while not sh(["git", "log", "-1", "--format=%s", "main"], site, env).startswith("发布"):
            if time.monotonic() > deadline:
                first.screenshot(path=str(tmp_path / "publish.png"))
                raise AssertionError("the publish never merged")
            time.sleep(1)
        expect(first.get_by_text("内容已发布")).to_be_visible(timeout=60_000)
        expect(field(first, "title")).to_have_value("关于安全生产责任清单的通知", timeout=60_000)
        published = sh(["git", "-c", "core.quotePath=false", "show", "--name-only", "--format=%s", "main"], site, env)
        assert published.startswith(f"发布其他文件：关于安全生产责任清单的通知（{ORG}/2026-00001）")
        merged = sh(["git", "-c", "core.quotePath=false", "diff", "--name-only", "main~1", "main"], site, env)
        assert merged.split() == [
            "content/items/2026/zf/2026-00001.md",
            "content/items/2026/zf/files/安全生产责任清单.pdf",
        ]
        sh([".venv/bin/xxgk", "check"], site, env)
    except BaseException:
        print((tmp_path / "serve.log").read_text("utf-8", "replace")[-6000:])  # the site's servers, for the failure
        raise
    finally:
        os.killpg(serve.pid, signal.SIGTERM)
        serve.wait(timeout=30)
        log.close()
