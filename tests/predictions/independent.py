"""An independent reading of a post's predictions, to measure the parser against.

A different technique from ``daily_ai_summary.predictions`` (regular expressions over blocks
of lines, dates from a table of patterns): a two-pass, line-by-line state machine over the
whole file, and dates read by splitting text into word tokens and looking at each token and
its neighbours. It shares no code with the parser, so agreement between the two means
something. It knows the same shapes (see ``testing/predictions.py`` and the corpus).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field

MONTHS = {name.lower(): n for n, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): n for n, name in enumerate(calendar.month_abbr) if name})
MONTHS.update({"sept": 9})
QUALIFIERS = {"early": 2, "mid": 5, "middle": 5, "late": 8}
HEADING = "## GPT predicts future events"


@dataclass
class Item:
    event: str
    after: str  # the rest of the first line after the event's bold text
    bold: str = ""
    rest: list[str] = field(default_factory=list)


def event_kind(name: str) -> str:
    low = " ".join(name.lower().replace("*", " ").split())
    if "singularity" in low:
        return "singularity"
    if "general intelligence" in low or "agi" in low.replace("(", " ").replace(")", " ").split():
        return "agi"
    return low.strip(" :.")


def _tokens(text: str) -> list[str]:
    out, word = [], ""
    for ch in text:
        if ch.isalnum() or ch in "-'":
            word += ch
            continue
        if word:
            out.append(word)
        word = ""
        if ch in "()":
            out.append(ch)
    if word:
        out.append(word)
    return out


def _year(token: str) -> int | None:
    digits = token[:4]
    if len(token) >= 4 and digits.isdigit() and 1800 <= int(digits) <= 2999:
        if len(token) == 4 or token[4] in "-/":
            return int(digits)
    return None


def _decade(token: str, before: str) -> int | None:
    """'2030s' -> 2035; 'mid-2030s' -> 2035; 'late 2030s' (``before`` = 'late') -> 2038."""
    qualifier, _, body = token.rpartition("-")
    body = body.rstrip("'s").rstrip("'") if body.endswith("s") else ""
    if (
        len(body) != 4
        or not body.isdigit()
        or body[3] != "0"
        or not qualifier.isalpha()
        and qualifier
    ):
        return None
    words = (qualifier or before).lower()
    return int(body) + QUALIFIERS.get(words, 5)


def _month(token: str) -> int | None:
    return MONTHS.get(token.lower().rstrip("."))


def read_date(text: str) -> tuple[int, int | None] | None:
    """The first (year, month) in ``text``."""
    toks = _tokens(text)
    for i, tok in enumerate(toks):
        month = _month(tok)
        if month:
            j = i + 1
            if j < len(toks) and toks[j].lower() == "of":
                j += 1
            if j < len(toks) and len(toks[j]) == 4 and _year(toks[j]):
                return int(toks[j]), month
            continue
        decade = _decade(tok, toks[i - 1] if i else "")
        if decade:
            return decade, None
        year = _year(tok)
        if year is None:
            continue
        parts = tok.replace("/", "-").split("-")
        if (
            len(parts) == 2
            and parts[1].isdigit()
            and len(parts[1]) <= 2
            and 1 <= int(parts[1]) <= 12
        ):
            return year, int(parts[1])
        if i + 3 < len(toks) and toks[i + 1] == "(" and _month(toks[i + 2]) and toks[i + 3] == ")":
            return year, _month(toks[i + 2])
        if i + 1 < len(toks) and _month(toks[i + 1]):
            return year, _month(toks[i + 1])
        return year, None
    return None


def _only_date(text: str) -> bool:
    toks = _tokens(text)
    return (
        bool(toks)
        and read_date(text) is not None
        and all(
            _month(t) or _year(t) or _decade(t, "") or t.lower() in ("of", "to", "(", ")")
            for t in toks
        )
    )


def _parens(text: str) -> list[str]:
    out, depth, cur = [], 0, ""
    for ch in text:
        if ch == "(":
            depth, cur = depth + 1, ""
        elif ch == ")" and depth:
            depth -= 1
            out.append(cur)
        elif depth:
            cur += ch
    return out


def _bold_span(text: str) -> tuple[str, str] | None:
    """(bold text, text after it) for the first **bold** in ``text``."""
    a = text.find("**")
    if a < 0:
        return None
    b = text.find("**", a + 2)
    if b < 0 or b == a + 2:
        return None
    return text[a + 2 : b], text[b + 2 :]


def _list_item(raw: str) -> tuple[int, str] | None:
    """(indent, text after the marker) of a list item line."""
    stripped = raw.lstrip(" ")
    head, _, tail = stripped.strip().partition(" ")
    if tail and (head in ("-", "*", "+", "•") or (head[:-1].isdigit() and head[-1:] in ".)")):
        return len(raw) - len(stripped), tail.strip()
    return None


def _label(stripped: str) -> str | None:
    if not stripped.startswith("**") or not stripped.rstrip(": ").endswith("**"):
        return None
    inner = stripped.rstrip(": ").strip("*").strip()
    if "**" in inner or not inner:
        return None
    return inner[2:].strip() if inner.startswith("- ") else inner


def _section(text: str) -> list[str]:
    lines = text.splitlines()
    for n, line in enumerate(lines):
        if line.rstrip() == HEADING:
            body = []
            for line2 in lines[n + 1 :]:
                if line2.startswith("## "):
                    break
                body.append(line2)
            return body
    return []


def _mode(body: list[str]) -> str:
    """First pass: which shape the section has."""
    bold_items = dated_heads = labels = 0
    for raw in body:
        item = _list_item(raw)
        if item and item[0] <= 1 and _bold_span(item[1]):
            bold_items += 1
        elif not item and raw.startswith("**"):
            span = _bold_span(raw)
            if (
                span
                and _only_date(span[1].strip(" :"))
                or span
                and _only_date(_first_paren(span[1]))
            ):
                dated_heads += 1
            elif _label(raw.strip()):
                labels += 1
    if bold_items:
        return "items"
    if dated_heads:
        return "heads"
    return "labels" if labels else "none"


def _first_paren(text: str) -> str:
    t = text.lstrip(" :")
    end = t.find(")")
    return t[1:end] if t.startswith("(") and end > 0 else ""


def read(text: str) -> list[tuple[str, int | None, int | None]]:
    """(event kind, year, month) for each prediction of the post."""
    body = _section(text)
    mode = _mode(body)
    items: list[Item] = []
    label = ""
    state = "preamble"  # preamble | item | gap
    open_for_paragraph = False  # the last item has no rationale yet
    under_label = 0
    for raw in body:
        stripped = raw.strip()
        item = _list_item(raw)
        starts = False
        if mode == "items" and item and item[0] <= 1 and _bold_span(item[1]):
            name, after = _bold_span(item[1])  # type: ignore[misc]
            if label and _only_date(name) and event_kind(name) not in ("agi", "singularity"):
                items.append(Item(label, name + after))
            else:
                items.append(Item(name, after, bold=name))
            starts = True
        elif mode == "heads" and not item and stripped.startswith("**") and _bold_span(stripped):
            name, after = _bold_span(stripped)  # type: ignore[misc]
            if _only_date(after.strip(" :")) or _only_date(_first_paren(after)):
                items.append(Item(name, after, bold=name))
                starts = True
        elif mode == "labels" and item and label and item[0] <= 1:
            if under_label == 0 or read_date(item[1]):
                items.append(Item(label, item[1]))
                starts = True
            under_label += 1
        if starts:
            last = items[-1]
            open_for_paragraph = (
                not last.after.strip(" :")
                or (_only_date(last.after.strip(" :")) or _only_date(_first_paren(last.after)))
                and not last.after.split(")", 1)[-1].strip(" :")
            )
            state = "item"
            continue
        if not stripped:
            if state == "item":
                state = "gap"
            continue
        new_label = _label(stripped) if not item else None
        if new_label:
            label, under_label, state = new_label, 0, "preamble"
            continue
        if not items or state == "preamble":
            continue
        if state == "item" or raw.startswith("  ") or item:
            items[-1].rest.append(stripped)
            open_for_paragraph = False
            state = "item"
        elif open_for_paragraph:
            items[-1].rest.append(stripped)
            open_for_paragraph = False
            state = "item"
        else:
            state = "preamble"  # trivia after the last prediction
    if mode == "none":
        return _prose(body)
    out = []
    for it in items:
        found = _date_of(it)
        kind = event_kind(it.event)
        out.append((kind, found[0], found[1]) if found else (kind, None, None))
    return out


def _date_of(it: Item) -> tuple[int, int | None] | None:
    first = _first_paren(it.after)
    if first and _only_date(first):
        return read_date(first)
    toks = _tokens(it.after)
    lead = [t for t in toks if t not in ("(", ")")][:1]
    if (
        lead
        and (_year(lead[0]) or _month(lead[0]) or _decade(lead[0], ""))
        and it.after.lstrip(" :")[:1] not in "("
    ):
        return read_date(it.after)
    for inner in _parens(it.after):
        if _only_date(inner):
            return read_date(inner)
    return read_date(it.bold) or read_date(it.after) or read_date(" ".join(it.rest))


def _prose(body: list[str]) -> list[tuple[str, int | None, int | None]]:
    out = []
    para: list[str] = []
    for raw in [*body, ""]:
        if raw.strip():
            para.append(raw.strip())
            continue
        if para:
            text = " ".join(para)
            kind = event_kind(text)
            found = read_date(text)
            if kind in ("agi", "singularity") and found:
                out.append((kind, found[0], found[1]))
        para = []
    return out
