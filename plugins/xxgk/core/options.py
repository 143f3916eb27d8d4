"""Site options: the `xxgk` entry of mkdocs.yml, declared once. Each option is a field of
`Options` whose metadata (`option()`) says what it means, in Chinese, and how a written value
is checked; the MkDocs plugin builds its config schema from it and the CLI reads mkdocs.yml
with it, so both accept the same keys, with the same messages. docs/format.md lists them."""

from __future__ import annotations

import datetime as dt
import math
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import Field, dataclass, field, fields
from pathlib import Path
from typing import Any

import yaml

from xxgk.core import folders
from xxgk.core.model import ERROR, WARNING, Problem

AS_OF_ENV = "XXGK_AS_OF"
ATTACHMENT_TYPES = ("pdf", "doc", "docx", "xls", "xlsx", "ofd", "wps", "zip", "jpg", "png")
DEFAULT_INDEX_NO = r"(?P<org>[0-9A-Z]{18}|[0-9A-Z]{8}-?[0-9A-Z])/(?P<year>\d{4})-\d{5}"


class BadOption(ValueError):
    """A written value the build cannot use; the message says what to write."""

    key: str | None = None  # the option it is about, for the line in mkdocs.yml


@dataclass(frozen=True)
class Spec:
    """How one option under `xxgk:` is written: its meaning, the shape of its value (as
    staff read it) and the check that turns a written value into the one the build uses."""

    help: str
    shape: str
    parse: Callable[[Any], Any]


def option(default: Any, help: str, shape: str, parse: Callable[[Any], Any]) -> Any:
    meta = {"option": Spec(help, shape, parse)}
    if isinstance(default, (list, dict)):
        return field(default_factory=lambda: type(default)(default), metadata=meta)
    return field(default=default, metadata=meta)


def _positive_int(key: str, what: str = "") -> Callable[[Any], int]:
    def parse(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise BadOption(f"{key} 应为正整数{what}")
        return value

    return parse


def _positive_number(value: Any) -> int | float:
    # .nan compares false with everything (it would disable the limit), .inf is no limit
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
        raise BadOption("attachment_max_mb 应为正数（单位 MB）")
    return value


def _text(key: str) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        if not isinstance(value, str) or not value.strip():
            raise BadOption(f"{key} 应为一段文字（目录名）")
        return value

    return parse


def _switch(key: str) -> Callable[[Any], bool]:
    def parse(value: Any) -> bool:
        if not isinstance(value, bool):
            raise BadOption(f"{key} 只能是 true 或 false")
        return value

    return parse


def _pattern(value: Any) -> str:
    if not isinstance(value, str):
        raise BadOption("index_no_pattern 应为正则表达式（用引号括起）")
    try:
        re.compile(value)
    except re.error as exc:
        raise BadOption(f"index_no_pattern 不是有效的正则表达式：{exc}") from None
    return value


def _date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise BadOption(f"as_of“{value}”不是日期，请写成 YYYY-MM-DD") from None


def _policy(value: Any) -> str:
    if value not in (WARNING, ERROR):
        raise BadOption("uninterpreted_policy 只能是 warning 或 error")
    return value


def _extensions(value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(t, str) for t in value):
        raise BadOption("attachment_types 应为扩展名列表，例如 [pdf, docx, xlsx]")
    return value


def _backend(value: Any) -> dict:
    """Decap CMS's `backend:` section, passed to the form as written (README: 连接代码托管平台)."""
    if not isinstance(value, Mapping) or (value and not isinstance(value.get("name"), str)):
        raise BadOption("admin_backend 应为映射，至少写 name（github、gitlab 或 gitea）和 repo，见 README")
    return dict(value)


REPORT_DUE = {"部门": (1, 31), "本级政府": (3, 31)}  # 条例第四十九条: the month and day after the year


def _report_level(value: Any) -> str:
    if value not in REPORT_DUE:
        raise BadOption("report_level 只能是 部门（年报1月31日前公布）或 本级政府（3月31日前公布）")
    return value


APPLY_KEYS = {
    "office": "受理机构名称",
    "post_address": "信函申请的邮寄地址",
    "postcode": "邮政编码",
    "visit_address": "当面申请的地址",
    "hours": "当面申请的受理时间",
    "phone": "咨询电话",
    "email": "电子邮箱",
    "fax": "传真",
    "platform": "省级政府信息公开申请平台的网址（本机关使用时）",
}


def _apply(value: Any) -> dict[str, str]:
    """The 依申请公开 channels the 依申请公开 page lists; only the channels written are shown."""
    if not isinstance(value, Mapping) or not all(isinstance(v, str) and v.strip() for v in value.values()):
        raise BadOption("apply 应为映射，每项写一段文字：" + "、".join(f"{k}（{v}）" for k, v in APPLY_KEYS.items()))
    extra = [str(k) for k in value if k not in APPLY_KEYS]
    if extra:
        raise BadOption(f"apply 下没有 {'、'.join(extra)}；可写：{'、'.join(APPLY_KEYS)}")
    if "platform" in value and not str(value["platform"]).startswith(("https://", "http://")):
        raise BadOption("apply.platform 应为网址，以 https:// 开头")
    return {k: str(v).strip() for k, v in value.items()}


def _portal(value: Any) -> dict | None:
    """Only the shape here; xxgk.portal.config checks the members and settings."""
    if value is not None and not isinstance(value, Mapping):
        raise BadOption(
            "portal 应为映射：members（成员站点列表）、stale_days、build_days、timeout（见 docs/portal.md）"
        )
    return dict(value) if value is not None else None


@dataclass
class Options:
    root: Path = Path(".")  # the site repository (where mkdocs.yml is)
    docs_dir: str = "content"  # mkdocs.yml's own docs_dir
    catalog_dir: str = option("catalog", "目录、发布机构和主题分类定义所在的目录", "目录名", _text("catalog_dir"))
    items_dir: str = option("items", "条目所在的子目录（在 docs_dir 之下）", "目录名", _text("items_dir"))
    index_no_pattern: str = option(
        DEFAULT_INDEX_NO,
        "索引号的格式；命名组 org、year 分别与发布机构代码、发布年份核对",
        "正则表达式",
        _pattern,
    )
    page_size: int = option(20, "列表每页条目数", "正整数", _positive_int("page_size"))
    latest_count: int = option(10, "首页“最新信息”的条目数", "正整数", _positive_int("latest_count"))
    as_of: dt.date | None = option(
        None,
        "判断有效性的基准日期；不写则为构建当天（环境变量 XXGK_AS_OF 优先）",
        "YYYY-MM-DD",
        _date,
    )
    uninterpreted_policy: str = option(
        WARNING,
        "规章、行政规范性文件尚无政策解读时：warning 警告（W203），error 报错（E129）",
        "warning | error",
        _policy,
    )
    attachment_types: list[str] = option(list(ATTACHMENT_TYPES), "允许的附件类型（扩展名）", "列表", _extensions)
    attachment_max_mb: int | float = option(50, "单个附件的大小上限（MB）", "正数", _positive_number)
    search_shard_items: int = option(
        1000,
        "每个搜索分片最多容纳的条目数（按发布年份成组）；远小于默认值会使构建变慢（W250）",
        "正整数",
        _positive_int("search_shard_items", "（每个搜索分片最多容纳的条目数）"),
    )
    search: bool = option(True, "是否生成站内搜索索引", "true | false", _switch("search"))
    search_records: bool = option(
        False,
        "是否在 xxgk-site.json 旁发布搜索记录 search-records/（供门户的搜索引擎索引，须同时开启 search）",
        "true | false",
        _switch("search_records"),
    )
    cache: bool = option(True, "是否沿用 .cache/xxgk/pages/ 中未变的页面", "true | false", _switch("cache"))
    admin: bool = option(
        False,
        "公开站点是否包含网页编辑表单 admin/（默认不包含；风险见 README）",
        "true | false",
        _switch("admin"),
    )
    admin_backend: dict = option(
        {},
        "网页编辑表单连接的代码托管平台（Decap CMS 的 backend：name、repo、base_url、auth_type、app_id 等）",
        "映射",
        _backend,
    )
    portal: dict | None = option(
        None,
        "门户：读取哪些成员站点（members）以及监测设置（stale_days、build_days、timeout），见 docs/portal.md",
        "映射",
        _portal,
    )
    applications_dir: str = option(
        "applications",
        "依申请公开案件台账所在的目录（在站点仓库中、docs_dir 之外，从不发布）",
        "目录名",
        _text("applications_dir"),
    )
    case_warn_days: int = option(
        5, "xxgk cases 在法定期限前多少个工作日开始提醒", "正整数", _positive_int("case_warn_days")
    )
    apply: dict = option({}, "依申请公开栏目列出的申请渠道", "映射", _apply)
    report_level: str = option(
        "部门",
        "年度报告的公布期限（条例第四十九条）：部门 1月31日前，本级政府 3月31日前",
        "部门 | 本级政府",
        _report_level,
    )
    as_of_override: dt.date | None = None  # a command's --as-of, which beats everything
    keep_caches: bool = True  # False: .cache/xxgk/ is read, never written (xxgk check without --cache)
    site_name: str = "政府信息公开"
    site_url: str = ""  # mkdocs.yml's own site_url: the page addresses meta tags and the 找错 link carry
    extra: dict = field(default_factory=dict)

    @property
    def docs_path(self) -> Path:
        return self.root / self.docs_dir

    @property
    def items_folder(self) -> str:
        """Where the items are, as git names it from the repository's root: content/items."""
        return f"{self.docs_dir}/{self.items_dir}"

    @property
    def catalog_path(self) -> Path:
        return self.root / self.catalog_dir

    @property
    def index_no_re(self) -> re.Pattern:
        return re.compile(self.index_no_pattern)

    def as_of_date(self) -> dt.date:
        """The date on which effective status is derived: --as-of, env, mkdocs.yml, today."""
        if self.as_of_override:
            return self.as_of_override
        env = os.environ.get(AS_OF_ENV, "").strip()
        if env:
            return dt.date.fromisoformat(env)
        return self.as_of or dt.date.today()


def _declared() -> dict[str, Field]:
    return {f.name: f for f in fields(Options) if "option" in f.metadata}


OPTIONS: dict[str, Field] = _declared()  # key under `xxgk:` -> its field


def spec(key: str) -> Spec:
    return OPTIONS[key].metadata["option"]


def default(key: str) -> Any:
    return getattr(Options(), key)


class OptionsError(Exception):
    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


def _check(written: Any) -> dict[str, Any]:
    """The values under `xxgk:` as the build uses them; BadOption for the first that is not
    usable, or for a key that is no option (the message lists the valid ones)."""
    if not isinstance(written, Mapping):
        raise BadOption("xxgk 下应为“设置项: 值”的映射")
    extra = [str(k) for k in written if k not in OPTIONS]
    if extra:
        unknown = BadOption(
            f"xxgk 下没有设置项 {'、'.join(extra)}；可用的设置项：{'、'.join(OPTIONS)}（见 docs/format.md）"
        )
        unknown.key = extra[0]
        raise unknown
    env = os.environ.get(AS_OF_ENV, "").strip()
    if env:
        try:
            dt.date.fromisoformat(env)
        except ValueError:
            raise BadOption(f"环境变量 {AS_OF_ENV}=“{env}”不是日期，请写成 YYYY-MM-DD") from None
    parsed = {}
    for key, value in written.items():
        try:
            parsed[key] = spec(key).parse(value)
        except BadOption as exc:
            exc.key = key  # so the message can point at its line
            raise
    return parsed


def from_mapping(written: Any, path: str = "mkdocs.yml", **base: Any) -> Options:
    """Options from what is written under `xxgk:`, plus `base` (root, docs_dir, …)."""
    try:
        return Options(**base, **_check(written))
    except BadOption as exc:
        raise OptionsError(problem(path, exc.key, str(exc))) from None


def problem(path: str, key: str | None, message: str) -> Problem:
    """An option's E001 at the line where mkdocs.yml sets it."""
    return Problem(path, line_of(path, key), "E001", message)


def line_of(path: str, key: str | None) -> int:
    """The line of `key` under `- xxgk:` in mkdocs.yml (of `xxgk:` itself without a key), else 1."""
    try:
        root = yaml.compose(Path(path).read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return 1
    entries = {k.value: v for k, v in root.value} if isinstance(root, yaml.MappingNode) else {}
    plugins = entries.get("plugins")
    for entry in plugins.value if isinstance(plugins, yaml.SequenceNode) else []:
        for name, options in entry.value if isinstance(entry, yaml.MappingNode) else []:
            if name.value == "xxgk":
                for option, _ in options.value if isinstance(options, yaml.MappingNode) else []:
                    if option.value == key:
                        return option.start_mark.line + 1
                return name.start_mark.line + 1
    return 1


class _TolerantLoader(yaml.SafeLoader):
    """mkdocs.yml may carry !!python/name and !ENV tags; the core needs none of them."""


_TolerantLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def _timestamp(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    """A date that does not exist (2025-13-01) stays text, for the option's own message."""
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_TolerantLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


def read_mkdocs_yml(root: Path) -> Options:
    """Options for the site whose mkdocs.yml is in `root` (defaults when there is none)."""
    path = root / "mkdocs.yml"
    if not path.exists():
        return from_mapping({}, str(path), root=root)
    try:
        config = yaml.load(path.read_text(encoding="utf-8"), Loader=_TolerantLoader) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise OptionsError(
            Problem(
                str(path),
                (mark.line + 1) if mark else 1,
                "E001",
                f"mkdocs.yml 格式错误：{getattr(exc, 'problem', exc)}",
            )
        ) from None
    written: dict = {}
    for entry in config.get("plugins") or []:
        if isinstance(entry, dict) and "xxgk" in entry:
            written = entry["xxgk"] or {}
    base = {"root": root, "extra": config.get("extra") or {}}
    base.update({k: config[k] for k in ("docs_dir", "site_name", "site_url") if config.get(k)})
    opts = from_mapping(written, str(path), **base)
    site_dir = config.get("site_dir", "site")
    misplaced = folders.folder_problem(
        root, opts.docs_dir, opts.catalog_dir, opts.items_dir, site_dir if isinstance(site_dir, str) else None
    )
    if misplaced is not None:
        raise OptionsError(misplaced)
    return opts
