"""Front matter from a Hugo archetype. Pure: the caller reads the archetype file.

The archetype is what the blog already uses for these posts (``archetypes/bot-post.md``); the
built-in one equals the reference blog's. We evaluate the template actions Hugo users actually
write in archetypes, then edit the YAML with ruamel.yaml in round-trip mode, so key order,
quoting, comments and indentation (the seed's four spaces under ``cover:``) survive.

Supported actions (anything else is an ``ArchetypeError`` naming the file and line)::

    {{ .Date }}  {{ .Name }}  {{ .File.ContentBaseName }}  {{ .File.BaseFileName }}
    {{ .Title }}  {{ .Type }}  {{ .Section }}  {{ now }}  {{ "literal" }}
    {{ replace .File.ContentBaseName "-" " " | title }}   (functions: replace, title, upper,
    lower, humanize, default, time.Format / dateFormat "2006-01-02" with Go layouts)
    {{- ... -}}  (whitespace trimming)
"""

from __future__ import annotations

import io
import re
import shlex
from dataclasses import dataclass
from datetime import UTC, datetime

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, SingleQuotedScalarString

from daily_ai_summary.errors import ArchetypeError

BUILTIN_ARCHETYPE_NAME = "<built-in archetype>"

BUILTIN_ARCHETYPE = """\
---
title: "[Daily Automated AI Summary]"
date: {{ .Date }}
draft: false
author: "Blog Agent"
tags: ["daily ai summary", "automated content", "gpt-4o-mini"]
showToc: true
tocOpen: false
showReadingTime: true
showWordCount: true
cover:
    image: "https://user-images.githubusercontent.com/35503959/230746459-e1513798-69aa-49fb-8c88-990ee42136e9.png"
    alt: "singing birds"
    hidden: true
---
> *Notice:* This post has been automatically generated and does not reflect the views of the site owner, nor does it claim to be accurate.
"""

# A tag that names a model: the archetype's own model tag is replaced by the one in use.
_MODEL_TAG = re.compile(
    r"^(gpt-|o\d|chatgpt|claude|gemini|llama|mistral|mixtral|phi-|qwen|deepseek|grok|command)",
    re.I,
)


@dataclass(frozen=True)
class TemplateContext:
    date: datetime  # the post's date-time (UTC)
    name: str  # file name without extension, e.g. 2025-04-16-ai-auto-summary
    section: str = "posts"


def _go_layout(fmt: str, value: datetime) -> str:
    """Format with a Go reference layout (Mon Jan 2 15:04:05 MST 2006)."""
    table = [
        ("2006", "%Y"), ("January", "%B"), ("Jan", "%b"), ("Monday", "%A"), ("Mon", "%a"),
        ("01", "%m"), ("02", "%d"), ("15", "%H"), ("03", "%I"), ("04", "%M"), ("05", "%S"),
        ("PM", "%p"), ("MST", "UTC"), ("-07:00", "+00:00"), ("06", "%y"), ("_2", "%e"),
        ("1", "%-m"), ("2", "%-d"),
    ]  # fmt: skip
    out, i = "", 0
    while i < len(fmt):
        for go, py in table:
            if fmt.startswith(go, i):
                out += value.strftime(py) if py.startswith("%") else py
                i += len(go)
                break
        else:
            out += fmt[i]
            i += 1
    return out


def hugo_date(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class _Template:
    def __init__(self, file: str, ctx: TemplateContext) -> None:
        self.file = file
        self.ctx = ctx

    def fail(self, line: int, action: str, why: str) -> ArchetypeError:
        return ArchetypeError(
            f"unsupported template action {{{{{action}}}}}: {why}. Supported: .Date, .Name, "
            ".File.ContentBaseName, .Title, replace, title, upper, lower, time.Format",
            file=self.file,
            line=line,
        )

    def field(self, name: str, line: int, action: str) -> str | datetime:
        title = self.ctx.name.replace("-", " ").title()
        values: dict[str, str | datetime] = {
            ".Date": self.ctx.date,
            ".PublishDate": self.ctx.date,
            ".Lastmod": self.ctx.date,
            ".Name": self.ctx.name,
            ".File.ContentBaseName": self.ctx.name,
            ".File.BaseFileName": self.ctx.name,
            ".File.TranslationBaseName": self.ctx.name,
            ".Title": title,
            ".Type": self.ctx.section,
            ".Section": self.ctx.section,
            "now": datetime.now(UTC),
        }
        if name not in values:
            raise self.fail(line, action, f"unknown field {name}")
        return values[name]

    def call(
        self, words: list[str], piped: str | datetime | None, line: int, action: str
    ) -> str | datetime:
        def arg(w: str) -> str | datetime:
            if w.startswith('"') or w.startswith("`"):
                return w[1:-1]
            return self.field(w, line, action)

        fn, args = words[0], [arg(w) for w in words[1:]]
        if piped is not None:
            args.append(piped)
        if fn.startswith(".") or fn == "now" or fn.startswith('"'):
            if args:
                raise self.fail(line, action, f"{fn} takes no arguments")
            return arg(fn)
        text = [a if isinstance(a, str) else hugo_date(a) for a in args]
        if fn == "replace" and len(args) == 3:
            return text[0].replace(text[1], text[2])
        if fn in ("title", "upper", "lower", "humanize") and len(args) == 1:
            s = text[0]
            return {
                "title": s.title(),
                "upper": s.upper(),
                "lower": s.lower(),
                "humanize": s.replace("-", " ").replace("_", " ").capitalize(),
            }[fn]
        if fn == "default" and len(args) == 2:
            return text[1] or text[0]
        if fn in ("time.Format", "dateFormat") and len(args) == 2:
            value = args[1] if isinstance(args[1], datetime) else None
            if value is None:
                raise self.fail(line, action, f"{fn} needs a date")
            return _go_layout(text[0], value)
        raise self.fail(line, action, f"unknown function {fn!r} or wrong number of arguments")

    def evaluate(self, action: str, line: int) -> str:
        piped: str | datetime | None = None
        try:
            stages = [shlex.split(part, posix=False) for part in action.split("|")]
        except ValueError as exc:
            raise self.fail(line, action, str(exc)) from None
        for words in stages:
            if not words:
                raise self.fail(line, action, "empty pipeline stage")
            piped = self.call(words, piped, line, action)
        assert piped is not None
        return piped if isinstance(piped, str) else hugo_date(piped)


_ACTION = re.compile(r"(\s*)\{\{(-?)\s*(.*?)\s*(-?)\}\}(\s*)", re.S)


def expand(template: str, ctx: TemplateContext, *, file: str = BUILTIN_ARCHETYPE_NAME) -> str:
    """Evaluate the archetype's template actions."""
    t = _Template(file, ctx)

    def sub(m: re.Match[str]) -> str:
        line = template.count("\n", 0, m.start() + len(m.group(1))) + 1
        lead, ltrim, body, rtrim, trail = m.groups()
        if body.startswith("/*"):  # a comment
            value = ""
        else:
            value = t.evaluate(body, line)
        return ("" if ltrim else lead) + value + ("" if rtrim else trail)

    return _ACTION.sub(sub, template)


def _split(text: str, file: str) -> tuple[str, str]:
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip() != "---":
        raise ArchetypeError(
            "the archetype must start with YAML front matter ('---')", file=file, line=1
        )
    for i in range(1, len(lines)):
        if lines[i].rstrip() == "---":
            return "".join(lines[1:i]), "".join(lines[i + 1 :])
    raise ArchetypeError("the archetype's front matter is not closed by '---'", file=file, line=1)


def _detect_indent(yaml_text: str) -> int:
    for prev, line in zip(yaml_text.splitlines(), yaml_text.splitlines()[1:], strict=False):
        if prev.rstrip().endswith(":") and line.strip() and not line.lstrip().startswith("-"):
            n = len(line) - len(line.lstrip(" "))
            if n:
                return n
    return 2


def build_front_matter(
    archetype: str,
    *,
    date: datetime,
    name: str,
    model_tag: str,
    file: str = BUILTIN_ARCHETYPE_NAME,
    title: str | None = None,
    tags: tuple[str, ...] = (),
    date_key: str = "date",
) -> str:
    """The post's front matter (the YAML between the fences) from an archetype.

    Sets ``date_key`` (``date``; Astro's ``pubDate``) when the archetype has none, and puts ``model_tag`` into ``tags`` in place of
    the archetype's own model tag (or appends it).
    """
    expanded = expand(archetype, TemplateContext(date=date, name=name), file=file)
    yaml_text, _body = _split(expanded, file)
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    indent = _detect_indent(yaml_text)
    yaml.indent(mapping=indent, sequence=indent + 2, offset=indent)
    try:
        data = yaml.load(yaml_text) if yaml_text.strip() else CommentedMap()
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = (mark.line + 2) if mark is not None else 1
        raise ArchetypeError(
            f"front matter is not valid YAML: {exc}", file=file, line=line
        ) from None
    if not isinstance(data, CommentedMap):
        raise ArchetypeError("front matter must be a YAML mapping", file=file, line=2)

    changed = False
    if title is not None and data.get("title") != title:  # a topic's own title
        data["title"] = DoubleQuotedScalarString(title)
        changed = True
    if tags and not isinstance(data.get("tags"), CommentedSeq):
        data["tags"] = CommentedSeq()
        data["tags"].fa.set_flow_style()
    for tag in tags if isinstance(data.get("tags"), CommentedSeq) else ():
        if tag not in [str(t) for t in data["tags"]]:
            data["tags"].append(DoubleQuotedScalarString(tag))
            changed = True
    if date_key not in data:
        data.insert(1 if "title" in data else 0, date_key, hugo_date(date))
        changed = True
    tags = data.get("tags")
    if model_tag:
        if isinstance(tags, CommentedSeq):
            idx = next((i for i, t in enumerate(tags) if _MODEL_TAG.match(str(t))), None)
            like = tags[idx] if idx is not None else (tags[-1] if tags else None)
            style = (
                type(like)
                if isinstance(like, (DoubleQuotedScalarString, SingleQuotedScalarString))
                else str
            )
            if idx is None:
                tags.append(style(model_tag))
                changed = True
            elif str(tags[idx]) != model_tag:
                tags[idx] = style(model_tag)
                changed = True
        elif tags is None:
            data["tags"] = CommentedSeq([DoubleQuotedScalarString(model_tag)])
            data["tags"].fa.set_flow_style()
            changed = True
    if not changed:
        return yaml_text  # byte-identical to the expanded archetype
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def notice_from_archetype(archetype: str, file: str = BUILTIN_ARCHETYPE_NAME) -> str:
    """The archetype's body (the notice line), or '' when it has none."""
    return _split(archetype, file)[1]
