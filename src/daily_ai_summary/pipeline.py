"""The generate pipeline, top to bottom:

    event -> plan -> collect -> select -> write -> render -> publish -> report

``plan`` is pure (date, window, paths, config); ``collect`` fetches every source at once;
``select`` ranks and filters (pure); ``write`` asks the LLM (concurrent, bounded); ``render``
builds the post with the lossless post model; ``publish`` lives in ``publish/`` and
``report`` in ``report.py``. Clients are passed in; this module opens none of its own except
through the factories it is given.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path, PurePosixPath

import httpx
import openai

from daily_ai_summary.config import CONFIG_PATH, Config, load_config
from daily_ai_summary.endpoint import Endpoint, probe
from daily_ai_summary.errors import ArchetypeError, InputError, SelectionError
from daily_ai_summary.fallback import fallback_note, fallback_plan, needs_fallback, share
from daily_ai_summary.frontmatter import (
    BUILTIN_ARCHETYPE,
    BUILTIN_ARCHETYPE_NAME,
    build_front_matter,
    notice_from_archetype,
)
from daily_ai_summary.history import History, load_history
from daily_ai_summary.i18n import localize_archetype
from daily_ai_summary.log import Log
from daily_ai_summary.models import Candidate, Section, SourceReport, Usage
from daily_ai_summary.post import new_post, render
from daily_ai_summary.predictions.context import prompt_history, recent
from daily_ai_summary.providers import ProviderSettings
from daily_ai_summary.selection import Selection, select
from daily_ai_summary.sites import PRESETS, Preset, resolve_site
from daily_ai_summary.sources import collect as collect_sources
from daily_ai_summary.sources.base import Credentials, FetchContext, SourceOptions
from daily_ai_summary.writer import (
    Prompts,
    WrittenPost,
    builtin_prompts,
    load_prompts,
    write_post,
)

SECTIONS: tuple[Section, ...] = ("consequences", "trending")
BRANCH_PREFIX = "daily-ai-summary/"
EARLIEST = date(2000, 1, 1)
PAST_POST_TIME = dtime(6, 0, tzinfo=UTC)  # front-matter time of a backfilled post


def branch_for(day: date, topic: str | None = None) -> str:
    """``daily-ai-summary/<date>``, or ``daily-ai-summary/<topic>/<date>`` for a topic."""
    return f"{BRANCH_PREFIX}{topic + '/' if topic else ''}{day.isoformat()}"


def narrow(config: Config, topic: str | None) -> Config:
    """``config`` for ``topic`` (one of its ``topics:``); None leaves it as it is."""
    if topic is None:
        return config
    if not config.topics:
        raise InputError("the config has no topics: list; leave topic empty", input_name="topic")
    try:
        return config.for_topic(topic)
    except ValueError as err:
        raise InputError(str(err), input_name="topic") from None


# --------------------------------------------------------------------------------------
# plan
# --------------------------------------------------------------------------------------


def parse_date(raw: str, *, today: date, input_name: str = "date") -> date:
    """The post date from user input: empty means today (UTC). Not in the future, not before
    2000, and a real calendar date (``2025-02-30`` is an error, not March 2nd)."""
    text = (raw or "").strip()
    if not text:
        return today
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise InputError(
            f"must be a date like 2025-04-16 (YYYY-MM-DD), got {text[:40]!r}", input_name=input_name
        )
    try:
        day = date.fromisoformat(text)
    except ValueError as exc:
        raise InputError(f"{text} is not a calendar date ({exc})", input_name=input_name) from None
    if day > today:
        raise InputError(
            f"{text} is in the future (today is {today.isoformat()} UTC)", input_name=input_name
        )
    if day < EARLIEST:
        raise InputError(
            f"{text} is before {EARLIEST.isoformat()}; the sources have nothing that old",
            input_name=input_name,
        )
    return day


@dataclass(frozen=True)
class Plan:
    """Everything decided before any I/O beyond reading the repository's own files."""

    date: date
    now: datetime  # when the run started (UTC)
    post_time: datetime  # the front matter's date
    window_start: datetime  # the UTC day before ``date``: [start, end)
    window_end: datetime
    is_today: bool
    repo: Path
    config: Config
    post_path: str  # relative to the repository root
    branch: str
    archetype: str  # the archetype's text
    archetype_file: str  # where it came from (for error messages)
    notes: tuple[str, ...] = ()
    prompts: Prompts = field(default_factory=builtin_prompts)  # the config's prompts: key
    site: Preset = PRESETS["hugo"]  # the blog's generator (sites/)

    @property
    def name(self) -> str:
        return PurePosixPath(self.post_path).stem

    @property
    def topic(self) -> str | None:
        return self.config.topic.name if self.config.topic else None

    @property
    def title(self) -> str | None:
        """The topic's front-matter and PR title, its ``{date}`` set; None without one."""
        t = self.config.topic
        return t.title.replace("{date}", self.date.isoformat()) if t and t.title else None

    @property
    def pr_title(self) -> str | None:
        """None: the usual title. A topic without a title of its own: the usual one + topic."""
        if self.topic is None:
            return None
        return self.title or f"[Daily Automated AI Summary] {self.date.isoformat()} ({self.topic})"


def load_archetype(repo: Path, config: Config, site: Preset = PRESETS["hugo"]) -> tuple[str, str]:
    rel = config.post.archetype
    path = repo / rel
    if path.is_file():
        return path.read_text(encoding="utf-8"), rel
    if config.is_explicit("post.archetype"):
        raise ArchetypeError(
            f"archetype not found: {rel} (set by post.archetype)", file=config.file, line=None
        )
    if site.name != "hugo":
        return site.archetype, f"<built-in {site.name} archetype>"
    return BUILTIN_ARCHETYPE, BUILTIN_ARCHETYPE_NAME


def make_plan(
    repo: Path,
    *,
    date_input: str,
    now: datetime,
    config_path: str | None = None,
    topic: str | None = None,
) -> Plan:
    """Decide the date, window, config, paths and archetype. Raises on any bad input before
    anything is fetched or spent."""
    now = now.astimezone(UTC)
    day = parse_date(date_input, today=now.date())
    if config_path in ("", CONFIG_PATH):
        config_path = None  # the default location: a missing file means the defaults
    config = load_config(repo, config_path)
    config, site, note = resolve_site(repo, config)
    config = narrow(config, topic)
    archetype, archetype_file = load_archetype(repo, config, site)
    language = config.language_settings()
    archetype = localize_archetype(archetype, language.strings)
    notes = [note] if note else []
    if language.fallback:
        notes.append(
            f"language {config.language!r}: no translation table for {language.code!r}; "
            "the post's headings and labels stay English (set them with strings:)"
        )
    prompts = load_prompts(repo, config.prompts.overrides())
    is_today = day == now.date()
    start = datetime.combine(day - timedelta(days=1), dtime(0, tzinfo=UTC))
    return Plan(
        date=day,
        now=now,
        post_time=now.replace(microsecond=0) if is_today else datetime.combine(day, PAST_POST_TIME),
        window_start=start,
        window_end=start + timedelta(days=1),
        is_today=is_today,
        repo=repo,
        config=config,
        post_path=config.post_path(day),
        branch=branch_for(day, topic),
        archetype=archetype,
        archetype_file=archetype_file,
        notes=tuple(notes),
        prompts=prompts,
        site=site,
    )


# --------------------------------------------------------------------------------------
# collect, select, write, render
# --------------------------------------------------------------------------------------


@dataclass
class Timings:
    stages: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.monotonic()
        try:
            yield
        finally:
            self.stages[name] = round(self.stages.get(name, 0.0) + time.monotonic() - start, 3)


async def collect(
    plan: Plan, http: httpx.AsyncClient, credentials: Credentials
) -> tuple[dict[Section, list[Candidate]], list[SourceReport]]:
    """Every section's own sources at once; then, for a section they left failed or short,
    its fallback sources (each distinct one read once)."""
    sources: list[tuple[Section, SourceOptions]] = [
        (section, options)
        for section in SECTIONS
        for options in plan.config.section(section).sources
    ]
    ctx = FetchContext(
        http=http,
        window_start=plan.window_start,
        window_end=plan.window_end,
        is_today=plan.is_today,
        credentials=credentials,
        now=plan.now,
    )
    candidates, reports = await collect_sources(sources, ctx)
    short = [s for s in SECTIONS if needs_fallback(plan.config, s, candidates.get(s, []), reports)]
    if short:
        fetched, more = await collect_sources(fallback_plan(plan.config, short), ctx)
        for section, items in share(plan.config, fetched, short).items():
            candidates.setdefault(section, []).extend(items)
        reports += [r.model_copy(update={"fallback": True}) for r in more]
    return candidates, reports


def choose(plan: Plan, candidates: dict[Section, list[Candidate]], history: History) -> Selection:
    return select(candidates, plan.config, history.titles)


async def write(
    plan: Plan,
    selection: Selection,
    client: openai.AsyncOpenAI,
    settings: ProviderSettings,
    *,
    concurrency: int | None = None,
    budget_seconds: float = 300,
    on_progress: Callable[[int, int, str], None] | None = None,
    endpoint: Endpoint | None = None,
    on_event: Callable[[str], None] | None = None,
) -> WrittenPost:
    """The post's LLM parts. ``endpoint`` (``endpoint.probe``) picks the schema and, for a
    local model server, its defaults (an explicit ``concurrency`` still wins)."""
    local = endpoint is not None and endpoint.local
    return await write_post(
        client,
        settings.model,
        selection.consequences,
        list(plan.config.predictions.events),
        # the provider's bound unless given; a local server's is lower
        concurrency=concurrency or (endpoint and endpoint.concurrency) or settings.concurrency,
        budget_seconds=max(budget_seconds, (endpoint and endpoint.budget) or 0),
        request_timeout=endpoint.request_timeout if endpoint else None,
        on_progress=on_progress,
        today=plan.date,
        provider=settings.name,
        prompts=plan.prompts,
        forecast_history=forecast_history(plan),
        max_jump_years=plan.config.predictions.max_jump_years,
        language=plan.config.language_settings(),
        runners_up=selection.runners_up.get("consequences", []),
        full_schema=endpoint is not None and endpoint.schema == "full",
        local=local,
        on_event=on_event,
    )


def after_swaps(selection: Selection, written: WrittenPost) -> Selection:
    """The selection as written: swapped-in runners-up in their places, items left out gone,
    and the runners-up that were used no longer offered for ``replace N``."""
    used = {c.id for c in written.used_runners_up}
    runners = dict(selection.runners_up)
    runners["consequences"] = [c for c in runners.get("consequences", []) if c.id not in used]
    return selection.model_copy(
        update={"consequences": [i.candidate for i in written.items], "runners_up": runners}
    )


def forecast_history(plan: Plan) -> str:
    """The blog's own recent forecasts for the predictions prompt ('' with the tracker off)."""
    if not plan.config.predictions.tracker:
        return ""
    return prompt_history(recent(plan.repo, plan.config, plan.date))


def render_post(
    plan: Plan,
    selection: Selection,
    written: WrittenPost,
    model_tag: str,
    *,
    post_time: datetime | None = None,
) -> str:
    front = build_front_matter(
        plan.archetype,
        date=post_time or plan.post_time,
        name=plan.name,
        model_tag=model_tag,
        file=plan.archetype_file,
        title=plan.title,
        tags=plan.config.topic.tags if plan.config.topic else (),
        date_key=plan.site.date_key,
    )
    post = new_post(
        front,
        [(i.title, i.benefits, i.ramifications) for i in written.items],
        [c.title for c in selection.trending],
        [(p.event, p.when, p.rationale) for p in written.predictions],
        notice=notice_from_archetype(plan.archetype, plan.archetype_file),
        strings=plan.config.language_settings().strings,
        braces=plan.site.braces or plan.post_path.endswith(".mdx"),
    )
    return render(post)


# --------------------------------------------------------------------------------------
# the whole generation, shared by `generate`, `demo` and `run`
# --------------------------------------------------------------------------------------


@dataclass
class Generated:
    plan: Plan
    reports: list[SourceReport]
    history: History
    selection: Selection
    written: WrittenPost
    text: str
    settings: ProviderSettings
    timings: Timings
    fallback_note: str | None = None  # "Reddit blocked this runner; items from ..."
    endpoint: Endpoint | None = None

    @property
    def degradations(self) -> list[str]:
        """Every way the post is less than asked for, one line each (issue 17)."""
        return [d.line() for d in self.written.degradations]

    @property
    def grounding(self) -> list[float | None]:
        return [i.grounding for i in self.written.items]

    @property
    def usage(self) -> Usage:
        return self.written.usage


@dataclass
class Clients:
    """Factories for the clients a generation needs; tests and the demo point them at fakes."""

    http: Callable[[], httpx.AsyncClient]
    llm: Callable[[ProviderSettings], openai.AsyncOpenAI]


async def generate(
    plan: Plan,
    settings: ProviderSettings,
    clients: Clients,
    credentials: Credentials,
    log: Log,
    *,
    concurrency: int | None = None,
    budget_seconds: float = 300,
    post_time: datetime | None = None,
    history: History | None = None,
    endpoint: Endpoint | None = None,
) -> Generated:
    """collect -> select -> write -> render. Nothing is written to the repository here.
    ``history`` replaces the checkout's recent posts (``dedupe.py`` adds open PRs' posts).
    ``endpoint``: what ``checks.check_endpoint`` found (the CLI's probe); else probed here."""
    timings = Timings()
    with (
        log.group(
            f"Collect: {plan.window_start:%Y-%m-%d %H:%M}Z to {plan.window_end:%Y-%m-%d %H:%M}Z"
        ),
        timings.stage("collect"),
    ):
        async with clients.http() as http:
            candidates, reports = await collect(plan, http, credentials)
        for r in reports:
            if r.ok:
                log.info(f"{r.section}: {r.source}: {r.fetched} items ({r.seconds:.1f}s)")
            else:
                log.warning(f"source failed: {r.error}")
            for w in r.warnings:
                log.warning(w if w.startswith(r.source) else f"{r.source}: {w}")

    with log.group("Select"), timings.stage("select"):
        if history is None:
            history = load_history(plan.repo, plan.config, plan.date)
        for w in history.warnings:
            log.warning(w)
        log.info(
            f"history: {len(history.posts)} recent posts, {len(history.titles)} covered titles"
        )
        try:
            selection = choose(plan, candidates, history)
        except SelectionError as err:
            # An empty section because its sources failed: say which and why in the ::error
            # itself, not only in the warnings above it.
            failed = [
                r.error for r in reports if not r.ok and r.error and not candidates.get(r.section)
            ]
            if not failed:
                raise
            raise SelectionError(f"{err.message}; failed: {'; '.join(failed)}") from None
        for c in selection.consequences:
            log.info(f"consequences: {c.title} [{c.source}, {c.rank_reason}]")
        for c in selection.trending:
            log.info(f"trending: {c.title} [{c.source}]")
        log.info(f"dropped {len(selection.dropped)} candidates")
        note = fallback_note(plan.config, reports, [*selection.consequences, *selection.trending])
        if note:
            note = log.wording.render(note)  # the action's inputs, or the CLI's variables
            log.notice(note)

    with log.group(f"Write with {settings.model} ({settings.name})"), timings.stage("write"):
        llm = clients.llm(settings)
        try:
            if endpoint is None:  # one GET /models per run
                endpoint = await probe(llm, settings)
            log.info(endpoint.describe())
            for w in endpoint.warnings:
                log.warning(w)
            written = await write(
                plan,
                selection,
                llm,
                settings,
                concurrency=concurrency,
                budget_seconds=budget_seconds,
                on_progress=lambda done, total, label: log.info(f"[{done}/{total}] {label}"),
                endpoint=endpoint,
                on_event=log.info,
            )
        finally:
            await llm.close()
        selection = after_swaps(selection, written)
        for d in written.degradations:  # on the CLI and the runner, not only in the PR body
            log.warning(f"degraded: {d.line()}")
        if written.reasks_succeeded or written.reasks_failed:
            ok, bad = sum(written.reasks_succeeded.values()), sum(written.reasks_failed.values())
            log.info(f"re-asks: {ok} of {ok + bad} gave an answer without problems")
        u = written.usage
        cost = "unknown" if u.cost_usd is None else f"${u.cost_usd:.4f}"
        log.info(f"{u.calls} LLM calls, {u.total_tokens} tokens, cost {cost}")

    with timings.stage("render"):
        text = render_post(plan, selection, written, settings.tag, post_time=post_time)
    return Generated(
        plan, reports, history, selection, written, text, settings, timings, note, endpoint
    )
