"""One name per event across its spellings. Pure.

"Artificial General Intelligence (AGI)", "artificial general intelligence", "AGI",
"**Artificial general intelligence (AGI):**" and "Artificial general intelligence will be
achieved" are one event. The table maps a spelling's key (case-folded, punctuation and a
leading "the" dropped) to the event's name:

* each configured event answers to its own name, to that name without its parenthesis, and to
  the abbreviation in the parenthesis ("AGI");
* ``BUILTIN_ALIASES`` add the reference blog's other spellings;
* ``predictions.aliases`` in the config adds or overrides spellings (spelling -> event).

A spelling that starts with a known one ("technological singularity will occur") is that
event; any other keeps its own name, so nothing is silently merged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

BUILTIN_ALIASES: dict[str, str] = {
    "singularity": "Technological Singularity",
    "the singularity": "Technological Singularity",
    "artificial general intelligence": "Artificial General Intelligence (AGI)",
    "general artificial intelligence": "Artificial General Intelligence (AGI)",
}

_PAREN = re.compile(r"\s*\(([^()]*)\)")
_SPACE = re.compile(r"\s+")


def key(name: str) -> str:
    """The spelling's lookup key: case-folded, single spaces, no emphasis or end punctuation."""
    text = _SPACE.sub(" ", name.replace("*", "").replace("_", " ")).strip(" :.;,-").casefold()
    return text[4:] if text.startswith("the ") else text


def alias_table(events: Iterable[str], aliases: Mapping[str, str] = {}) -> dict[str, str]:  # noqa: B006
    """key -> event name, for the configured ``events`` and the user's ``aliases``."""
    events = list(events)
    table: dict[str, str] = {}
    for spelling, event in BUILTIN_ALIASES.items():
        # a built-in spelling points at the configured event of the same key, if any
        target = next((e for e in events if key(e) == key(event)), event)
        table[key(spelling)] = target
    for event in events:
        table[key(event)] = event
        bare = _PAREN.sub("", event)
        if bare != event:
            table[key(bare)] = event
        for abbreviation in _PAREN.findall(event):
            if abbreviation.strip():
                table[key(abbreviation)] = event
    for spelling, event in aliases.items():
        table[key(spelling)] = event
    return table


def normalise(name: str, table: Mapping[str, str]) -> str:
    """The event ``name`` is a spelling of (see the module docstring)."""
    k = key(name)
    if k in table:
        return table[k]
    bare = key(_PAREN.sub("", name))
    if bare in table:
        return table[bare]
    for abbreviation in _PAREN.findall(name):  # "Frontier model (FM)": "fm" may be known
        if key(abbreviation) in table:
            return table[key(abbreviation)]
    # "Artificial general intelligence will be achieved": the longest known spelling it starts with
    for candidate in (k, bare):
        best = max(
            (
                s
                for s in table
                if candidate.startswith(s) and candidate[len(s) : len(s) + 1] in " ("
            ),
            key=len,
            default=None,
        )
        if best is not None:
            return table[best]
    clean = _SPACE.sub(" ", name.replace("*", "")).strip(" :.;,-")
    return clean[:1].upper() + clean[1:] if clean else "(unnamed)"
