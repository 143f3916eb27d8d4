"""What `xxgk init` writes: a site repository for one agency, from the templates beside this module.

templates/site/     every site (mkdocs.yml, departments, topics, 指南/制度 drafts, scripts, docs)
templates/kinds/    the 主动公开基本目录 per kind of agency → catalog/catalog.yml
templates/forges/   CI, PR template per forge (GitHub Actions, GitLab CI, Gitea Actions)

A file named `dot-x` is written as `.x` (packaging drops dotfiles). `@@NAME@@` markers are filled
in; nothing else is templated, so CI files keep their own `${{ }}`. A file added under
templates/site/ (e.g. catalog/holidays.yml for the working-day calendar) is written by every init.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

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


class InitError(Exception):
    """A wrong answer; the message says what to give instead."""


@dataclass(frozen=True)
class Answers:
    agency: str
    org_code: str
    kind: str
    forge: str = "github"
    publisher_id: str = ""

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
        return Answers(self.agency, self.org_code, self.kind, self.forge, pid)


def plan(answers: Answers) -> dict[str, bytes]:
    """Every file of the new site: its path in the repository → its bytes."""
    a = answers.check()
    marks = {
        "AGENCY": a.agency,
        "ORG_CODE": a.org_code,
        "ID": a.publisher_id,
        "KIND_NAME": KINDS[a.kind][1],
        "XXGK_VERSION": __version__,
        "FORGE_NOTES": FORGE_NOTES[a.forge],
    }
    files = {
        **_tree(TEMPLATES / "site"),
        **_tree(TEMPLATES / "forges" / a.forge),
        "catalog/catalog.yml": (TEMPLATES / "kinds" / f"{a.kind}.yml").read_bytes(),
    }
    return {path: _fill(data, marks) for path, data in sorted(files.items())}


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
