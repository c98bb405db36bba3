"""Command line: parse arguments, call one function, map errors to exit codes.

No logic lives here; each command is one call into the module named after its concern.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from daily_ai_summary import __version__
from daily_ai_summary.errors import SummaryError


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="daily-ai-summary",
        description="Write a daily AI/ML summary post with an LLM and publish it as a pull request.",
    )
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("run", help="the GitHub Action entrypoint (reads INPUT_* and GITHUB_* from the environment)")

    s = sub.add_parser("generate", help="write the post for a date in a local clone and commit it on the date's branch (no push)")
    s.add_argument("--date", default="", help="YYYY-MM-DD (default: today, UTC)")
    s.add_argument("--repo", default=".", type=Path, help="the blog's clone (default: .)")
    s.add_argument("--dry-run", action="store_true", help="print the post; change nothing")

    s = sub.add_parser("sources", help="show what the sources give for a date and what would be selected (no LLM, no token)")
    s.add_argument("--date", default="", help="YYYY-MM-DD (default: today, UTC)")
    s.add_argument("--repo", default=".", type=Path, help="the blog's clone, for its config and recent posts")

    s = sub.add_parser("demo", help="run the whole generation offline on sample content")
    s.add_argument("--date", default="", help="YYYY-MM-DD (default: today, UTC)")
    s.add_argument("--keep", type=Path, help="create the demo blog in this folder instead of a temporary one")

    s = sub.add_parser("inspect", help="print what the post model reads from post files")
    s.add_argument("files", nargs="+", metavar="FILE")
    s.add_argument("--json", action="store_true", help="one JSON array instead of a table")
    s = sub.add_parser("predictions", help="every forecast the blog's posts made: a table, JSON or an SVG chart")
    s.add_argument("--repo", default=".", type=Path, help="the blog's clone (default: .); its checked-out posts are read")
    s.add_argument("--json", action="store_true", help="one JSON array of {post, event, year, month, path, ...}")
    s.add_argument("--svg", type=Path, metavar="FILE", help="write the chart to FILE")
    s.add_argument("--since", default="", metavar="DATE", help="only posts from DATE (YYYY-MM-DD) on")
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "run":
        from daily_ai_summary.entrypoint import run

        return run()
    try:
        if args.command == "inspect":
            from daily_ai_summary.inspect import inspect_files

            return inspect_files(args.files, as_json=args.json)
        if args.command == "predictions":
            from daily_ai_summary.predictions.command import run_predictions

            return run_predictions(args.repo, as_json=args.json, svg=args.svg, since=args.since)
        if args.command == "generate":
            from daily_ai_summary.entrypoint import generate_local

            generate_local(args.repo.resolve(), date=args.date, dry_run=args.dry_run)
            return 0
        if args.command == "sources":
            from daily_ai_summary.dry import show_sources

            return show_sources(args.repo.resolve(), date=args.date)
        if args.command == "demo":
            from daily_ai_summary.demo import run_demo

            return run_demo(day=args.date, keep=args.keep)
    except SummaryError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
