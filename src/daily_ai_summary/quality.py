"""Quality checks that need no model, and the grounding score. Pure.

A small model that follows the schema can still write a poor item. These checks catch the
faults seen with real small models (docs/local-models.md), each with a ``Finding`` the writer
turns into a re-ask (``severity == "reask"``) or a note the reviewer sees (``"warning"``):

* ``first-person``: "we", "our", "I"... in a paragraph: the source's author speaking (text
  copied from an abstract) or the model speaking for itself;
* ``repetition``: the benefits and the ramifications say the same thing (similarity, not only
  equality);
* ``no-risks``: a ramification that says there are none ("There are no significant risks");
* ``prompt-leak``: the prompt's own words in the post (its rules, its data markers);
* ``generic``: stock filler ("could lead to significant advancements", "revolutionize the
  field"); the prompt no longer quotes such phrases (small models copied the examples);
* ``duplicate-rationales``: two predictions explained with the same text (a warning only:
  re-asking the longest call costs more than it saves).

``grounding`` is the share of the source's salient tokens (numbers, names, capitalised terms)
that the paragraphs use: 0.0 when they use none, ``None`` when the source has none to use.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

Severity = Literal["reask", "warning"]

# Paragraphs this similar repeat each other (0..1, see ``similarity``). Two paragraphs about
# the same discussion share its names and numbers; measured on such pairs the score stays
# under 0.35, while a copy with a few words changed scores above 0.7.
SIMILAR = 0.6
SHINGLE = 3  # words per shingle for ``similarity``
LEAK_SHINGLE = 5  # a run of this many prompt words in a paragraph is a leak


@dataclass(frozen=True)
class Finding:
    """One quality problem: what kind, where, and a sentence the model or reviewer can act on."""

    kind: str
    where: str
    detail: str
    severity: Severity = "reask"

    def __str__(self) -> str:
        return f"{self.where}: {self.detail}"


# --------------------------------------------------------------------------------------------
# words

_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’.%+-]*[A-Za-z0-9%+]|[A-Za-z0-9]")


def words(text: str) -> list[str]:
    """Lower-case words, punctuation stripped (numbers keep their dots and percent signs)."""
    return [w.lower().replace("’", "'") for w in _WORD.findall(text)]


def _shingles(ws: Sequence[str], n: int) -> set[tuple[str, ...]]:
    if len(ws) < n:
        return {tuple(ws)} if ws else set()
    return {tuple(ws[i : i + n]) for i in range(len(ws) - n + 1)}


def similarity(a: str, b: str) -> float:
    """How much two paragraphs repeat each other, 0..1: the larger of the share of the shorter
    one's word shingles found in the other, and difflib's ratio over the word sequences."""
    wa, wb = words(a), words(b)
    if not wa or not wb:
        return 0.0
    sa, sb = _shingles(wa, SHINGLE), _shingles(wb, SHINGLE)
    contained = len(sa & sb) / min(len(sa), len(sb))
    ratio = SequenceMatcher(None, wa, wb, autojunk=False).ratio()
    return max(contained, ratio)


# --------------------------------------------------------------------------------------------
# the checks

_FIRST_PERSON = re.compile(
    r"\b(?:[Ww]e|[Oo]ur|[Oo]urs|[Oo]urselves|us|I|[Mm]y|[Mm]e|[Ww]e['’](?:ve|re|ll|d))\b"
)
_QUOTED = re.compile(r"[\"“][^\"”]*[\"”]")


def first_person(where: str, paragraph: str, source: str) -> list[Finding]:
    """First-person words outside quotation marks. When the words around one come from the
    source, the paragraph copied the author's text."""
    text = _QUOTED.sub(" ", paragraph)
    hits = [
        m.group(0)
        for m in _FIRST_PERSON.finditer(text)
        if m.group(0) != "I" or _is_pronoun_i(text, m.start())
    ]
    if not hits:
        return []
    src = " ".join(words(source))
    copied = [
        " ".join(run)
        for run in _shingles(words(text), 4)
        if any(w in _PRONOUNS for w in run) and " ".join(run) in src
    ]
    seen = ", ".join(dict.fromkeys(f"'{h}'" for h in hits))
    if copied:
        detail = (
            f"copies the source's first-person text ({seen}, e.g. '{sorted(copied)[0]}'); "
            "describe the work in the third person (the authors, the poster)"
        )
    else:
        detail = f"speaks in the first person ({seen}); write in the third person"
    return [Finding("first-person", where, detail)]


_PRONOUNS = frozenset(
    {"we", "our", "ours", "ourselves", "us", "i", "my", "me", "we've", "we're", "we'll", "we'd"}
)


def _is_pronoun_i(text: str, at: int) -> bool:
    # "I/O", "I-JEPA", "Llama I": not the pronoun.
    after = text[at + 1 : at + 2]
    return after not in ("/", "-") and not text[max(0, at - 1) : at].isalnum()


_NO_RISK = re.compile(
    r"\b(?:there\s+(?:are|is|will\s+be|would\s+be|seem\s+to\s+be)|with|has|have|poses?|carr(?:y|ies)|presents?)"
    r"\s+(?:no|few\s+if\s+any|virtually\s+no|hardly\s+any|not\s+(?:any|many))"
    r"\s+(?:significant\s+|major\s+|notable\s+|real\s+|obvious\s+|apparent\s+|known\s+|clear\s+|serious\s+|direct\s+|immediate\s+|substantial\s+|negative\s+)*"
    r"(?:risks?|downsides?|drawbacks?|ramifications?|concerns?|negative\s+(?:effects?|consequences|impacts?)|disadvantages?)\b"
    r"|\b(?:does|do|will|would)\s+not\s+(?:pose|carry|present|have)\s+any\s+"
    r"(?:significant\s+|major\s+|real\s+|serious\s+)*(?:risks?|downsides?|drawbacks?)\b"
    r"|\bno\s+(?:significant\s+|major\s+|notable\s+|real\s+|obvious\s+|serious\s+)*(?:risks?|downsides?|drawbacks?)\s+(?:are|is)\s+(?:expected|apparent|foreseen|known|evident)\b",
    re.I,
)


def no_risks(ramifications: str) -> list[Finding]:
    """A ramifications paragraph that answers "none"."""
    m = _NO_RISK.search(ramifications)
    if not m:
        return []
    return [
        Finding(
            "no-risks",
            "ramifications",
            f"says there are no risks ('{m.group(0)}'); name a concrete risk, cost, limit or "
            "downside of this discussion",
        )
    ]


def repetition(benefits: str, ramifications: str) -> list[Finding]:
    score = similarity(benefits, ramifications)
    if score < SIMILAR:
        return []
    return [
        Finding(
            "repetition",
            "ramifications",
            f"repeats the benefits ({score:.0%} similar); write about the risks and downsides "
            "instead",
        )
    ]


# Phrases of the prompts that are never the discussion's own words.
_TELLTALES = re.compile(
    r"<<<|>>>|\bEND DATA\b|\bDATA [0-9a-f]{8,}|\bbetween the (?:lines|markers)\b|"
    r"\b(?:written|posted)\s+by\s+strangers\b|\bfrom\s+strangers\b|\bstrangers\s+on\s+the\s+internet\b|"
    r"\bthese\s+instructions\b|\bthe\s+user\s+message\b|\bthe\s+system\s+prompt\b|"
    r"\b(?:ignore|follow)\s+(?:any|all|the)\s+(?:previous\s+)?instructions\b|\bplain\s+prose\b|"
    r"\bJSON\s+(?:object|schema)\b|\b40\s+to\s+120\s+words\b",
    re.I,
)


def prompt_leak(where: str, paragraph: str, prompts: Iterable[str], source: str) -> list[Finding]:
    """The prompt's words in the paragraph: a telltale phrase, or a run of ``LEAK_SHINGLE``
    words from a prompt that the source does not also contain."""
    src = " ".join(source.lower().split())
    leaked = next(
        (
            m.group(0)
            for m in _TELLTALES.finditer(paragraph)
            if " ".join(m.group(0).lower().split()) not in src  # a paper about prompts may say so
        ),
        None,
    )
    if leaked is None:
        mine = _shingles(words(paragraph), LEAK_SHINGLE)
        theirs: set[tuple[str, ...]] = set()
        for p in prompts:
            theirs |= _shingles(words(p), LEAK_SHINGLE)
        shared = (mine & theirs) - _shingles(words(source), LEAK_SHINGLE)
        if shared:
            leaked = " ".join(sorted(shared)[0])
    if leaked is None:
        return []
    return [
        Finding(
            "prompt-leak",
            where,
            f"repeats the instructions ('{leaked}'); write only about the discussion",
        )
    ]


# Stock filler: true of any discussion, so it says nothing about this one.
_GENERIC = re.compile(
    r"\b(?:could|can|will|may|might|would)\s+(?:potentially\s+)?(?:lead\s+to|pave\s+the\s+way\s+for"
    r"|result\s+in)\s+(?:significant|major|substantial)\s+(?:advancements|advances|improvements"
    r"|breakthroughs)\b|\brevolutioni[sz]e\s+the\s+(?:field|industry|way)\b"
    r"|\bit\s+is\s+(?:important|worth)\s+(?:to\s+note|noting)\b|\bgame[- ]changer\b"
    r"|\bin\s+the\s+ever[- ](?:evolving|changing)\b|\bpaves?\s+the\s+way\s+for\s+(?:future|further)\b",
    re.I,
)


def generic(where: str, paragraph: str, source: str) -> list[Finding]:
    """Stock filler in the paragraph (unless the source itself says it)."""
    src = " ".join(source.lower().split())
    for m in _GENERIC.finditer(paragraph):
        phrase = " ".join(m.group(0).split())
        if phrase.lower() not in src:
            return [
                Finding(
                    "generic",
                    where,
                    f"is generic filler ('{phrase}'); say what this discussion found or argued",
                )
            ]
    return []


def check_item(
    benefits: str,
    ramifications: str,
    *,
    source: str,
    prompts: Iterable[str] = (),
    english: bool = True,
) -> list[Finding]:
    """Every check on one consequences item. ``source`` is the discussion as the model saw it
    (title and text); ``prompts`` the instructions it was given. ``english`` False (a blog in
    another language) skips the checks whose word lists are English (first person, "no
    risks") or ASCII words (repetition): they are skipped, never a reason to reject text they
    cannot read. The prompt-leak check (the prompts are English) runs in every language."""
    prompts = list(prompts)
    found: list[Finding] = []
    for where, text in (("benefits", benefits), ("ramifications", ramifications)):
        if english:
            found += first_person(where, text, source)
            found += generic(where, text, source)
        found += prompt_leak(where, text, prompts, source)
    if english:
        found += no_risks(ramifications)
        found += repetition(benefits, ramifications)
    return found


def check_predictions(
    rationales: Sequence[tuple[str, str]], *, prompts: Iterable[str] = (), english: bool = True
) -> list[Finding]:
    """Every check on the predictions: ``rationales`` is ``[(event, rationale), ...]``.
    ``english`` False skips the first-person and duplicate checks, as in ``check_item``."""
    prompts = list(prompts)
    found: list[Finding] = []
    for event, text in rationales:
        where = f"prediction {event!r}"
        if english:
            found += first_person(where, text, "")
            found += generic(where, text, "")
        found += prompt_leak(where, text, prompts, "")
    for i, (event_a, a) in enumerate(rationales if english else []):
        for event_b, b in rationales[i + 1 :]:
            score = similarity(a, b)
            if score >= SIMILAR:
                found.append(
                    Finding(
                        "duplicate-rationales",
                        "predictions",
                        f"the rationales for {event_a!r} and {event_b!r} are near-duplicates "
                        f"({score:.0%} similar); give each event its own reasons",
                        # a warning: re-asking the longest call for this costs more than
                        # it saves; the reviewer sees it and can ask for a rewrite
                        severity="warning",
                    )
                )
    return found


# --------------------------------------------------------------------------------------------
# grounding

_SALIENT_NUMBER = re.compile(r"(?<![\w.])\d[\d,]*(?:\.\d+)?(?:%|[kKmMbBxX]\b)?")
_CAPITALISED = re.compile(r"\b[A-Z][A-Za-z0-9]*(?:[-'.][A-Za-z0-9]+)*\b")
_SENTENCE_START = re.compile(r"(?:^|[.!?:]\s+|\n\s*|[\"“(]\s*)$")
_COMMON = frozenset(
    "a an and are as at be but by for from has have i if in is it its of on or our so that the "
    "their then there these they this to was we were what when where which who why will with "
    "you your sample post discussion show hn ask d r p".split()
)


def salient_tokens(source: str) -> set[str]:
    """Numbers and names in ``source``: every number (``97%``, ``1.3B``, ``2,048``), and every
    capitalised term that is not just a sentence's first word (acronyms, ``LoRA``, ``GPT-4o``,
    ``Mixtral``), lower-cased."""
    found: set[str] = set()
    for m in _SALIENT_NUMBER.finditer(source):
        token = m.group(0).replace(",", "").lower()
        if token.isdigit() and len(token) == 1:
            continue  # "1" or "2" is rarely what the discussion is about
        found.add(token)
    for m in _CAPITALISED.finditer(source):
        token = m.group(0)
        inner = any(c.isupper() or c.isdigit() for c in token[1:])
        if not inner and _SENTENCE_START.search(source[: m.start()]):
            continue
        if token.lower() in _COMMON:
            continue
        found.add(token.lower())
    return found


def grounding(source: str, paragraphs: Iterable[str]) -> float | None:
    """The share of ``source``'s salient tokens the paragraphs use (0..1), or None when the
    source has none."""
    salient = salient_tokens(source)
    if not salient:
        return None
    text = " ".join(paragraphs)
    used = {w.rstrip(".") for w in words(text)} | {
        t.replace(",", "").lower() for t in _SALIENT_NUMBER.findall(text)
    }
    return len(salient & used) / len(salient)
