"""Organisation codes by their check character: the 18-character 统一社会信用代码 (GB 32100-2015)
and the 9-character 组织机构代码 (GB 11714-1997, written with or without the hyphen before its
check character). `problem` says what is wrong, naming the expected character."""

from __future__ import annotations

import re

# GB 32100-2015: the 31 characters a 统一社会信用代码 uses (no I, O, Z, S, V), their values in order.
USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)  # GB 11714: the eight body characters
SHAPE = re.compile(r"[0-9A-Z]{18}|[0-9A-Z]{8}-?[0-9A-Z]")


def uscc_check(body: str) -> str:
    """The 18th character of a 统一社会信用代码 whose first 17 are `body`."""
    total = sum(USCC_CHARS.index(c) * w for c, w in zip(body, USCC_WEIGHTS, strict=True))
    return USCC_CHARS[(31 - total % 31) % 31]


def org_check(body: str) -> str:
    """The 9th character of a 组织机构代码 whose first 8 are `body` (letters count A=10 … Z=35)."""
    total = sum(int(c, 36) * w for c, w in zip(body, ORG_WEIGHTS, strict=True))
    value = 11 - total % 11
    return "X" if value == 10 else "0" if value == 11 else str(value)


def problem(code: str) -> str | None:
    """Why `code` is no valid organisation code, in Chinese; None when it is one."""
    if not SHAPE.fullmatch(code):
        return "应为18位统一社会信用代码或9位组织机构代码（大写字母和数字）"
    if len(code) == 18:
        wrong = sorted({c for c in code if c not in USCC_CHARS})
        if wrong:
            return f"含统一社会信用代码不用的字母 {'、'.join(wrong)}（GB 32100-2015 不用 I、O、Z、S、V）"
        expected = uscc_check(code[:17])
        if code[17] != expected:
            return f"校验码应为 {expected}（第18位，按 GB 32100-2015 计算），现为 {code[17]}；请按证书核对"
        return None
    body, last = code.replace("-", "")[:8], code[-1]
    expected = org_check(body)
    if last != expected:
        return f"校验码应为 {expected}（第9位，按 GB 11714 计算），现为 {last}；请按证书核对"
    return None
