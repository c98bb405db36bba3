"""The site presets: what differs between the blog generators, as data.

A preset is the default post path, the built-in archetype (front matter in the generator's
conventions, written in the same small template language as a Hugo archetype, see
``frontmatter.py``), the front-matter key that holds the post's date, and whether new text
escapes every brace (generators that template Markdown: Liquid in Jekyll and Eleventy, Jinja
macros in MkDocs, MDX and attribute lists). Everything else (the post model, selection,
writing, publishing) is the same pipeline for every site.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import get_args

from daily_ai_summary.config import SiteName
from daily_ai_summary.frontmatter import BUILTIN_ARCHETYPE

SITE_NAMES: tuple[str, ...] = get_args(SiteName)

_TAGS = '["daily ai summary", "automated content", "gpt-4o-mini"]'
_TITLE = '"[Daily Automated AI Summary]"'
_NOTICE = (
    "> *Notice:* This post has been automatically generated and does not reflect the views of "
    "the site owner, nor does it claim to be accurate.\n"
)


@dataclass(frozen=True)
class Preset:
    name: SiteName
    generator: str  # for people: "Jekyll", "MkDocs Material (blog plugin)", ...
    post_path: str  # relative to the repository root, with {date}
    archetype: str  # the built-in archetype (used when the blog has none of its own)
    date_key: str = "date"  # the front-matter key build_front_matter fills when missing
    braces: bool = True  # escape every brace of untrusted text (the generator templates it)
    detection: str = ""  # for people: what makes ``detect_site`` choose it
    chart: str = "static/daily-ai-summary/predictions.svg"  # the predictions tracker's files
    page: str = "content/predictions.md"


PRESETS: dict[str, Preset] = {
    "hugo": Preset(
        "hugo",
        "Hugo",
        "content/posts/{date}-ai-auto-summary.md",
        BUILTIN_ARCHETYPE,
        braces=False,  # Hugo does not template content; its shortcodes are escaped anyway
        detection="`hugo.*`/`config.*` and `content/` (also in one subfolder); the fallback",
    ),
    "jekyll": Preset(
        "jekyll",
        "Jekyll (GitHub Pages)",
        "_posts/{date}-ai-auto-summary.md",
        "---\nlayout: post\ntitle: " + _TITLE + "\ndate: {{ .Date }}\ncategories: [ai]\n"
        "tags: " + _TAGS + '\nauthor: "Blog Agent"\n---\n' + _NOTICE,
        detection="`_config.yml` and `_posts/`",
        chart="assets/daily-ai-summary/predictions.svg",
        page="predictions.md",
    ),
    "mkdocs": Preset(
        "mkdocs",
        "MkDocs Material (blog plugin)",
        "docs/blog/posts/{date}-ai-auto-summary.md",
        "---\ntitle: " + _TITLE + "\ndate:\n  created: {{ .Date }}\ncategories:\n  - AI\n"
        "tags: " + _TAGS + "\n---\n" + _NOTICE,
        detection="`mkdocs.yml` that enables the `blog` plugin",
        chart="docs/assets/daily-ai-summary/predictions.svg",
        page="docs/predictions.md",
    ),
    "astro": Preset(
        "astro",
        "Astro (content collection `blog`)",
        "src/content/blog/{date}-ai-auto-summary.md",
        "---\ntitle: " + _TITLE + '\ndescription: "Possible consequences of current AI '
        'developments, trending topics and predictions, written by a bot."\n'
        "pubDate: {{ .Date }}\ntags: " + _TAGS + "\n---\n" + _NOTICE,
        date_key="pubDate",
        chart="public/daily-ai-summary/predictions.svg",
        page="src/pages/predictions.md",
        detection="`astro.config.*` and a content collection (`src/content/` or `src/content.config.*`)",
    ),
    "eleventy": Preset(
        "eleventy",
        "Eleventy",
        "posts/{date}-ai-auto-summary.md",
        "---\nlayout: layouts/post.njk\ntitle: " + _TITLE + "\ndate: {{ .Date }}\n"
        'tags: ["posts", "daily ai summary", "automated content", "gpt-4o-mini"]\n---\n' + _NOTICE,
        detection="`.eleventy.js`, `eleventy.config.*` or `.eleventy.cjs`",
        chart="public/daily-ai-summary/predictions.svg",  # eleventy-base-blog copies public/
        page="predictions.md",
    ),
}


def preset(name: str) -> Preset:
    return PRESETS[name]
