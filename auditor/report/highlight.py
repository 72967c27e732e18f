"""Article text with findings highlighted, for HTML pages (web workspace, batch report)."""
from __future__ import annotations

from markupsafe import Markup, escape


def marked(text: str, spans: list[tuple[int, int, str, str]]) -> Markup:
    """Escaped text with <mark> around each (start, end, css class, title) span; overlaps are nested out."""
    out: list[str] = []
    pos = 0
    for start, end, css, title in sorted(spans):
        if start < pos:
            continue
        out.append(str(escape(text[pos:start])))
        if end == start:
            continue
        out.append(f'<mark class="{escape(css)}" title="{escape(title)}">{escape(text[start:end])}</mark>')
        pos = end
    out.append(str(escape(text[pos:])))
    return Markup("".join(out))
