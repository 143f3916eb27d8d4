"""The 18-digit 居民身份证号 by its check digit (GB 11643-1999): the one rule the privacy scan
(rules/privacy.py) and the 依申请公开 form (apply.js, through rules.js) both apply."""

from __future__ import annotations

import datetime as dt

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)  # of the first 17 digits
ID_CHECK = "10X98765432"  # the 18th character, by the weighted sum modulo 11
BORN = (1900, 2100)  # birth years taken as real: a long number outside them is no ID number


def id_number_ok(digits: str) -> bool:
    """GB 11643: a real birth date and the check digit over the first 17 digits."""
    try:
        born = dt.date(int(digits[6:10]), int(digits[10:12]), int(digits[12:14]))
    except ValueError:
        return False
    if not BORN[0] <= born.year <= BORN[1]:
        return False
    total = sum(int(d) * w for d, w in zip(digits[:17], ID_WEIGHTS))
    return ID_CHECK[total % 11] == digits[17]
