"""The chart and page a daily run adds to its commit (``predictions.tracker``, on by default).

``tracker_files`` reads every post in a folder (the run's temporary worktree, where the new
post is already written) and returns the chart and the page to commit beside it. The same
posts give the same bytes, so a re-run finds nothing new to commit. A file at either path that
this action did not write (no marker) is left alone, with a note saying so.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from daily_ai_summary.config import Config
from daily_ai_summary.errors import SummaryError
from daily_ai_summary.predictions.chart import render_svg
from daily_ai_summary.predictions.page import render_page
from daily_ai_summary.predictions.tracker import read_forecasts

CHART_MARK = "<!-- daily-ai-summary: predictions chart, rebuilt with each post -->"
PAGE_MARK = "# daily-ai-summary: predictions page, rebuilt with each post; edits are overwritten"


def tracker_files(
    root: Path, config: Config, *, extra: Mapping[str, str] | None = None
) -> tuple[dict[str, str], list[str]]:
    """(path -> text of the chart and the page, notes). Empty when the tracker is off."""
    settings = config.predictions
    if not settings.tracker:
        return {}, []
    tracked = read_forecasts(root, config, extra=extra)
    svg = render_svg(tracked.forecasts)
    svg = svg.replace(">\n", f">\n{CHART_MARK}\n", 1)  # after the <svg> start tag
    page = render_page(tracked.forecasts, chart_path=settings.chart)
    page = page.replace("---\n", f"---\n{PAGE_MARK}\n", 1)
    files: dict[str, str] = {}
    notes = list(tracked.warnings)
    for rel, text, mark, key in (
        (settings.chart, svg, CHART_MARK, "predictions.chart"),
        (settings.page, page, PAGE_MARK, "predictions.page"),
    ):
        target = root / rel
        if target.is_file() and mark not in target.read_text(encoding="utf-8", errors="replace"):
            notes.append(
                f"predictions: {rel} exists and was not written by this action; left as it is "
                f"(set {key} to another path, or predictions.tracker: false)"
            )
            continue
        if target.exists() and not target.is_file():
            notes.append(f"predictions: {rel} is not a file; left as it is")
            continue
        files[rel] = text
    return files, notes


def tracker_for(config: Config, warn: Callable[[str], None]) -> Callable[[Path], dict[str, str]]:
    """``tracker_files`` as publishing's ``derived`` hook: notes go to ``warn``, and a chart
    that cannot be built never stops the post (it is a warning, and no chart is committed)."""

    def derived(root: Path) -> dict[str, str]:
        try:
            files, notes = tracker_files(root, config)
        except (SummaryError, OSError, ValueError) as err:
            warn(f"predictions: the chart was not updated: {err}")
            return {}
        for note in notes:
            warn(note)
        return files

    return derived
