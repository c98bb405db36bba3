"""daily-ai-summary: a daily AI/ML summary post, written by an LLM, published as a pull request.

The pipeline reads top to bottom (see ``pipeline.py``):
event -> plan -> collect -> select -> write -> render -> publish -> report.
"""

__version__ = "0.1.0"
