"""Choose what the post is about: filter, rank, dedupe against each other and against history.

Pure: candidates, config and history in; a ``Selection`` out. No I/O, no clock, no randomness,
and the result does not depend on the order candidates arrive in.

Per section:
1. **Filters** drop removed/deleted posts, NSFW posts, stickied posts and recurring threads
   (self-promotion, simple questions, hiring, weekly/monthly threads), and posts scoring below
   ``min-score`` (the source's own, else ``selection.min-score``; sources without scores are
   exempt).
2. **Rank** within each source, so sources with different scales compete fairly (a section's
   ``fallback`` sources rank after all of its own sources): a scored
   source uses the percentile of the score (70%) and of the comment count (30%) among that
   source's remaining candidates; a source without scores (feeds, arXiv) uses recency. The
   reason is kept in ``Candidate.rank_reason``. Ties break on score, comments, newer first,
   then source and id.
3. **Dedupe**, best first: a candidate is dropped when an earlier post covered it (similar
   title), when a better-ranked candidate has the same link (normalised URL) or a near-identical
   title, or (trending) when it was chosen for consequences.
4. The first ``count`` remaining are chosen; the next few are runners-up for later
   replacements. An empty section is a ``SelectionError`` saying why.
"""

from __future__ import annotations

import difflib
import functools
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Literal
from urllib.parse import parse_qsl, urlencode, urlsplit

from pydantic import BaseModel, Field

from daily_ai_summary.config import Config
from daily_ai_summary.errors import SelectionError
from daily_ai_summary.history import CoveredTitle
from daily_ai_summary.models import Candidate, Section, SourceReport

SECTIONS: tuple[Section, ...] = ("consequences", "trending")
RUNNERS_UP = 5
SCORELESS_TYPES = frozenset({"feed", "arxiv"})  # sources that report no votes
SCORE_WEIGHT = 0.7
COMMENTS_WEIGHT = 0.3
TITLE_JACCARD = 0.8
TITLE_RATIO = 0.9

DropKind = Literal[
    "removed", "nsfw", "stickied", "recurring", "min-score", "covered", "duplicate", "chosen"
]
_KIND_SUMMARY: dict[str, str] = {
    "removed": "removed or deleted",
    "nsfw": "marked NSFW",
    "stickied": "stickied",
    "recurring": "recurring threads",
    "min-score": "below min-score",
    "covered": "covered recently",
    "duplicate": "duplicates",
    "chosen": "already chosen for consequences",
}


class Dropped(BaseModel):
    """A candidate that was filtered out, and why (for the job summary and the dry view)."""

    section: Section
    kind: DropKind
    reason: str
    candidate: Candidate


class Selection(BaseModel):
    """What the post will be about."""

    consequences: list[Candidate]
    trending: list[Candidate]
    runners_up: dict[Section, list[Candidate]] = Field(default_factory=dict)
    dropped: list[Dropped] = Field(default_factory=list)

    def chosen(self, section: Section) -> list[Candidate]:
        return self.consequences if section == "consequences" else self.trending


# --------------------------------------------------------------------------------------------
# normalisation


_TRACKING = frozenset(
    {
        "fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid", "ref", "ref_src",
        "ref_url", "_hsenc", "_hsmi", "share_id", "rdt", "si", "utm",
    }
)  # fmt: skip
_ARXIV_ID = re.compile(r"(\d{4}\.\d{4,5})(?:v\d+)?(?:\.pdf)?$")
_REDDIT_POST = re.compile(r"^/(?:r/[^/]+/)?comments/([a-z0-9]+)", re.I)


def normalize_url(url: str | None) -> str | None:
    """A comparison key for a link: no scheme, ``www.``, fragment, trailing slash or tracking
    parameters; arXiv/Hugging Face paper links and reddit permalinks reduced to their id.
    None for an empty or bare-domain link (two posts linking a homepage are not duplicates)."""
    if not url or not url.strip():
        return None
    parts = urlsplit(url.strip() if "://" in url else "https://" + url.strip())
    host = (parts.hostname or "").lower().rstrip(".")
    if not host:
        return None
    for prefix in ("www.", "m.", "old.", "new."):
        if host.startswith(prefix) and host.count(".") >= 2:
            host = host[len(prefix) :]
    path = re.sub(r"/{2,}", "/", parts.path).rstrip("/")
    if host in {"arxiv.org", "export.arxiv.org", "huggingface.co", "alphaxiv.org"}:
        m = _ARXIV_ID.search(path)
        if m and (host != "huggingface.co" or path.startswith("/papers/")):
            return f"arxiv:{m.group(1)}"
    if host == "redd.it" and path:
        return f"reddit:{path.strip('/').lower()}"
    if host.endswith("reddit.com"):
        m = _REDDIT_POST.match(path)
        if m:
            return f"reddit:{m.group(1).lower()}"
    if host == "youtu.be" and path:
        return f"youtube:{path.strip('/')}"
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith("utm_") and k.lower() not in _TRACKING
    ]
    if host.endswith("youtube.com") and path == "/watch":
        video = dict(query).get("v")
        if video:
            return f"youtube:{video}"
    if not path and not query:
        return None
    key = host + path
    if query:
        key += "?" + urlencode(sorted(query))
    return key


@functools.lru_cache(maxsize=8192)
def normalize_title(title: str) -> str:
    """Lower case, compatibility-normalised, punctuation as spaces, whitespace collapsed."""
    text = unicodedata.normalize("NFKC", title).casefold()
    text = re.sub(r"[^\w]+", " ", text)
    return " ".join(text.split())


def similar_titles(a: str, b: str) -> bool:
    """Near-identical titles: same normalised text, or the same numbers (versions, years: "GPT-4"
    is not "GPT-5") and word-set Jaccard >= 0.8 (3+ words) or difflib ratio >= 0.9."""
    na, nb = normalize_title(a), normalize_title(b)
    if not na or not nb:
        return False
    if na == nb:
        return True
    ta, tb = set(na.split()), set(nb.split())
    if {t for t in ta if any(ch.isdigit() for ch in t)} != {
        t for t in tb if any(ch.isdigit() for ch in t)
    }:
        return False
    union = ta | tb
    if len(union) >= 3 and len(ta & tb) / len(union) >= TITLE_JACCARD:
        return True
    matcher = difflib.SequenceMatcher(None, na, nb, autojunk=False)
    return (
        matcher.real_quick_ratio() >= TITLE_RATIO
        and matcher.quick_ratio() >= TITLE_RATIO
        and matcher.ratio() >= TITLE_RATIO
    )


# --------------------------------------------------------------------------------------------
# filters


_RECURRING = re.compile(
    r"""
    \bself[- ]?promotion\s+thread\b
  | \bsimple\s+questions?\s+thread\b
  | \bwho(?:'|’)?s\s+hiring\b | \bwho\s+is\s+hiring\b | \bwho\s+wants\s+to\s+be\s+hired\b
  | \bmega[- ]?thread\b
  | \b(?:daily|weekly|bi-?weekly|monthly)\s+(?:\S+\s+){0,3}(?:thread|discussion)\b
    """,
    re.I | re.X,
)
_GONE = {"[deleted]", "[removed]", "[deleted by user]"}


def _hard_filter(c: Candidate, min_score: float | None) -> tuple[DropKind, str] | None:
    if c.removed or c.title.strip().lower() in _GONE or c.text.strip().lower() in _GONE:
        return "removed", "removed or deleted"
    if c.nsfw:
        return "nsfw", "marked NSFW"
    if c.stickied:
        return "stickied", "stickied post"
    for title in (c.raw_title, c.title):
        m = _RECURRING.search(title or "")
        if m:
            return "recurring", f"recurring thread ({m.group(0).strip()!r})"
    if min_score is not None and c.score < min_score:
        return "min-score", f"score {_num(c.score)} below min-score {_num(min_score)}"
    return None


def _scored(source_type: str, group: Sequence[Candidate]) -> bool:
    if source_type in SCORELESS_TYPES:
        return False
    return any(c.score or c.comments for c in group)


# --------------------------------------------------------------------------------------------
# ranking


def _percentile(value: float, values: Sequence[float]) -> float:
    """Share of the *other* values that ``value`` is at least as large as (1.0 = the best)."""
    if len(values) <= 1:
        return 1.0
    at_most = sum(1 for v in values if v <= value) - 1
    return at_most / (len(values) - 1)


def _utc(moment: datetime) -> datetime:
    """Aware UTC; a naive time is taken as UTC (never as the machine's local time)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _ts(c: Candidate) -> float:
    return -math.inf if c.created is None else _utc(c.created).timestamp()


def _comments(n: int) -> str:
    return f"{n} comment" if n == 1 else f"{n} comments"


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:.1f}"


def rank(candidates: Sequence[Candidate]) -> list[Candidate]:
    """Copies of ``candidates`` with ``rank`` and ``rank_reason`` set, best first.

    Ranks are relative to each candidate's own source (``Candidate.source``)."""
    groups: dict[tuple[str, str], list[Candidate]] = {}
    for c in candidates:
        groups.setdefault((c.source, c.source_type), []).append(c)
    out: list[Candidate] = []
    for (source, source_type), group in groups.items():
        n = len(group)
        if _scored(source_type, group):
            scores = [c.score for c in group]
            comments = [float(c.comments) for c in group]
            for c in group:
                ps, pc = _percentile(c.score, scores), _percentile(c.comments, comments)
                where = f"only item in {source}" if n == 1 else f"p{round(ps * 100)} in {source}"
                reason = f"score {_num(c.score)} ({where}), {_comments(c.comments)}"
                if n > 1:
                    reason += f" (p{round(pc * 100)})"
                value = SCORE_WEIGHT * ps + COMMENTS_WEIGHT * pc
                out.append(c.model_copy(update={"rank": round(value, 6), "rank_reason": reason}))
        else:
            times = [_ts(c) for c in group]
            for c in group:
                if c.created is None:
                    value, reason = 0.0, f"no date, no score (in {source})"
                else:
                    value = _percentile(_ts(c), times)
                    when = _utc(c.created).strftime("%Y-%m-%d %H:%M UTC")
                    where = (
                        f"only item in {source}" if n == 1 else f"p{round(value * 100)} in {source}"
                    )
                    reason = f"no score; ranked by recency: {when} ({where})"
                out.append(c.model_copy(update={"rank": round(value, 6), "rank_reason": reason}))
    out.sort(key=_order)
    return out


def _order(c: Candidate) -> tuple[float, float, int, float, str, str, str, str]:
    return (-c.rank, -c.score, -c.comments, -_ts(c), c.source, c.id, c.url, c.title)


# --------------------------------------------------------------------------------------------
# selection


def select(
    candidates: Mapping[Section, Sequence[Candidate]],
    config: Config,
    history: Iterable[CoveredTitle] = (),
    *,
    runners_up: int = RUNNERS_UP,
) -> Selection:
    """Choose ``count`` candidates per section. Raises ``SelectionError`` when a section has
    nothing left, naming how many candidates were dropped for which reason."""
    covered = list(history)
    dropped: list[Dropped] = []
    chosen: dict[Section, list[Candidate]] = {}
    spare: dict[Section, list[Candidate]] = {}
    for section in SECTIONS:
        settings = config.section(section)
        configured = (*settings.sources, *settings.fallback)
        min_scores = {s.label: s.min_score for s in reversed(configured)}
        # a fallback source's items rank after the section's own (it is read only when they
        # fell short)
        later = {s.label for s in settings.fallback} - {s.label for s in settings.sources}
        pool: list[Candidate] = []
        groups: dict[tuple[str, str], list[Candidate]] = {}
        for c in candidates.get(section, ()):
            groups.setdefault((c.source, c.source_type), []).append(c)
        for (source, source_type), group in sorted(groups.items()):
            own = min_scores.get(source)
            floor = own if own is not None else config.selection.min_score
            scored = _scored(source_type, group)
            for c in sorted(group, key=lambda c: (c.id, c.url, c.title)):
                why = _hard_filter(c, floor if scored else None)
                if why:
                    dropped.append(
                        Dropped(section=section, kind=why[0], reason=why[1], candidate=c)
                    )
                else:
                    pool.append(c)
        kept: list[Candidate] = []
        earlier = chosen.get("consequences", []) if section == "trending" else []
        ranked = rank([c for c in pool if c.source not in later])
        ranked += rank([c for c in pool if c.source in later])
        for c in ranked:
            why = _duplicate(c, covered, kept, earlier)
            if why:
                dropped.append(Dropped(section=section, kind=why[0], reason=why[1], candidate=c))
            else:
                kept.append(c)
        chosen[section] = kept[: settings.count]
        spare[section] = kept[settings.count :]
        if not chosen[section]:
            raise SelectionError(_empty(section, candidates.get(section, ()), dropped))
    # a consequences runner-up must not bring back what trending now shows
    spare["consequences"] = [
        c for c in spare["consequences"] if not _duplicate(c, [], [], chosen["trending"])
    ]
    return Selection(
        consequences=chosen["consequences"],
        trending=chosen["trending"],
        runners_up={s: spare[s][:runners_up] for s in SECTIONS},
        dropped=dropped,
    )


def _keys(c: Candidate) -> set[str]:
    return {k for k in (normalize_url(c.url), normalize_url(c.link)) if k}


def _duplicate(
    c: Candidate,
    covered: Sequence[CoveredTitle],
    kept: Sequence[Candidate],
    elsewhere: Sequence[Candidate],
) -> tuple[DropKind, str] | None:
    for old in covered:
        if similar_titles(c.title, old.title):
            return "covered", f"covered on {old.date.isoformat()}: {_quote(old.title)}"
    keys = _keys(c)
    for kind, others in (("chosen", elsewhere), ("duplicate", kept)):
        for other in others:
            if keys & _keys(other):
                how = "same link"
            elif similar_titles(c.title, other.title):
                how = "similar title"
            else:
                continue
            if kind == "chosen":
                return "chosen", f"already chosen for consequences ({how}): {_quote(other.title)}"
            return "duplicate", f"duplicate ({how}) of {_quote(other.title)} from {other.source}"
    return None


def _quote(title: str, limit: int = 80) -> str:
    title = " ".join(title.split())
    return repr(title if len(title) <= limit else title[: limit - 1] + "…")


def _empty(section: Section, fetched: Sequence[Candidate], dropped: Sequence[Dropped]) -> str:
    if not fetched:
        return f"no candidates left for {section}: its sources returned nothing for this day"
    counts = Counter(d.kind for d in dropped if d.section == section)
    parts = [f"{n} dropped as {_KIND_SUMMARY[k]}" for k, n in sorted(counts.items())]
    return f"no candidates left for {section}: {len(fetched)} found, " + ", ".join(parts)


# --------------------------------------------------------------------------------------------
# the `sources --date` dry view


def format_selection(
    selection: Selection,
    *,
    date: str | None = None,
    reports: Sequence[SourceReport] = (),
    max_dropped: int = 50,
) -> list[str]:
    """Plain-text lines: the sources' outcome, the chosen items per section (source, score,
    link, why), runners-up, and the dropped items with their reasons."""
    lines: list[str] = []
    if date:
        lines += [f"Sources for {date}", ""]
    if reports:
        lines.append("Sources:")
        for r in reports:
            state = f"{r.fetched} fetched" if r.ok else f"FAILED: {_line(r.error or '')}"
            tag = f"{r.section}, fallback" if r.fallback else r.section
            lines.append(f"  [{tag}] {r.source}: {state} ({r.seconds:.1f}s)")
            lines.extend(f"      warning: {_line(w)}" for w in r.warnings)
        lines.append("")
    for section in SECTIONS:
        items = selection.chosen(section)
        lines.append(f"{section.capitalize()} ({len(items)} chosen):")
        for i, c in enumerate(items, 1):
            lines.extend(_item(f"{i:>3}. ", c))
        spare = selection.runners_up.get(section, [])
        if spare:
            lines.append("  runners-up:")
            for c in spare:
                lines.extend(_item("     - ", c))
        lines.append("")
    shown = selection.dropped[:max_dropped]
    lines.append(f"Dropped ({len(selection.dropped)}):")
    for d in shown:
        lines.append(f"  - [{d.section}] {_line(d.candidate.title)} ({d.candidate.source})")
        lines.append(f"      {_line(d.reason)}")
    if len(selection.dropped) > len(shown):
        lines.append(f"  ... and {len(selection.dropped) - len(shown)} more")
    return lines


def _item(prefix: str, c: Candidate) -> list[str]:
    pad = " " * len(prefix)
    facts = [c.source]
    if c.score or c.comments:
        facts.append(f"score {_num(c.score)}, {_comments(c.comments)}")
    if c.created is not None:
        facts.append(_utc(c.created).strftime("%Y-%m-%d %H:%M UTC"))
    out = [f"{prefix}{_line(c.title)}", f"{pad}{' | '.join(facts)}", f"{pad}{_line(c.url)}"]
    if c.link and normalize_url(c.link) != normalize_url(c.url):
        out.append(f"{pad}link: {_line(c.link)}")
    if c.rank_reason:
        out.append(f"{pad}why: {_line(c.rank_reason)}")
    return out


def _line(text: str) -> str:
    """One line of untrusted text: control characters (terminal escapes) and bidi overrides
    become spaces."""
    cleaned = "".join(" " if _unsafe(ch) else ch for ch in text)
    return " ".join(cleaned.split())


def _unsafe(ch: str) -> bool:
    return (
        unicodedata.category(ch) == "Cc" or "\u202a" <= ch <= "\u202e" or "\u2066" <= ch <= "\u2069"
    )
