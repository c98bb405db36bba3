"""Bearer tokens shared by every source of one run: Reddit's app-only token is fetched once,
however many Reddit sources the config lists and however many ask at the same moment, and
fetched again only after a 401 says the one in use went stale.

The cache lives on the run's ``Credentials`` (one object per run, passed in; never global).
The locks are per event loop: a run may call ``asyncio.run`` more than once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

Fetcher = Callable[[], Awaitable[str]]


class TokenCache:
    def __init__(self) -> None:
        self._tokens: dict[tuple[str, ...], str] = {}
        self._locks: dict[tuple[int, tuple[str, ...]], asyncio.Lock] = {}
        self.fetched = 0  # tokens requested this run (for the job log and the tests)

    def _lock(self, key: tuple[str, ...]) -> asyncio.Lock:
        loop_key = (id(asyncio.get_running_loop()), key)
        if loop_key not in self._locks:
            self._locks[loop_key] = asyncio.Lock()
        return self._locks[loop_key]

    async def get(self, key: tuple[str, ...], fetch: Fetcher) -> str:
        """The token for ``key``; fetched by the first caller only."""
        async with self._lock(key):
            if key not in self._tokens:
                self._tokens[key] = await fetch()
                self.fetched += 1
            return self._tokens[key]

    async def refresh(self, key: tuple[str, ...], stale: str, fetch: Fetcher) -> str:
        """A new token after ``stale`` was refused; callers holding the same stale token share
        one new one."""
        async with self._lock(key):
            if self._tokens.get(key) in (None, stale):
                self._tokens[key] = await fetch()
                self.fetched += 1
            return self._tokens[key]
