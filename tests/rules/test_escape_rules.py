"""How untrusted text lands in a post: the exact text ``escape_inline`` writes for each thing a
title, a feed or a model could smuggle in, and that reading it back gives the words again."""

from __future__ import annotations

import pytest

from daily_ai_summary.escape import clean_text, escape_inline, unescape_inline

# (untrusted text, what the post holds for it on a Hugo site)
HUGO = [
    # HTML and entities: inert, and an entity-like text is shown as typed
    ("<b>x</b>", "&lt;b&gt;x&lt;/b&gt;"),
    ("&copy; &#169; &x27;", "&amp;copy; &amp;#169; &amp;x27;"),
    ("AT&T & co", "AT&T & co"),
    # Hugo shortcodes are broken; a lone brace is left alone on a Hugo site
    ("{{< x >}}", "&#123;&#123;&lt; x &gt;}}"),
    ("{x}", "{x}"),
    # Markdown punctuation
    ("*a* _b_ `c` \\d", "\\*a\\* \\_b\\_ \\`c\\` \\\\d"),
    ("a [t](u) [r][1] [d]: x [R]", "a [t\\](u) [r\\][1] [d\\]: x [R]"),
    (
        "~~s~~ ~t",
        "\\~~s\\~~ ~t",
    ),  # the first of each pair: no strikethrough (real Hugo: test_safety)
    # what Goldmark's linkify would turn into a link
    ("see https://evil.example", "see https\\://evil.example"),
    ("www.evil.example", "www\\.evil.example"),
    ("mail me@evil.example", "mail me\\@evil.example"),
    ("a : // b, user @ host", "a : // b, user @ host"),
    # what would start a block: one character, or a list number
    ("# h", "\\# h"),
    ("> q", "&gt; q"),  # HTML first: an entity starts no quote
    ("+ l", "\\+ l"),
    ("= setext", "\\= setext"),
    ("- l", "\\- l"),
    ("[x] done", "\\[x] done"),
    ("1. n", "1\\. n"),
    ("12) n", "12\\) n"),
    ("2024 was", "2024 was"),
    ("a # b", "a # b"),
]


@pytest.mark.parametrize(("text", "written"), HUGO)
def test_what_a_hugo_post_holds_for_untrusted_text(text: str, written: str) -> None:
    assert escape_inline(text) == written
    assert unescape_inline(written) == text


# the generators that template Markdown (Liquid, Jinja, MDX): every brace is an entity
BRACES = [
    ("{% raw %}", "&#123;% raw %&#125;"),
    ("{{ site.x }}", "&#123;&#123; site.x &#125;&#125;"),
    ("}", "&#125;"),
    ("{", "&#123;"),
]


@pytest.mark.parametrize(("text", "written"), BRACES)
def test_what_a_templating_sites_post_holds_for_braces(text: str, written: str) -> None:
    assert escape_inline(text, braces=True) == written
    assert unescape_inline(written) == text


@pytest.mark.parametrize(
    ("text", "clean"),
    [
        ("red\x1b[31m text", "red [31m text"),  # a terminal escape
        ("a\x00b\x07c\x7fd", "a b c d"),  # NUL, BEL, DEL
        ("one\u2028two\u2029three", "one two three"),  # line and paragraph separators
        ("  many \t\n\r spaces  ", "many spaces"),
        ("safe\u202etxt\u200b\u2066x\u2069\ufeff", "safetxtx"),  # bidi, zero width, BOM
        ("é 漢字 😀", "é 漢字 😀"),
    ],
)
def test_control_and_invisible_characters_never_reach_a_post(text: str, clean: str) -> None:
    assert clean_text(text) == clean
    assert escape_inline(text) == escape_inline(clean)
