"""Site presets: Hugo, Jekyll, MkDocs Material, Astro and Eleventy blogs.

``resolve_site`` picks the preset (the config's ``site:``, else detected from the repository)
and moves the default post path to the preset's; ``presets.PRESETS`` is the table.
"""

from __future__ import annotations

from pathlib import Path

from daily_ai_summary.config import Config, SiteName, adjust_for_hugo_site
from daily_ai_summary.sites.detect import detect_site
from daily_ai_summary.sites.presets import PRESETS, SITE_NAMES, Preset, preset


def resolve_site(repo: Path, config: Config) -> tuple[Config, Preset, str | None]:
    """The config with the preset's default post path (unless ``post.path`` is set), the
    preset, and a note for the log (None when the default Hugo layout applies unchanged)."""
    name: SiteName = config.site if config.site is not None else detect_site(repo)
    chosen = PRESETS[name]
    if name == "hugo":
        config, note = adjust_for_hugo_site(repo, config)
        return config, chosen, note
    how = "set by site" if config.site is not None else "detected"
    note = f"site: {name} ({how})"
    if not config.is_explicit("post.path"):
        post = config.post.model_copy(update={"path": chosen.post_path})
        config = config.model_copy(update={"post": post})
        note += f"; writing posts to {chosen.post_path}"
    tracker = {
        key: value
        for key, value in (("chart", chosen.chart), ("page", chosen.page))
        if not config.is_explicit(f"predictions.{key}")
    }
    if tracker:
        predictions = config.predictions.model_copy(update=tracker)
        config = config.model_copy(update={"predictions": predictions})
    return config, chosen, note


__all__ = ["PRESETS", "SITE_NAMES", "Preset", "SiteName", "detect_site", "preset", "resolve_site"]
