"""Article text with findings highlighted, for HTML pages (web workspace, batch report)."""
from __future__ import annotations

from markupsafe import Markup, escape


def marked(text: str, spans: list[tuple]) -> Markup:
    """Escaped text with <mark> around each (start, end, css class, title[, ref]) span; a ref
    gives the mark id="m-<ref>" and data-n="<ref>" so a page can point at it. Overlaps are
    nested out."""
    out: list[str] = []
    pos = 0
    for start, end, css, title, *ref in sorted(spans, key=lambda s: (s[0], s[1])):
        if start < pos:
            continue
        out.append(str(escape(text[pos:start])))
        if end == start:
            continue
        anchor = f' id="m-{escape(ref[0])}" data-n="{escape(ref[0])}"' if ref else ""
        out.append(f'<mark class="{escape(css)}"{anchor} title="{escape(title)}">{escape(text[start:end])}</mark>')
        pos = end
    out.append(str(escape(text[pos:])))
    return Markup("".join(out))
