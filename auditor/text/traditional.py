"""Traditional-character detection with OpenCC."""
from __future__ import annotations

from functools import lru_cache

from auditor.text.normalize import is_han


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    return _t2s().convert(text)


def traditional_positions(text: str) -> list[int]:
    """Offsets of Han characters that OpenCC would change to a Simplified form.
    Judged one character at a time so offsets never drift."""
    chars = set(text)
    new = [ch for ch in chars if ch not in _VERDICTS]
    if new:
        _VERDICTS.update(dict.fromkeys(new, False))
        han = sorted(ch for ch in new if is_han(ch))
        # The Han characters joined by newlines (1:1 per character) in one OpenCC call.
        converted = _t2s().convert("\n".join(han)).split("\n") if han else []
        if len(converted) != len(han):  # defensive: fall back to per-character conversion
            converted = [_t2s().convert(ch) for ch in han]
        _VERDICTS.update((ch, c != ch) for ch, c in zip(han, converted))
    traditional = {ch for ch in chars if _VERDICTS[ch]}
    return [i for i, ch in enumerate(text) if ch in traditional] if traditional else []


# character -> OpenCC changes it; each distinct character is asked of OpenCC once per process
_VERDICTS: dict[str, bool] = {}
