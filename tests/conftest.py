"""Shared test helpers: fixture sites in temporary folders, real builds, the real CLI; the test tiers.

Tiers (markers registered in pyproject.toml, `scripts/test --fast` leaves out `build` and `browser`):
a test that builds a site carries `build`, one that drives Chromium or nginx `browser`, one that
runs a command in a subprocess `cli`. A test using `demo_build` or `browser` (directly or through
another fixture) is marked here, and one using `opensearch_node` or `opensearch_cluster` (a real
OpenSearch, tests/opensearch.py) `engine`; any other test is marked in its file, and `run` fails a test
that starts a build or a command without its mark, so the fast tier never builds by surprise.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

import pytest

from opensearch import opensearch_cluster, opensearch_node  # noqa: F401  (fixtures: tests/opensearch.py)
from xxgk.cli import main as xxgk_main

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
BIN = Path(sys.executable).parent
AS_OF = "2025-01-01"  # fixture sites are judged on a fixed date
DEMO_AS_OF = "2026-11-24"  # and the demo site on this one
# Development tools (xxgk_dev) sit beside the package, not in it: child processes find them here.
# Every build of one test session reports the same build time (xxgk-site.json), so builds compare byte for byte.
os.environ.setdefault("SOURCE_DATE_EPOCH", str(int(time.time())))
os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "plugins"), os.environ.get("PYTHONPATH")]))


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err


# The fixtures whose users carry a mark without writing it (pytest_collection_modifyitems).
FIXTURE_MARKS = {
    "demo_build": "build",
    "browser": "browser",
    "opensearch_node": "engine",
    "opensearch_cluster": "engine",
}
# What a subprocess started through `run` is, by its program's name: a build, else a command.
PROGRAM_MARKS = {"mkdocs": "build", "properdocs": "build"}
_running: pytest.Item | None = None  # the test being set up or run, for `needs`


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark each test by the fixtures it uses; tryfirst: before `-m` deselects by mark."""
    for item in items:
        for fixture, mark in FIXTURE_MARKS.items():
            if fixture in getattr(item, "fixturenames", ()):
                item.add_marker(mark)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    global _running
    _running = item  # before its fixtures: a fixture that builds is checked against the test it serves


def needs(mark: str, what: str) -> None:
    """Fail the running test unless it carries `mark`: the tiers trust the marks, so a slow step
    without one is a mistake to fix (add `@pytest.mark.<mark>`, or `pytestmark` for the file)."""
    if _running is None or any(_running.get_closest_marker(slow) for slow in ("build", "browser")):
        return  # a test of the slower tiers may start anything: the fast tier never runs it
    if _running.get_closest_marker(mark) is None:
        pytest.fail(f"{_running.nodeid} {what} but is not marked {mark}: add @pytest.mark.{mark}", pytrace=False)


def run(cmd: list[str], cwd: Path, env: dict | None = None) -> Result:
    mark = PROGRAM_MARKS.get(Path(cmd[0]).name, "cli")
    needs(mark, f"runs {Path(cmd[0]).name} in a subprocess")
    full_env = {**os.environ, "XXGK_AS_OF": AS_OF, **(env or {})}
    proc = subprocess.run(cmd, cwd=cwd, env=full_env, capture_output=True, text=True)
    return Result(proc.returncode, proc.stdout, proc.stderr)


class SiteDir:
    """A site repository in a temporary folder, copied from a fixture and edited by the test."""

    def __init__(self, path: Path):
        self.path = path

    def write(self, rel: str, text: str) -> Path:
        target = self.path / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        return target

    def read(self, rel: str) -> str:
        return (self.path / rel).read_text(encoding="utf-8")

    def edit(self, rel: str, old: str, new: str) -> None:
        text = self.read(rel)
        assert old in text, f"{old!r} not in {rel}"
        self.write(rel, text.replace(old, new, 1))

    def item(self, rel: str, front: str, body: str = "正文。") -> Path:
        """Write content/items/<rel> with the given front-matter lines."""
        return self.write(f"content/items/{rel}", f"---\n{front.strip()}\n---\n\n{body}\n")

    def xxgk(self, *args: str, env: dict | None = None) -> Result:
        return run([str(BIN / "xxgk"), *args], self.path, env)

    def command(self, *args: str, env: dict | None = None) -> Result:
        """An `xxgk` command in this process, run from this folder: the command's own code
        (arguments, work, report, exit code) in milliseconds, where a subprocess takes 0.3 s
        of CPU to start. `xxgk(...)` runs it as staff do, for the contracts of the command
        itself (exit codes and streams of a real process); mark those tests `cli`."""
        out, err = io.StringIO(), io.StringIO()
        with (
            mock.patch.dict(os.environ, {"XXGK_AS_OF": AS_OF, **(env or {})}),
            contextlib.chdir(self.path),  # as `run` does: paths in messages as staff see them
            contextlib.redirect_stdout(out),
            contextlib.redirect_stderr(err),
        ):
            try:
                code = xxgk_main(list(args))
            except SystemExit as exc:  # usage errors end in argparse
                code = exc.code if isinstance(exc.code, int) else 2
        return Result(code, out.getvalue(), err.getvalue())

    def check(self, *args: str) -> Result:
        """`xxgk check` in this process (see `command`)."""
        return self.command("check", ".", *args)

    def build(self, *args: str, env: dict | None = None) -> Result:
        return run([str(BIN / "mkdocs"), "build", "--clean", *args], self.path, env)

    def html(self, url: str) -> str:
        """The built page at a site-relative directory URL, e.g. 'catalog/gz/'."""
        return (self.path / "site" / url / "index.html").read_text(encoding="utf-8")


PLACEHOLDER = re.compile(r"【待填写[^】]*】")


def fill_in(site: SiteDir) -> None:
    """What staff do after `xxgk init`: every 【待填写】 of the drafts replaced by the agency's own
    words (until then the build stops with E180)."""
    for rel in ("content/zhinan.md", "content/zhidu.md"):
        site.write(rel, PLACEHOLDER.sub("本机关填写的内容", site.read(rel)))


def new_site(target: Path, org: str, *extra: str) -> SiteDir:
    """A county site made by the real `xxgk init` (the caller's test is marked cli), its drafts
    filled in as staff do first."""
    args = ["--agency", "云溪市河西区人民政府", "--org-code", org, "--kind", "county", *extra]
    made = run([str(BIN / "xxgk"), "init", str(target), *args], target.parent)
    assert made.code == 0, made.text
    site = SiteDir(target)
    fill_in(site)
    return site


def copy_demo(target: Path) -> SiteDir:
    """This repository's demo site (config, content, catalog, overrides) copied to `target`."""
    target.mkdir(parents=True, exist_ok=True)
    for name in ("mkdocs.yml", "content", "catalog", "overrides", "applications"):
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, target / name)
    return SiteDir(target)


@pytest.fixture
def mini(tmp_path) -> SiteDir:
    """The small fixture site (tests/fixtures/mini), clean under every check."""
    shutil.copytree(FIXTURES / "mini", tmp_path / "site-repo")
    return SiteDir(tmp_path / "site-repo")


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory) -> SiteDir:
    """The demo site of this repository, built once per test session into a copy."""
    site = copy_demo(tmp_path_factory.mktemp("demo") / "repo")
    result = site.build(env={"XXGK_AS_OF": DEMO_AS_OF})
    assert result.code == 0, result.text
    return site


@pytest.fixture(scope="session")
def browser():
    """One headless Debian Chromium for the whole session (no browser downloads)."""
    from playwright.sync_api import sync_playwright

    from xxgk_dev.devshots import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield _Browser(b)
        b.close()


class _Browser:
    """The session's Chromium. Every page carries a Content-Security-Policy <meta> without
    'unsafe-eval' (adapter/escape.py), which would refuse playwright's string predicates
    (wait_for_function): pages bypass it unless a test asks for bypass_csp=False to see the
    policy itself at work (test_nginx, test_escaping)."""

    def __init__(self, browser):
        self._browser = browser

    def new_page(self, **kwargs):
        return self._browser.new_page(**{"bypass_csp": True, **kwargs})

    def new_context(self, **kwargs):
        return self._browser.new_context(**{"bypass_csp": True, **kwargs})

    def __getattr__(self, name):
        return getattr(self._browser, name)


@pytest.fixture(scope="session")
def demo_served(demo_build):
    """The built demo served over HTTP on 127.0.0.1 (a free port): (site folder, base URL)."""
    from xxgk_dev.devshots import serve

    site = demo_build.path / "site"
    server = serve(site)
    yield site, f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def found(pattern: str | bytes, text, flags: int = 0) -> re.Match:
    """re.search that fails the test when nothing matches (a clear message, not an AttributeError on None)."""
    match = re.search(pattern, text, flags)
    assert match, f"{pattern!r} not found"
    return match
