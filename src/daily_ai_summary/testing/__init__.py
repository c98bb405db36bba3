"""Local fake servers for offline runs: the tests, ``daily-ai-summary demo``, and users who
want to try their configuration without spending a token.

Every fake is a real HTTP server on 127.0.0.1 (``server.FakeServer``), called over real sockets
by the real clients (httpx, openai, PyGithub).
"""
