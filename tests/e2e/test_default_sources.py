"""The zero-secret default from a GitHub-hosted runner: Reddit answers 403 "Blocked" to it
(the real shape: an HTML page), so each section is filled from its fallback sources, and the
PR body and the job summary say so. The run uses the built-in defaults with every URL aimed
at the local sources fake (``default_config_at``)."""

from __future__ import annotations

from daily_ai_summary.config import default_config
from daily_ai_summary.post import parse
from daily_ai_summary.testing.blog import default_config_at

NOTE = (
    "Reddit blocked this runner; items from Hacker News, Hugging Face papers and arXiv; "
    "add Reddit OAuth secrets (reddit-client-id, reddit-client-secret) for Reddit"
)


def test_the_default_reads_reddit_first_then_hn_hugging_face_and_arxiv():
    config = default_config()
    for section in (config.consequences, config.trending):
        assert [s.type for s in section.sources] == ["reddit"]
        assert [s.type for s in section.fallback] == ["hackernews", "huggingface-papers", "arxiv"]
    assert (config.consequences.count, config.trending.count) == (5, 3)


def test_reddit_blocked_fills_every_section_from_the_fallback_and_says_so(harness):
    harness.sources.reddit_blocked = True
    harness.write_config(default_config_at(harness.sources.url))

    result = harness.run("schedule")

    assert result.code == 0, result.log
    assert result.outputs["pull-request-operation"] == "created"
    post = parse(harness.branch_file(harness.branch, harness.post_path))
    # the seed's layout and counts, whatever filled them
    assert (len(post.consequences), len(post.trending), len(post.predictions)) == (5, 3, 2)
    [pr] = harness.open_pulls()
    assert f"> {NOTE}" in pr["body"].replace("\\", "")  # Markdown-escaped in the body
    assert "news.ycombinator.com/item?id=" in pr["body"]
    assert "huggingface.co/papers/" in pr["body"]
    assert "www.reddit.com/r/" not in pr["body"]
    assert "**Fallback:** " + NOTE in result.summary.replace("\\", "")
    assert "| hackernews (AI) | consequences (fallback) | 3 items |" in result.summary
    assert f"::notice::{NOTE}" in result.stdout
    # Reddit was asked (and refused) once per section; each fallback source was read once,
    # though both sections list it (arXiv allows one request every 3 s)
    assert len(harness.sources.calls("GET", r"^/r/\w+/(top|hot)\.json$")) == 2
    assert len(harness.sources.calls("GET", r"^/api/query$")) == 1
    assert len(harness.sources.calls("GET", r"^/api/daily_papers$")) == 1
    assert len(harness.sources.calls("GET", r"^/api/v1/search")) == 1


def test_when_reddit_answers_the_fallback_is_never_read(harness):
    harness.write_config(default_config_at(harness.sources.url))

    result = harness.run("schedule")

    assert result.code == 0, result.log
    post = parse(harness.branch_file(harness.branch, harness.post_path))
    assert (len(post.consequences), len(post.trending)) == (5, 3)
    [pr] = harness.open_pulls()
    assert "Reddit blocked" not in pr["body"] and "Fallback" not in result.summary
    assert "news.ycombinator.com" not in pr["body"]
    assert harness.sources.calls("GET", r"^/api/") == []
