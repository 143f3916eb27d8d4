"""CONTRIBUTING.md is run as written, in a Git repository made from the demo site; the review
plumbing (CODEOWNERS, pre-commit hook, CI workflows) runs the commands it claims to."""

import os
import re
import shlex
import subprocess

import pytest
import yaml

from conftest import BIN, DEMO_AS_OF, ROOT, SiteDir, copy_demo
from samples import write_pdf
from test_review import GIT_ENV, make_repo
from xxgk.cli import build_parser

BLOCK = re.compile(r"(?:<!-- 测试：写入 (?P<target>\S+) -->\n)?```(?P<lang>\w+)\n(?P<code>.*?)```", re.S)
ENV = {**os.environ, **GIT_ENV, "XXGK_AS_OF": DEMO_AS_OF, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}


def sh(site: SiteDir, script: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script], cwd=site.path, env=ENV, capture_output=True, text=True
    )


def add_front_matter(site: SiteDir, rel: str, snippet: str) -> None:
    head, sep, body = site.read(rel).partition("\n---\n")
    site.write(rel, f"{head}\n{snippet.strip()}{sep}{body}")


@pytest.fixture
def demo_repo(tmp_path) -> SiteDir:
    return make_repo(copy_demo(tmp_path))


@pytest.mark.cli
def test_every_command_and_example_in_contributing_works(demo_repo):
    outputs = []
    blocks = list(BLOCK.finditer((ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")))
    assert [b["lang"] for b in blocks].count("bash") >= 6
    for block in blocks:
        code, target = block["code"], block["target"]
        if block["lang"] == "bash":
            result = sh(demo_repo, code)
            assert result.returncode == 0, f"{code}\n{result.stdout}{result.stderr}"
            outputs.append(result.stdout)
        elif block["lang"] == "yaml":
            assert target, f"YAML 示例缺少测试标记：{code}"
            snippet = yaml.safe_load(code)
            for att in snippet.get("attachments", []):
                write_pdf(demo_repo.path / os.path.dirname(target) / att["file"], ["plan"])
            for allowed in snippet.get("privacy_ok", []):  # the example must be needed, then enough
                demo_repo.write(target, demo_repo.read(target) + f"\n咨询电话：{allowed['value']}\n")
                assert " E141 " in sh(demo_repo, "xxgk check").stdout
            add_front_matter(demo_repo, target, code)
            result = sh(demo_repo, "xxgk check")
            assert result.returncode == 0, f"{code}\n{result.stdout}{result.stderr}"
    review = next(o for o in outputs if o.startswith("## xxgk 内容检查与审核摘要"))
    assert "### 新增条目（3）" in review and "有效 → 废止" in review
    assert (demo_repo.path / ".github/CODEOWNERS").is_file()


@pytest.mark.cli
def test_codeowners_is_generated_from_reviewers_and_committed_up_to_date(mini):
    mini.edit(
        "catalog/departments.yml",
        "org_code: 11990100MB0000001T",
        'org_code: 11990100MB0000001T\n  reviewers: ["@city/office", "@li"]',
    )
    assert mini.xxgk("codeowners", "--check").code == 1
    result = mini.xxgk("codeowners")
    assert result.code == 0 and "czj 没有 reviewers" in result.err
    assert "/content/items/*/bgs/ @city/office @li\n" in mini.read(".github/CODEOWNERS")
    assert mini.xxgk("codeowners", "--check").code == 0
    repo = SiteDir(ROOT)
    assert repo.xxgk("codeowners", "--check").code == 0, "运行 xxgk codeowners 并提交 .github/CODEOWNERS"


def _hook_command(path) -> list[str]:
    hooks = [h for r in yaml.safe_load(path.read_text(encoding="utf-8"))["repos"] for h in r["hooks"]]
    entry = shlex.split(hooks[0]["entry"])
    return [str(BIN / "xxgk"), *entry[1:]]


@pytest.mark.cli
def test_pre_commit_hook_reports_only_the_changed_files(mini):
    command = _hook_command(ROOT / ".pre-commit-config.yaml")
    assert yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())[0]["entry"].endswith("check --files")
    mini.edit("content/items/2024/bgs/notice.md", "category: tzgg", "category: nowhere")
    run = lambda *files: subprocess.run([*command, *files], cwd=mini.path, capture_output=True, text=True)
    broken = run("content/items/2024/bgs/notice.md")
    assert broken.returncode == 1 and "notice.md:6: E108" in broken.stdout
    assert run("content/items/2024/bgs/policy.md").returncode == 0


def test_workflows_run_real_xxgk_commands():
    parser = build_parser()
    seen = []
    for path in sorted((ROOT / ".github/workflows").glob("*.yml")):
        workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
        if path.name == "deploy.yml":  # statuses are derived on the build's date: rebuild daily
            assert [s["cron"].split()[2:] for s in workflow[True]["schedule"]] == [["*", "*", "*"]]
        for job in workflow["jobs"].values():
            for step in job["steps"]:
                for line in step.get("run", "").splitlines():
                    if ".venv/bin/xxgk " in line:
                        words = shlex.split(line.split(".venv/bin/xxgk ", 1)[1].split(">")[0].replace("$BASE", "main"))
                        parser.parse_args(words)  # exits 2 on a flag that does not exist
                        seen.append(words[:2])
    assert ["check", "--base"] in seen and ["codeowners", "--check"] in seen and ["check"] in seen
    template = (ROOT / ".github/pull_request_template.md").read_text(encoding="utf-8")
    assert all(word in template for word in ("保密审查", "个人隐私", "政策解读同步", "有效性"))
