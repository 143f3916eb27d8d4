"""A body as its reader sees it, for the scans that look for what a reader would read
(privacy): inline tags and Markdown emphasis removed, character references decoded,
invisible characters dropped. `139<b>1234</b>5678`, `139&#49;2345678`, `139**1234**5678`
and a zero-width space inside a number all read as one number on the page.

Each character of the result keeps the offset of the character it came from, so a finding
is reported at its line in the file. Texts with fewer digits than a mobile number, or
none of these marks, are returned as they are.
"""

from __future__ import annotations

import html
import re

INLINE_TAGS = frozenset(
    "a abbr b bdi bdo big cite code del dfn em font i ins kbd mark q s samp small span strike strong sub sup"
    " time tt u var wbr".split()
)
INVISIBLE = "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff"
_HIDDEN = re.compile(
    r"<(/?)([A-Za-z][A-Za-z0-9]*)\b[^<>]{0,500}>"  # a tag (its name decides: inline joins, block separates)
    r"|&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"  # a character reference
    r"|\\(?=[*_`~\\])|[*_`~]"  # Markdown emphasis and code marks, and the backslash escaping them
    f"|[{INVISIBLE}]"
)
# The first character of every _HIDDEN match: a body without any (most) is not searched for
# the marks themselves, which tried the whole alternation at each character (issue 35).
_MAY_HIDE = re.compile(f"[<&\\\\*_`~{INVISIBLE}]")
SHORTEST = 11  # digits in the shortest number a scan looks for (a mobile number)
# As many digits as that anywhere in the text (a reference's own count: &#49; holds 4 and 9),
# found without listing every digit of a long body.
_ENOUGH_DIGITS = re.compile(r"\d(?:\D*\d){%d}" % (SHORTEST - 1))


def reader_text(text: str) -> tuple[str, list[int] | None]:
    """(the text as read, the source offset of each of its characters or None when unchanged)."""
    if not _ENOUGH_DIGITS.search(text) or not _MAY_HIDE.search(text) or not _HIDDEN.search(text):  # no number to join
        return text, None
    pieces: list[str] = []
    offsets: list[int] = []
    pos = 0
    for m in _HIDDEN.finditer(text):
        pieces.append(text[pos : m.start()])
        offsets.extend(range(pos, m.start()))
        found = m.group()
        if found.startswith("&"):
            shown = html.unescape(found)
        elif found.startswith("<") and m.group(2).lower() not in INLINE_TAGS:
            shown = " "  # a block or cell boundary keeps neighbouring numbers apart
        else:
            shown = ""
        pieces.append(shown)
        offsets.extend([m.start()] * len(shown))
        pos = m.end()
    pieces.append(text[pos:])
    offsets.extend(range(pos, len(text)))
    return "".join(pieces), offsets
