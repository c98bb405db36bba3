"""Command line: parse arguments, call one function, map errors to exit codes.

No pipeline logic lives here; each command is one call into the module named after its concern.
Every failure a user can cause (a bad flag, date, path or config, a missing credential) is one
line on stderr, in the CLI's own words (``--date``, ``OPENAI_API_KEY``; see ``wording.py``), and
exit code 1. A Python traceback is never shown.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import NoReturn

from daily_ai_summary import __version__
from daily_ai_summary.errors import InputError, SummaryError
from daily_ai_summary.wording import CLI

ENV_MODEL = """\
environment (read when set):
  GITHUB_TOKEN            GitHub Models, the default model provider: a token that may use it
                          (a fine-grained token with Models: read, or `gh auth token`)
  OPENAI_API_KEY          use OpenAI instead (or the key of OPENAI_BASE_URL's endpoint)
  OPENAI_BASE_URL         any OpenAI-compatible endpoint (Ollama, vLLM, Azure OpenAI, OpenRouter)
  DAILY_AI_SUMMARY_MODEL  the model, like --model
"""
ENV_SOURCES = """\
  DAILY_AI_SUMMARY_CONFIG the config file, like --config
  REDDIT_CLIENT_ID, REDDIT_CLIENT_SECRET
                          Reddit's OAuth API (Reddit blocks most cloud machines without it)
"""
ENV_RUN = """\
environment: what the GitHub Actions runner sets for a container action:
  INPUT_<NAME>            each input of action.yml (INPUT_GITHUB-TOKEN, INPUT_DATE, ...)
  GITHUB_EVENT_NAME, GITHUB_EVENT_PATH, GITHUB_REPOSITORY, GITHUB_WORKSPACE, GITHUB_API_URL,
  GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, GITHUB_RUN_ID, GITHUB_SERVER_URL
"""


class Parser(argparse.ArgumentParser):
    """argparse with one-line errors and exit code 1 (argparse's own: usage, then exit 2)."""

    def error(self, message: str) -> NoReturn:
        self.exit(1, f"error: {self.prog}: {message} (see {self.prog} --help)\n")


def build_parser() -> Parser:
    raw = argparse.RawDescriptionHelpFormatter
    p = Parser(
        prog="daily-ai-summary",
        description="Write a daily AI/ML summary post with an LLM and publish it as a pull request.",
        epilog="Try it offline: daily-ai-summary demo. Each command has --help.",
        formatter_class=raw,
    )
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = p.add_subparsers(dest="command", required=True, parser_class=Parser)

    sub.add_parser(
        "run",
        help="the GitHub Action entrypoint (reads INPUT_* and GITHUB_* from the environment)",
        description="The GitHub Action's entrypoint: handles the event the runner passes (a "
        "schedule, a dispatch, a /summary comment), then writes outputs and the job summary.",
        epilog=ENV_RUN,
        formatter_class=raw,
    )

    s = sub.add_parser(
        "generate",
        help="write the post for a date in a local clone and commit it on the date's branch (no push)",
        description="Write the post for a date in a local clone of the blog and commit it on the "
        "branch daily-ai-summary/DATE (created from HEAD). Nothing is pushed and the checkout is "
        "not touched. Everything that can fail without a model call (the folder, the date, the "
        "config, the archetype, the credential, the endpoint) is checked before the first one.",
        epilog=ENV_MODEL + ENV_SOURCES,
        formatter_class=raw,
    )
    _date(s)
    _repo(s, "the blog's clone (default: .)")
    _config(s)
    s.add_argument(
        "--model",
        help="the model (default: openai/gpt-4o-mini on GitHub Models, gpt-4o-mini on OpenAI)",
    )
    s.add_argument("--dry-run", action="store_true", help="print the post; commit nothing")

    s = sub.add_parser(
        "sources",
        help="show what the sources give for a date and what would be selected (no LLM, no token)",
        description="Fetch the configured sources for a date and show what each returned and "
        "what would be selected, with scores, links and why; no model is called.",
        epilog="environment (read when set):\n" + ENV_SOURCES,
        formatter_class=raw,
    )
    _date(s)
    _repo(s, "the blog's clone, for its config and recent posts (default: .)")
    _config(s)

    s = sub.add_parser(
        "plan",
        help="print the JSON list of the dates of a range that need a post (for a matrix backfill)",
        description="Print, as one JSON list on stdout, the dates of a range that still need a "
        "post: a date with a merged post or an open PR is left out unless --force. The budget "
        "check, max-parallel and each skipped date go to stderr.",
        epilog=ENV_MODEL,
        formatter_class=raw,
    )
    s.add_argument("--dates", required=True, help="YYYY-MM-DD..YYYY-MM-DD, at most 366 days")
    s.add_argument(
        "--force", action="store_true", help="include dates that have a merged post or an open PR"
    )
    _repo(s, "the blog's clone (default: .)")
    s.add_argument("--base", default="", help="the base branch (default: origin's default branch)")

    s = sub.add_parser(
        "demo",
        help="run the whole generation offline on sample content",
        description="The whole generation, offline: local stand-ins for the sources and the "
        "model, a throwaway blog repository, the post committed on its branch and printed. "
        "Sample content only. The blog is deleted afterwards unless --keep is given.",
        epilog="environment: none (the demo sets up its own stand-ins).",
        formatter_class=raw,
    )
    _date(s)
    s.add_argument(
        "--keep",
        type=Path,
        metavar="DIR",
        help="create the demo blog in DIR (a new or empty folder) and keep it",
    )

    s = sub.add_parser(
        "inspect",
        help="print what the post model reads from post files",
        description="Read post files with the post model and print what it finds: the front "
        "matter's date, the items, the trending titles and the predictions.",
        epilog="environment: none.",
        formatter_class=raw,
    )
    s.add_argument("files", nargs="+", metavar="FILE")
    s.add_argument("--json", action="store_true", help="one JSON array instead of a table")
    s = sub.add_parser(
        "predictions",
        help="every forecast the blog's posts made: a table, JSON or an SVG chart",
        description="Read every post of the blog's checkout and list each forecast its "
        "'GPT predicts future events' section made, as a table, JSON or an SVG chart.",
        epilog="environment: none.",
        formatter_class=raw,
    )
    s.add_argument(
        "--repo",
        default=".",
        type=Path,
        help="the blog's clone (default: .); its checked-out posts are read",
    )
    s.add_argument(
        "--json",
        action="store_true",
        help="one JSON array of {post, event, year, month, path, ...}",
    )
    s.add_argument("--svg", type=Path, metavar="FILE", help="write the chart to FILE")
    s.add_argument(
        "--since", default="", metavar="DATE", help="only posts from DATE (YYYY-MM-DD) on"
    )
    return p


def _date(s: argparse.ArgumentParser) -> None:
    s.add_argument(
        "--date",
        default="",
        help="the post date, YYYY-MM-DD, not in the future (default: today, UTC)",
    )


def _repo(s: argparse.ArgumentParser, text: str) -> None:
    s.add_argument("--repo", default=Path("."), type=Path, help=text)


def _config(s: argparse.ArgumentParser) -> None:
    s.add_argument(
        "--config",
        metavar="FILE",
        help="the config file (default: .github/daily-ai-summary.yml in the repository)",
    )


def folder(path: Path, flag: str = "--repo") -> Path:
    """An existing folder, or one clear error naming the flag."""
    if not path.exists():
        raise InputError(f"{path}: no such folder", input_name=flag.lstrip("-"))
    if not path.is_dir():
        raise InputError(f"{path} is not a folder", input_name=flag.lstrip("-"))
    return path.resolve()


def config_path(repo: Path, given: str | None, env: Mapping[str, str]) -> str | None:
    """``--config`` (or DAILY_AI_SUMMARY_CONFIG): a path from the current folder if it exists
    there, else from the repository."""
    raw = given or env.get("DAILY_AI_SUMMARY_CONFIG") or None
    if raw is None:
        return None
    here = Path(raw)
    if not here.is_absolute() and here.exists():
        here = here.resolve()
    return str(here) if here.is_absolute() else raw


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "run":
        from daily_ai_summary.entrypoint import run

        return run()
    try:
        return _dispatch(args)
    except SummaryError as err:
        print(f"error: {err.render(CLI)}", file=sys.stderr)
    except OSError as err:  # a file or folder the command could not read or write
        where = f"{err.filename}: " if err.filename else ""
        print(f"error: {where}{err.strerror or type(err).__name__}", file=sys.stderr)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - a bug: one line, never a traceback
        print(
            f"error: unexpected {type(exc).__name__}: {str(exc)[:200]} (a bug in daily-ai-summary;"
            " please report it with the command you ran)",
            file=sys.stderr,
        )
    return 1


def _dispatch(args: argparse.Namespace) -> int:
    env = dict(os.environ)
    if args.command == "inspect":
        from daily_ai_summary.inspect import inspect_files

        return inspect_files(args.files, as_json=args.json)
    if args.command == "demo":
        from daily_ai_summary.demo import run_demo

        return run_demo(day=args.date, keep=args.keep)
    repo = folder(args.repo)
    if args.command == "plan":
        from daily_ai_summary.plan_command import plan_local

        return plan_local(
            repo, dates=args.dates, force=args.force, base=args.base, env=env,
            out=sys.stdout, err=sys.stderr,
        )  # fmt: skip
    if args.command == "predictions":
        from daily_ai_summary.predictions.command import run_predictions

        return run_predictions(repo, as_json=args.json, svg=args.svg, since=args.since)
    config = config_path(repo, args.config, env)
    if args.command == "sources":
        from daily_ai_summary.dry import show_sources

        return show_sources(repo, date=args.date, config_path=config)
    assert args.command == "generate"
    from daily_ai_summary.generate import generate_local
    from daily_ai_summary.log import Redactor, TerminalLog

    if config:
        env["DAILY_AI_SUMMARY_CONFIG"] = config
    if args.model:
        env["DAILY_AI_SUMMARY_MODEL"] = args.model
    secrets = [env.get(k, "") for k in ("GITHUB_TOKEN", "OPENAI_API_KEY", "REDDIT_CLIENT_SECRET")]
    log = TerminalLog(Redactor(s for s in secrets if s), wording=CLI)
    generate_local(repo, date=args.date, dry_run=args.dry_run, env=env, log=log)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
