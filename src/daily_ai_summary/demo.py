"""``daily-ai-summary demo``: the whole generation, offline, on sample content.

It starts the same local fakes the tests use (``daily_ai_summary.testing``): sample Reddit, Hacker
News, Hugging Face and arXiv discussions, and an OpenAI-compatible stand-in model that writes
template paragraphs. It makes a throwaway blog repository with real git, runs ``generate`` on
it, and prints the post and where it is. Nothing leaves this machine.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TextIO

from daily_ai_summary.errors import InputError
from daily_ai_summary.generate import generate_local
from daily_ai_summary.log import TerminalLog
from daily_ai_summary.pipeline import parse_date
from daily_ai_summary.testing.blog import make_blog
from daily_ai_summary.testing.openai_fake import OpenAIFake
from daily_ai_summary.testing.sources_fake import SourcesFake
from daily_ai_summary.wording import CLI

DEMO_MODEL = "gpt-4o-mini"

BANNER = """\
================================================================================
 SAMPLE CONTENT. This post was written offline from bundled sample discussions
 by a local stand-in model that fills templates. It is not news and not an LLM.
================================================================================"""

HOW_TO_GO_REAL = """\
To write a real post from a clone of your blog:
  GITHUB_TOKEN=<a token with models:read>  daily-ai-summary generate --repo PATH   # GitHub Models
  OPENAI_API_KEY=sk-...                     daily-ai-summary generate --repo PATH   # OpenAI
  OPENAI_BASE_URL=http://localhost:11434/v1 DAILY_AI_SUMMARY_MODEL=llama3.1 daily-ai-summary generate --repo PATH
Add --dry-run to print the post without committing. In GitHub Actions, copy the workflow
from the README's Quick start: it needs no secret at all."""


def keep_folder(keep: Path) -> Path:
    """``--keep DIR``: the blog goes exactly in DIR, which must be new or empty."""
    if keep.exists() and not keep.is_dir():
        raise InputError(f"{keep} is not a folder: give a new or empty folder", input_name="keep")
    if keep.is_dir() and any(keep.iterdir()):
        raise InputError(
            f"{keep} is not empty: give a new or empty folder for the demo blog", input_name="keep"
        )
    return keep.resolve()


def run_demo(*, day: str = "", keep: Path | None = None, out: TextIO | None = None) -> int:
    """The demo; its blog is deleted at the end unless ``keep`` names the folder to create it in."""
    out = out or sys.stdout
    post_date = parse_date(day, today=datetime.now(UTC).date())
    if keep is not None:
        return _demo(post_date, keep_folder(keep), out, kept=True)
    with tempfile.TemporaryDirectory(prefix="daily-ai-summary-demo-") as tmp:
        return _demo(post_date, Path(tmp) / "blog", out, kept=False)


def _demo(post_date: date, repo: Path, out: TextIO, *, kept: bool) -> int:
    print(BANNER, file=out)
    with SourcesFake.with_sample_day(post_date) as sources, OpenAIFake() as llm:
        make_blog(repo, sources.url)
        env = {
            "OPENAI_BASE_URL": llm.base_url,
            "DAILY_AI_SUMMARY_MODEL": DEMO_MODEL,
            "OPENAI_API_KEY": "demo-key-not-a-secret",
        }
        log = TerminalLog(wording=CLI)
        generated, sha = generate_local(
            repo, date=post_date.isoformat(), dry_run=False, env=env, log=log
        )
    print("", file=out)
    print(generated.text, file=out)
    print(BANNER, file=out)
    print(
        f"Post: {generated.plan.post_path} on branch {generated.plan.branch} (commit {sha[:12] if sha else '-'})",
        file=out,
    )
    if kept:
        print(f"Blog repository: {repo}", file=out)
        print(
            f"See it with: git -C {repo} show {generated.plan.branch}:{generated.plan.post_path}",
            file=out,
        )
    else:
        print("The demo blog was deleted; keep it with --keep DIR.", file=out)
    u = generated.usage
    print(
        f"{u.calls} calls to the stand-in model, {u.total_tokens} tokens (a real gpt-4o-mini run costs about ${u.cost_usd or 0:.4f})",
        file=out,
    )
    print("", file=out)
    print(HOW_TO_GO_REAL, file=out)
    return 0
