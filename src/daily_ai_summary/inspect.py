"""``daily-ai-summary inspect FILE...``: show what the post model reads from post files."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, TextIO

from daily_ai_summary.errors import PostFormatError
from daily_ai_summary.post import parse


def read_posts(files: list[str]) -> tuple[list[dict[str, Any]], list[PostFormatError]]:
    """Each readable file as ``{"path", "date", "consequences", "trending", "predictions"}``;
    unreadable ones as errors naming the file (and line, where there is one)."""
    posts: list[dict[str, Any]] = []
    errors: list[PostFormatError] = []
    for name in files:
        try:
            text = Path(name).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            errors.append(
                PostFormatError(f"cannot read: {exc.__class__.__name__}: {exc}", file=name)
            )
            continue
        try:
            posts.append({"path": name, **parse(text, path=name).to_dict()})
        except PostFormatError as err:
            errors.append(err)
    return posts, errors


def _table(posts: list[dict[str, Any]], out: TextIO) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text  # titles are data: never rich markup

    console = Console(file=out, width=max(100, Console(file=out).width), highlight=False)
    for post in posts:
        table = Table(
            title=Text(f"{post['path']}  ({post['date'] or 'no date'})"), title_justify="left"
        )
        table.add_column("section")
        table.add_column("#", justify="right")
        table.add_column("text", overflow="fold")
        for i, c in enumerate(post["consequences"], 1):
            table.add_row("consequences", str(i), Text(c["title"]))
        for i, t in enumerate(post["trending"], 1):
            table.add_row("trending", str(i), Text(t))
        for i, p in enumerate(post["predictions"], 1):
            table.add_row("predictions", str(i), Text(f"{p['event']} ({p['when'] or '?'})"))
        console.print(table)


def inspect_files(
    files: list[str], *, as_json: bool, out: TextIO | None = None, err: TextIO | None = None
) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    posts, errors = read_posts(files)
    if as_json:
        json.dump(posts, out, ensure_ascii=False, indent=2)
        out.write("\n")
    else:
        _table(posts, out)
    for e in errors:
        print(f"error: {e}", file=err)
    return 1 if errors else 0
