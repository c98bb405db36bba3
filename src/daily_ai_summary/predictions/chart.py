"""The forecasts as one standalone SVG: post date on x, predicted date on y, a series of
dots per event and its 30-day rolling median as a line. Pure: forecasts in, text out.

Written by hand (about a hundred lines) rather than with a charting library: the output must
be byte-for-byte the same for the same posts (a re-run must find nothing to commit), carry no
script, follow the reader's light or dark theme (``prefers-color-scheme`` in an embedded
``<style>``), and stay small (a thousand posts are one ``<path>`` of dots per event, not
thousands of elements). pygal gives each chart a random id and links its own JavaScript;
matplotlib would add about 60 MB to the image for a line and some dots.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date as Date
from datetime import timedelta
from xml.sax.saxutils import escape, quoteattr

from daily_ai_summary.predictions.tracker import (
    Forecast,
    events_in,
    format_change,
    format_value,
    rolling_median,
    summarise,
)

WIDTH, HEIGHT = 860, 460
LEFT, RIGHT, TOP, BOTTOM = 64, 24, 48, 96
# Mid-luminance colours that read on a white and on a near-black background alike.
PALETTE = ("#3b82f6", "#f97316", "#22c55e", "#d946ef", "#ef4444", "#14b8a6", "#eab308", "#8b5cf6")
MAX_SERIES = len(PALETTE)

STYLE = (
    "text{font:12px -apple-system,'Segoe UI',Helvetica,Arial,sans-serif;fill:#1f2328}"
    ".bg{fill:#ffffff}.grid{stroke:#d0d7de;stroke-width:1}.axis{stroke:#57606a;stroke-width:1}"
    ".muted{fill:#57606a}.title{font-size:15px;font-weight:600}"
    ".dots{fill:none;stroke-linecap:round;stroke-width:4;stroke-opacity:.5}"
    ".median{fill:none;stroke-width:2.5;stroke-linejoin:round}"
    "@media (prefers-color-scheme:dark){text{fill:#e6edf3}.bg{fill:#0d1117}"
    ".grid{stroke:#30363d}.axis{stroke:#8b949e}.muted{fill:#8b949e}}"
)


def _num(x: float) -> str:
    text = f"{x:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _year_step(span: float) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 500):
        if span / step <= 8:
            return step
    return 1000


def describe(forecasts: Sequence[Forecast]) -> str:
    """The chart in words (its text alternative)."""
    if not forecasts:
        return "No predictions with a readable date yet."
    first, last = forecasts[0].post, forecasts[-1].post
    posts = len({f.path for f in forecasts})
    parts = [
        f"{len(forecasts)} predictions from {posts} posts, {first.isoformat()} to {last.isoformat()}."
    ]
    for s in summarise(forecasts):
        parts.append(
            f"{s.event}: latest {format_value(s.latest.value)} ({s.latest.post.isoformat()}), "
            f"30-day median {format_value(s.median)}, change since 90 days ago "
            f"{format_change(s.change)}, {s.count} predictions."
        )
    return " ".join(parts)


def render_svg(forecasts: Sequence[Forecast], *, title: str = "GPT predicts future events") -> str:
    """The chart as SVG text. The same forecasts give the same bytes."""
    forecasts = sorted(forecasts, key=lambda f: (f.post, f.event, f.path, f.value))
    desc = describe(forecasts)
    heading = f"{title}: predictions over time"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="t d">',
        f'<title id="t">{escape(heading)}</title>',
        f'<desc id="d">{escape(desc)}</desc>',
        f"<style>{STYLE}</style>",
        f'<rect class="bg" width="{WIDTH}" height="{HEIGHT}" rx="6"/>',
        f'<text class="title" x="{LEFT}" y="28">{escape(heading)}</text>',
    ]
    x0, x1, y0, y1 = LEFT, WIDTH - RIGHT, HEIGHT - BOTTOM, TOP
    if not forecasts:
        out.append(f'<text class="muted" x="{LEFT}" y="{HEIGHT // 2}">{escape(desc)}</text>')
        return "\n".join([*out, "</svg>"]) + "\n"

    first, last = forecasts[0].post, forecasts[-1].post
    if last == first:
        first, last = first - timedelta(days=1), last + timedelta(days=1)
    days = (last - first).days
    values = [f.value for f in forecasts]
    step = _year_step(max(values) - min(values) or 1)
    lo = math.floor(min(values) / step) * step
    hi = math.ceil(max(values) / step) * step
    hi = hi if hi > lo else lo + step

    def px(day: Date) -> str:
        return _num(x0 + (x1 - x0) * (day - first).days / days)

    def py(value: float) -> str:
        return _num(y0 - (y0 - y1) * (value - lo) / (hi - lo))

    # horizontal grid: predicted years
    for year in range(int(lo), int(hi) + 1, step):
        y = py(year)
        out.append(f'<path class="grid" d="M{x0} {y}H{x1}"/>')
        out.append(
            f'<text class="muted" x="{x0 - 8}" y="{y}" dy="4" text-anchor="end">{year}</text>'
        )
    # x ticks: years, or quarters when the posts span less than two years
    ticks = [Date(y, m, 1) for y in range(first.year, last.year + 2) for m in (1, 4, 7, 10)]
    ticks = [t for t in ticks if first <= t <= last and (days < 730 or t.month == 1)]
    for t in ticks:
        x = px(t)
        label = t.strftime("%Y") if t.month == 1 else t.strftime("%Y-%m")
        out.append(f'<path class="axis" d="M{x} {y0}v5"/>')
        out.append(f'<text class="muted" x="{x}" y="{y0 + 18}" text-anchor="middle">{label}</text>')
    out.append(f'<path class="axis" d="M{x0} {y0}H{x1}M{x0} {y0}V{y1}"/>')
    out.append(
        f'<text class="muted" x="{(x0 + x1) // 2}" y="{y0 + 36}" text-anchor="middle">post date'
        "</text>"
    )
    out.append(
        f'<text class="muted" transform="translate(16 {(y0 + y1) // 2}) rotate(-90)" '
        'text-anchor="middle">predicted date</text>'
    )

    events = events_in(forecasts)
    shown, rest = events[:MAX_SERIES], events[MAX_SERIES:]
    legend_y = y0 + 58
    legend_x = float(LEFT)
    for colour, event in zip(PALETTE, shown, strict=False):
        series = [f for f in forecasts if f.event == event]
        dots = "".join(f"M{px(f.post)} {py(f.value)}h0" for f in series)
        line = " ".join(f"{px(d)},{py(v)}" for d, v in rolling_median(series))
        name = quoteattr(event)
        out.append(f'<g aria-label={name}><path class="dots" stroke="{colour}" d="{dots}"/>')
        out.append(f'<polyline class="median" stroke="{colour}" points="{line}"/></g>')
        label = event if len(event) <= 48 else event[:47] + "…"
        if legend_x > LEFT and legend_x + 48 + 7 * len(label) > x1:
            legend_x, legend_y = float(LEFT), legend_y + 16
        out.append(
            f'<path d="M{_num(legend_x)} {legend_y - 4}h18" stroke="{colour}" stroke-width="3"/>'
        )
        out.append(f'<text x="{_num(legend_x + 24)}" y="{legend_y}">{escape(label)}</text>')
        legend_x += 24 + 7 * len(label) + 24
    note = "dots: one prediction each; lines: 30-day rolling median"
    if rest:
        note += f"; {len(rest)} more events not shown"
    out.append(f'<text class="muted" x="{LEFT}" y="{HEIGHT - 10}">{escape(note)}</text>')
    return "\n".join([*out, "</svg>"]) + "\n"
