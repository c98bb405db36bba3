"""The PR body against a hostile source item, judged the way GitHub shows it (issue 11, case 3).

GitHub renders a PR body with cmark-gfm (CommonMark plus tables, strikethrough and the
autolink extension: bare ``www.`` and ``https://`` become links), sanitises the HTML, and then
runs filters over the rendered TEXT: ``@user`` becomes a mention (and a notification),
``#123``, ``GH-123`` and ``owner/repo#123`` become references. A backslash escape does not
stop those filters (the backslash is gone by then). So the body is rendered here with
``cmarkgfm`` (GitHub's own fork of cmark, raw HTML on, so only our escaping protects it), and
the filters' patterns are run over its text nodes.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import cmarkgfm
import pytest
from cmarkgfm.cmark import Options

from tests.reliability.support import Bench

BREAKOUT_LINK = (
    "https://example.com/a)@someone![x](https://evil.example/t.png)<img src=x onerror=alert(1)><!--"
)
ENCODED_LINK = "https://example.com/b)@someone![x](https://evil.example/t.png)"
TITLE = (
    "Ping @octocat and @github/security about #123, GH-7 and octo/blog#9: see www.evil.example "
    "or https://evil.example/x ![img](https://evil.example/t.png) <img src=x onerror=alert(1)> "
    "<a href='https://evil.example'>x</a> <!-- hide the rest"
)

# GitHub's text filters (their shape, after html-pipeline's MentionFilter / IssueReference).
MENTION = re.compile(r"(?:^|[^\w`/])@[A-Za-z0-9][A-Za-z0-9-]*")
REFERENCE = re.compile(r"(?:^|[^\w/])(?:[\w.-]+/[\w.-]+)?#\d+|\bGH-\d+", re.I)
ALLOWED_TAGS = {
    "p",
    "h3",
    "ol",
    "ul",
    "li",
    "a",
    "strong",
    "em",
    "code",
    "details",
    "summary",
    "blockquote",
    "br",
}


class Rendered(HTMLParser):
    """Tags, link targets, comments and the text GitHub's filters would see."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.hrefs: list[str] = []
        self.comments: list[str] = []
        self.text: list[str] = []
        self.shown: list[str] = []  # all text, links included
        self._skip = 0  # inside <a>, <code> or <pre>: the filters leave those alone

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "a":
            self.hrefs.append(dict(attrs).get("href") or "")
        if tag in ("a", "code", "pre"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("a", "code", "pre"):
            self._skip -= 1

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)

    def handle_data(self, data: str) -> None:
        self.shown.append(data)
        if not self._skip:
            self.text.append(data)


def github_view(body: str) -> tuple[str, Rendered]:
    html = cmarkgfm.github_flavored_markdown_to_html(body, options=Options.CMARK_OPT_UNSAFE)
    seen = Rendered()
    seen.feed(html)
    return html, seen


def assert_inert_on_github(body: str) -> None:
    html, seen = github_view(body)
    assert set(seen.tags) <= ALLOWED_TAGS, f"HTML from a source: {set(seen.tags) - ALLOWED_TAGS}"
    assert "img" not in seen.tags, "an image (a remote tracking pixel)"
    [comment] = seen.comments  # only the metadata, and it is the last thing: nothing hidden
    assert "daily-ai-summary:metadata" in comment
    assert html.rstrip().endswith("-->"), "something follows the metadata comment"
    assert "Steer this post from the PR" in html[: html.index("<!--")]
    for href in seen.hrefs:
        parts = urlsplit(href)
        assert parts.scheme in ("http", "https") and parts.hostname, href
        assert not parts.hostname.endswith("evil.example"), f"a link to the attacker's host: {href}"
        assert not re.search(r"[\s()<>\"'`]", href), f"a link target that breaks out: {href}"
    text = "".join(seen.text)
    assert not MENTION.findall(text), f"live mentions: {MENTION.findall(text)}"
    assert not REFERENCE.findall(text), f"live references: {REFERENCE.findall(text)}"
    shown = "".join(seen.shown)
    assert "octocat" in shown and "GH-" in shown, "the title is not shown as text"


def test_the_check_catches_what_it_must() -> None:
    """The check above fails on the markup it is there to stop (a check that cannot fail
    proves nothing)."""
    tail = "\n<details><summary>Steer this post from the PR</summary></details>\n<!-- daily-ai-summary:metadata {} -->"
    for bad in (
        "hi @octocat octocat GH-", "see #12 octocat GH-", "GH-7 octocat", f"[x]({ENCODED_LINK}) octocat GH-",
        "![i](https://evil.example/t.png) octocat GH-", "<img src=x> octocat GH-", "<!-- octocat GH-",
        "www.evil.example octocat GH-",
    ):  # fmt: skip
        with pytest.raises(AssertionError):
            assert_inert_on_github(bad + tail)
    assert_inert_on_github("octocat GH-" + tail)


def test_a_hostile_source_item_stays_inert_in_the_pr_body(tmp_path: Path) -> None:
    with Bench(tmp_path) as bench:
        bench.add_top_post(TITLE, url=BREAKOUT_LINK)
        bench.add_top_post(
            "A second item with a link that needs encoding @someone", url=ENCODED_LINK
        )
        result = bench.run("schedule")
        assert result.code == 0, result.log
        [pr] = bench.h.open_pulls()
        body = pr["body"]
        assert_inert_on_github(body)
        assert (
            "(https://example.com/b%29@someone!%5Bx%5D%28https://evil.example/t.png%29)" in body
        ), "the encodable link was dropped"
        visible = body[
            : body.index("<!-- daily-ai-summary:metadata")
        ]  # the metadata is JSON, inert
        assert "a)@someone" not in visible, "the break-out link was kept"
        # the job summary shows the same items: the same rules hold there
        _, seen = github_view(result.summary)
        assert not {"img", "script"} & set(seen.tags)
        assert not MENTION.findall("".join(seen.text)) and not REFERENCE.findall("".join(seen.text))
        bench.assert_nothing_lost(result)
        bench.h.github.assert_clean()
