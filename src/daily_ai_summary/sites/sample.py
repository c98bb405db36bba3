"""A sample post per preset (docs/samples/<site>.md) and the README's table of presets.

Both are generated from ``PRESETS`` by the same code the pipeline uses (the archetype's front
matter, the post model); tests/sites/test_samples.py keeps the committed copies current.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import PurePosixPath

from daily_ai_summary.frontmatter import build_front_matter, notice_from_archetype
from daily_ai_summary.post import new_post, render
from daily_ai_summary.sites.presets import PRESETS, Preset

WHEN = datetime(2025, 4, 16, 5, 35, 33, tzinfo=UTC)
_ITEMS = [
    (
        "Sparse attention reaches 1M tokens on one GPU",
        "Long documents fit in one pass, so smaller teams can study whole code bases.",
        "Claims at this length are hard to check, and benchmarks may not transfer.",
    ),
    (
        "A {{ site.title }} {% include x.html %} <script>alert(1)</script> title stays text",
        "Every generator shows untrusted titles as they are, never as template code.",
        "A title that could run a template would leak data or break the build.",
    ),
]
_TRENDING = ["Open weights for a 12B vision-language model", "Data loaders rewritten in Rust"]
_PREDICTIONS = [
    (
        "Artificial General Intelligence (AGI)",
        "April 2035",
        "Capability, compute and funding grow.",
    ),
]


def sample_post(preset: Preset) -> str:
    """The post the pipeline writes for ``preset`` with the built-in archetype."""
    name = PurePosixPath(preset.post_path.replace("{date}", WHEN.date().isoformat())).stem
    front = build_front_matter(
        preset.archetype, date=WHEN, name=name, model_tag="gpt-4o-mini", date_key=preset.date_key
    )
    post = new_post(
        front,
        _ITEMS,
        _TRENDING,
        _PREDICTIONS,
        notice=notice_from_archetype(preset.archetype),
        braces=preset.braces,
    )
    return render(post)


def _front_matter_keys(preset: Preset) -> str:
    fm = preset.archetype.split("---\n")[1]
    keys = [line.split(":")[0] for line in fm.splitlines() if line and not line[0].isspace()]
    if "date:\n  created:" in fm:
        keys[keys.index("date")] = "date.created"
    return ", ".join(f"`{k}`" for k in keys)


def readme_table() -> str:
    """The Markdown table of presets for the README."""
    rows = [
        "| `site:` | Generator | Detected by | Post path | Front matter | Sample |",
        "|---|---|---|---|---|---|",
    ]
    for p in PRESETS.values():
        rows.append(
            f"| `{p.name}` | {p.generator} | {p.detection} | `{p.post_path}` | "
            f"{_front_matter_keys(p)} | [{p.name}.md](docs/samples/{p.name}.md) |"
        )
    return "\n".join(rows) + "\n"
