"""xxgk init: a new site of every kind and forge checks clean (empty columns warn) and builds."""

from __future__ import annotations

import itertools

import pytest
import yaml

from conftest import BIN, ROOT, Result, SiteDir, fill_in, run
from xxgk.onboard.new_site import FORGES, KINDS
from xxgk_dev import lock

ORG = "11990102MB0000001P"


def init(tmp_path, kind="county", forge="github", *extra) -> tuple[SiteDir, Result]:
    """`xxgk init` in process; test_bad_answers_are_usage_errors runs the real command."""
    target = tmp_path / f"{kind}-{forge}"
    args = ["--agency", "云溪市河西区人民政府", "--org-code", ORG, "--kind", kind, "--forge", forge, *extra]
    return SiteDir(target), SiteDir(tmp_path).command("init", str(target), *args)


def codes_of(output: str) -> dict[str, set[str]]:
    """code → the files it is reported in."""
    found: dict[str, set[str]] = {}
    for line in output.splitlines():
        if ": " in line:
            where, rest = line.split(": ", 1)
            found.setdefault(rest.split()[0], set()).add(where.split(":")[0])
    return found


@pytest.mark.parametrize("kind,forge", list(itertools.product(KINDS, FORGES)))
def test_every_kind_and_forge_checks_clean(tmp_path, kind, forge):
    site, result = init(tmp_path, kind, forge)
    assert result.code == 0, result.text
    check = site.check()
    # the drafts' placeholders stop the build until filled in; empty columns and the footer
    # identity (not known to init) warn
    assert check.code == 1, check.text
    codes = codes_of(check.out)
    assert set(codes) <= {"E180", "W202", "W240"}, check.out
    assert codes["E180"] == {"content/zhinan.md", "content/zhidu.md"}, check.out
    fill_in(site)
    check = site.check()
    assert check.code == 0, check.text
    assert set(codes_of(check.out)) <= {"W202", "W240"}, check.out
    assert site.command("codeowners", "--check").code == 0
    catalog = yaml.safe_load(site.read("catalog/catalog.yml"))
    for node in catalog:  # every first-level node names its 责任部门 and 公开时限 (or each child does)
        assert node["department"] == KINDS[kind][0]
        assert node.get("deadline") or all(c.get("deadline") for c in node["children"]), node["id"]
    departments = yaml.safe_load(site.read("catalog/departments.yml"))
    assert departments == [{"id": KINDS[kind][0], "name": "云溪市河西区人民政府", "org_code": ORG, "reviewers": []}]
    assert not (site.path / "content" / "items").exists()  # no demo items
    ci = {"github": ".github/workflows/deploy.yml", "gitlab": ".gitlab-ci.yml", "gitea": ".gitea/workflows/deploy.yml"}
    assert (site.path / ci[forge]).is_file()
    assert ("schedule" in site.read(ci[forge])) or ("流水线计划" in site.read(ci[forge]))


@pytest.mark.build
@pytest.mark.parametrize("kind,forge", [("county", "github"), ("department", "gitlab"), ("township", "gitea")])
def test_new_site_builds(tmp_path, kind, forge):
    site, _ = init(tmp_path, kind, forge)
    refused = site.build()
    assert refused.code != 0 and "content/zhinan.md" in refused.text and "E180" in refused.text
    assert not (site.path / "site" / "index.html").exists()
    fill_in(site)
    built = site.build()
    assert built.code == 0, built.text
    home = site.html("")
    assert "云溪市河西区人民政府" in home
    assert "政府信息公开指南" in site.html("zhinan/")
    assert (site.path / "site" / "catalog" / "ndbg" / "index.html").is_file()


def test_github_workflows_are_the_demos(tmp_path):
    """One set of workflows: a new site runs what this repository's demo runs (scheduled rebuild included)."""
    site, _ = init(tmp_path)
    for name in ("deploy.yml", "pull-request.yml"):
        assert site.read(f".github/workflows/{name}") == (ROOT / ".github" / "workflows" / name).read_text("utf-8")
    assert site.read(".github/pull_request_template.md") == (ROOT / ".github/pull_request_template.md").read_text(
        "utf-8"
    )


def test_the_site_calendar_comes_with_its_how_to(tmp_path):
    """init writes catalog/holidays.yml with how to add a year: the demo's file is the same text plus its 演示 year."""
    site, _ = init(tmp_path)
    written = site.read("catalog/holidays.yml")
    assert "怎样添加一年" in written and "- year:" not in written.replace("#   - year:", "")
    assert (ROOT / "catalog/holidays.yml").read_text("utf-8").startswith(written)


def test_the_migration_guide_comes_with_the_site(tmp_path):
    site, _ = init(tmp_path)
    assert site.read("docs/migrate.md") == (ROOT / "docs" / "migrate.md").read_text("utf-8")
    assert "docs/migrate.md" in site.read("CONTRIBUTING.md")


def test_never_writes_into_a_non_empty_folder(tmp_path):
    target = tmp_path / "county-github"
    target.mkdir()
    (target / "notes.txt").write_text("旧文件", encoding="utf-8")
    _, refused = init(tmp_path)
    assert refused.code == 2 and "不为空" in refused.err
    assert sorted(p.name for p in target.iterdir()) == ["notes.txt"]
    site, forced = init(tmp_path, "county", "github", "--force")
    assert forced.code == 0 and site.read("notes.txt") == "旧文件" and (target / "mkdocs.yml").is_file()


def test_an_empty_git_repository_is_empty(tmp_path):
    target = tmp_path / "county-github"
    (target / ".git").mkdir(parents=True)
    _, result = init(tmp_path)
    assert result.code == 0, result.text


@pytest.mark.cli
@pytest.mark.parametrize(
    "flag,value,words",
    [("--org-code", "12345", "机构代码"), ("--agency", "河西区:政府", "机关名称"), ("--id", "HX", "发布机构 id")],
)
def test_bad_answers_are_usage_errors(tmp_path, flag, value, words):
    args = {"--agency": "云溪市河西区人民政府", "--org-code": ORG, "--id": "zf"} | {flag: value}
    result = run(
        [
            str(BIN / "xxgk"),
            "init",
            str(tmp_path / "s"),
            "--kind",
            "county",
            *itertools.chain.from_iterable(args.items()),
        ],
        tmp_path,
    )
    assert result.code == 2 and words in result.err and "Traceback" not in result.err
    assert not (tmp_path / "s").exists()


def test_a_new_site_carries_the_form_the_lock_and_what_init_was_given(tmp_path):
    site, _ = init(tmp_path)
    assert "/node_modules/" in site.read(".gitignore").splitlines()
    for name in ("package.json", "package-lock.json"):  # the form's npm packages, at xxgk's versions
        assert site.read(name) == (ROOT / name).read_text("utf-8")
    assert site.read(".github/workflows/form-normalise.yml") == (
        ROOT / ".github/workflows/form-normalise.yml"
    ).read_text("utf-8")
    pinned = lock.pins(site.read("requirements.txt"))
    assert {"mkdocs==1.6.1", "nh3==0.3.7"} <= set(pinned.values())
    assert set(pinned.items()) <= set(lock.pins(lock.LOCK.read_text("utf-8")).items())  # the tested versions
    assert lock.unhashed(site.read("requirements.txt")) == []  # installed with --require-hashes
    assert not {"pytest", "playwright", "ruff", "uv"} & set(pinned)  # no test tools
    assert "PIP_EXTRA_INDEX_URL" not in site.read("xxgk.txt") + site.read("README.md")
    assert yaml.safe_load(site.read("xxgk-init.yml"))["org_code"] == ORG
    assert "scripts/build --serve --admin" in site.read("README.md") and "网页编辑表单" in site.read("CONTRIBUTING.md")


@pytest.mark.cli
def test_the_wheel_is_carried_by_its_hash_and_update_shows_then_applies_template_changes(tmp_path):
    import hashlib

    wheel = tmp_path / "xxgk-0.1.0-py3-none-any.whl"
    wheel.write_bytes(b"PK not really a wheel")
    site, result = init(tmp_path, "county", "github", "--xxgk-wheel", str(wheel))
    assert result.code == 0, result.text
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    assert f"./vendor/{wheel.name} --hash=sha256:{digest}" in site.read("xxgk.txt")
    assert (site.path / "vendor" / wheel.name).read_bytes() == wheel.read_bytes()
    xxgk = [str(BIN / "xxgk"), "init", str(site.path), "--update"]
    assert run(xxgk, tmp_path).code == 0 and "无需更新" in run(xxgk, tmp_path).err
    site.edit("scripts/setup", "npm ci --omit=dev", "npm install")
    site.edit("content/zhinan.md", "政府信息公开指南", "本机关改过的指南")
    shown = run(xxgk, tmp_path)
    assert shown.code == 0 and "-    npm install" in shown.out and "+    npm ci --omit=dev" in shown.out
    assert "npm install" in site.read("scripts/setup")  # shown only
    assert run([*xxgk, "--apply"], tmp_path).code == 0
    assert "npm ci --omit=dev" in site.read("scripts/setup")
    assert "本机关改过的指南" in site.read("content/zhinan.md")  # the agency's own files stay
