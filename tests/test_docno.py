"""core/docno.normalise: NFKC and lower case, with Chinese punctuation replaced first."""

from __future__ import annotations

import random
import unicodedata

from xxgk.core import docno


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


def test_each_replacement_is_what_nfkc_decomposes_the_character_to():
    for wide, narrow in docno.WIDE_PUNCTUATION:
        assert unicodedata.normalize("NFKD", wide) == narrow != wide


def test_normalise_is_nfkc_whatever_follows_the_replaced_characters():
    """Combining marks after a replaced character, composable pairs (`<` + U+0338 is `≮`),
    full-width letters and digits, ligatures, Hangul jamo: the same as NFKC of the whole."""
    wide = [w for w, _ in docno.WIDE_PUNCTUATION]
    alphabet = wide + list("政府令第号〔〕<=>Aa1１Ａｚ ﬁ①㈠\u0301\u0338\u0323\u1100\u1161\u11a8e\u00e9\n")
    rng = random.Random(35)
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))) for _ in range(20_000)]
    texts += ["，\u0301", "（\u0338", "\u3000\u0301Ａ", "津政办函（２０１８）１０号，见附件：", "<\u0338，"]
    for text in texts:
        assert docno.normalise(text) == _nfkc(text), repr(text)
    assert docno.normalise("关于（试行）的通知，第１０号：ＡＢＣ") == "关于(试行)的通知,第10号:abc"
