"""Small source option models for tests, so config and selection tests do not depend on which
source modules exist: the config reads whatever registry it is given."""

from __future__ import annotations

from typing import Literal

from daily_ai_summary.sources.base import SourceOptions


class RedditLike(SourceOptions):
    type: Literal["reddit"] = "reddit"
    subreddit: str
    sort: Literal["top", "hot", "new", "rising"] = "top"
    time: Literal["hour", "day", "week", "month", "year", "all"] = "day"

    @property
    def label(self) -> str:
        return f"reddit r/{self.subreddit}"


class FeedLike(SourceOptions):
    type: Literal["feed"] = "feed"
    url: str
    name: str | None = None

    @property
    def label(self) -> str:
        return f"feed {self.name or self.url}"


REGISTRY: dict[str, type[SourceOptions]] = {"reddit": RedditLike, "feed": FeedLike}
