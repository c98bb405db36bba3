"""What the blog covered recently: the titles of its last N days of posts.

Selection drops a candidate whose title is (nearly) one of these, so the blog does not repeat a
topic it wrote about last week. The posts are the only state: they are read through the post
model from the folder ``post.path`` points at; no extra file is kept in the blog repository.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date as Date
from datetime import timedelta
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from daily_ai_summary.config import Config
from daily_ai_summary.errors import PostFormatError


class CoveredTitle(BaseModel):
    """One item an earlier post covered."""

    model_config = ConfigDict(frozen=True)

    date: Date
    title: str
    section: Literal["consequences", "trending"]
    file: str  # relative to the repository root


class History(BaseModel):
    """Covered titles, oldest post first, and the posts that could not be read."""

    model_config = ConfigDict(frozen=True)

    titles: tuple[CoveredTitle, ...] = ()
    posts: tuple[str, ...] = ()  # files read, relative to the repository root
    warnings: tuple[str, ...] = ()


def post_pattern(config: Config) -> re.Pattern[str]:
    """Matches the relative path of a post; group 1 is its date."""
    template = re.escape(config.post.path)
    return re.compile("^" + template.replace(re.escape("{date}"), r"(\d{4}-\d{2}-\d{2})") + "$")


def post_files(repo: Path, config: Config) -> list[tuple[Date, str]]:
    """Every existing post file that ``post.path`` describes, as (date, relative path), by date."""
    template = config.post.path
    pattern = post_pattern(config)
    found: list[tuple[Date, str]] = []
    for path in repo.glob(template.replace("{date}", "*")):
        rel = path.relative_to(repo).as_posix()
        m = pattern.match(rel)
        if not m or not path.is_file():
            continue
        try:
            day = Date.fromisoformat(m.group(1))
        except ValueError:
            continue
        found.append((day, rel))
    return sorted(found)


def load_history(
    repo: Path,
    config: Config,
    date: Date,
    days: int | None = None,
    *,
    pending: Iterable[tuple[Date, str, str]] = (),
) -> History:
    """Titles covered by the posts of the ``days`` days before ``date`` (default:
    ``selection.history-days``). The post for ``date`` itself is not history: regenerating a
    day must not drop that day's own topics. A post that cannot be read is a warning.

    ``pending`` adds posts that are not in the checkout, as (date, where, text): the posts
    waiting in the action's open pull requests. A date the checkout has a post for keeps it."""
    days = config.selection.history_days if days is None else days
    first = date - timedelta(days=days)
    titles: list[CoveredTitle] = []
    posts: list[str] = []
    warnings: list[str] = []
    from daily_ai_summary.post import parse

    on_disk = post_files(repo, config)
    have = {day for day, _ in on_disk}
    found: list[tuple[Date, str, str | None]] = [(day, rel, None) for day, rel in on_disk]
    found += [(day, rel, text) for day, rel, text in pending if day not in have]
    for day, rel, given in sorted(found, key=lambda f: (f[0], f[1])):
        if not first <= day < date:
            continue
        try:
            text = (repo / rel).read_text(encoding="utf-8") if given is None else given
            post = parse(text, path=rel)
        except PostFormatError as err:
            warnings.append(f"history: skipped {err}")
            continue
        except (OSError, UnicodeDecodeError) as err:
            warnings.append(f"history: skipped {rel}: cannot read it ({type(err).__name__})")
            continue
        posts.append(rel)
        titles.extend(
            CoveredTitle(date=day, title=c.title, section="consequences", file=rel)
            for c in post.consequences
            if c.title.strip()
        )
        titles.extend(
            CoveredTitle(date=day, title=t.title, section="trending", file=rel)
            for t in post.trending
            if t.title.strip()
        )
    return History(titles=tuple(titles), posts=tuple(posts), warnings=tuple(warnings))
