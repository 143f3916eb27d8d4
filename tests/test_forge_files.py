"""The CI files `xxgk init --forge …` writes are valid for their forge, checked offline: against the
schemas check-jsonschema carries (SchemaStore's github-workflows and gitlab-ci; Gitea Actions reads
GitHub's workflow syntax) and, for GitHub and Gitea, by actionlint (built from its Go module when Go
is there). Not covered: running them on a real forge (its runners, Pages, tokens, schedules)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import BIN, ROOT, run
from xxgk.onboard.new_site import Answers, plan, write

pytestmark = pytest.mark.cli
ORG = "11990102MB0000001P"
SCHEMAS = {  # where each forge reads its CI files → check-jsonschema's vendored schema
    "github": (".github/workflows/", "vendor.github-workflows"),
    "gitea": (".gitea/workflows/", "vendor.github-workflows"),
    "gitlab": (".gitlab-ci.yml", "vendor.gitlab-ci"),
}
ACTIONLINT = "github.com/rhysd/actionlint/cmd/actionlint@v1.7.12"


def site(tmp_path: Path, forge: str) -> tuple[Path, list[Path]]:
    files = plan(Answers("云溪市河西区人民政府", ORG, "county", forge))
    write(tmp_path / forge, files)
    where = SCHEMAS[forge][0]
    return tmp_path / forge, [tmp_path / forge / rel for rel in files if rel.startswith(where)]


@pytest.mark.parametrize("forge", sorted(SCHEMAS))
def test_the_ci_files_of_each_forge_follow_its_schema(tmp_path, forge):
    _, ci = site(tmp_path, forge)
    assert ci, f"init --forge {forge} wrote no CI file"
    checked = run([str(BIN / "check-jsonschema"), "--builtin-schema", SCHEMAS[forge][1], *map(str, ci)], tmp_path)
    assert checked.code == 0, checked.text


def test_a_ci_file_the_schema_refuses_is_found(tmp_path):
    """The check above can fail: a misspelt key in a GitLab job and a job without runs-on."""
    _, [gitlab] = site(tmp_path, "gitlab")
    gitlab.write_text(gitlab.read_text("utf-8").replace("  script:", "  scripts:", 1), "utf-8")
    bad = run([str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.gitlab-ci", str(gitlab)], tmp_path)
    assert bad.code == 1 and "scripts" in bad.text
    _, github = site(tmp_path, "github")
    for path in github:
        path.write_text(path.read_text("utf-8").replace("runs-on:", "run-on:"), "utf-8")
    bad = run(
        [str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.github-workflows", *map(str, github)], tmp_path
    )
    assert bad.code == 1


@pytest.fixture(scope="module")
def actionlint() -> str:
    """actionlint from its Go module (the Go module proxy), built once into .cache/tools/."""
    tools = ROOT / ".cache" / "tools"
    exe = tools / "actionlint"
    if not exe.exists():
        if not shutil.which("go"):
            if os.environ.get("CI"):
                pytest.fail("CI needs Go to build actionlint")
            pytest.skip("no Go to build actionlint with")
        env = {**os.environ, "GOBIN": str(tools)}
        subprocess.run(["go", "install", ACTIONLINT], env=env, check=True, capture_output=True, timeout=900)
    return str(exe)


@pytest.mark.parametrize("forge", ["github", "gitea"])
def test_actionlint_finds_nothing_in_the_workflows(tmp_path, forge, actionlint):
    root, ci = site(tmp_path, forge)
    # no config file: the runner labels and expressions as GitHub has them; shellcheck when installed.
    # Gitea's artifact store speaks the protocol of upload-artifact v3, not v4 (GitHub's v3 runner is gone)
    known = ["-ignore", r'the runner of "actions/upload-artifact@v3" action is too old'] if forge == "gitea" else []
    linted = run([actionlint, "-no-color", *known, *(str(p.relative_to(root)) for p in ci)], root)
    assert linted.code == 0, linted.text
    broken = next(p for p in ci if "${{ github." in p.read_text("utf-8"))  # a context misspelt
    broken.write_text(broken.read_text("utf-8").replace("${{ github.", "${{ githb.", 1), "utf-8")
    assert run([actionlint, "-no-color", str(broken.relative_to(root))], root).code == 1


def test_this_repository_s_own_workflows_are_valid_too(actionlint):
    own = sorted(str(p.relative_to(ROOT)) for p in (ROOT / ".github" / "workflows").glob("*.yml"))
    assert own
    checked = run([str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.github-workflows", *own], ROOT)
    assert checked.code == 0, checked.text
    linted = run([actionlint, "-no-color", *own], ROOT)
    assert linted.code == 0, linted.text
