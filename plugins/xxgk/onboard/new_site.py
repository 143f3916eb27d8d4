"""What `xxgk init` writes: a site repository for one agency, from the templates beside this module.

templates/site/     every site (mkdocs.yml, departments, topics, 指南/制度 drafts, scripts, docs)
templates/kinds/    the 主动公开基本目录 per kind of agency → catalog/catalog.yml
templates/forges/   CI, PR template per forge (GitHub Actions, GitLab CI, Gitea Actions)

A file named `dot-x` is written as `.x` (packaging drops dotfiles). `@@NAME@@` markers are filled
in; nothing else is templated, so CI files keep their own `${{ }}`. A file added under
templates/site/ (e.g. catalog/holidays.yml for the working-day calendar) is written by every init.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from xxgk import __version__
from xxgk.core import orgcode

TEMPLATES = Path(__file__).parent / "templates"
# kind → (default publisher id, the kind's Chinese name)
KINDS = {
    "city": ("zf", "设区的市人民政府"),
    "county": ("zf", "县级人民政府"),
    "department": ("jg", "政府工作部门"),
    "township": ("xz", "乡镇人民政府、街道办事处"),
}
FORGES = ("github", "gitlab", "gitea")
FORGE_NOTES = {
    "github": "`.github/workflows/`：拉取请求做内容检查并把审核摘要贴为评论；`main` 分支检查、构建并发布到 "
    "GitHub Pages（改用本机关服务器时替换最后一步）；每天北京时间 0:17 自动重建一次，"
    "按日期变化的有效性（到期失效、尚未施行）当天生效。",
    "gitlab": "`.gitlab-ci.yml`：合并请求做内容检查和审核摘要；`main` 分支检查、构建并发布到 GitLab Pages。"
    "**每日重建要在 GitLab 中设置一次**：构建 → 流水线计划，新建计划，分支 main，每天 0:17（Asia/Shanghai），"
    "按日期变化的有效性（到期失效、尚未施行）当天生效。",
    "gitea": "`.gitea/workflows/`（Gitea Actions）：拉取请求做内容检查和审核摘要；`main` 分支检查、构建并保存 site/；"
    "发布到本机关服务器的一步在 deploy.yml 末尾按实际填写；每天北京时间 0:17 自动重建一次，"
    "按日期变化的有效性（到期失效、尚未施行）当天生效。",
}
PUBLISHER_ID = re.compile(r"[a-z][a-z0-9_-]*")
AGENCY = re.compile(r"[\u4e00-\u9fffA-Za-z0-9（）()·]{2,40}")
EXECUTABLE = ("scripts/setup", "scripts/build")
RECORD = "xxgk-init.yml"  # what init was given, for `xxgk init --update` and for people
GIT_SOURCE = re.compile(r"git\+https://\S+@[0-9a-f]{40}")


class InitError(Exception):
    """A wrong answer; the message says what to give instead."""


@dataclass(frozen=True)
class Answers:
    agency: str
    org_code: str
    kind: str
    forge: str = "github"
    publisher_id: str = ""
    xxgk: str = ""  # where the site installs xxgk from: a wheel in vendor/, git+URL@commit, or an index URL

    def check(self) -> Answers:
        if not AGENCY.fullmatch(self.agency):
            raise InitError(
                f"机关名称“{self.agency}”应为2至40个汉字、字母或数字（可含括号），例如 云溪市河西区人民政府"
            )
        wrong = orgcode.problem(self.org_code)
        if wrong:
            raise InitError(f"机构代码“{self.org_code}”{wrong}")
        if self.kind not in KINDS:
            raise InitError(f"机关类型“{self.kind}”不可用；可用：{'、'.join(KINDS)}")
        if self.forge not in FORGES:
            raise InitError(f"代码托管平台“{self.forge}”不可用；可用：{'、'.join(FORGES)}")
        pid = self.publisher_id or KINDS[self.kind][0]
        if not PUBLISHER_ID.fullmatch(pid):
            raise InitError(f"发布机构 id“{pid}”应为小写英文字母开头的字母、数字、-、_")
        if self.xxgk and not (
            self.xxgk.startswith("vendor/") or GIT_SOURCE.fullmatch(self.xxgk) or self.xxgk.startswith("https://")
        ):
            raise InitError(
                f"xxgk 的来源“{self.xxgk}”不可用：用 --xxgk-wheel 文件、--xxgk-git git+https://地址@40位提交号"
                "或 --xxgk-index https://本机关软件包源/simple/"
            )
        return Answers(self.agency, self.org_code, self.kind, self.forge, pid, self.xxgk)


def plan(answers: Answers, wheel: Path | None = None) -> dict[str, bytes]:
    """Every file of the new site: its path in the repository → its bytes. `wheel`: xxgk's wheel,
    carried by the site in vendor/ and installed by its hash."""
    if wheel is not None:
        answers = replace(answers, xxgk=f"vendor/{wheel.name}")
    a = answers.check()
    marks = {
        "AGENCY": a.agency,
        "ORG_CODE": a.org_code,
        "ID": a.publisher_id,
        "KIND_NAME": KINDS[a.kind][1],
        "XXGK_VERSION": __version__,
        "FORGE_NOTES": FORGE_NOTES[a.forge],
        "DEPENDENCIES": pinned_dependencies(),
    }
    files = {
        **_tree(TEMPLATES / "site"),
        **_tree(TEMPLATES / "forges" / a.forge),
        "catalog/catalog.yml": (TEMPLATES / "kinds" / f"{a.kind}.yml").read_bytes(),
    }
    out = {path: _fill(data, marks) for path, data in sorted(files.items())}
    out["xxgk.txt"] = source_line(a.xxgk, wheel_hash(wheel) if wheel else "").encode("utf-8")
    if wheel is not None:
        out[a.xxgk] = wheel.read_bytes()
    out[RECORD] = record(a).encode("utf-8")
    return dict(sorted(out.items()))


def source_line(source: str, wheel_hash: str = "") -> str:
    """xxgk.txt: where scripts/setup installs xxgk from. Never an extra index: pip asks every
    index it is given, so a package registered as `xxgk` on PyPI could be installed instead."""
    head = "# 本站从哪里安装 xxgk（scripts/setup 读取）。升级：见 README.md“xxgk 的版本与升级”。\n"
    if source.startswith("vendor/"):
        return head + f"./{source} --hash=sha256:{wheel_hash}\n"
    if source.startswith("git+"):
        return head + f"xxgk @ {source}\n"
    if source.startswith("https://"):
        return head + f"--index-url {source}\nxxgk=={__version__}\n"
    return head + (
        "# 尚未指定：用 xxgk init --update --xxgk-wheel 文件（或 --xxgk-git、--xxgk-index）写入这里。\n"
        f"xxgk=={__version__}\n"
    )


def record(a: Answers) -> str:
    return (
        "# xxgk init 生成本站时的选项（xxgk init --update 按它重新生成模板文件并显示差异）\n"
        f"agency: {a.agency}\norg_code: '{a.org_code}'\nkind: {a.kind}\nforge: {a.forge}\n"
        f"id: {a.publisher_id}\nxxgk: '{a.xxgk}'\nxxgk_version: '{__version__}'\n"
    )


OWN = ("content/", "catalog/", "overrides/", "mkdocs.yml", "CODEOWNERS", ".github/CODEOWNERS")  # the agency's


def recorded(target: Path) -> Answers:
    """The answers `init` was given for the site in `target` (its xxgk-init.yml)."""
    path = target / RECORD
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise InitError(
            f"读不到 {path}（{exc}）：本站不是由记录选项的 xxgk init 生成的，请按 README 手动对照"
        ) from None
    keys = ("agency", "org_code", "kind", "forge", "id", "xxgk")
    if not isinstance(data, dict) or any(not data.get(k) for k in keys[:3]):
        raise InitError(f"{path} 缺少 agency、org_code 或 kind")
    got = {k: str(data.get(k) or "") for k in keys}
    return Answers(got["agency"], got["org_code"], got["kind"], got["forge"] or "github", got["id"], got["xxgk"])


def updates(target: Path, files: dict[str, bytes]) -> list[tuple[str, bytes | None, bytes]]:
    """(path, bytes now or None, bytes of this version) for each template file that differs."""
    out = []
    for rel, new in files.items():
        if rel.startswith(OWN) or rel in OWN:
            continue
        path = target / rel
        old = path.read_bytes() if path.is_file() else None
        if old != new:
            out.append((rel, old, new))
    return out


def pinned_dependencies() -> str:
    """xxgk's runtime dependencies with their hashes, at the versions its tests ran on: site.lock,
    written by scripts/lock from requirements.lock (the site installs it with --require-hashes)."""
    lines = (Path(__file__).parent / "site.lock").read_text("utf-8").splitlines()
    return "\n".join(line for line in lines if not line.startswith("#"))


def wheel_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _tree(folder: Path) -> dict[str, bytes]:
    out = {}
    for path in folder.rglob("*"):
        if path.is_file() and "__pycache__" not in path.parts:
            rel = "/".join(("." + p[4:]) if p.startswith("dot-") else p for p in path.relative_to(folder).parts)
            out[rel] = path.read_bytes()
    return out


def _fill(data: bytes, marks: dict[str, str]) -> bytes:
    text = data.decode("utf-8")
    for name, value in marks.items():
        text = text.replace(f"@@{name}@@", value)
    left = re.search(r"@@[A-Z_]+@@", text)
    if left:  # a template names a marker nobody fills: a bug in the templates
        raise AssertionError(f"unfilled template marker {left.group()}")
    return text.encode("utf-8")


def occupied(target: Path) -> list[str]:
    """What is already in the folder (a bare `.git` from `git init` does not count)."""
    if not target.exists():
        return []
    if not target.is_dir():
        return [target.name]
    return sorted(p.name for p in target.iterdir() if p.name != ".git")


def write(target: Path, files: dict[str, bytes]) -> None:
    for rel, data in files.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        if rel in EXECUTABLE:
            path.chmod(0o755)
