"""A section's fallback sources: when to read them, and the line that says they were used.

A section reads its own ``sources`` first. Its ``fallback`` sources are read only when one of
those failed (Reddit answers 403 to most cloud runners without OAuth) or they found fewer than
the section's ``count`` items. Fallback items rank after the section's own (``selection``).
The note names what happened and what fills the post, so a blog owner sees it in the PR body
and the job summary instead of a post that silently changed its sources. Pure.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from daily_ai_summary.config import Config
from daily_ai_summary.models import Candidate, Section, SourceReport
from daily_ai_summary.sources.base import SourceOptions

SECTIONS: tuple[Section, ...] = ("consequences", "trending")
SOURCE_NAMES = {
    "reddit": "Reddit",
    "hackernews": "Hacker News",
    "huggingface-papers": "Hugging Face papers",
    "arxiv": "arXiv",
}
REDDIT_HINT = "[[set:reddit]] for Reddit"  # rendered by the sink's wording (wording.py)


def needs_fallback(
    config: Config,
    section: Section,
    candidates: Sequence[Candidate],
    reports: Iterable[SourceReport],
) -> bool:
    """Whether ``section`` should read its fallback sources after its own ones answered."""
    settings = config.section(section)
    if not settings.fallback:
        return False
    failed = any(not r.ok for r in reports if r.section == section and not r.fallback)
    return failed or len(candidates) < settings.count


def fallback_plan(
    config: Config, sections: Iterable[Section]
) -> list[tuple[Section, SourceOptions]]:
    """The fallback sources to read for ``sections``, each distinct source once (arXiv allows
    one request every 3 s; both sections usually share the same fallback list)."""
    seen: set[str] = set()
    out: list[tuple[Section, SourceOptions]] = []
    for section in sections:
        for options in config.section(section).fallback:
            key = options.model_dump_json()
            if key not in seen:
                seen.add(key)
                out.append((section, options))
    return out


def share(
    config: Config, fetched: dict[Section, list[Candidate]], sections: Iterable[Section]
) -> dict[Section, list[Candidate]]:
    """Each section in ``sections`` gets the fetched items of every fallback source it lists
    (a source read once for both sections feeds both)."""
    by_label: dict[str, list[Candidate]] = {}
    for items in fetched.values():
        for c in items:
            by_label.setdefault(c.source, []).append(c)
    out: dict[Section, list[Candidate]] = {}
    for section in sections:
        labels = dict.fromkeys(o.label for o in config.section(section).fallback)
        out[section] = [c.model_copy() for label in labels for c in by_label.get(label, [])]
    return out


def source_name(source_type: str, label: str) -> str:
    return SOURCE_NAMES.get(source_type, label)


def _join(names: Sequence[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def fallback_note(
    config: Config,
    reports: Sequence[SourceReport],
    chosen: Iterable[Candidate],
) -> str | None:
    """One line for the PR body, the job summary and the log, or None when no fallback item
    made it into the post. E.g. "Reddit blocked this runner; items from Hacker News and
    Hugging Face papers; [[set:reddit]] for Reddit" (to render with a ``Wording``)."""
    fallback_labels = {o.label for s in SECTIONS for o in config.section(s).fallback}
    own_labels = {o.label for s in SECTIONS for o in config.section(s).sources}
    used: list[str] = []
    for c in chosen:
        if c.source in fallback_labels and c.source not in own_labels:
            name = source_name(c.source_type, c.source)
            if name not in used:
                used.append(name)
    if not used:
        return None
    failed = [r for r in reports if not r.ok and not r.fallback]
    blocked = [r for r in failed if r.blocked]
    causes: list[str] = []
    if blocked:
        causes.append("Reddit blocked this runner")
    others = [r.source for r in failed if not r.blocked]
    if others:
        causes.append(f"{_join(others)} failed")
    if not causes:
        causes.append("the sections' own sources found too few items")
    parts = ["; ".join(causes), f"items from {_join(used)}"]
    if blocked:
        parts.append(REDDIT_HINT)
    return "; ".join(parts)
