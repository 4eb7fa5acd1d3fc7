"""Bar charts drawn on the server as inline SVG: no script, nothing fetched from elsewhere (the CSP
allows only this site's scripts), readable at a glance and printable."""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Okabe-Ito: colours told apart by readers with colour-vision deficiency too.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#999999")

WIDTH = 760
LABEL_W = 160
NOTE_W = 110
TOP = 46
FONT = 'font-family="Roboto, Arial, sans-serif"'


@dataclass(frozen=True)
class Series:
    name: str
    values: list[int]
    color: str


def _ticks(maximum: int) -> list[int]:
    if maximum <= 5:
        return list(range(0, maximum + 1))
    step = 10 ** math.floor(math.log10(maximum))
    for factor in (1, 2, 5, 10):
        if maximum / (step * factor) <= 5:
            step *= factor
            break
    return list(range(0, maximum + 1, step))


def hbar_chart(
    *,
    chart_id: str,
    title: str,
    categories: list[str],
    series: list[Series],
    stacked: bool,
    notes: list[str] | None = None,
) -> SafeString:
    """Horizontal bars, one group per category: stacked (parts of a whole) or side by side.

    ``notes`` adds a short text at the end of each category's bars (e.g. "2 terlambat").
    """
    legend, x, y = [], 0, 24
    for s in series:  # legend entries wrap onto as many lines as they need
        needed = 22 + 6.5 * len(s.name)
        if x and x + needed > WIDTH:
            x, y = 0, y + 18
        legend.append((x, y, s))
        x += needed
    top = y + TOP - 24
    per_row = 24 if stacked else 12 * len(series) + 10
    height = top + per_row * len(categories) + 28
    plot_w = WIDTH - LABEL_W - NOTE_W
    totals = [
        sum(s.values[i] for s in series) if stacked else max(s.values[i] for s in series)
        for i in range(len(categories))
    ]
    maximum = math.ceil(max([*totals, 1]))  # values may be fractions (a median of working days)
    ticks = _ticks(maximum)
    scale = plot_w / max(ticks[-1], maximum)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="sk-svg-chart" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" role="img" aria-labelledby="{chart_id}-title" {FONT} font-size="12">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<text x="0" y="16" font-size="15" font-weight="600">{escape(title)}</text>',
    ]
    for lx, ly, s in legend:
        parts.append(f'<rect x="{lx:.0f}" y="{ly}" width="12" height="12" fill="{s.color}"/>')
        parts.append(f'<text x="{lx + 16:.0f}" y="{ly + 10}">{escape(s.name)}</text>')
    bottom = top + per_row * len(categories)
    for tick in ticks:
        tx = LABEL_W + tick * scale
        parts.append(f'<line x1="{tx:.1f}" y1="{top - 4}" x2="{tx:.1f}" y2="{bottom}" stroke="#ddd"/>')
        parts.append(f'<text x="{tx:.1f}" y="{bottom + 16}" text-anchor="middle" fill="#555">{tick}</text>')
    for i, category in enumerate(categories):
        y = top + i * per_row
        parts.append(
            f'<text x="{LABEL_W - 8}" y="{y + (per_row - 6) / 2 + 4:.1f}" text-anchor="end">{escape(category)}</text>'
        )
        bx = LABEL_W
        for k, s in enumerate(series):
            value = s.values[i]
            w = value * scale
            if stacked:
                rect_y, rect_h = y + 3, per_row - 10
            else:
                rect_y, rect_h = y + 2 + k * 12, 10
                bx = LABEL_W
            if value:
                parts.append(
                    f'<rect x="{bx:.1f}" y="{rect_y}" width="{w:.1f}" height="{rect_h}" fill="{s.color}">'
                    f"<title>{escape(category)} — {escape(s.name)}: {value}</title></rect>"
                )
            if not stacked:
                parts.append(f'<text x="{bx + w + 4:.1f}" y="{rect_y + 9}" font-size="10" fill="#333">{value}</text>')
            if stacked:
                bx += w
        end = LABEL_W + totals[i] * scale
        if stacked:
            parts.append(f'<text x="{end + 4:.1f}" y="{y + (per_row - 6) / 2 + 4:.1f}" fill="#333">{totals[i]}</text>')
        if notes and notes[i]:
            parts.append(
                f'<text x="{WIDTH - NOTE_W + 8}" y="{y + (per_row - 6) / 2 + 4:.1f}" fill="#b00020" '
                f'font-weight="600">{escape(notes[i])}</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text above is escaped; numbers and colours are ours


def dashboard_charts(data: dict) -> list[SafeString]:
    """The province dashboard's two charts: proposals in progress by stage, and sentra vs pengelola with an SK."""
    rows = data["rows"]
    categories = [r.region.name for r in rows]
    progress = hbar_chart(
        chart_id="chart-berjalan",
        title="Usulan berjalan per tahap",
        categories=categories,
        series=[
            Series(label, [r.per_tahap[code] for r in rows], PALETTE[i % len(PALETTE)])
            for i, (code, label) in enumerate(data["stages"])
        ],
        stacked=True,
        notes=[f"{r.terlambat} terlambat" if r.terlambat else "" for r in rows],
    )
    coverage = hbar_chart(
        chart_id="chart-sk",
        title="Sentra dan pengelola dengan SK berlaku",
        categories=categories,
        series=[
            Series("Sentra", [r.sentra for r in rows], "#999999"),
            Series("Pengelola dengan SK berlaku", [r.pengelola_ber_sk for r in rows], "#009E73"),
        ],
        stacked=False,
    )
    return [progress, coverage]
