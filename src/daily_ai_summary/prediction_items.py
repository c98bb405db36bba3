"""Find the predictions in the body of a post's predictions section (for ``post``; its own
module so the post model stays under 600 lines). Pure: lines in, spans out.

A prediction is a top-level list item with bold text in its first line (the event), usually
followed by a parenthesised date. Everything else is preamble (before the first prediction),
rationale (the item's own continuation lines and nested items, or the first unindented
paragraph after a bullet that has none of its own), or trivia kept verbatim after the
prediction. Each list item is read once, so a bullet and its rationale paragraph, or an intro
sentence with bold words, never count as two predictions.

The shapes read (all seen in the reference blog)::

    Here are my predictions for **AGI** and the **singularity**:   <- preamble
    - **Artificial General Intelligence (AGI)** (May 2035)  \\n  rationale
    - **AGI** (2045): rationale on the same line
    1. **Technological singularity:** (2050-2075)\\n   - nested rationale
    - **AGI**: 2045 (November)\\n\\nrationale as a paragraph of its own
    - The **singularity** may occur late this century (2050-2080): rationale
    **Artificial General Intelligence**\\n\\n- **2040 (October)**: rationale   <- event as a label

Only when a section has no such item at all are its paragraphs read as prose predictions
(the earliest posts): a paragraph naming a known event and a date is one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from daily_ai_summary.prediction_dates import find_date, is_date

_LIST = re.compile(r"^(?P<indent>[ \t]*)(?P<marker>[-*+•]|\d{1,3}[.)])(?:[ \t]+(?P<rest>.*))?$")
_BOLD = re.compile(r"\*\*(?P<b>[^*\n]*?[^*\s\\][^*\n]*?)\*\*|__(?P<u>[^_\n]+?)__")
_LABEL = re.compile(
    r"^[ \t]*(?:\*{2,3}(?:-[ \t]+)?(?P<b>[^*\n]+?)\*{2,3}|__(?P<u>[^_\n]+?)__)[ \t]*:?[ \t]*$"
)
_BOLD_LINE = re.compile(r"^[ \t]{0,1}\*\*(?P<b>[^*\n]+?)\*\*[ \t]*:?[ \t]*(?P<after>.*)$")
_PAREN = re.compile(r"^\((?P<p>[^()\n]*(?:\([^()\n]*\)[^()\n]*)?)\)")
_TRAILING_PAREN = re.compile(r"^(?P<e>.*?)\s*\((?P<p>[^()]+)\)\s*:?$")
_PROSE_EVENTS = re.compile(r"(?i)singularity|general intelligence|\bagi\b")


@dataclass
class Found:
    """One prediction: ``lines[start:end]`` of the section body are its own text (bullet and
    rationale); the lines after it, up to the next prediction, are kept verbatim as trivia.
    ``event``, ``when`` and ``rationale`` are raw Markdown (the caller unescapes them)."""

    start: int
    end: int
    event: str
    when: str
    rationale: list[str] = field(default_factory=list)
    structured: bool = True


def _indent(line: str) -> int:
    n = 0
    for c in line:
        if c == " ":
            n += 1
        elif c == "\t":
            n += 4
        else:
            break
    return n


def _blank(line: str) -> bool:
    return not line.strip()


def _bold(text: str) -> re.Match[str] | None:
    return _BOLD.search(text)


def _bold_text(m: re.Match[str]) -> str:
    return (m["b"] if m["b"] is not None else m["u"]).strip()


def _strip_marker(line: str) -> str:
    m = _LIST.match(line.rstrip("\r\n"))
    return (m["rest"] or "") if m else line.strip()


def _candidates(body: list[str]) -> list[int]:
    """Indexes of the top-level list items with bold text in their first line; in a section
    without any, the top-level items below a bold label line ("**AGI**" then "- by 2030")."""
    items = _items(body, bold=True)
    if not items:  # "**AGI** (June 2030)" as a line of its own, its rationale as a list below
        heads = [i for i, ln in enumerate(body) if _dated_bold_line(ln)]
        return heads or _labelled_items(body)  # or "**AGI**" then "- by 2030"
    if not items:
        return []
    base = min(ind for _, ind in items)
    return [i for i, ind in items if ind <= base + 1]


def _dated_bold_line(line: str) -> bool:
    m = _BOLD_LINE.match(line.rstrip("\r\n"))
    if not m:
        return False
    after = m["after"].strip()
    paren = _PAREN.match(after)
    return bool(paren and is_date(paren["p"])) or bool(after and is_date(after))


def _labelled_items(body: list[str]) -> list[int]:
    """Below each label, its first top-level item, and any later one with a date of its own
    (the others are the rationale, written as a flat list)."""
    out: list[int] = []
    labelled = False
    first = True
    items = dict(_items(body, bold=False))
    base = min(items.values(), default=0)
    for i, line in enumerate(body):
        if _LABEL.match(line.rstrip("\r\n")):
            labelled, first = True, True
        elif labelled and i in items and items[i] <= base + 1:
            if first or find_date(_strip_marker(line)):
                out.append(i)
            first = False
    return out


def _items(body: list[str], *, bold: bool) -> list[tuple[int, int]]:
    """(index, indent) of the list items (with bold text in their first line if ``bold``)."""
    items = []
    for i, line in enumerate(body):
        m = _LIST.match(line.rstrip("\r\n"))
        if m and m["rest"] and (not bold or _bold(m["rest"])):
            items.append((i, _indent(m["indent"])))
    return items


def _item_end(body: list[str], start: int, stop: int) -> int:
    """One past the last non-blank line of the list item at ``start`` (before ``stop``):
    lazy continuation lines, indented lines (also after blank lines) and nested items."""
    last = start
    j = start + 1
    while j < stop:
        line = body[j]
        if _blank(line):
            k = j
            while k < stop and _blank(body[k]):
                k += 1
            if k < stop and (_indent(body[k]) >= 2 or _LIST.match(body[k].rstrip("\r\n"))):
                j = k
                continue
            break
        last = j
        j += 1
    return last + 1


def _paragraph(body: list[str], at: int, stop: int) -> int | None:
    """The end of the unindented paragraph that starts at or after the blank lines at ``at``,
    or None if what follows is not a plain paragraph (a list item, a heading, a label)."""
    k = at
    while k < stop and _blank(body[k]):
        k += 1
    if k >= stop:
        return None
    first = body[k].rstrip("\r\n")
    if (
        _LIST.match(first)
        or first.lstrip().startswith(("#", ">", "|", "```"))
        or _LABEL.match(first)
    ):
        return None
    j = k
    while j < stop and not _blank(body[j]):
        j += 1
    return j


def _read_item(first: str, label: str | None) -> tuple[str, str, str]:
    """(event, when, the rest of the first line) of a list item's first line."""
    rest = _strip_marker(first)
    m = _bold(rest)
    if m is None:  # an item under a label: "**AGI**" then "- in a research lab (2030)"
        hit = find_date(rest)
        return label or "", hit[1] if hit else "", rest.strip()
    bold = _bold_text(m)
    after = rest[m.end() :]
    if label and is_date(bold):  # "**AGI**" above "- **2040 (October)**: ..."
        hit = find_date(bold + after)  # "- **2025** (January): ..."
        when = hit[1] if hit and (bold + after).startswith(hit[1]) else bold.strip(" :")
        return label, when, (bold + after)[len(when) :].lstrip(" \t:-–—")
    event = bold.rstrip(" :")
    tp = _TRAILING_PAREN.match(event)
    if tp and is_date(tp["p"]):  # "**Technological Singularity (June 2050)**"
        return tp["e"].strip(), tp["p"].strip(), after.lstrip(" \t:-–—")
    lead = after.lstrip(" \t:")
    paren = _PAREN.match(lead)
    if paren and is_date(paren["p"]):  # "**AGI** (May 2035): why"
        return event, paren["p"].strip(), lead[paren.end() :].lstrip(" \t:-–—")
    hit = find_date(lead)
    if hit and lead.startswith(hit[1]):  # "**AGI**: 2045 (November)"
        return event, hit[1], lead[len(hit[1]) :].lstrip(" \t:-–—")
    # "**AGI** will be achieved in the mid-2030s (2035-2037)": a parenthesised date first,
    # then one in the bold text ("**AGI will occur by 2030**"), then any in the line
    parens: list[str] = []
    for pm in re.finditer(r"\((?P<p>[^()\n]*)\)", after):
        if is_date(pm["p"]):
            parens.append(pm["p"].strip())
            break
    hit = find_date(bold) or find_date(after)
    when = parens[0] if parens else (hit[1] if hit else "")
    return event, when, after.strip().lstrip(":").strip()


def read_section(body: list[str]) -> list[Found]:
    """Every prediction in ``body`` (the lines after the section's heading), in order."""
    starts = _candidates(body)
    if not starts:
        return _prose(body)
    found: list[Found] = []
    label: str | None = None
    for n, start in enumerate(starts):
        stop = starts[n + 1] if n + 1 < len(starts) else len(body)
        # the nearest bold label line above the item (between it and the previous item)
        for line in body[(found[-1].end if found else 0) : start]:
            lm = _LABEL.match(line.rstrip("\r\n"))
            if lm:
                label = (lm["b"] or lm["u"]).strip().rstrip(":").strip()
        end = _item_end(body, start, stop)
        event, when, first_rest = _read_item(body[start].rstrip("\r\n"), label)
        rationale = [first_rest] + [_strip_marker(ln) for ln in body[start + 1 : end]]
        if not any(r.strip() for r in rationale):
            para = _paragraph(body, end, stop)
            if para is not None:
                rationale += [ln.strip() for ln in body[end:para]]
                end = para
        if not when:
            hit = find_date(" ".join(rationale))
            when = hit[1] if hit else ""
        found.append(Found(start, end, event, when, rationale))
    return found


def _prose(body: list[str]) -> list[Found]:
    """Paragraphs that name an event and a date (sections without a single bold item)."""
    found: list[Found] = []
    i = 0
    while i < len(body):
        if _blank(body[i]):
            i += 1
            continue
        j = i
        while j < len(body) and not _blank(body[j]):
            j += 1
        text = " ".join(ln.strip() for ln in body[i:j])
        ev = _PROSE_EVENTS.search(text)
        hit = find_date(text)
        if ev and hit:
            low = ev.group(0).lower()
            event = (
                "Technological Singularity"
                if "singularity" in low
                else "Artificial General Intelligence"
            )
            found.append(
                Found(i, j, event, hit[1], [ln.strip() for ln in body[i:j]], structured=False)
            )
        i = j
    return found
