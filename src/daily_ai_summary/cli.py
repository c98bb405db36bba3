"""Command line: parse arguments, call one pipeline function, map errors to exit codes.

No logic lives here; each command is one call into the module named after its concern.
"""

from __future__ import annotations

import argparse
import sys

from daily_ai_summary import __version__
from daily_ai_summary.errors import SummaryError


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="daily-ai-summary", description=__doc__)
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("inspect", help="print what the post model reads from post files")
    s.add_argument("files", nargs="+", metavar="FILE")
    s.add_argument("--json", action="store_true", help="one JSON array instead of a table")
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "inspect":
            from daily_ai_summary.inspect import inspect_files

            return inspect_files(args.files, as_json=args.json)
    except SummaryError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
