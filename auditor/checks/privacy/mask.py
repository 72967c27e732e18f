"""Masking conventions (reference §4.1, project convention): ID first 6 + last 4, phone
3 + 4, card first 6 + last 4, name surname + *, address with its house numbers hidden.
Masks replace characters one for one, so offsets and the author's separators survive and
masking a masked value changes nothing."""
from __future__ import annotations

from auditor.checks.privacy.recognizer import Candidate

MASK = "*"
# kind -> (characters kept at the start, characters kept at the end) of the value positions.
_KEEP = {"id_card": (6, 4), "mobile": (3, 4), "bank_card": (6, 4), "passport": (1, 3), "travel_permit": (1, 3),
         "hmt_id": (1, 2), "plate": (2, 1)}


def hidden_positions(c: Candidate, text: str) -> list[int]:
    """Offsets of the characters the mask replaces."""
    pos = list(c.positions)
    if c.kind == "mobile" and len(pos) > 11:
        pos = pos[-11:]  # the country code stays
    if c.kind in _KEEP:
        head, tail = _KEEP[c.kind]
        return pos[head:len(pos) - tail]
    if c.kind == "landline":
        area = len(c.evidence.get("area") or "")
        ext = len(c.evidence.get("extension") or "")
        local = pos[area:len(pos) - ext]
        return local[: max(0, len(local) - 4)]
    if c.kind == "email":
        at = text.index("@", c.start)
        return [i for i in range(c.start + 1, at)]
    if c.kind == "name":
        from auditor.text.names import surname_length

        return list(range(c.start + surname_length(text[c.start:c.end]), c.end))
    return pos  # addresses: every digit of the house number


def masked_text(c: Candidate, text: str) -> str:
    chars = list(text[c.start:c.end])
    for i in hidden_positions(c, text):
        chars[i - c.start] = MASK
    return "".join(chars)
