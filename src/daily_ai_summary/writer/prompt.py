"""The prompts: one Markdown file per LLM task, shipped in ``writer/prompts/``, each of which a
blog can replace with its own file through the config's ``prompts:`` key.

A prompt is a template with ``{placeholders}`` (Python ``str.format`` fields; a literal brace
is written ``{{`` or ``}}``). Each prompt names the placeholders it may use; those listed as
required must be there (``{nonce}`` marks where untrusted data is quoted, so a prompt without
it would leave that data unmarked). A broken override is a ``ConfigError`` naming its file.

=================  ==========================================  =================================
prompt             what it is                                   placeholders (required first)
=================  ==========================================  =================================
``item``           system prompt: one item's two paragraphs     nonce; rules
``predictions``    system prompt: the predictions section       nonce; today, rules, max_jump_years
``rules``          the paragraph rules both of those include    min_words, max_words
``revise``         system prompt: a reviewer's edit of a part   nonce; what, fields, rules
``revise-rules``   the paragraph rules of a revision            min_words, max_words
``regenerate``     the request behind ``/summary regenerate``   (none)
``language``       added to every system prompt of a blog       language, tag, when_example
                   not written in English (config ``language:``)
=================  ==========================================  =================================
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from daily_ai_summary.errors import ConfigError

MAX_PROMPT_CHARS = 20_000


@dataclass(frozen=True)
class Spec:
    required: frozenset[str] = frozenset()
    optional: frozenset[str] = frozenset()

    @property
    def allowed(self) -> frozenset[str]:
        return self.required | self.optional


SPECS: dict[str, Spec] = {
    "item": Spec(frozenset({"nonce"}), frozenset({"rules"})),
    "predictions": Spec(frozenset({"nonce"}), frozenset({"today", "rules", "max_jump_years"})),
    "rules": Spec(optional=frozenset({"min_words", "max_words"})),
    "revise": Spec(frozenset({"nonce"}), frozenset({"what", "fields", "rules"})),
    "revise-rules": Spec(optional=frozenset({"min_words", "max_words"})),
    "regenerate": Spec(),
    "language": Spec(optional=frozenset({"language", "tag", "when_example"})),
}
NAMES = tuple(SPECS)


def check_template(name: str, text: str) -> str | None:
    """What is wrong with ``text`` as the template of prompt ``name`` (None when it is fine)."""
    spec = SPECS[name]
    if not text.strip():
        return "is empty"
    if len(text) > MAX_PROMPT_CHARS:
        return f"is longer than {MAX_PROMPT_CHARS} characters"
    try:
        parsed = [(f, s, c) for _, f, s, c in string.Formatter().parse(text) if f is not None]
    except ValueError as exc:
        return f"is not a valid template ({exc}); write a literal brace as '{{{{' or '}}}}'"
    fields = {f for f, _, _ in parsed}
    unknown = sorted(fields - spec.allowed)
    if unknown:
        allowed = ", ".join("{" + a + "}" for a in sorted(spec.allowed)) or "none"
        return (
            f"uses the unknown placeholder {{{unknown[0]}}} (allowed here: {allowed}); "
            "write a literal brace as '{{' or '}}'"
        )
    if any(s or c for _, s, c in parsed):
        return "uses a format spec or conversion in a placeholder; write plain {name} fields"
    missing = sorted(spec.required - fields)
    if missing:
        return f"must contain the placeholder {{{missing[0]}}}"
    return None


def _builtin(name: str) -> str:
    path = resources.files("daily_ai_summary.writer").joinpath("prompts", f"{name}.md")
    return path.read_text(encoding="utf-8").rstrip("\n")


@dataclass(frozen=True)
class Prompts:
    """The template of each prompt, and the file each override came from."""

    templates: Mapping[str, str]
    files: Mapping[str, str] = field(default_factory=dict)

    def render(self, name: str, **values: Any) -> str:
        return self.templates[name].format(**values)


@cache
def builtin_prompts() -> Prompts:
    return Prompts({name: _builtin(name) for name in NAMES})


def load_prompts(repo: Path, overrides: Mapping[str, str | None]) -> Prompts:
    """The shipped prompts, with each ``overrides[name]`` (a path relative to the repository
    at ``repo``) read from the blog instead. Raises ``ConfigError`` naming the file."""
    templates = dict(builtin_prompts().templates)
    files: dict[str, str] = {}
    for name, rel in overrides.items():
        if rel is None:
            continue
        if name not in SPECS:
            raise ConfigError(f"unknown prompt {name!r} (prompts are: {', '.join(NAMES)})")
        path = repo / rel
        if not path.is_file():
            raise ConfigError(f"prompts.{name}: prompt file not found: {rel}", file=rel)
        try:
            text = path.read_text(encoding="utf-8").rstrip("\n")
        except (OSError, UnicodeDecodeError) as err:
            raise ConfigError(
                f"prompts.{name}: cannot read the prompt file ({type(err).__name__})", file=rel
            ) from None
        problem = check_template(name, text)
        if problem:
            raise ConfigError(f"the {name} prompt (prompts.{name}) {problem}", file=rel)
        templates[name] = text
        files[name] = rel
    return Prompts(templates, files)


__all__ = ["NAMES", "SPECS", "Prompts", "builtin_prompts", "check_template", "load_prompts"]
