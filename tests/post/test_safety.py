"""Untrusted titles and paragraphs are data: they render as inert text, in Markdown and in Hugo."""

from __future__ import annotations

import html
import re

import pytest

from daily_ai_summary.post import escape_inline, parse, render, unescape_inline

from .conftest import make_post

HOSTILE = {
    "front matter fence": "---",
    "fence with text": "--- \ntitle: pwned\n---",
    "hugo shortcode": "{{< youtube id=\"x\" >}} shortcode",
    "hugo markdown shortcode": "{{% notice %}} inner {{% /notice %}}",
    "raw html": "<script>alert('x')</script> and <img src=x onerror=alert(1)>",
    "markdown heading": "# Heading injected",
    "section heading": "## Currently trending topics",
    "link": "[click me](https://evil.example/)",
    "javascript link": "[x](javascript:alert(1))",
    "image": "![img](https://evil.example/a.png)",
    "reference definition": "[a]: https://evil.example/",
    "newlines": "first line\n\n## Not a heading\n- not a list",
    "emphasis": "**bold** _it_ `code` ~~gone~~",
    "task list": "[x] done",
    "numbered": "1. numbered",
    "html comment": "<!-- hidden -->",
    "entity": "&lt;script&gt;",
    "bidi and zero width": "safe\u202etxt.exe\u200b\u2066x\u2069",
}


@pytest.mark.parametrize("title", HOSTILE.values(), ids=HOSTILE.keys())
def test_a_hostile_title_cannot_change_the_posts_structure(title):
    post = make_post(titles=[title, "second"], trending=[title, "other"])
    text = render(post)
    back = parse(text)
    assert len(back.consequences) == 2 and len(back.trending) == 2
    assert back.consequences[0].title == back.trending[0].title
    assert text.count("\n---\n") == 1  # the front matter's closing fence only
    assert [ln for ln in text.splitlines() if ln.startswith("#")] == [
        "## Possible consequences of current developments",
        "## Currently trending topics",
        "## GPT predicts future events",
    ]
    assert "{{<" not in text and "{{%" not in text
    assert "<" not in text.split("\n---\n", 1)[1].replace("&lt;", "")


def test_escaping_keeps_every_word():
    for title in HOSTILE.values():
        words = [w for w in re.findall(r"[A-Za-z]{3,}", title)]
        shown = unescape_inline(escape_inline(title))
        assert all(w in shown for w in words), title


def test_hostile_posts_build_with_real_hugo_and_contain_no_executable_html(hugo_site):
    titles = list(HOSTILE.values())
    post = make_post(titles=titles[:7], trending=titles[7:])
    post.consequences[0].benefits = "<script>document.cookie</script> {{< param secret >}}"
    post.predictions[0].rationale = "<iframe src=javascript:alert(1)></iframe>"
    public = hugo_site({"2025-04-16-ai-auto-summary.md": render(post)})
    page = (public / "posts" / "2025-04-16-ai-auto-summary" / "index.html").read_text()
    body = page[page.index("<main>") : page.index("</main>")]
    # Only the elements our layout makes, with no attributes but heading ids.
    tags = re.findall(r"<\s*([a-zA-Z][\w-]*)([^>]*)>", body)
    assert {name.lower() for name, _ in tags} <= {"main", "p", "strong", "em", "ul", "ol", "li", "h2", "blockquote", "br"}
    assert all(attrs.strip() == "" or (name == "h2" and re.fullmatch(r'\s*id="[\w-]+"', attrs)) for name, attrs in tags)
    assert "<!--" not in body
    # the words are shown as text
    text = html.unescape(re.sub(r"<[^>]+>", "", body))
    assert "<script>alert(" in text and "</script> and <img src=x onerror=alert(1)>" in text
    assert "{{< youtube" in text
    assert "[click me](https://evil.example/)" in text
    # and the structure is intact: 7 items, 3 section headings
    assert body.count("<h2") == 3
    assert len(re.findall(r"<strong>", body)) >= 7 + 1


def test_the_seed_post_builds_with_real_hugo(hugo_site, shared_dir):
    public = hugo_site({"2025-04-16-ai-auto-summary.md": (shared_dir / "seed" / "seed-post.md").read_text()})
    page = (public / "posts" / "2025-04-16-ai-auto-summary" / "index.html").read_text()
    assert page.count("<h2") == 3 and "Deep Dive into [R]WKV-7" in page
