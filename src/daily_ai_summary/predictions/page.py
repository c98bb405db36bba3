"""The Hugo page that shows the chart and the per-event figures. Pure: text in, text out.

Event names come from posts (an LLM wrote them), so they are escaped for a Markdown table
cell. The page has no date or other run-dependent field: the same posts give the same bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePosixPath

from daily_ai_summary.post import escape_inline
from daily_ai_summary.predictions.chart import describe
from daily_ai_summary.predictions.tracker import Forecast, format_change, format_value, summarise

PAGE_TITLE = "GPT predicts future events: the record"


def chart_url(chart_path: str) -> str:
    """Where the site serves ``chart_path``: files under Hugo's ``static/``, Astro's and
    Eleventy's ``public/`` and MkDocs' ``docs/`` are served from the site root."""
    parts = PurePosixPath(chart_path).parts
    return "/" + "/".join(
        parts[1:] if parts and parts[0] in ("static", "public", "docs") else parts
    )


def _cell(text: str) -> str:
    return escape_inline(text).replace("|", "\\|")


def render_page(forecasts: Sequence[Forecast], *, chart_path: str) -> str:
    """The page's Markdown, front matter included."""
    forecasts = sorted(forecasts, key=lambda f: (f.post, f.event, f.path, f.value))
    lines = [
        "---",
        f'title: "{PAGE_TITLE}"',
        "draft: false",
        "---",
        "",
        "Every post of this blog ends with a forecast: when each event will happen. This page "
        "collects them all, so you can see whether they drift. It is rebuilt with each new post.",
        "",
        f"![{_cell(describe(forecasts))}]({chart_url(chart_path)})",
        "",
    ]
    summaries = summarise(forecasts)
    if summaries:
        lines += [
            "| event | latest | 30-day median | change since 90 days ago | predictions |",
            "|---|---|---|---|---|",
        ]
        for s in summaries:
            latest = f"{s.latest.when} ({s.latest.post.isoformat()})"
            lines.append(
                f"| {_cell(s.event)} | {_cell(latest)} | {format_value(s.median)} | "
                f"{format_change(s.change)} | {s.count} |"
            )
        lines.append("")
    return "\n".join(lines)
