"""Length-preserving normalization: every character maps to exactly one character,
so an offset into the normalized text is the same offset into ``Document.text``."""
from __future__ import annotations

import re

# Full-width ASCII (U+FF01..U+FF5E) -> ASCII, odd spaces -> ' '. Chinese punctuation
# such as ，。“” is kept: wording checks must see the punctuation the author typed.
_TABLE: dict[int, str] = {cp: chr(cp - 0xFEE0) for cp in range(0xFF10, 0xFF1A)}  # ０-９
_TABLE.update({cp: chr(cp - 0xFEE0) for cp in range(0xFF21, 0xFF3B)})  # Ａ-Ｚ
_TABLE.update({cp: chr(cp - 0xFEE0) for cp in range(0xFF41, 0xFF5B)})  # ａ-ｚ
for _space in ("\u00a0", "\u2002", "\u2003", "\u2009", "\u200b", "\u3000", "\ufeff", "\t"):
    _TABLE[ord(_space)] = " "
_TABLE[ord("\r")] = "\n"


# Most texts have few characters to map: translating only the runs that need it is much
# faster than str.translate over the whole text.
_MAPPED = re.compile("[" + "".join(re.escape(chr(cp)) for cp in sorted(_TABLE)) + "]+")


def normalize(text: str) -> str:
    """Return the normalized view of ``text``; ``len(result) == len(text)``."""
    return _MAPPED.sub(lambda m: m.group().translate(_TABLE), text)


# CJK Unified Ideographs, Extension A, Extensions B-F and the compatibility ideographs.
HAN = re.compile("[\u4e00-\u9fff\u3400-\u4dbf\U00020000-\U0002fa1f\uf900-\ufaff]")


def is_han(ch: str) -> bool:
    return HAN.match(ch) is not None
