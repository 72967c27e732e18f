"""Traditional-character detection with OpenCC."""
from __future__ import annotations

from functools import lru_cache

from auditor.text.normalize import HAN


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    return _t2s().convert(text)


def traditional_positions(text: str) -> list[int]:
    """Offsets of Han characters that OpenCC would change to a Simplified form.
    Converted one character at a time so offsets never drift."""
    han = [m.start() for m in HAN.finditer(text)]
    if not han:
        return []
    # Convert the Han characters joined by newlines (1:1 per character) in one call.
    joined = "\n".join(text[i] for i in han)
    converted = _t2s().convert(joined).split("\n")
    if len(converted) != len(han):  # defensive: fall back to per-character conversion
        converted = [_t2s().convert(text[i]) for i in han]
    return [i for i, c in zip(han, converted) if c != text[i]]
