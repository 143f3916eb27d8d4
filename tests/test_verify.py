"""Tamper evidence: the build's SHA-256 manifest and `xxgk verify` against a folder or a served copy."""

import hashlib
import json
import shutil

import pytest

from xxgk_dev.devshots import serve

pytestmark = [pytest.mark.build, pytest.mark.cli]  # builds, then runs xxgk verify

PAGE = "items/11990100MB0000001T/2024-00003/index.html"


@pytest.fixture
def built(mini):
    assert mini.build().code == 0
    return mini


def _tamper(root, rel=PAGE):
    page = root / rel
    page.write_text(
        page.read_text(encoding="utf-8").replace("</article>", "<p>欧博abg 在线娱乐</p></article>"), encoding="utf-8"
    )


def test_manifest_lists_every_output_file_with_its_sha256(built):
    site = built.path / "site"
    doc = json.loads((site / "xxgk-manifest.json").read_text(encoding="utf-8"))
    files = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())
    assert sorted(doc["files"]) == [f for f in files if f != "xxgk-manifest.json"]
    for rel, digest in doc["files"].items():
        assert hashlib.sha256((site / rel).read_bytes()).hexdigest() == digest, rel


def test_untouched_copy_verifies(built, tmp_path):
    copy = tmp_path / "www"
    shutil.copytree(built.path / "site", copy)
    result = built.xxgk("verify", str(copy))
    assert result.code == 0, result.text
    assert result.out == "" and "部署的站点与构建一致" in result.err


def test_folder_with_one_page_altered_added_and_missing(built, tmp_path):
    copy = tmp_path / "www"
    shutil.copytree(built.path / "site", copy)
    _tamper(copy)
    (copy / "robots.txt").unlink()
    (copy / "spam.html").write_text("spam", encoding="utf-8")
    result = built.xxgk("verify", str(copy))
    assert result.code == 1
    assert result.out.splitlines() == [f"已修改：{PAGE}", "缺失：robots.txt", "新增：spam.html"]
    assert "1 个已修改，1 个缺失，1 个新增" in result.err


def test_served_copy_at_a_sub_path_reports_exactly_the_altered_page(built, tmp_path):
    shutil.copytree(built.path / "site", tmp_path / "docroot/gk")
    _tamper(tmp_path / "docroot/gk")
    server = serve(tmp_path / "docroot")
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/gk/"
        result = built.xxgk("verify", url, "--manifest", "site/xxgk-manifest.json")
        assert result.code == 1, result.text
        assert result.out.splitlines() == [f"已修改：{PAGE}"]

        # a page injected and linked from a tampered page shows up as added
        (tmp_path / "docroot/gk/promo").mkdir()
        (tmp_path / "docroot/gk/promo/index.html").write_text("spam", encoding="utf-8")
        about = tmp_path / "docroot/gk/about/index.html"
        about.write_text(about.read_text(encoding="utf-8") + '<a href="../promo/">x</a>', encoding="utf-8")
        result = built.xxgk("verify", url)
        assert result.out.splitlines() == ["已修改：about/index.html", f"已修改：{PAGE}", "新增：promo/index.html"]
    finally:
        server.shutdown()


def test_usage_errors_exit_2_with_a_message(built, tmp_path):
    result = built.xxgk("verify", str(tmp_path / "nowhere"))
    assert result.code == 2 and "找不到目录" in result.err
    result = built.xxgk("verify", "http://127.0.0.1:9/")
    assert result.code == 2 and "无法连接" in result.err
    (tmp_path / "bad.json").write_text("{}", encoding="utf-8")
    result = built.xxgk("verify", "site", "--manifest", str(tmp_path / "bad.json"))
    assert result.code == 2 and "不是 xxgk 清单" in result.err
    assert "Traceback" not in result.text


@pytest.mark.parametrize("prefix", ["/", "/gk/"], ids=["root", "sub-path"])
def test_injected_references_are_found_however_written(built, tmp_path, prefix):
    """A /rooted link, a full URL to the same host and a <script src> (issue 14, item 10)."""
    root = tmp_path / "docroot" / prefix.strip("/")
    shutil.copytree(built.path / "site", root)
    for rel in ("spam-a/index.html", "spam-b.html", "evil.js"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("spam", encoding="utf-8")
    server = serve(tmp_path / "docroot")
    try:
        host = f"127.0.0.1:{server.server_address[1]}"
        about = root / "about/index.html"
        about.write_text(
            about.read_text(encoding="utf-8")
            + f'<a href="{prefix}spam-a/">a</a><a href="http://{host}{prefix}spam-b.html">b</a>'
            + f'<script src="{prefix}evil.js"></script><a href="https://www.gov.cn/">other site</a>',
            encoding="utf-8",
        )
        result = built.xxgk("verify", f"http://{host}{prefix}", "--manifest", "site/xxgk-manifest.json")
        assert result.code == 1, result.text
        assert result.out.splitlines() == [
            "已修改：about/index.html",
            "新增：evil.js",
            "新增：spam-a/index.html",
            "新增：spam-b.html",
        ]
    finally:
        server.shutdown()
