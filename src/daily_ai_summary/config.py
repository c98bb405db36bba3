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

import difflib
import re
import types
import typing
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
    StrictFloat,
    StrictInt,
    StrictStr,
    ValidationError,
    field_validator,
)
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from daily_ai_summary.errors import ConfigError
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
SECTIONS = ("consequences", "trending")

HUGO_CONFIG_FILES = tuple(
    f"{stem}.{ext}" for stem in ("hugo", "config") for ext in ("toml", "yaml", "yml", "json")
)


# --------------------------------------------------------------------------------------------
# models


class _Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid", alias_generator=kebab, populate_by_name=True, frozen=True
    )


def _repo_relative(value: str) -> str:
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
    if not value.endswith(".md"):
        raise ValueError(f"must end in '.md', got {value!r}")
    return value


class PostConfig(_Model):
    """Where the post goes and which Hugo archetype provides its front matter."""

    path: StrictStr = DEFAULT_POST_PATH
    archetype: StrictStr = DEFAULT_ARCHETYPE

    @field_validator("path")
    @classmethod
    def _check_path(cls, v: str) -> str:
        _repo_relative(v)
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


class ConsequencesConfig(_Model):
    count: StrictInt = Field(5, ge=1, le=10)
    sources: Sources


class TrendingConfig(_Model):
    count: StrictInt = Field(3, ge=1, le=20)
    sources: Sources


class PredictionsConfig(_Model):
    events: tuple[Annotated[StrictStr, Field(min_length=1, max_length=200)], ...] = Field(
        DEFAULT_EVENTS, min_length=1, max_length=10
    )

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
    min_score: StrictFloat = Field(
        0.0, description="global minimum score; a source's own min-score overrides it"
    )
    history_days: StrictInt = Field(14, ge=0, le=365)


class CommitConfig(_Model):
    """Who the bot's commits are by. Commits by anyone else on the date's branch count as a
    person's edits, which the action never overwrites."""

    author_name: Annotated[StrictStr, Field(min_length=1, max_length=100)] = "github-actions[bot]"
    author_email: Annotated[StrictStr, Field(min_length=3, max_length=200, pattern=r"^[^\s@<>]+@[^\s@<>]+$")] = (
        "41898282+github-actions[bot]@users.noreply.github.com"
    )


class PromptsConfig(_Model):
    """The blog's own prompt files (``.md`` paths in the repository), each replacing the shipped
    prompt of the same name (``writer/prompts/``); checked when the run starts."""

    item: StrictStr | None = None
    predictions: StrictStr | None = None
    rules: StrictStr | None = None
    revise: StrictStr | None = None
    revise_rules: StrictStr | None = None
    regenerate: StrictStr | None = None

    @field_validator("*")
    @classmethod
    def _check_file(cls, v: str | None) -> str | None:
        return None if v is None else _repo_relative(v)

    def overrides(self) -> dict[str, str | None]:
        """Prompt name (``revise-rules``) -> the blog's file, or None for the shipped prompt."""
        return {kebab(name): getattr(self, name) for name in type(self).model_fields}


class Config(_Model):
    """The whole configuration. Immutable; build it with ``load_config``."""

    post: PostConfig = PostConfig()
    consequences: ConsequencesConfig
    trending: TrendingConfig
    predictions: PredictionsConfig = PredictionsConfig()
    selection: SelectionConfig = SelectionConfig()
    commit: CommitConfig = CommitConfig()
    prompts: PromptsConfig = PromptsConfig()

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
            f"the config must be a mapping of keys (post, consequences, ...), got {_kind(data)}",
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
            raw_sources: Any = [dict(s) for s in DEFAULT_SOURCES[section]]
        else:
            raw_sources = body["sources"]
        if not isinstance(raw_sources, list):
            continue  # the model reports the wrong type
        built: list[SourceOptions] = []
        for i, item in enumerate(raw_sources):
            loc: tuple[str | int, ...] = (section, "sources", i)
            got = _source(item, registry, loc, data, problems)
            if got is not None:
                built.append(got)
        body["sources"] = built

    bad_sources = {p.loc[:2] for p in problems}
    try:
        config = Config.model_validate(plain, by_alias=True, by_name=False)
    except ValidationError as err:
        for e in err.errors(include_url=False):
            loc = tuple(e["loc"])
            if loc[:2] in bad_sources:
                continue  # already explained per source
            problems.append(_Problem(loc, _describe(e, Config, loc), _line(data, loc)))
        if not problems:  # pragma: no cover - defensive
            raise ConfigError("invalid configuration", file=file) from None
        config = None
    if problems:
        problems.sort(key=lambda p: p.line or 0)
        first, rest = problems[0], problems[1:]
        msg = f"{_dotted(first.loc)}: {first.message}" if first.loc else first.message
        for p in rest[:5]:
            where = f"line {p.line}: " if p.line else ""
            msg += f"\n  also {where}{_dotted(p.loc)}: {p.message}"
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
        msg = f"a source must be a mapping with a 'type', got {_kind(item)}"
        problems.append(_Problem(loc, msg, _line(data, loc)))
        return None
    kind = item.get("type")
    if kind is None:
        problems.append(_Problem(loc, f"missing 'type' (one of {known})", _line(data, loc)))
        return None
    if not isinstance(kind, str) or kind not in registry:
        hint = _did_you_mean(str(kind), registry)
        problems.append(
            _Problem(
                (*loc, "type"),
                f"unknown source type{hint}; known types: {known}",
                _line(data, (*loc, "type")),
            )
        )
        return None
    cls = registry[kind]
    try:
        return cls.model_validate(item, by_alias=True, by_name=False)
    except ValidationError as err:
        for e in err.errors(include_url=False):
            full = (*loc, *e["loc"])
            problems.append(_Problem(full, _describe(e, cls, tuple(e["loc"])), _line(data, full)))
        return None


# --------------------------------------------------------------------------------------------
# error messages and locations


def _describe(err: Mapping[str, Any], root: type[BaseModel], loc: tuple[str | int, ...]) -> str:
    kind = err["type"]
    value = err.get("input")
    ctx = err.get("ctx") or {}
    got = f" (got {_short(value)})"
    if kind == "extra_forbidden":
        key = str(loc[-1]) if loc else "?"
        allowed = _allowed_keys(root, loc[:-1])
        hint = _did_you_mean(key, allowed)
        listing = f"; allowed keys: {', '.join(allowed)}" if allowed else ""
        return f"unknown key{hint}{listing}"
    if kind == "missing":
        return "required key is missing"
    if kind == "literal_error":
        expected = str(ctx.get("expected", ""))
        options = [o.strip().strip("'\"") for o in re.split(r",| or ", expected) if o.strip()]
        return f"must be one of {', '.join(options)}{got}"
    if kind in {"greater_than_equal", "less_than_equal", "greater_than", "less_than"}:
        lo, hi = _bounds(root, loc)
        if lo is not None and hi is not None:
            return f"must be between {lo} and {hi}{got}"
        if "ge" in ctx:
            return f"must be at least {ctx['ge']}{got}"
        if "le" in ctx:
            return f"must be at most {ctx['le']}{got}"
        if "gt" in ctx:
            return f"must be greater than {ctx['gt']}{got}"
        return f"must be less than {ctx.get('lt')}{got}"
    if kind in {"int_type", "int_parsing", "int_from_float"}:
        return f"must be a whole number{got}"
    if kind in {"float_type", "float_parsing"}:
        return f"must be a number{got}"
    if kind in {"string_type", "string_sub_type"}:
        return f"must be a text string{got}"
    if kind in {"bool_type", "bool_parsing"}:
        return f"must be true or false{got}"
    if kind in {"list_type", "tuple_type", "set_type", "frozen_set_type"}:
        return f"must be a list{got}"
    if kind in {"model_type", "dict_type", "model_attributes_type"}:
        return f"must be a mapping of keys{got}"
    if kind == "too_short":
        n = ctx.get("min_length", 1)
        if loc and loc[-1] == "sources":
            return f"needs at least {n} source"
        if isinstance(value, str):
            return "must not be empty"
        return f"needs at least {n} item{'s' if n != 1 else ''}"
    if kind == "too_long":
        n = ctx.get("max_length")
        if isinstance(value, str):
            return f"must be at most {n} characters"
        return f"allows at most {n} items"
    if kind == "value_error":
        msg = str(err.get("msg", ""))
        return msg.removeprefix("Value error, ")
    msg = str(err.get("msg", "invalid value"))
    return (msg[:1].lower() + msg[1:]) + got


def _short(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return {True: "true", False: "false", None: "null"}[value]
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "nothing"
    return f"{type(value).__name__} {_short(value)}"


def _did_you_mean(key: str, options: Any) -> str:
    close = difflib.get_close_matches(key.replace("_", "-"), list(options), n=1, cutoff=0.6)
    return f" {key!r} (did you mean {close[0]!r}?)" if close else f" {key!r}"


def _dotted(loc: tuple[str | int, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _line(data: Any, loc: tuple[str | int, ...]) -> int | None:
    """1-based line of the deepest node of ``loc`` present in the YAML tree."""
    node = data
    line = 1 if isinstance(data, CommentedMap) and data else None
    if isinstance(data, CommentedMap) and data.lc.line is not None:
        line = data.lc.line + 1
    for part in loc:
        if isinstance(node, CommentedMap) and part in node:
            line = node.lc.key(part)[0] + 1
            node = node[part]
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and 0 <= part < len(node):
            line = node.lc.item(part)[0] + 1
            node = node[part]
        else:
            break
    return line


def _unwrap(annotation: Any) -> Any:
    """The model class inside ``Annotated[...]``, ``X | None``, ``tuple[X, ...]``."""
    while True:
        origin = typing.get_origin(annotation)
        args = typing.get_args(annotation)
        if origin is Annotated:
            annotation = args[0]
        elif origin in (tuple, list, frozenset, set) and args:
            annotation = args[0]
        elif origin in (typing.Union, types.UnionType):
            models = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
            if not models:
                return None
            annotation = models[0]
        elif isinstance(annotation, type):
            return annotation
        else:
            # SerializeAsAny[...] and similar wrappers
            inner = getattr(annotation, "__origin__", None)
            if inner is None:
                return None
            annotation = inner


def _field(model: type[BaseModel], key: str | int) -> Any:
    for name, info in model.model_fields.items():
        if key in (name, info.alias):
            return info
    return None


def _model_at(root: type[BaseModel], loc: tuple[str | int, ...]) -> type[BaseModel] | None:
    model: Any = root
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return None
        info = _field(model, part)
        if info is None:
            return None
        model = _unwrap(info.annotation)
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def _allowed_keys(root: type[BaseModel], loc: tuple[str | int, ...]) -> list[str]:
    model = _model_at(root, loc)
    if model is None:
        return []
    return [info.alias or name for name, info in model.model_fields.items()]


def _bounds(root: type[BaseModel], loc: tuple[str | int, ...]) -> tuple[Any, Any]:
    keys = [p for p in loc if not isinstance(p, int)]
    if not keys:
        return None, None
    parent = _model_at(root, tuple(keys[:-1]))
    info = _field(parent, keys[-1]) if parent else None
    lo = hi = None
    for meta in getattr(info, "metadata", []) or []:
        lo = getattr(meta, "ge", lo) if getattr(meta, "ge", None) is not None else lo
        hi = getattr(meta, "le", hi) if getattr(meta, "le", None) is not None else hi
    return lo, hi


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
