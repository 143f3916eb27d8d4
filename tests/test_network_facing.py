"""Issue 30, network-facing code: `xxgk verify` reads only regular files and bounds every HTTP
read (core/limits.py); the member JSON a portal reads has depth and size limits."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from xxgk.cli import verify
from xxgk.core import limits


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from conftest import FIXTURES, SiteDir

    site = SiteDir(tmp_path_factory.mktemp("verify") / "repo")
    shutil.copytree(FIXTURES / "mini", site.path)
    assert site.build().code == 0
    return site


@pytest.mark.build
def test_verify_never_blocks_on_a_fifo_nor_fails_on_a_dangling_link(built, tmp_path):
    copy = tmp_path / "www"
    shutil.copytree(built.path / "site", copy)
    os.mkfifo(copy / "blocker.html")
    (copy / "index.html").unlink()
    os.symlink("nowhere.html", copy / "index.html")
    result = built.xxgk("verify", str(copy), "--manifest", str(built.path / "site/xxgk-manifest.json"))
    assert result.code == 1 and "Traceback" not in result.text, result.text
    assert "已修改：index.html" in result.out and "新增：blocker.html" in result.out
    assert "不是普通文件" in result.err


class _Slow(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        try:
            for _ in range(100):  # a byte a little faster than any socket timeout notices
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(0.2)
        except OSError:  # the reader gave up, as it should
            pass

    def log_message(self, *args):
        pass


@pytest.fixture
def slow_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Slow)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.mark.build
def test_verify_gives_up_on_a_trickling_server(built, slow_server, monkeypatch, capsys):
    monkeypatch.setattr(verify, "DEADLINE", 1.0)
    args = argparse.Namespace(target=slow_server, manifest=str(built.path / "site/xxgk-manifest.json"))
    started = time.monotonic()
    assert verify.run(args) == 2
    assert time.monotonic() - started < 15
    assert "秒仍未完成" in capsys.readouterr().err


def test_http_bodies_over_the_limit_are_refused(slow_server):
    with pytest.raises(limits.LimitError, match="超过上限"):
        limits.read_url(slow_server, 5, 60, max_bytes=3)


@pytest.mark.parametrize("depth", [65, 2_000, 200_000])
def test_deep_json_is_a_limit_error(depth):
    with pytest.raises(limits.LimitError, match="嵌套"):
        limits.loads_json(("[" * depth + "]" * depth).encode())
    assert limits.loads_json(json.dumps({"a": [[{"b": 1}]]}).encode()) == {"a": [[{"b": 1}]]}


def _member_folder(tmp_path, site: bytes, manifest: bytes | None = None):
    folder = tmp_path / "member"
    (folder / "pagefind").mkdir(parents=True)
    (folder / "xxgk-site.json").write_bytes(site)
    if manifest is not None:
        (folder / "pagefind/manifest.json").write_bytes(manifest)
    return folder


@pytest.mark.parametrize(
    "doc", [b"[" * 100_000 + b"]" * 100_000, b'{"format": 2, "a": ' + b"[" * 500 + b"]" * 500 + b"}"]
)
def test_a_member_with_deep_json_is_left_out_with_a_reason(tmp_path, doc):
    import datetime as dt

    from xxgk.portal import read
    from xxgk.portal.config import Member

    _member_folder(tmp_path, doc)
    got = read.read(Member("m", "member", "m/"), tmp_path, tmp_path / "cache", 5, dt.datetime(2025, 1, 1))
    assert got.state == read.MISSING and "嵌套" in got.problems[0]


def test_a_member_search_manifest_is_data_in_its_shape(tmp_path):
    from xxgk.portal import read
    from xxgk.portal.config import Member

    shards = [
        {
            "id": "2024",
            "years": ["2024"],
            "first": "2024-01-01",
            "last": "2024-12-01",
            "tag": "abc123",
            "meta": "pagefind.zh_abc.pf_meta",
        },
        {"id": "../../evil", "years": ["2024"]},
        {"id": "x", "years": ["2024"], "meta": "https://evil.example/x.js"},
        {"id": "y", "years": ["<img>"]},
        {"id": "z", "years": ["undated"], "last": ""},
    ]
    _member_folder(tmp_path, b"{}", json.dumps({"shards": shards}).encode())
    doc = read.search_manifest(Member("m", "member", "m/"), tmp_path, 5)
    assert [s["id"] for s in doc["shards"]] == ["2024", "z"]


# ---------------------------------------------------------------- the local form server


@pytest.mark.parametrize(
    "host, origin, ok",
    [
        ("127.0.0.1:18601", None, True),
        ("localhost:18601", "http://127.0.0.1:8000", True),
        ("evil.example:18601", None, False),  # DNS rebinding: the page's own name
        ("127.0.0.1:18601", "http://evil.example", False),
        ("127.0.0.1.evil.example:18601", None, False),
        (None, None, False),
    ],
)
def test_the_form_server_answers_this_machine_only(host, origin, ok):
    from xxgk.authoring.local import local_request

    assert local_request(host, origin) is ok


def test_the_form_server_passes_a_branch_to_git_never_as_an_option(tmp_path):
    import subprocess

    from xxgk.authoring.local import git_show

    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    show = git_show(tmp_path)
    assert show("--output=" + str(tmp_path / "written"), "x") is None
    assert not (tmp_path / "written").exists()


@pytest.mark.parametrize("path", ["content/items/../../docs/format.md", "/etc/passwd", "content/items/./a.md"])
def test_the_form_server_refuses_paths_outside_plain_ones(mini, path):
    from xxgk.authoring.local import OutsidePath, rewrite
    from xxgk.core.options import read_mkdocs_yml

    body = {"action": "persistEntry", "params": {"branch": "main", "entry": {"path": path, "slug": "x", "raw": ""}}}
    with pytest.raises(OutsidePath):
        rewrite(body, read_mkdocs_yml(mini.path), lambda ref, path: None)


def test_a_saved_entry_with_a_hostile_publisher_stays_where_decap_put_it(mini):
    from xxgk.authoring.local import rewrite
    from xxgk.core.options import read_mkdocs_yml

    raw = (
        "---\ntitle: 标题\nindex_no: 11990100MB0000001T/2024-00009\npublisher: ../../../docs\n"
        "published: 2024-05-01\ncategory: tzgg\n---\n正文\n"
    )
    path = "content/items/2024/x.md"
    body = {"action": "persistEntry", "params": {"branch": "main", "entry": {"path": path, "slug": "x", "raw": raw}}}
    out = rewrite(body, read_mkdocs_yml(mini.path), lambda ref, p: None)
    assert out["params"]["entry"]["path"] == path


@pytest.mark.parametrize("command", ["check", "drafts", "normalise"])
def test_every_base_is_a_revision_never_an_option_to_git(mini, tmp_path, command):
    """`xxgk drafts --base=--output=FILE` once had `git diff` write FILE...HEAD."""
    import subprocess

    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=mini.path, check=True)
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "--allow-empty", "-m", "a"],
        cwd=mini.path,
        check=True,
    )
    result = mini.command(command, ".", f"--base=--output={tmp_path / 'written'}")
    assert result.code == 2 and "不能以 - 开头" in result.err, result.text
    assert not list(tmp_path.glob("written*"))


@pytest.mark.parametrize("doc", [{"format": {"format": 44}}, {"format": [2]}, {"format": True}, {"format": "2"}, [1]])
def test_a_descriptor_format_of_another_type_is_a_member_error(doc):
    """Found by the member fuzzer (docs/fuzzing.md): an unhashable format was a TypeError."""
    from xxgk.portal import read

    with pytest.raises(read.MemberError, match="format"):
        read.check_descriptor(doc)
