"""The preview server (`mkdocs serve`) survives a bad file: every page shows the problems in
Chinese instead of hanging, and the site comes back when the file is fixed."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request

from xxgk.authoring.local import free_port

NOTICE = "content/items/2024/bgs/notice.md"


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=20) as r:
            return r.status, r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8")


def until(url: str, text: str, seconds: float = 90) -> str:
    deadline = time.monotonic() + seconds
    while True:
        try:
            _, page = get(url)
            if text in page:
                return page
        except OSError:
            pass
        assert time.monotonic() < deadline, f"{text!r} never appeared at {url}"
        time.sleep(0.5)


def test_a_bad_file_shows_as_a_page_and_the_site_recovers(mini):
    port = free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    cmd = [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"]
    server = subprocess.Popen(cmd, cwd=mini.path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        home = f"http://127.0.0.1:{port}/"
        until(home, "关于做好年度信息公开工作的通知")
        good = mini.read(NOTICE)
        mini.edit(NOTICE, "category: tzgg", "category: nosuch")
        page = until(home, "网站暂时无法生成")
        assert f"{NOTICE}:6: " in page and "nosuch" in page
        _, other = get(home + "catalog/")  # any page: the same explanation, not a hang
        assert "网站暂时无法生成" in other
        mini.write(NOTICE, good)
        until(home, "关于做好年度信息公开工作的通知")
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_a_build_that_fails_after_mkdocs_emptied_the_site_keeps_the_form(tmp_path):
    """MkDocs empties the site folder when a rebuild starts; a rebuild that fails after that
    (a file gone while it was read) still serves the last good build's form and CSS beside the
    error page, so that the clerk can fix the file in the form."""
    from mkdocs.utils import clean_directory

    from xxgk.adapter.preview import showing_errors

    root = tmp_path / "site"
    root.mkdir()
    form = "<title>编辑表单</title>"

    def good() -> None:
        clean_directory(str(root))
        (root / "admin").mkdir()
        (root / "admin" / "index.html").write_text(form, encoding="utf-8")
        (root / "assets").mkdir()
        (root / "assets" / "site.css").write_text("body{}", encoding="utf-8")
        (root / "index.html").write_text("首页", encoding="utf-8")

    def failing() -> None:
        clean_directory(str(root))
        raise FileNotFoundError("content/items/2024/bgs/notice.md")

    builders = iter([good, failing, failing])
    build = showing_errors(lambda: next(builders)(), root, lambda: "content/items/2024/bgs/notice.md: 文件不存在")
    build()
    build()
    assert (root / "admin" / "index.html").read_text(encoding="utf-8") == form
    assert (root / "assets" / "site.css").is_file()
    assert "网站暂时无法生成" in (root / "index.html").read_text(encoding="utf-8")
    build()  # a second failure in a row: the copy is still the good build's
    assert (root / "admin" / "index.html").read_text(encoding="utf-8") == form
