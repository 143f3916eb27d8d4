"""Site options: the `xxgk` entry of mkdocs.yml, read the same way by the plugin and the CLI."""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from xxgk.core.model import ERROR, WARNING, Problem

AS_OF_ENV = "XXGK_AS_OF"
ATTACHMENT_TYPES = ("pdf", "doc", "docx", "xls", "xlsx", "ofd", "wps", "zip", "jpg", "png")
DEFAULT_INDEX_NO = r"(?P<org>[0-9A-Z]{18}|[0-9A-Z]{8}-?[0-9A-Z])/(?P<year>\d{4})-\d{5}"


@dataclass
class Options:
    root: Path = Path(".")  # the site repository (where mkdocs.yml is)
    docs_dir: str = "content"
    catalog_dir: str = "catalog"
    items_dir: str = "items"  # under docs_dir
    index_no_pattern: str = DEFAULT_INDEX_NO
    page_size: int = 20
    latest_count: int = 10
    as_of: dt.date | None = None  # from mkdocs.yml; None: the build date
    as_of_override: dt.date | None = None  # a command's --as-of, which beats everything
    uninterpreted_policy: str = WARNING  # warning | error
    attachment_types: list = field(default_factory=lambda: list(ATTACHMENT_TYPES))
    attachment_max_mb: int | float = 50
    search_shard_items: int = 2500  # years are grouped into search shards up to this many items
    site_name: str = "政府信息公开"
    extra: dict = field(default_factory=dict)

    @property
    def docs_path(self) -> Path:
        return self.root / self.docs_dir

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


PLUGIN_KEYS = (
    "catalog_dir",
    "items_dir",
    "index_no_pattern",
    "page_size",
    "latest_count",
    "as_of",
    "uninterpreted_policy",
    "attachment_types",
    "attachment_max_mb",
    "search_shard_items",
)


class OptionsError(Exception):
    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


def validate(opts: Options, path: str = "mkdocs.yml") -> Options:
    """Reject option values that would make the build meaningless, with a message staff can act on."""

    def fail(message):
        raise OptionsError(Problem(path, 1, "E001", message, ERROR))

    if isinstance(opts.as_of, str):
        try:
            opts.as_of = dt.date.fromisoformat(opts.as_of)
        except ValueError:
            fail(f"as_of“{opts.as_of}”不是日期，请写成 YYYY-MM-DD")
    env = os.environ.get(AS_OF_ENV, "").strip()
    if env:
        try:
            dt.date.fromisoformat(env)
        except ValueError:
            fail(f"环境变量 {AS_OF_ENV}=“{env}”不是日期，请写成 YYYY-MM-DD")
    if opts.uninterpreted_policy not in (WARNING, ERROR):
        fail("uninterpreted_policy 只能是 warning 或 error")
    if not isinstance(opts.page_size, int) or opts.page_size < 1:
        fail("page_size 应为正整数")
    if not isinstance(opts.attachment_types, list) or not all(isinstance(t, str) for t in opts.attachment_types):
        fail("attachment_types 应为扩展名列表，例如 [pdf, docx, xlsx]")
    if (
        isinstance(opts.attachment_max_mb, bool)
        or not isinstance(opts.attachment_max_mb, (int, float))
        or opts.attachment_max_mb <= 0
    ):
        fail("attachment_max_mb 应为正数（单位 MB）")
    if (
        isinstance(opts.search_shard_items, bool)
        or not isinstance(opts.search_shard_items, int)
        or opts.search_shard_items < 1
    ):
        fail("search_shard_items 应为正整数（每个搜索分片最多容纳的条目数）")
    try:
        re.compile(opts.index_no_pattern)
    except re.error as exc:
        fail(f"index_no_pattern 不是有效的正则表达式：{exc}")
    return opts


class _TolerantLoader(yaml.SafeLoader):
    """mkdocs.yml may carry !!python/name and !ENV tags; the core needs none of them."""


_TolerantLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def read_mkdocs_yml(root: Path) -> Options:
    """Options for the site whose mkdocs.yml is in `root` (defaults when there is none)."""
    path = root / "mkdocs.yml"
    opts = Options(root=root)
    if not path.exists():
        return validate(opts, str(path))
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
    opts.docs_dir = config.get("docs_dir") or opts.docs_dir
    opts.site_name = config.get("site_name") or opts.site_name
    opts.extra = config.get("extra") or {}
    for entry in config.get("plugins") or []:
        if isinstance(entry, dict) and "xxgk" in entry:
            for key, value in (entry["xxgk"] or {}).items():
                if key in PLUGIN_KEYS:
                    setattr(opts, key, value)
    return validate(opts, str(path))


def option_defaults() -> dict:
    defaults = Options()
    return {key: getattr(defaults, key) for key in PLUGIN_KEYS}
