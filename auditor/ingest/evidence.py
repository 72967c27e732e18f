"""A second reading of a page where ours is doubtful, and the choice between the readings.

Our block scoring reads one maximal run of article-like lines. Where the body it returns
does not look like article text by itself — many of its characters inside links, or little
sentence punctuation for its Han characters — readability-lxml's reading of the page is asked
too. Its lines are found among the page's lines (so they carry their links and elements, and
the same boilerplate is stripped from them as from ours), and three candidates are judged by
what the page shows, never by a gold text: ours, readability's, and both together (the page's
lines either reading keeps, in page order, readability's only inside our article's element).
The one with the most article weight (``line_score``) on the share of its characters outside
links wins.
"""
from __future__ import annotations

import bisect
import re
from collections import defaultdict
from typing import Any

from auditor.ingest.blocks import HAN, Line, clean, cut_at_end, inside, line_score, lines_of

# A body with more of its characters in links than this reads like navigation or an
# encyclopaedia's tables of links; on the dev pages article bodies stay at 0.12 or below.
LINK_DOUBT = 0.2
# Sentence punctuation per Han character under which a body reads like a list, not prose;
# on the dev pages article bodies have 0.05 or more.
PUNCT_DOUBT = 0.03
# Below this many characters a body is not judged here (trafilatura is asked under 120).
MIN_DOUBT_SIZE = 200

_PUNCT = re.compile(r"[，。！？；：、]")


def link_share(lines: list[Line]) -> float:
    size = sum(line.size for line in lines)
    return sum(line.links for line in lines) / size if size else 0.0


def doubt(lines: list[Line]) -> str | None:
    """Why a body does not read like an article by itself, or None."""
    if sum(line.size for line in lines) < MIN_DOUBT_SIZE:
        return None
    if link_share(lines) > LINK_DOUBT:
        return "links"
    text = "".join(line.text for line in lines)
    han = len(HAN.findall(text))
    if han >= MIN_DOUBT_SIZE and len(_PUNCT.findall(text)) < PUNCT_DOUBT * han:
        return "punctuation"
    return None


def weight(lines: list[Line]) -> float:
    """How much article text a reading carries by its lines' scores."""
    return sum(line_score(line) for line in lines)


def support(lines: list[Line]) -> float:
    """A reading's weight on its share of characters outside links."""
    return weight(lines) * (1.0 - link_share(lines))


def readability_lines(html: str) -> list[Line]:
    """readability-lxml's reading of the page as block lines, cut where an article is over."""
    from lxml import etree
    from readability import Document as Readability
    from readability.readability import Unparseable

    from auditor.ingest.html import parse_html  # html.py imports this module

    try:
        summary = Readability(html).summary(html_partial=True)
        lines = lines_of(parse_html(summary))
    except (Unparseable, etree.LxmlError, ValueError):
        return []
    return cut_at_end(lines, [line_score(line) for line in lines])


def _found(page: list[Line], other: list[Line]) -> list[int]:
    """Where the lines of another reading stand among the page's lines, in order."""
    where: dict[str, list[int]] = defaultdict(list)
    for i, line in enumerate(page):
        where[line.text].append(i)
    found, cursor = [], 0
    for line in other:
        places = where.get(line.text, [])
        k = bisect.bisect_left(places, cursor)
        if k < len(places):
            found.append(places[k])
            cursor = places[k] + 1
    return found


def combine(page: list[Line], start: int, end: int, box: Any, html: str, title: str) -> tuple[list[Line], str]:
    """The best supported body among ours (``page[start:end]``), readability's, and both."""
    ours = clean(page[start:end], title)
    found = _found(page, readability_lines(html))
    theirs = clean([page[i] for i in found], title)
    both = clean([page[i] for i in sorted(set(range(start, end)).union(
        i for i in found if box is None or inside(page[i], box)))], title)
    candidates = [(support(ours), "blocks", ours), (support(theirs), "readability", theirs),
                  (support(both), "blocks+readability", both)]
    best = max(candidates, key=lambda c: c[0])  # ours first: a tie keeps it
    return best[2], best[1]
