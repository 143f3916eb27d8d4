"""The hash-checked locks (scripts/lock, plugins/xxgk_dev/lock.py): every file pip installs from is
pinned with hashes, complete, resolved for the oldest Python pyproject.toml allows (Debian 12's
python3 is 3.11.2), and a new site gets exactly the tested runtime versions."""

from __future__ import annotations

import re
import shutil
import tomllib
from importlib import metadata

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

from conftest import ROOT, run
from xxgk_dev import lock

FILES = (lock.LOCK, lock.PROPERDOCS, lock.SITE)


def test_the_parser_reads_hashed_and_plain_pins_alike():
    text = (
        "# a comment naming x==1\n"
        "Jinja2==3.1.6 \\\n    --hash=sha256:aa \\\n    --hash=sha256:bb\n"
        "opensearch-py==3.0.0\n"  # a plain line another branch added
        "pyyaml_env_tag==1.1 \\\n    --hash=sha256:cc\n"
    )
    assert lock.pins(text) == {
        "jinja2": "Jinja2==3.1.6",
        "opensearch-py": "opensearch-py==3.0.0",
        "pyyaml-env-tag": "pyyaml_env_tag==1.1",
    }
    assert lock.unhashed(text) == ["opensearch-py==3.0.0"]
    assert lock.twice(text) == [] and lock.twice(text + "jinja2==3.2.0\n") == ["jinja2: 3.1.6 / 3.2.0"]
    assert lock._block(text, "jinja2") == "Jinja2==3.1.6 \\\n    --hash=sha256:aa \\\n    --hash=sha256:bb\n"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_lock_is_hash_checked(path):
    text = path.read_text("utf-8")
    assert lock.pins(text), f"{path} pins nothing"
    assert lock.unhashed(text) == [], f"{path}: lines without --hash; run scripts/lock"


def test_the_lock_is_what_is_installed_and_each_version_allows_the_oldest_python():
    """The .venv is requirements.lock (scripts/setup), so each locked version's own Requires-Python
    is at hand: every one must allow the oldest Python pyproject.toml allows (pymdown-extensions 13
    and soupsieve 4 need 3.11.5, which Debian 12's 3.11.2 is not)."""
    oldest = lock.oldest_python(ROOT / "pyproject.toml")
    floor = ".".join((oldest.split(".") + ["0", "0"])[:3])
    refused = []
    for key, pin in lock.pins(lock.LOCK.read_text("utf-8")).items():
        dist = metadata.distribution(key)
        assert dist.version == pin.split("==")[1], f"{pin} locked, {dist.version} installed: run scripts/setup"
        needs = dist.metadata["Requires-Python"]
        if needs and not SpecifierSet(needs).contains(floor):
            refused.append(f"{pin} (Python {needs})")
    assert refused == []


def test_the_python_floor_is_the_same_in_pyproject_the_lock_and_both_setups():
    needs = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["requires-python"]
    assert needs == f">={lock.oldest_python(ROOT / 'pyproject.toml')}"
    checks = "(" + ", ".join(lock.oldest_python(ROOT / "pyproject.toml").split(".")) + ")"
    for setup in (ROOT / "scripts/setup", ROOT / "plugins/xxgk/onboard/templates/site/scripts/setup"):
        assert f"sys.version_info < {checks}" in setup.read_text("utf-8"), setup


def _closure() -> dict[str, str]:
    """xxgk's runtime dependencies as installed, walked from the package metadata."""
    seen: dict[str, str] = {}
    todo = [Requirement("xxgk")]
    while todo:
        req = todo.pop()
        name = lock.normal(req.name)
        if name in seen:
            continue
        dist = metadata.distribution(req.name)
        seen[name] = dist.version
        extras = [{"extra": e} for e in req.extras] or [{"extra": ""}]  # pagefind[extended]
        for line in dist.requires or []:
            dep = Requirement(line)
            if dep.marker is None or any(dep.marker.evaluate(env) for env in extras):
                todo.append(dep)
    seen.pop("xxgk")
    return seen


def test_a_new_site_gets_the_runtime_dependencies_at_the_tested_versions_with_their_hashes():
    site = lock.SITE.read_text("utf-8")
    full = lock.LOCK.read_text("utf-8")
    assert {k: v.split("==")[1] for k, v in lock.pins(site).items()} == _closure()
    for key in lock.pins(site):  # the same pins and the same hashes as the tested lock
        assert lock._block(site, key) == lock._block(full, key)


@pytest.mark.cli
def test_setup_refuses_a_lock_with_a_plain_line_and_an_old_python_in_chinese(tmp_path):
    for name in ("scripts/setup", "requirements-properdocs.lock", "pyproject.toml"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        shutil.copy2(ROOT / name, tmp_path / name)
    (tmp_path / "requirements.lock").write_text(
        lock.LOCK.read_text("utf-8") + "opensearch-py==3.0.0\n", "utf-8"
    )  # as a merge of another branch leaves it
    done = run([str(tmp_path / "scripts/setup")], tmp_path)
    assert done.code == 1 and "opensearch-py==3.0.0" in done.err and "scripts/lock" in done.err
    assert not (tmp_path / ".venv").exists()
    old = tmp_path / "python3.9"
    old.write_text("#!/bin/sh\n[ \"$1\" = --version ] && echo 'Python 3.9.2'\nexit 1\n")
    old.chmod(0o755)
    done = run([str(tmp_path / "scripts/setup")], tmp_path, {"PYTHON": str(old)})
    assert done.code == 1 and "需要 Python 3.11" in done.err and "Python 3.9.2" in done.err
    assert "apt-get install python3 python3-venv" in done.err and "Traceback" not in done.err


@pytest.mark.cli
def test_scripts_lock_gives_plain_pins_their_hashes_and_remakes_the_same_files(tmp_path):
    """What the lead does after merging branches that added plain `name==version` lines: here every
    line of the lock is plain, and scripts/lock (from PyPI) writes the committed files again."""
    tool = ("plugins/xxgk_dev/__init__.py", "plugins/xxgk_dev/lock.py")
    for rel in ("scripts/lock", "pyproject.toml", "requirements-properdocs.lock", *tool):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, tmp_path / rel)
    (tmp_path / "plugins/xxgk/onboard").mkdir(parents=True)
    (tmp_path / ".venv").symlink_to(ROOT / ".venv")  # its uv, at the locked version
    plain = "\n".join(lock.pins(lock.LOCK.read_text("utf-8")).values()) + "\n"
    (tmp_path / "requirements.lock").write_text(plain, "utf-8")
    done = run([str(tmp_path / "scripts/lock")], tmp_path)
    assert done.code == 0, done.err
    assert re.search(r"requirements.lock: \d+ packages", done.out) and "moved" not in done.out
    for path in FILES:  # the same versions, each with at least the hashes committed
        made, committed = (tmp_path / path.relative_to(ROOT)).read_text("utf-8"), path.read_text("utf-8")
        assert lock.pins(made) == lock.pins(committed), path
        for key in lock.pins(committed):  # PyPI may add a file (a wheel for a new Python) later, never change one
            assert set(_hashes(lock._block(committed, key))) <= set(_hashes(lock._block(made, key))), key
        assert made.splitlines()[:4] == committed.splitlines()[:4]  # the header


def _hashes(block: str) -> list[str]:
    return re.findall(r"--hash=sha256:([0-9a-f]{64})", block)
