"""The blog repository's ``.github/daily-ai-summary.yml`` -> an immutable, validated ``Config``.

Reading is two steps:

1. ruamel.yaml's round-trip loader parses the file. It keeps the line of every key (so every
   error can point at ``file:line``) and rejects duplicate keys.
2. pydantic validates plain data against the models below (``extra="forbid"`` everywhere,
   kebab-case keys only). Source entries are validated with the options model their ``type``
   names in the source registry (``daily_ai_summary.sources.SOURCE_TYPES``), so adding a source
   type needs no change here.

Every problem becomes a ``ConfigError`` whose message starts with the key path
(``consequences.sources[0].sort: must be one of top, hot, new, rising``) and whose
``file``/``line`` point at the offending key. A missing file (when no path was given) means the
defaults, which reproduce the reference blog.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date as Date
from pathlib import Path, PurePosixPath
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    SerializeAsAny,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    ValidationError,
    field_validator,
)
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from daily_ai_summary.config_errors import (
    describe,
    did_you_mean,
    dotted,
    kind_of,
    line_of,
)
from daily_ai_summary.errors import ConfigError
from daily_ai_summary.i18n import Language, check_tag, language
from daily_ai_summary.sources.base import SourceOptions, kebab

CONFIG_PATH = ".github/daily-ai-summary.yml"
DEFAULT_POST_PATH = "content/posts/{date}-ai-auto-summary.md"
DEFAULT_ARCHETYPE = "archetypes/bot-post.md"
DEFAULT_EVENTS = ("Artificial General Intelligence (AGI)", "Technological Singularity")
DEFAULT_SOURCES: dict[str, tuple[dict[str, Any], ...]] = {
    "consequences": (
        {"type": "reddit", "subreddit": "MachineLearning", "sort": "top", "time": "day"},
    ),
    "trending": ({"type": "reddit", "subreddit": "machinelearningnews", "sort": "hot"},),
}
# Read only when a section's own sources fail or come up short (Reddit answers 403 to most
# cloud runners without OAuth): Reddit first, then these, so the zero-secret default still
# fills every section. Types missing from the registry in use are left out.
DEFAULT_FALLBACK: dict[str, tuple[dict[str, Any], ...]] = {
    section: (
        {"type": "hackernews", "query": "AI"},
        {"type": "huggingface-papers"},
        {"type": "arxiv", "categories": ["cs.LG", "cs.CL"], "limit": 10},
    )
    for section in ("consequences", "trending")
}
SECTIONS = ("consequences", "trending")

SiteName = Literal["hugo", "jekyll", "mkdocs", "astro", "eleventy"]  # sites/presets.py

HUGO_CONFIG_FILES = tuple(
    f"{stem}.{ext}" for stem in ("hugo", "config") for ext in ("toml", "yaml", "yml", "json")
)


# --------------------------------------------------------------------------------------------
# models


class _Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid", alias_generator=kebab, populate_by_name=True, frozen=True
    )


def _repo_relative(value: str, suffix: str = ".md") -> str:
    """A path inside the repository, written POSIX-style, relative, with no ``..`` escape."""
    if not value.strip():
        raise ValueError("must not be empty")
    if "\\" in value:
        raise ValueError(f"must use '/' as separator, got {value!r}")
    p = PurePosixPath(value)
    if p.is_absolute() or value.startswith("~") or re.match(r"^[A-Za-z]:", value):
        raise ValueError(f"must be relative to the repository root, got {value!r}")
    if ".." in p.parts:
        raise ValueError(f"must stay inside the repository (no '..'), got {value!r}")
    if not value.endswith(suffix):
        raise ValueError(f"must end in '{suffix}', got {value!r}")
    return value


class PostConfig(_Model):
    """Where the post goes and which Hugo archetype provides its front matter."""

    path: StrictStr = Field(
        DEFAULT_POST_PATH,
        description="the post file, relative to the repository root; `{date}` becomes YYYY-MM-DD."
        " A Hugo site in a subfolder (e.g. `hugo/`) is detected when this is not set",
    )
    archetype: StrictStr = Field(
        DEFAULT_ARCHETYPE,
        description="the Hugo archetype the front matter comes from. Not set and missing: a"
        " built-in archetype (the reference blog's); set and missing: an error",
    )

    @field_validator("path")
    @classmethod
    def _check_path(cls, v: str) -> str:
        _repo_relative(v if not v.endswith(".mdx") else v[:-1])  # MDX: Astro collections
        if "{date}" not in v:
            raise ValueError(f"must contain '{{date}}' (e.g. {DEFAULT_POST_PATH}), got {v!r}")
        if re.search(r"[{}]", v.replace("{date}", "")):
            raise ValueError(f"'{{date}}' is the only placeholder allowed, got {v!r}")
        if v.endswith("/.md") or PurePosixPath(v).name == ".md":
            raise ValueError(f"needs a file name before '.md', got {v!r}")
        return v

    @field_validator("archetype")
    @classmethod
    def _check_archetype(cls, v: str) -> str:
        return _repo_relative(v)


Sources = Annotated[tuple[SerializeAsAny[SourceOptions], ...], Field(min_length=1)]
Fallback = tuple[SerializeAsAny[SourceOptions], ...]
SOURCES_HELP = "where the section's discussions come from; all are read at once and ranked together"
FALLBACK_HELP = (
    "sources read only when a source above fails (e.g. Reddit blocks the runner) or they find"
    " fewer than `count` items; their items rank after the sources' own"
)


class ConsequencesConfig(_Model):
    """The numbered items the LLM writes benefits and ramifications for."""

    count: StrictInt = Field(5, ge=1, le=10, description="how many items the post has")
    sources: Sources = Field(description=SOURCES_HELP)
    fallback: Fallback = Field((), description=FALLBACK_HELP)


class TrendingConfig(_Model):
    """The bulleted list of titles (no LLM)."""

    count: StrictInt = Field(3, ge=1, le=20, description="how many titles the list has")
    sources: Sources = Field(description=SOURCES_HELP)
    fallback: Fallback = Field((), description=FALLBACK_HELP)


class PredictionsConfig(_Model):
    """The closing section: a month and year the model predicts for each event."""

    events: tuple[Annotated[StrictStr, Field(min_length=1, max_length=200)], ...] = Field(
        DEFAULT_EVENTS,
        min_length=1,
        max_length=10,
        description="the events the model dates, one bullet each, in this order (distinct)",
    )
    # the tracker (daily_ai_summary.predictions): spelling -> event, a chart and its page
    aliases: dict[
        Annotated[StrictStr, Field(min_length=1, max_length=200)],
        Annotated[StrictStr, Field(min_length=1, max_length=200)],
    ] = Field(
        default_factory=dict,
        max_length=200,
        description="more spellings of an event, spelling -> event (case and \"the\" do not matter)",
    )
    tracker: StrictBool = Field(
        True, description="commit the forecasts chart and page with each post (false: off)"
    )
    chart: StrictStr = Field(
        "static/daily-ai-summary/predictions.svg", description="the forecasts chart (SVG)"
    )
    page: StrictStr = Field("content/predictions.md", description="the forecasts page")
    max_jump_years: StrictFloat | StrictInt = Field(
        5,
        gt=0,
        le=1000,
        description="a forecast this far from the blog's 30-day median is flagged in the PR",
    )

    @field_validator("chart")
    @classmethod
    def _check_chart(cls, v: str) -> str:
        return _repo_relative(v, ".svg")

    @field_validator("page")
    @classmethod
    def _check_page(cls, v: str) -> str:
        return _repo_relative(v)

    @field_validator("events")
    @classmethod
    def _distinct(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        v = tuple(e.strip() for e in v)
        if any(not e for e in v):
            raise ValueError("an event must not be blank")
        seen = {e.casefold() for e in v}
        if len(seen) != len(v):
            raise ValueError("events must be distinct")
        return v


class SelectionConfig(_Model):
    """How discussions are chosen: filters and dedupe against the blog's recent posts."""

    min_score: StrictFloat = Field(
        0.0, description="global minimum score (votes, points, upvotes); a source's own min-score"
        " overrides it; sources without scores (feeds, arXiv) are exempt"
    )
    history_days: StrictInt = Field(
        14, ge=0, le=365, description="skip topics the blog's posts of this many past days covered"
    )


class CommitConfig(_Model):
    """Who the bot's commits are by. Commits by anyone else on the date's branch count as a
    person's edits, which the action never overwrites."""

    author_name: Annotated[StrictStr, Field(min_length=1, max_length=100)] = Field(
        "github-actions[bot]", description="the bot's commits' author name"
    )
    author_email: Annotated[
        StrictStr, Field(min_length=3, max_length=200, pattern=r"^[^\s@<>]+@[^\s@<>]+$")
    ] = Field(
        "41898282+github-actions[bot]@users.noreply.github.com",
        description="the bot's commits' author email",
    )


class PromptsConfig(_Model):
    """The blog's own prompt files (``.md`` paths in the repository), each replacing the shipped
    prompt of the same name (``writer/prompts/``); checked when the run starts."""

    item: StrictStr | None = Field(None, description="writes one consequences item")
    predictions: StrictStr | None = Field(None, description="writes the predictions")
    rules: StrictStr | None = Field(None, description="the writing rules every prompt includes")
    revise: StrictStr | None = Field(None, description="rewrites a part on a /summary comment")
    revise_rules: StrictStr | None = Field(None, description="the rules a revision follows")
    regenerate: StrictStr | None = Field(None, description="rewrites an item on `regenerate N`")
    language: StrictStr | None = Field(None, description="asks for the blog's `language:`")

    @field_validator("*")
    @classmethod
    def _check_file(cls, v: str | None) -> str | None:
        return None if v is None else _repo_relative(v)

    def overrides(self) -> dict[str, str | None]:
        """Prompt name (``revise-rules``) -> the blog's file, or None for the shipped prompt."""
        return {kebab(name): getattr(self, name) for name in type(self).model_fields}


class ReviseConfig(_Model):
    """Revisions from PR comments. ``authors``: PR authors besides the ones the action can tell
    it writes as (``github-actions[bot]``, a personal ``github-token``'s user) whose PRs are the
    action's own - a GitHub App's bot (``my-app[bot]``), or the previous token's user after a
    switch. A fork's PR is never the action's, whoever opened it."""

    authors: list[Annotated[StrictStr, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9-]{0,38}(\[bot\])?$")]] = Field(
        default_factory=list,
        max_length=20,
        description="PR authors, besides github-actions[bot] and a personal token's user, whose PRs are the action's own (e.g. an App's bot)",
    )


class Config(_Model):
    """The whole configuration. Immutable; build it with ``load_config``."""

    site: SiteName | None = Field(
        None,
        description="the blog's generator (default: detected from the repository, else hugo); "
        "it sets the default post path, the front matter and the escaping (README: Site presets)",
    )
    post: PostConfig = Field(PostConfig(), description="where the post goes")
    consequences: ConsequencesConfig = Field(
        description="\"Possible consequences of current developments\": numbered items"
    )
    trending: TrendingConfig = Field(description="\"Currently trending topics\": a list of titles")
    predictions: PredictionsConfig = Field(
        PredictionsConfig(), description="\"GPT predicts future events\""
    )
    selection: SelectionConfig = Field(SelectionConfig(), description="filters and dedupe")
    commit: CommitConfig = Field(CommitConfig(), description="the bot's commit identity")
    prompts: PromptsConfig = Field(
        PromptsConfig(), description="the blog's own prompt files, replacing the shipped ones"
    )
    revise: ReviseConfig = Field(
        ReviseConfig(), description="revisions: extra PR authors whose PRs are the action's own"
    )
    # the blog's language (a BCP 47 tag) and overrides of the post's words (i18n.KEYS)
    language: StrictStr = Field(
        "en", description="the post's language, a BCP 47 tag (de, fr, es, pt-BR, ja, zh, ...)"
    )
    strings: dict[StrictStr, StrictStr] = Field(
        {}, description="your own words for the post's headings, labels, notice, title, tags"
    )

    @field_validator("language")
    @classmethod
    def _check_language(cls, v: str) -> str:
        return check_tag(v)

    @field_validator("strings")
    @classmethod
    def _check_strings(cls, v: dict[str, str]) -> dict[str, str]:
        language("en", v)  # raises on an unknown key
        return v

    def language_settings(self) -> Language:
        """The blog's language with its strings (``strings:`` applied)."""
        return language(self.language, self.strings)

    _file: str | None = PrivateAttr(None)
    _explicit: frozenset[str] = PrivateAttr(frozenset())

    @property
    def file(self) -> str | None:
        """The config file this came from, relative to the repo; None for the defaults."""
        return self._file

    def is_explicit(self, key: str) -> bool:
        """Whether the file set ``key`` (a dotted path such as ``post.path``) itself."""
        return key in self._explicit

    def post_path(self, date: Date | str) -> str:
        """The post file for ``date``, relative to the repository root."""
        day = date.isoformat() if isinstance(date, Date) else Date.fromisoformat(date).isoformat()
        return self.post.path.replace("{date}", day)

    def section(
        self, name: Literal["consequences", "trending"]
    ) -> ConsequencesConfig | TrendingConfig:
        return self.consequences if name == "consequences" else self.trending


# --------------------------------------------------------------------------------------------
# loading


def load_config(
    repo: Path,
    path: str | None = None,
    *,
    source_types: Mapping[str, type[SourceOptions]] | None = None,
) -> Config:
    """Read and validate the config of the blog repository at ``repo``.

    ``path`` is relative to ``repo`` (default ``.github/daily-ai-summary.yml``). When ``path`` is
    not given and the default file does not exist, the defaults apply; an explicitly given path
    that does not exist is an error. ``source_types`` defaults to the source registry.
    """
    registry = dict(source_types) if source_types is not None else _registry()
    rel = path if path is not None else CONFIG_PATH
    file = repo / rel
    if not file.is_file():
        if path is not None:
            raise ConfigError(f"config file not found: {rel}", file=rel)
        return _build(CommentedMap(), registry, file=None)
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(f"cannot read the config file: {type(err).__name__}", file=rel) from None
    return parse_config(text, file=rel, source_types=registry)


def default_config(*, source_types: Mapping[str, type[SourceOptions]] | None = None) -> Config:
    """The configuration used when the blog has no config file."""
    registry = dict(source_types) if source_types is not None else _registry()
    return _build(CommentedMap(), registry, file=None)


def parse_config(
    text: str,
    *,
    file: str = CONFIG_PATH,
    source_types: Mapping[str, type[SourceOptions]] | None = None,
) -> Config:
    """Validate config ``text``; ``file`` is only used in error locations."""
    registry = dict(source_types) if source_types is not None else _registry()
    yaml = YAML(typ="rt")
    try:
        data = yaml.load(text)
    except MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark is not None else None
        what = "duplicate key" if type(err).__name__ == "DuplicateKeyError" else "invalid YAML"
        detail = (err.problem or err.context or "").strip()
        if what == "duplicate key":
            detail = re.sub(r"\s+", " ", detail)
        raise ConfigError(f"{what}: {detail}", file=file, line=line) from None
    except YAMLError as err:
        raise ConfigError(f"invalid YAML: {type(err).__name__}", file=file) from None
    if data is None:
        data = CommentedMap()
    if not isinstance(data, CommentedMap):
        raise ConfigError(
            f"the config must be a mapping of keys (post, consequences, ...), got {kind_of(data)}",
            file=file,
            line=1,
        )
    return _build(data, registry, file=file)


def _registry() -> dict[str, type[SourceOptions]]:
    try:
        from daily_ai_summary.sources import SOURCE_TYPES
    except ImportError:  # pragma: no cover - only while the registry is being written
        return {}
    return dict(SOURCE_TYPES)


@dataclass
class _Problem:
    loc: tuple[str | int, ...]
    message: str
    line: int | None


def _build(
    data: CommentedMap, registry: dict[str, type[SourceOptions]], file: str | None
) -> Config:
    problems: list[_Problem] = []
    plain = _plain(data)
    for key, value in list(plain.items()):
        if value is None:  # "trending:" with everything below commented out
            plain[key] = {}
    for section in SECTIONS:
        body = plain.get(section)
        if not isinstance(body, dict):
            if section in plain:
                continue  # the model reports the wrong type
            body = plain[section] = {}
        if "sources" not in body:
            body["sources"] = [dict(s) for s in DEFAULT_SOURCES[section]]
            if "fallback" not in body:  # the default sources come with the default fallback
                body["fallback"] = [dict(s) for s in DEFAULT_FALLBACK[section] if s["type"] in registry]
        for key in ("sources", "fallback"):
            raw_sources = body.get(key)
            if not isinstance(raw_sources, list):
                continue  # absent, or the model reports the wrong type
            built: list[SourceOptions] = []
            for i, item in enumerate(raw_sources):
                loc: tuple[str | int, ...] = (section, key, i)
                got = _source(item, registry, loc, data, problems)
                if got is not None:
                    built.append(got)
            body[key] = built

    bad_sources = {p.loc[:2] for p in problems}
    try:
        config = Config.model_validate(plain, by_alias=True, by_name=False)
    except ValidationError as err:
        for e in err.errors(include_url=False):
            loc = tuple(e["loc"])
            if loc[:2] in bad_sources:
                continue  # already explained per source
            problems.append(_Problem(loc, describe(e, Config, loc), line_of(data, loc)))
        if not problems:  # pragma: no cover - defensive
            raise ConfigError("invalid configuration", file=file) from None
        config = None
    if problems:
        problems.sort(key=lambda p: p.line or 0)
        first, rest = problems[0], problems[1:]
        msg = f"{dotted(first.loc)}: {first.message}" if first.loc else first.message
        for p in rest[:5]:
            where = f"line {p.line}: " if p.line else ""
            msg += f"\n  also {where}{dotted(p.loc)}: {p.message}"
        if len(rest) > 5:
            msg += f"\n  ... and {len(rest) - 5} more"
        raise ConfigError(msg, file=file, line=first.line)
    assert config is not None
    config._file = file
    config._explicit = frozenset(_key_paths(data))
    return config


def _source(
    item: Any,
    registry: dict[str, type[SourceOptions]],
    loc: tuple[str | int, ...],
    data: CommentedMap,
    problems: list[_Problem],
) -> SourceOptions | None:
    known = ", ".join(sorted(registry)) or "(none registered)"
    if not isinstance(item, dict):
        msg = f"a source must be a mapping with a 'type', got {kind_of(item)}"
        problems.append(_Problem(loc, msg, line_of(data, loc)))
        return None
    kind = item.get("type")
    if kind is None:
        problems.append(_Problem(loc, f"missing 'type' (one of {known})", line_of(data, loc)))
        return None
    if not isinstance(kind, str) or kind not in registry:
        hint = did_you_mean(str(kind), registry)
        problems.append(
            _Problem(
                (*loc, "type"),
                f"unknown source type{hint}; known types: {known}",
                line_of(data, (*loc, "type")),
            )
        )
        return None
    cls = registry[kind]
    try:
        return cls.model_validate(item, by_alias=True, by_name=False)
    except ValidationError as err:
        for e in err.errors(include_url=False):
            full = (*loc, *e["loc"])
            problems.append(_Problem(full, describe(e, cls, tuple(e["loc"])), line_of(data, full)))
        return None


def _plain(node: Any) -> Any:
    """ruamel's round-trip types -> plain dict/list/str/int/float/bool for pydantic."""
    if isinstance(node, CommentedMap):
        return {str(k) if not isinstance(k, str) else k: _plain(v) for k, v in node.items()}
    if isinstance(node, CommentedSeq):
        return [_plain(v) for v in node]
    if isinstance(node, bool):
        return bool(node)
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, str):
        return str(node)
    return node


def _key_paths(node: Any, prefix: str = "") -> list[str]:
    out: list[str] = []
    if isinstance(node, CommentedMap):
        for k, v in node.items():
            path = f"{prefix}.{k}" if prefix else str(k)
            out.append(path)
            out.extend(_key_paths(v, path))
    return out


# --------------------------------------------------------------------------------------------
# Hugo site in a subfolder


def find_hugo_site(repo: Path) -> str | None:
    """The subfolder holding the Hugo site, when the repo root is not the site.

    Returns the folder name when ``content/`` is absent at the root, the root has no Hugo
    config of its own, and exactly one direct subfolder has both a Hugo config
    (``hugo.toml|yaml|json``, ``config.toml|yaml|json`` or ``config/_default/...``) and a
    ``content/`` folder. Otherwise None.
    """
    if (repo / "content").is_dir() or _has_hugo_config(repo):
        return None
    found = [
        sub.name
        for sub in sorted(repo.iterdir())
        if sub.is_dir()
        and not sub.name.startswith(".")
        and (sub / "content").is_dir()
        and _has_hugo_config(sub)
    ]
    return found[0] if len(found) == 1 else None


def _has_hugo_config(folder: Path) -> bool:
    return any((folder / name).is_file() for name in HUGO_CONFIG_FILES) or any(
        (folder / "config" / "_default" / name).is_file() for name in HUGO_CONFIG_FILES
    )


def adjust_for_hugo_site(repo: Path, config: Config) -> tuple[Config, str | None]:
    """Move the default post and archetype paths into a Hugo site kept in a subfolder.

    Paths the config file set explicitly are left alone. Returns the (possibly new) config and
    a note for the log, or None when nothing changed.
    """
    site = find_hugo_site(repo)
    if site is None:
        return config, None
    update: dict[str, str] = {}
    if not config.is_explicit("post.path"):
        update["path"] = f"{site}/{config.post.path}"
    if not config.is_explicit("post.archetype"):
        update["archetype"] = f"{site}/{config.post.archetype}"
    if not update:
        return config, None
    post = config.post.model_copy(update=update)
    adjusted = config.model_copy(update={"post": post})
    parts = [
        f"the Hugo site lives in '{site}/' (no content/ at the repository root):",
        f"writing posts to {post.path}",
    ]
    if "archetype" in update:
        parts.append(f"with archetype {post.archetype}")
    note = " ".join(parts) + "; set post.path in the config to choose another place"

    return adjusted, note
