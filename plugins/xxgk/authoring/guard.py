"""What local mode refuses before it commits or merges: a save or a publish that would stop the
site's build, and a publish that would conflict with what is already published.

The check is `rules.analyse` on the tree the commit or merge would make, in a scratch worktree
of its own (the clerk's checkout is decap-server's and is never touched here). Errors the
branch already had on the published side are not the clerk's: only new ones refuse.
`git merge-tree --write-tree` gives the merged tree and its conflicts without a merge in
progress anywhere, so a refused publish leaves nothing to clean up.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

from xxgk.authoring.normalise import front_meta
from xxgk.core.model import Problem
from xxgk.core.options import read_mkdocs_yml
from xxgk.core.site import Site
from xxgk.rules import analyse

CMS_PREFIX = "cms/"


class Refused(Exception):
    """The save or publish is refused; the message (Chinese) is shown in the form."""


def git(repo: Path, *args: str, data: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["git", "-C", str(repo), "-c", "core.quotePath=false", *args], input=data, capture_output=True
    )


def rev(repo: Path, ref: str) -> str | None:
    done = git(repo, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    return done.stdout.decode().strip() if done.returncode == 0 else None


def draft_branches(repo: Path, refs: str = "refs/heads/cms/") -> list[str]:
    """The open drafts: local `cms/…` branches (local mode), or e.g. refs/remotes/origin/cms/ (a PR check)."""
    done = git(repo, "for-each-ref", "--format=%(refname:short)", refs)
    return done.stdout.decode().split()


def changed_files(repo: Path, base: str, branch: str) -> list[str]:
    """Files the branch changed since it left `base` (three dots: not what `base` did since)."""
    done = git(repo, "diff", "--name-only", "--no-renames", f"{base}...{branch}")
    return done.stdout.decode().splitlines()


def index_no_of(text: str) -> str | None:
    value = front_meta(text).get("index_no")
    return str(value) if value else None


def drafts_index_nos(
    repo: Path, base: str, items_prefix: str, but: str | None = None, refs: str = "refs/heads/cms/"
) -> dict[str, str]:
    """{索引号: branch} of every item an open `cms/…` branch adds or edits (but `but`): a new
    draft must not take one of these, or two drafts become one file when the first is published."""
    held: dict[str, str] = {}
    for branch in draft_branches(repo, refs):
        if branch == but:
            continue
        for path in changed_files(repo, base, branch):
            if path.startswith(items_prefix) and path.endswith(".md"):
                shown = git(repo, "show", f"{branch}:{path}")
                no = index_no_of(shown.stdout.decode("utf-8", "replace")) if shown.returncode == 0 else None
                if no:
                    held[no] = branch
    return held


def merged_tree(repo: Path, base: str, branch: str) -> str:
    """The tree `git merge branch` into `base` would give; Refused when the two conflict."""
    done = git(repo, "merge-tree", "--write-tree", "--name-only", "--no-messages", base, branch)
    lines = done.stdout.decode().splitlines()
    if done.returncode == 1:
        files = "、".join(sorted(set(lines[1:]))) or "（未知文件）"
        raise Refused(
            f"这条信息与已经发布的内容冲突（{files}），没有发布，网站和草稿都未改动。"
            "请打开已发布的条目核对后，在本草稿中改正再发布；或删除本草稿重新填写。"
        )
    if done.returncode != 0 or not lines:
        raise Refused(f"无法合并分支 {branch}：{done.stderr.decode().strip()}")
    return lines[0]


class Checker:
    """A scratch worktree of the repository where would-be trees are checked, one at a time."""

    def __init__(self, repo: Path):
        self.repo = repo
        self.dir = Path(tempfile.mkdtemp(prefix="xxgk-admin-check-")) / "tree"
        self.lock = threading.Lock()
        self.known: dict[str, Site] = {}  # commit → its analysis (the published side's, cached)
        self.ready = False

    def close(self) -> None:
        if self.ready:
            git(self.repo, "worktree", "remove", "--force", str(self.dir))
        shutil.rmtree(self.dir.parent, ignore_errors=True)

    def analyse(self, tree_or_commit: str, overlay: dict[str, bytes] | None = None) -> Site:
        """`rules.analyse` of the tree, with `overlay` (path → bytes) written on top."""
        with self.lock:
            commit = self._commit(tree_or_commit)
            if not self.ready:
                done = git(self.repo, "worktree", "add", "--detach", "--quiet", str(self.dir), commit)
                if done.returncode != 0:
                    raise Refused(f"无法准备检查用的工作区：{done.stderr.decode().strip()}")
                self.ready = True
            git(self.dir, "checkout", "--detach", "--force", "--quiet", commit)
            git(self.dir, "clean", "-fdxq")
            for rel, data in (overlay or {}).items():
                path = self.dir / rel
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
            return analyse(read_mkdocs_yml(self.dir))

    def published(self, base: str) -> Site:
        """The analysis of the published side (a commit), kept until it moves on."""
        if base not in self.known:
            self.known = {base: self.analyse(base)}
        return self.known[base]

    def new_errors(self, base: str, tree: str, overlay: dict[str, bytes] | None = None) -> list[Problem]:
        """Errors of `tree` (+ overlay) that `base`, the published side, does not have already."""
        old = {_key(p) for p in self.published(base).errors}
        return [p for p in self.analyse(tree, overlay).errors if _key(p) not in old]

    def _commit(self, ref: str) -> str:
        """A commit to check out: `ref` itself, or a dangling commit holding the tree `ref`."""
        kind = git(self.repo, "cat-file", "-t", ref).stdout.decode().strip()
        if kind != "tree":
            return ref
        done = git(self.repo, "commit-tree", ref, "-m", "xxgk admin check", data=b"")
        return done.stdout.decode().strip()


def _key(p: Problem) -> tuple:
    return (p.path, p.code, p.message)


def refusal(problems: list[Problem], action: str, own: set[str]) -> str:
    """The form's message: what was not done and why, each problem as `xxgk check` prints it
    (without the file name when it is the item in the form), what to do."""
    shown = "\n".join(f"{p.code} {p.message}" if p.path in own else str(p) for p in problems[:8])
    more = f"\n……另有 {len(problems) - 8} 个问题" if len(problems) > 8 else ""
    return (
        f"没有{action}：内容检查发现 {len(problems)} 个错误，{action}后网站将无法生成。"
        f"请改正后再{action}。\n{shown}{more}"
    )
