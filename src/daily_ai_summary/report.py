"""What people read about a run: the PR body (with hidden metadata for revisions), the job
summary, and the action outputs. Pure: strings in, strings out.

Everything that came from outside (titles, URLs, error texts) is escaped for the Markdown it
lands in, by GitHub's rules (mentions, references, autolinks) as well as CommonMark's (``md``);
every URL from a source goes through ``safe_url`` before it becomes a link.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote, urlsplit

from daily_ai_summary import __version__
from daily_ai_summary.models import Candidate, SourceReport, Usage

METADATA_MARK = "daily-ai-summary:metadata"
_METADATA_RE = re.compile(r"<!--\s*" + re.escape(METADATA_MARK) + r"\s+(\{.*?\})\s*-->", re.S)
EXCERPT_CHARS = 1500


_ZWSP = "\u200b"
_UNSAFE_URL_CHARS = frozenset("()<>\"'`[]{}|\\^")


def md(text: str) -> str:
    """Untrusted text inside a Markdown table cell or list line: inert, one line, by GitHub's
    rules as well as CommonMark's. Markdown and HTML syntax is backslash-escaped (no links,
    images, HTML, comments, emphasis, headings, tables). GitHub then links things in the
    rendered TEXT, where escapes are gone: ``@user`` mentions, ``#123``/``GH-123``/
    ``owner/repo#123`` references and bare ``www.``/``https://`` autolinks. Those are broken
    with a zero-width space, which people do not see and GitHub's filters do not match."""
    text = re.sub(r"\s+", " ", text or "").strip()
    text = text.replace("\\", "\\\\")
    for ch in "`*_[]<>|#~!&":
        text = text.replace(ch, "\\" + ch)
    text = text.replace("@", "@" + _ZWSP)  # no @mentions (nor team mentions)
    text = text.replace("#", "#" + _ZWSP)  # no #123 / owner/repo#123 references
    text = re.sub(r"(?i)\b(gh)-(\d)", r"\1-" + _ZWSP + r"\2", text)  # no GH-123 references
    text = re.sub(r"(?i)\b([a-z][a-z0-9+.-]*):(?=//)", r"\1:" + _ZWSP, text)  # no autolinked URLs
    text = re.sub(r"(?i)\bwww\.", "www" + _ZWSP + ".", text)  # no www. autolinks
    return text.replace("{{", "{" + _ZWSP + "{")


def safe_url(url: object) -> str | None:
    """``url`` fit to be a Markdown link target, or None. The one check every URL from a
    source goes through: scheme http or https, a host, no whitespace or control characters;
    characters that could close or break out of ``(...)`` or an HTML attribute (``()<>"'``
    and the like) are percent-encoded."""
    if not isinstance(url, str) or not url or len(url) > 2048:
        return None
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in url):
        return None
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not host or "@" in parts.netloc:
        return None
    return "".join(
        quote(ch, safe="") if ch in _UNSAFE_URL_CHARS or ord(ch) > 126 else ch for ch in url
    )


def link(text: str, url: str | None) -> str:
    target = safe_url(url)
    if target:
        return f"[{md(text)}]({target})"
    return md(text)


def _usage_line(usage: Usage, model: str) -> str:
    cost = (
        "unknown (no price for this model)" if usage.cost_usd is None else f"${usage.cost_usd:.4f}"
    )
    return f"{usage.calls} calls to `{md(model)}`, {usage.prompt_tokens} input + {usage.completion_tokens} output tokens, cost {cost}"


# --------------------------------------------------------------------------------------
# PR body + metadata
# --------------------------------------------------------------------------------------


def candidate_meta(c: Candidate) -> dict[str, Any]:
    return {
        "id": c.id,
        "source": c.source,
        "source_type": c.source_type,
        "title": c.title,
        "url": c.url,
        "link": c.link,
        "score": c.score,
        "comments": c.comments,
        "created": c.created.isoformat() if c.created else None,
        "text": (c.text or "")[:EXCERPT_CHARS],
    }


def candidate_from_meta(d: dict[str, Any]) -> Candidate:
    return Candidate(
        source=str(d.get("source") or ""),
        source_type=str(d.get("source_type") or ""),
        id=str(d.get("id") or ""),
        title=str(d.get("title") or ""),
        url=str(d.get("url") or ""),
        link=d.get("link"),
        text=str(d.get("text") or ""),
        score=float(d.get("score") or 0),
        comments=int(d.get("comments") or 0),
        created=d.get("created"),
    )


def build_metadata(
    *,
    date: str,
    post_path: str,
    items: Sequence[Candidate],
    trending: Sequence[Candidate],
    runners_up: Sequence[Candidate],
    model: str,
    provider: str,
    trending_runners_up: Sequence[Candidate] = (),
    usage: Usage | None = None,
    grounding: Sequence[float | None] = (),
    degradations: Sequence[str] = (),
) -> dict[str, Any]:
    """The hidden metadata revisions read: each item's source and excerpt, the runners-up of
    both sections (for ``replace``), the model, and the usage so far. ``grounding`` (one score
    per item) and ``degradations`` are kept there too, so a revision's new body still shows
    them."""
    items_meta = [candidate_meta(c) for c in items]
    for entry, score in zip(items_meta, grounding, strict=False):
        entry["grounding"] = score
    return {
        "version": __version__,
        "date": date,
        "post_path": post_path,
        "model": model,
        "provider": provider,
        "items": items_meta,
        "trending": [candidate_meta(c) for c in trending],
        "runners_up": [candidate_meta(c) for c in runners_up],
        "trending_runners_up": [candidate_meta(c) for c in trending_runners_up],
        "usage": usage.model_dump() if usage is not None else None,
        "degradations": list(degradations),
    }


def grounding_note(entry: dict[str, Any]) -> str:
    """`` · grounding 45%`` for an item whose metadata has a score (issue 17), else ``""``."""
    score = entry.get("grounding")
    if isinstance(score, int | float) and not isinstance(score, bool) and 0 <= score <= 1:
        return f" · grounding {score:.0%}"
    return ""


def degradation_lines(degradations: Sequence[Any]) -> list[str]:
    """The visible list of what the post has less of than asked for (issue 17)."""
    shown = [f"- {md(str(d))}" for d in degradations if str(d).strip()]
    if not shown:
        return []
    return [
        f"**Degraded ({len(shown)}):** what the writer could not do as asked; check these first.",
        "",
        *shown,
    ]


def encode_metadata(meta: dict[str, Any]) -> str:
    # "--" can't appear inside an HTML comment; JSON escapes keep the text intact.
    body = json.dumps(meta, ensure_ascii=True, separators=(",", ":"))
    body = body.replace("--", "-\\u002d").replace(">", "\\u003e").replace("<", "\\u003c")
    return f"<!-- {METADATA_MARK} {body} -->"


def decode_metadata(pr_body: str | None) -> dict[str, Any] | None:
    m = _METADATA_RE.search(pr_body or "")
    if not m:
        return None
    try:
        data = json.loads(m.group(1))
    except json.JSONDecodeError:
        return None
    return data if isinstance(data, dict) else None


def pr_body(
    meta: dict[str, Any],
    *,
    usage: Usage,
    command_prefix: str,
    run_url: str = "",
    notes: Sequence[str] = (),
) -> str:
    """The PR description: what the post is about with links to every source discussion, the
    model and its cost, how to steer it, and the hidden metadata."""
    lines = [
        f"The daily AI summary for **{md(meta['date'])}**, written by `{md(meta['model'])}` "
        f"({md(meta['provider'])}). Review it, edit it, or steer it with a comment; merge to publish.",
        "",
        f"Post: `{md(meta['post_path'])}`",
        "",
        "### Possible consequences of current developments",
    ]
    for i, c in enumerate(meta["items"], 1):
        target = safe_url(c.get("link"))
        extra = f" · [link]({target})" if target else ""
        lines.append(
            f"{i}. {link(c['title'], c['url'])} — {md(c['source'])}, score {c['score']:g}, "
            f"{c['comments']} comments{extra}{grounding_note(c)}"
        )
    if isinstance(meta.get("degradations"), list) and meta["degradations"]:
        lines += ["", *degradation_lines(meta["degradations"])]
    lines += ["", "### Currently trending topics"]
    for c in meta["trending"]:
        lines.append(f"- {link(c['title'], c['url'])} — {md(c['source'])}")
    if meta.get("runners_up"):
        lines += ["", "<details><summary>Runners-up (used by <code>replace N</code>)</summary>", ""]
        for c in meta["runners_up"]:
            lines.append(f"- {link(c['title'], c['url'])} — {md(c['source'])}")
        lines += ["", "</details>"]
    lines += ["", f"**Model:** {_usage_line(usage, meta['model'])}."]
    if run_url:
        lines.append(f"**Run:** {run_url}")
    for n in notes:
        lines.append(f"> {md(n)}")
    p = command_prefix
    lines += [
        "",
        "<details><summary>Steer this post from the PR</summary>",
        "",
        "People with write access can comment (the action answers in the thread):",
        "",
        f"- a line comment on the post: `{p} <instruction>` rewrites the paragraph, item, trending line or prediction under it",
        f"- `{p} regenerate [N]` rewrites item N, or the whole post",
        f"- `{p} drop N` removes item N and renumbers",
        f"- `{p} replace N` swaps item N for the next-best discussion",
        f"- `{p} <instruction>` in the conversation applies to the whole post",
        f"- `{p} help` lists the commands",
        "",
        "</details>",
        "",
        encode_metadata(meta),
    ]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------
# job summary
# --------------------------------------------------------------------------------------


def job_summary(
    *,
    title: str,
    outcome: str,
    items: Sequence[Candidate] = (),
    trending: Sequence[Candidate] = (),
    reports: Sequence[SourceReport] = (),
    model: str = "",
    usage: Usage | None = None,
    timings: dict[str, float] | None = None,
    pr_url: str = "",
    post_path: str = "",
    warnings: Sequence[str] = (),
    dropped: int = 0,
    degradations: Sequence[str] = (),
    endpoint: str = "",
) -> str:
    out = [f"## {md(title)}", "", outcome, ""]
    if degradations:
        out += [*degradation_lines(degradations), ""]
    if pr_url:
        out += [f"**Pull request:** {pr_url}", ""]
    if post_path:
        out += [f"**Post:** `{md(post_path)}`", ""]
    if items or trending:
        out += [
            "| section | # | title | source | score | comments |",
            "|---|---:|---|---|---:|---:|",
        ]
        for section, group in (("consequences", items), ("trending", trending)):
            for i, c in enumerate(group, 1):
                out.append(
                    f"| {section} | {i} | {link(c.title, c.url)} | {md(c.source)} | {c.score:g} | {c.comments} |"
                )
        out.append("")
        if dropped:
            out += [
                f"{dropped} candidates were filtered out (stickied, NSFW, removed, low score, duplicates, covered recently).",
                "",
            ]
    failed = [r for r in reports if not r.ok]
    if reports:
        out += ["| source | section | result | time |", "|---|---|---|---:|"]
        for r in reports:
            result = f"{r.fetched} items" if r.ok else f"skipped: {md(r.error or 'failed')}"
            section = f"{r.section} (fallback)" if r.fallback else r.section
            out.append(f"| {md(r.source)} | {section} | {result} | {r.seconds:.1f}s |")
        out.append("")
    if failed:
        out += [f"{len(failed)} source(s) failed; the post was written from the others.", ""]
    if usage is not None:
        out += [f"**Model:** {_usage_line(usage, model)}", ""]
    if endpoint:
        out += [f"**Endpoint:** {md(endpoint)}", ""]
    if timings:
        out += (
            ["| stage | seconds |", "|---|---:|"]
            + [f"| {k} | {v:.1f} |" for k, v in timings.items()]
            + [""]
        )
    if warnings:
        out += (
            ["<details><summary>Warnings</summary>", ""]
            + [f"- {md(w)}" for w in warnings]
            + ["", "</details>", ""]
        )
    return "\n".join(out)
