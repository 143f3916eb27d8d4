"""The site's identity in its footer, from mkdocs.yml's `extra:` (README: 页脚的网站身份): the
网站标识码, the 党政机关网站标识 (a local image and the record's address), the ICP备案号
(工信部令第33号 第十三条: at the bottom of the home page, linked to the MIIT's record system), the
公安机关备案号 and the 「我为政府网站找错」 link. The host's usual badge embed is a script, which
the site's no-outside-load rule refuses: a local image and a plain link are how it is done."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

ICP_HOST = "https://beian.miit.gov.cn/"
MPS_HOST = "https://beian.mps.gov.cn/"
JIUCUO = "https://zfwzgl.www.gov.cn/exposure/jiucuo.html"
POLICE_ICON = "assets/xxgk/police-record.svg"  # shipped with the theme (our own drawing)

# What an inspector looks for in every government site's footer: extra key → what it is.
MANDATORY = {
    "site_code": "网站标识码（site_code）",
    "gov_badge": "党政机关网站标识（gov_badge: {image: 图片路径, url: 标识的备案地址}）",
    "icp": "ICP备案号（icp）",
    "police_record": "公安机关备案号（police_record）",
}


@dataclass(frozen=True)
class Identity:
    site_code: str = ""
    badge_image: str = ""  # relative to docs_dir: the file the agency saved from its record
    badge_url: str = ""
    icp: str = ""
    police_record: str = ""
    ipv6: bool = False

    @property
    def police_url(self) -> str:
        """The MPS record search for the number's digits (the record number is 公网安备 + 14 digits)."""
        digits = "".join(re.findall(r"\d", self.police_record))
        return f"{MPS_HOST}#/query/webSearch?code={digits}" if digits else MPS_HOST

    def jiucuo_url(self, page_url: str) -> str:
        """The 找错 entry for one page: the site's code and the page's full address."""
        query = {"site_code": self.site_code, "url": page_url} if page_url else {"site_code": self.site_code}
        return f"{JIUCUO}?{urlencode(query, quote_via=quote)}"


def _text(value: Any) -> str:
    return str(value).strip() if isinstance(value, (str, int)) and not isinstance(value, bool) else ""


def read(extra: dict) -> Identity:
    written = extra.get("gov_badge")
    badge: dict = written if isinstance(written, dict) else {}
    return Identity(
        site_code=_text(extra.get("site_code")),
        badge_image=_text(badge.get("image")),
        badge_url=_text(badge.get("url")),
        icp=_text(extra.get("icp")),
        police_record=_text(extra.get("police_record")),
        ipv6=extra.get("ipv6") is True,
    )


def missing(identity: Identity) -> list[str]:
    """The mandatory footer items the site does not state, in the words of MANDATORY."""
    have = {
        "site_code": identity.site_code,
        "gov_badge": identity.badge_image and identity.badge_url,
        "icp": identity.icp,
        "police_record": identity.police_record,
    }
    return [MANDATORY[k] for k, v in have.items() if not v]
