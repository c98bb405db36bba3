"""The writer: the post's LLM parts, one module per concern.

* ``write``: ``write_post``, the orchestration (every item and the predictions, concurrent,
  bounded, within one time budget).
* ``llm``: one structured call (``call``, ``ask``): request, retry and backoff, the time budget,
  the ``json_object`` fallback, usage.
* ``validate``: the answer models and the checks on every paragraph and prediction (pure).
* ``review``: what to re-ask for and what to keep with a note in a usable answer (pure).
* ``schema``: the strict JSON schema and ``response_format`` (pure).
* ``messages``: the conversations, with untrusted text fenced between nonce markers (pure).
* ``prompt``: the prompt files (``prompts/*.md``, one per LLM task) and the blog's overrides
  (the config's ``prompts:`` key).
"""

from daily_ai_summary.writer.llm import (
    BACKOFF_CAP,
    MAX_ANSWER_BYTES,
    MAX_ATTEMPTS,
    MAX_LLM_CALLS,
    CallCap,
    ask,
    backoff,
    retry_after,
)
from daily_ai_summary.writer.messages import fence, item_messages, prediction_messages
from daily_ai_summary.writer.prompt import Prompts, builtin_prompts, load_prompts
from daily_ai_summary.writer.schema import full_schema, response_format, strict_schema
from daily_ai_summary.writer.validate import (
    ASK_WORDS,
    MAX_EVENT_CHARS,
    ItemText,
    Predictions,
    PredictionText,
    answer_when,
    clean_paragraph,
    parse_when,
)
from daily_ai_summary.writer.write import WrittenItem, WrittenPost, write_post

__all__ = [
    "ASK_WORDS",
    "CallCap",
    "BACKOFF_CAP",
    "MAX_ANSWER_BYTES",
    "MAX_ATTEMPTS",
    "MAX_LLM_CALLS",
    "MAX_EVENT_CHARS",
    "ItemText",
    "PredictionText",
    "Predictions",
    "Prompts",
    "WrittenItem",
    "WrittenPost",
    "ask",
    "backoff",
    "builtin_prompts",
    "clean_paragraph",
    "fence",
    "full_schema",
    "item_messages",
    "load_prompts",
    "answer_when",
    "parse_when",
    "prediction_messages",
    "response_format",
    "retry_after",
    "strict_schema",
    "write_post",
]
