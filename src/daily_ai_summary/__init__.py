"""daily-ai-summary: a daily AI/ML summary post, written by an LLM, published as a pull request.

The pipeline reads top to bottom (see ``pipeline.py``):
event -> plan -> collect -> select -> write -> render -> publish -> report.
"""

from importlib.metadata import PackageNotFoundError, version

# One source of truth: pyproject.toml's version (scripts/release checks it against the tag).
try:
    __version__ = version("daily-ai-summary")
except PackageNotFoundError:  # a source tree on sys.path without an install
    __version__ = "0+unknown"
