"""W240: the footer identity an inspector looks for on every government site (core/identity.py)
is stated in mkdocs.yml, and the 党政机关网站标识's image is a file of the site."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from xxgk.core import identity
from xxgk.core.model import Problem
from xxgk.rules.base import Context


def _extra_line(path: Path) -> int:
    """The line of `extra:` in mkdocs.yml (where the keys go), else 1."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return 1
    return next((n for n, line in enumerate(lines, 1) if line.startswith("extra:")), 1)


def footer_identity(ctx: Context) -> Iterator[Problem]:
    ident = identity.read(ctx.opts.extra)
    line = _extra_line(ctx.opts.root / "mkdocs.yml")
    for what in identity.missing(ident):
        yield Problem(
            "mkdocs.yml",
            line,
            "W240",
            f"页脚缺少{what}：政府网站检查要求在每页页脚显示；请在 mkdocs.yml 的 extra 下填写（写法见 README“页脚的网站身份”）",
        )
    if ident.badge_image and not (ctx.opts.docs_path / ident.badge_image).is_file():
        yield Problem(
            "mkdocs.yml",
            line,
            "W240",
            f"党政机关网站标识图片 {ctx.opts.docs_dir}/{ident.badge_image} 不存在；"
            "请把从标识备案页面保存的图片放到该位置（PNG 或 JPG）",
        )


RULES = (footer_identity,)
