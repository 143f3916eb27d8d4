"""Local mode: Decap's own server (decap-server, git mode) behind a small proxy on 127.0.0.1.

The browser form talks to the proxy; the proxy hands every request to decap-server unchanged,
except that an item file being saved is first made the file `xxgk new` would write (new items,
in the folder and under the name `xxgk new` gives them) or keeps its untouched lines (edits).
decap-server then commits it on a local branch per entry (editorial workflow).
"""

from __future__ import annotations

import base64
import http.client
import json
import os
import posixpath
import re
import socket
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from xxgk.authoring import guard
from xxgk.authoring.attachments import safe_name, unique_path
from xxgk.authoring.normalise import NotAnItem, front_meta, new_item_path, normalise
from xxgk.authoring.page import npm_file
from xxgk.core import safetext
from xxgk.core.options import Options
from xxgk.core.scaffold import next_index_no

HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "host"}
API_ENV, BRANCH_ENV = "XXGK_ADMIN_API", "XXGK_ADMIN_BRANCH"  # set by `xxgk admin` for the preview build


def backend_from_env() -> dict | None:
    """Decap's backend for local mode: the proxy below, on the branch the repository is on."""
    api = os.environ.get(API_ENV, "").strip()
    if not api:
        return None
    return {"name": "proxy", "proxy_url": api, "branch": os.environ.get(BRANCH_ENV, "").strip() or "main"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LocalMode:
    """decap-server on a free port and the normalising proxy on `port`, both on 127.0.0.1."""

    def __init__(self, opts: Options, port: int):
        self.opts, self.port = opts, port
        self.inner = free_port()
        self.server: ThreadingHTTPServer | None = None
        self.decap: subprocess.Popen | None = None
        self.guarded: Guarded | None = None

    def start(self) -> LocalMode:
        repo = self.opts.root.resolve()
        self.decap = start_decap_server(repo, npm_file(repo, "decap-server/dist/index.js"), self.inner)
        self.guarded = Guarded(self.opts)
        try:
            self.server = proxy(self.opts, self.port, self.inner, self.guarded)
        except OSError:
            self.stop()
            raise
        self.port = self.server.server_address[1]
        return self

    @property
    def api(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v1"

    def stop(self) -> None:
        if self.server is not None:
            self.server.server_close()
        if self.decap is not None and self.decap.poll() is None:
            self.decap.terminate()
            self.decap.wait(timeout=10)
        if self.guarded is not None:
            self.guarded.close()


def current_branch(repo: Path) -> str:
    done = subprocess.run(["git", "-C", str(repo), "branch", "--show-current"], capture_output=True, text=True)
    return done.stdout.strip()


def uncommitted(repo: Path) -> list[str]:
    """Changes decap-server would sweep into its next commit (it commits with `git add .`)."""
    done = subprocess.run(["git", "-C", str(repo), "status", "--porcelain"], capture_output=True, text=True)
    return done.stdout.splitlines()


def start_decap_server(repo: Path, server_js: Path, port: int) -> subprocess.Popen:
    """decap-server in git mode on the repository, reachable from this machine only."""
    env = {
        **os.environ,
        "MODE": "git",
        "GIT_REPO_DIRECTORY": str(repo),
        "PORT": str(port),
        "BIND_HOST": "127.0.0.1",
        "LOG_LEVEL": "warn",
        # decap-server reads `git diff` output as paths: Git's default quotes non-ASCII names
        # ("files/\345\256\211….pdf"), and a draft with a Chinese-named attachment never loaded.
        "GIT_CONFIG_COUNT": "1",
        "GIT_CONFIG_KEY_0": "core.quotePath",
        "GIT_CONFIG_VALUE_0": "false",
    }
    proc = subprocess.Popen(["node", str(server_js)], env=env)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError("decap-server 未能启动（见上方输出）") from None
            time.sleep(0.1)
    proc.terminate()
    raise RuntimeError("decap-server 启动超时")


class OutsidePath(Exception):
    """A saved file's path that is not a plain path inside the repository (../, /…)."""


def rewrite(body: dict, opts: Options, git, stored=None, held: dict[str, str] | None = None, free=None) -> dict:
    """persistEntry with its item files normalised (and new items moved to their folder).

    `stored(path)`: a file's bytes on the published branch or any draft (attachment names stay
    unique); `held`: {索引号: branch} of the other open drafts; `free(index_no, held)`: the next
    free 索引号 for a new item whose proposal another draft holds (guard.py)."""
    if body.get("action") != "persistEntry":
        return body
    params = body["params"]
    files = params.get("dataFiles") or [params["entry"]]
    prefix = f"{opts.docs_dir}/{opts.items_dir}/"
    options = params.get("options", {})
    branch = f"cms/{options.get('collectionName')}/{files[0]['slug']}"
    items = []
    for f in files:
        if posixpath.normpath(f["path"]) != f["path"] or f["path"].startswith("/"):  # issue 30: ../ in a path
            raise OutsidePath(f["path"])
        if not (f["path"].startswith(prefix) and f["path"].endswith(".md")):
            continue
        before = (git(branch, f["path"]) if options.get("useWorkflow") else None) or git(params["branch"], f["path"])
        try:
            f["raw"] = normalise(f["raw"], before)
        except NotAnItem:
            continue
        if before is None and held and free:
            f["raw"] = _unheld(f["raw"], held, free)
        target = new_item_path(opts, f["raw"]) if before is None and not f.get("newPath") else None
        if target and git(params["branch"], target) is None:  # never onto another item's file
            _move_assets(params.get("assets") or [], f["path"], target)
            f["path"] = target
        items.append((f, before is None))
    renamed = _name_assets(params.get("assets") or [], stored)  # in the folder the item ends up in
    for f, new in items:
        for old_name, new_name in renamed.items():
            f["raw"] = f["raw"].replace(f"files/{old_name}", f"files/{new_name}")
        options["commitMessage"] = commit_message("新增" if new else "修改", f["raw"])
    return body


def _name_assets(assets: list[dict], stored) -> dict[str, str]:
    """Each upload under a safe, unique name (attachments.py); {old name: new name} where changed."""
    renamed = {}
    for asset in assets:
        folder, name = posixpath.split(asset["path"])
        content = base64.b64decode(asset.get("content") or "")
        path = posixpath.join(folder, safe_name(name))
        if stored is not None:
            path = unique_path(path, content, stored)
        if path != asset["path"]:
            renamed[name] = posixpath.basename(path)
            asset["path"] = path
    return renamed


def _unheld(text: str, held: dict[str, str], free) -> str:
    """A new item whose 索引号 another open draft holds takes the next free one instead."""
    no = front_meta(text).get("index_no")
    if not no or no not in held:
        return text
    return text.replace(f"index_no: {no}\n", f"index_no: {free(no, held)}\n", 1)


def _slug(text: str) -> str:
    """What Decap's slug keeps of a 索引号, compared loosely (case, separators)."""
    return re.sub(r"[^0-9a-z\u4e00-\u9fff]+", "-", text.lower()).strip("-")


def commit_message(verb: str, text: str) -> str:
    """新增其他文件：标题（索引号） — the 索引号 as written, for the log a reviewer reads."""
    meta = front_meta(text)
    kind = meta.get("doc_type") or "一般信息"
    return f"{verb}{kind}：{meta.get('title') or '（无标题）'}（{meta.get('index_no') or '无索引号'}）"


def _move_assets(assets: list[dict], old: str, new: str) -> None:
    """Attachments uploaded beside the entry follow it, so files/… stays next to the item."""
    old_dir, new_dir = posixpath.dirname(old) + "/", posixpath.dirname(new) + "/"
    for asset in assets:
        if asset["path"].startswith(old_dir):
            asset["path"] = new_dir + asset["path"][len(old_dir) :]


def git_show(repo: Path):
    def show(ref: str, path: str) -> str | None:
        if safetext.revision_problem(ref) is not None:  # issue 30: a request's branch is never an option
            return None
        done = subprocess.run(
            ["git", "-C", str(repo), "show", "--end-of-options", f"{ref}:{path}"], capture_output=True, text=True
        )
        return done.stdout if done.returncode == 0 else None

    return show


MAX_REQUEST = 64 * 1024 * 1024  # an entry with its attachments, base64-encoded
LOCAL_HOSTS = ("127.0.0.1", "localhost", "[::1]")


def local_request(host: str | None, origin: str | None) -> bool:
    """Host names this machine and Origin, when there is one, is a page on this machine."""
    if not host or host.rsplit(":", 1)[0].lower() not in LOCAL_HOSTS:
        return False
    if origin is None:
        return True
    parts = urlsplit(origin)
    return parts.scheme in ("http", "https") and (parts.hostname or "") in ("127.0.0.1", "localhost", "::1")


class Guarded:
    """The proxy's decisions on the two requests that change the repository: a save (persistEntry)
    is named, numbered and checked before decap-server commits it; a publish is checked and
    merged here (decap-server's merge would stop half-way on a conflict, with an English message)."""

    def __init__(self, opts: Options):
        self.opts, self.repo = opts, opts.root.resolve()
        self.checker = guard.Checker(self.repo)
        self.items = f"{opts.docs_dir}/{opts.items_dir}/"

    def close(self) -> None:
        self.checker.close()

    def answer(self, body: dict) -> tuple[int, dict] | None:
        """Our own answer to the request, or None to forward `body` (rewritten in place)."""
        try:
            if body.get("action") == "persistEntry":
                self._persist(body)
            if body.get("action") == "publishUnpublishedEntry":
                return self._publish(body["params"])
            if body.get("action") == "getEntry":
                self._find(body["params"])
        except guard.Refused as exc:
            return 422, {"error": str(exc)}
        return None

    def _base(self, params: dict) -> tuple[str, str]:
        base = params["branch"]
        commit = guard.rev(self.repo, base)
        if commit is None:
            raise guard.Refused(f"分支 {base} 不存在；请在站点仓库的分支上重新启动 xxgk admin")
        return base, commit

    def _persist(self, body: dict) -> None:
        params = body["params"]
        base, commit = self._base(params)
        files = params.get("dataFiles") or [params["entry"]]
        branch = f"cms/{params.get('options', {}).get('collectionName')}/{files[0]['slug']}"
        published = self.checker.published(commit)
        held = {i.index_no: base for i in published.content.items if i.index_no}
        held |= guard.drafts_index_nos(self.repo, base, self.items, but=branch)
        drafts = [b for b in guard.draft_branches(self.repo) if b != branch]
        rewrite(body, self.opts, git_show(self.repo), self._stored([base, *drafts]), held, self._free(published))
        own = guard.rev(self.repo, branch)
        tree = guard.merged_tree(self.repo, commit, own) if own else commit
        overlay = {f["path"]: f["raw"].encode("utf-8") for f in files}
        overlay |= {a["path"]: base64.b64decode(a.get("content") or "") for a in params.get("assets") or []}
        errors = self.checker.new_errors(commit, tree, overlay)
        if errors:
            raise guard.Refused(guard.refusal(errors, "保存", set(overlay)))

    def _find(self, params: dict) -> None:
        """After 发布 the form opens the item by the path Decap would have given it (save year,
        slug of the 索引号); local mode filed it where `xxgk new` would, so look it up by 索引号."""
        base, commit = self._base(params)
        if guard.git(self.repo, "cat-file", "-e", f"{commit}:{params['path']}").returncode == 0:
            return
        want = _slug(posixpath.basename(params["path"]).removesuffix(".md"))
        for item in self.checker.published(commit).content.items:
            if item.index_no and _slug(item.index_no) == want:
                params["path"] = item.path
                return

    def _stored(self, refs: list[str]):
        def stored(path: str) -> bytes | None:
            for ref in refs:
                done = guard.git(self.repo, "show", f"{ref}:{path}")
                if done.returncode == 0:
                    return done.stdout
            return None

        return stored

    def _free(self, published):
        pattern = self.opts.index_no_re

        def free(index_no: str, held: dict[str, str]) -> str:
            m = pattern.fullmatch(index_no)
            parts = m.groupdict() if m else {}
            if not (parts.get("org") and parts.get("year")):
                raise guard.Refused(f"索引号 {index_no} 已被其他条目或草稿使用；请改用一个未使用的索引号")
            return next_index_no(pattern, parts["org"], int(parts["year"]), list(held))

        return free

    def _publish(self, params: dict) -> tuple[int, dict]:
        base, commit = self._base(params)
        branch = f"cms/{params['collection']}/{params['slug']}"
        if current_branch(self.repo) != base:
            raise guard.Refused(f"仓库当前不在分支 {base} 上，没有发布；请切换回 {base} 后再发布")
        tree = guard.merged_tree(self.repo, commit, branch)
        errors = self.checker.new_errors(commit, tree)
        if errors:
            raise guard.Refused(guard.refusal(errors, "发布", set(guard.changed_files(self.repo, base, branch))))
        message = "发布" + (self._title(base, branch) or branch)
        done = guard.git(self.repo, "merge", "--no-ff", "--no-edit", "-m", message, branch)
        if done.returncode != 0:
            guard.git(self.repo, "merge", "--abort")
            raise guard.Refused(f"发布时合并失败，仓库已恢复原状：{done.stderr.decode().strip()}")
        guard.git(self.repo, "branch", "-D", branch)
        return 200, {"message": f"已发布到 {base}"}

    def _title(self, base: str, branch: str) -> str | None:
        for path in guard.changed_files(self.repo, base, branch):
            if path.startswith(self.items) and path.endswith(".md"):
                shown = guard.git(self.repo, "show", f"{branch}:{path}")
                return commit_message("", shown.stdout.decode("utf-8", "replace"))
        return None


def proxy(opts: Options, port: int, inner: int, guarded: Guarded) -> ThreadingHTTPServer:
    # One request at a time: decap-server checks branches out in the clerk's worktree to read
    # them, and a publish merges there; interleaved, a merge could land on a draft branch.
    one = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_OPTIONS(self):
            if self._allowed():
                self._forward(None)

        def do_POST(self):
            if not self._allowed():
                return
            length = int(self.headers.get("Content-Length") or 0)
            if not 0 <= length <= MAX_REQUEST:
                self.send_error(413, "request too large")
                return
            raw = self.rfile.read(length)
            with one:
                try:
                    body = json.loads(raw)
                    mine = guarded.answer(body)
                    data = json.dumps(body).encode()
                except OutsidePath:
                    self.send_error(400, "path outside the repository")
                    return
                except (ValueError, KeyError, TypeError, AttributeError):
                    mine, data = None, raw  # decap-server answers malformed requests itself
                if mine is None:
                    self._forward(data)
                else:
                    self._reply(*mine)

        def _reply(self, status: int, answer: dict):
            payload = json.dumps(answer, ensure_ascii=False).encode()
            self.send_response(status)
            origin = self.headers.get("Origin")
            if origin:
                self.send_header("Access-Control-Allow-Origin", origin)
                self.send_header("Vary", "Origin")
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def _allowed(self) -> bool:
            """Only pages on this machine may talk to the form server: a Host naming this
            machine (a rebinding page's Host names its own domain) and, when sent, an Origin
            of this machine (issue 30)."""
            if local_request(self.headers.get("Host"), self.headers.get("Origin")):
                return True
            self.send_error(403, "only pages on this machine may use the form server")
            return False

        def _forward(self, data: bytes | None):
            conn = http.client.HTTPConnection("127.0.0.1", inner, timeout=60)
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP}
            conn.request(self.command, self.path, body=data, headers=headers)
            resp = conn.getresponse()
            payload = resp.read()
            self.send_response(resp.status)
            for k, v in resp.getheaders():
                if k.lower() not in HOP:
                    self.send_header(k, v)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
            conn.close()

        def log_message(self, *args):
            pass

    return ThreadingHTTPServer(("127.0.0.1", port), Handler)
