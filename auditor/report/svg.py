"""Inline SVG charts for the batch report: no JavaScript, no external resources (reports are
read on closed networks). Every label is escaped."""
from __future__ import annotations

from html import escape
from typing import Sequence

PALETTE = ("#c0392b", "#2e86c1", "#8e44ad", "#d68910", "#17a589", "#566573", "#cb4335", "#1f618d")
LABEL_W, BAR_H, GAP, WIDTH = 190, 16, 6, 720


def _label(text: str, limit: int = 14) -> str:
    return escape(text if len(text) <= limit else text[: limit - 1] + "…")


def stacked_bars(title: str, rows: Sequence[tuple[str, dict[str, float]]], series: Sequence[str],
                 unit: str = "") -> str:
    """Horizontal stacked bars: one row per label, one colour per series (e.g. family)."""
    top = 28 + (18 if series else 0)
    height = top + len(rows) * (BAR_H + GAP) + 10
    biggest = max((sum(v.values()) for _, v in rows), default=0) or 1
    scale = (WIDTH - LABEL_W - 60) / biggest
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{WIDTH}" height="{height}" '
             f'viewBox="0 0 {WIDTH} {height}" aria-label="{escape(title)}">',
             f'<text x="0" y="16" font-size="14" font-weight="bold">{escape(title)}</text>']
    for i, name in enumerate(series):
        x = LABEL_W + i * 90
        parts.append(f'<rect x="{x}" y="24" width="10" height="10" fill="{PALETTE[i % len(PALETTE)]}"/>'
                     f'<text x="{x + 14}" y="33" font-size="11">{escape(name)}</text>')
    for r, (label, values) in enumerate(rows):
        y = top + r * (BAR_H + GAP)
        parts.append(f'<text x="{LABEL_W - 6}" y="{y + 12}" font-size="12" text-anchor="end">{_label(label)}</text>')
        x = float(LABEL_W)
        for i, name in enumerate(series):
            w = values.get(name, 0) * scale
            if w > 0:
                parts.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{BAR_H}" '
                             f'fill="{PALETTE[i % len(PALETTE)]}"><title>{escape(label)} {escape(name)}: '
                             f'{values.get(name, 0):g}{escape(unit)}</title></rect>')
                x += w
        parts.append(f'<text x="{x + 4:.1f}" y="{y + 12}" font-size="11">{sum(values.values()):g}{escape(unit)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def bars_with_limit(title: str, rows: Sequence[tuple[str, float | None, float | None]], *, unit: str = "",
                    maximum: float | None = None, higher_is_better: bool = False) -> str:
    """One bar per label with its own limit drawn as a tick; bars on the wrong side of the
    limit are red. ``None`` values are shown as 不可用 / 无数据."""
    top = 28
    height = top + len(rows) * (BAR_H + GAP) + 10
    biggest = maximum or max([v for _, v, _ in rows if v is not None] + [l for _, _, l in rows if l is not None] + [1])
    scale = (WIDTH - LABEL_W - 80) / biggest
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{WIDTH}" height="{height}" '
             f'viewBox="0 0 {WIDTH} {height}" aria-label="{escape(title)}">',
             f'<text x="0" y="16" font-size="14" font-weight="bold">{escape(title)}</text>']
    for r, (label, value, limit) in enumerate(rows):
        y = top + r * (BAR_H + GAP)
        parts.append(f'<text x="{LABEL_W - 6}" y="{y + 12}" font-size="12" text-anchor="end">{_label(label)}</text>')
        if value is None:
            parts.append(f'<text x="{LABEL_W}" y="{y + 12}" font-size="11" fill="#777">无数据</text>')
            continue
        bad = limit is not None and (value < limit if higher_is_better else value > limit)
        w = min(value, biggest) * scale
        colour = "#c0392b" if bad else "#27ae60"
        parts.append(f'<rect x="{LABEL_W}" y="{y}" width="{w:.1f}" height="{BAR_H}" fill="{colour}">'
                     f'<title>{escape(label)}: {value:g}{escape(unit)}</title></rect>'
                     f'<text x="{LABEL_W + w + 4:.1f}" y="{y + 12}" font-size="11">{value:g}{escape(unit)}</text>')
        if limit is not None:
            lx = LABEL_W + min(limit, biggest) * scale
            parts.append(f'<line x1="{lx:.1f}" y1="{y - 2}" x2="{lx:.1f}" y2="{y + BAR_H + 2}" stroke="#000" '
                         f'stroke-width="2"><title>要求 {limit:g}{escape(unit)}</title></line>')
    parts.append("</svg>")
    return "".join(parts)
