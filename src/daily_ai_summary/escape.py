"""Escaping untrusted text for one line of Markdown (Hugo's Goldmark, and with ``braces``
the generators that template Markdown: Liquid, Jinja, MDX, attribute lists)."""

from __future__ import annotations

import re
import unicodedata

# Invisible characters that can hide or reorder text (zero-width, bidi controls, BOM).
_INVISIBLE = dict.fromkeys(
    [0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x200E, 0x200F, 0x061C]
    + list(range(0x202A, 0x202F))
    + list(range(0x2066, 0x206A)),
    None,
)
_WS = re.compile(r"\s+")
# Emphasis, code and escapes; link/image brackets only where they could form a link
# ("](", "][", "]:"); doubled tildes (strikethrough). A lone "[R]" stays as it is.
_MD_PUNCT = re.compile(r"([\\`*_]|\](?=[(\[:])|~(?=~))")
# Bare URLs, www. hosts and e-mail addresses would be auto-linked (Goldmark's linkify).
_AUTOLINK = re.compile(r"(?i)(?<=\w)(:)(?=//)|\bwww(\.)|(?<=\w)(@)(?=\w)")
_ENTITY_LIKE = re.compile(r"&(?=#?\w+;)")
_BLOCK_START = re.compile(r"^([#>+=\[-]|\d+[.)])")


def clean_text(text: str) -> str:
    """One line of plain text: no control or invisible characters, whitespace collapsed."""
    text = text.translate(_INVISIBLE)
    # control characters become spaces; line and paragraph separators are \s already
    text = "".join(" " if unicodedata.category(c) == "Cc" else c for c in text)
    return _WS.sub(" ", text).strip()


def escape_inline(text: str, *, braces: bool = False) -> str:
    """Make untrusted text inert inside one Markdown line of a Hugo page.

    Words are kept: Markdown punctuation is backslash-escaped, HTML becomes entities, Hugo's
    shortcode delimiters ``{{<``/``{{%`` are broken with an entity, and a leading character
    that would start a block (heading, quote, list, rule) is escaped. With ``braces`` (sites
    whose generator templates Markdown: Liquid, Jinja, MDX, attribute lists) every brace
    becomes an entity.
    """
    text = clean_text(text)
    text = _ENTITY_LIKE.sub("&amp;", text)
    text = text.replace("<", "&lt;").replace(">", "&gt;")
    if braces:
        text = text.replace("{", "&#123;").replace("}", "&#125;")
    text = text.replace("{{", "&#123;&#123;")
    text = _MD_PUNCT.sub(r"\\\1", text)
    text = _AUTOLINK.sub(lambda m: m.group(0)[:-1] + "\\" + m.group(0)[-1], text)
    m = _BLOCK_START.match(text)
    if m:
        tok = m.group(1)  # a backslash before its last character: \# or 12\)
        text = tok[:-1] + "\\" + text[len(tok) - 1 :]
    return text


_UNESCAPE_PUNCT = re.compile(r"\\([!-/:-@\[-`{-~])")


def unescape_inline(text: str) -> str:
    """Inverse of ``escape_inline`` (for values read back from a post)."""
    text = _UNESCAPE_PUNCT.sub(r"\1", text)
    text = (
        text.replace("&#123;", "{").replace("&#125;", "}").replace("&lt;", "<").replace("&gt;", ">")
    )
    return text.replace("&amp;", "&")
