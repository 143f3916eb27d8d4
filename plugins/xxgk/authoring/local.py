"""Local mode: Decap's own server (decap-server, git mode) behind a small proxy on 127.0.0.1.

The browser form talks to the proxy; the proxy hands every request to decap-server unchanged,
except that an item file being saved is first made the file `xxgk new` would write (new items,
in the folder and under the name `xxgk new` gives them) or keeps its untouched lines (edits).
decap-server then commits it on a local branch per entry (editorial workflow).
"""

from __future__ import annotations

import http.client
import json
import os
import posixpath
import socket
import subprocess
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from xxgk.authoring.normalise import NotAnItem, new_item_path, normalise
from xxgk.authoring.page import npm_file
from xxgk.core import safetext
from xxgk.core.options import Options

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

    def start(self) -> LocalMode:
        repo = self.opts.root.resolve()
        self.decap = start_decap_server(repo, npm_file(repo, "decap-server/dist/index.js"), self.inner)
        try:
            self.server = proxy(self.opts, self.port, self.inner)
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


def rewrite(body: dict, opts: Options, git) -> dict:
    """persistEntry with its item files normalised (and new items moved to their folder)."""
    if body.get("action") != "persistEntry":
        return body
    params = body["params"]
    files = params.get("dataFiles") or [params["entry"]]
    prefix = f"{opts.docs_dir}/{opts.items_dir}/"
    options = params.get("options", {})
    branch = f"cms/{options.get('collectionName')}/{files[0]['slug']}"
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
        target = new_item_path(opts, f["raw"]) if before is None and not f.get("newPath") else None
        if target and git(params["branch"], target) is None:  # never onto another item's file
            _move_assets(params.get("assets") or [], f["path"], target)
            f["path"] = target
    return body


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


def proxy(opts: Options, port: int, inner: int) -> ThreadingHTTPServer:
    git = git_show(opts.root)

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
            try:
                data = json.dumps(rewrite(json.loads(raw), opts, git)).encode()
            except OutsidePath:
                self.send_error(400, "path outside the repository")
                return
            except (ValueError, KeyError, TypeError, AttributeError):
                data = raw  # decap-server answers malformed requests itself
            self._forward(data)

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
