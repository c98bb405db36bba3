"""A sample post per shipped language (docs/samples/<language>.md) and the README's table of
languages, made by the code the pipeline uses (the localized built-in archetype, the front
matter, the post model); the prose is the OpenAI fake's German and Japanese, and one short
sentence per part for the other languages (written for this project)."""

from __future__ import annotations

from datetime import UTC, datetime

from daily_ai_summary.frontmatter import (
    BUILTIN_ARCHETYPE,
    build_front_matter,
    notice_from_archetype,
)
from daily_ai_summary.i18n import TABLE, localize_archetype
from daily_ai_summary.post import new_post, render
from daily_ai_summary.testing import openai_fake_languages as fake

WHEN = datetime(2025, 4, 16, 5, 35, 33, tzinfo=UTC)
LANGUAGES = ("de", "fr", "es", "pt", "ja", "zh")
TITLE = "Sparse attention reaches 1M tokens on one GPU"
TREND = ["Open weights for a 12B vision-language model", "Data loaders rewritten in Rust"]
EVENTS = ("Artificial General Intelligence (AGI)", "Technological Singularity")

_SHORT = {
    "fr": (
        "Les longs documents tiennent en une seule passe : de petites équipes peuvent étudier des bases de code entières.",
        "À cette longueur, les résultats sont difficiles à vérifier et les bancs d'essai ne se transposent pas toujours.",
        "La capacité des modèles, le calcul et le financement continuent de croître.",
    ),
    "es": (
        "Los documentos largos caben en una sola pasada, así que equipos pequeños pueden estudiar bases de código enteras.",
        "Con esta longitud los resultados son difíciles de comprobar y las pruebas pueden no trasladarse.",
        "La capacidad de los modelos, el cómputo y la financiación siguen creciendo.",
    ),
    "pt": (
        "Documentos longos cabem numa única passagem, e equipes pequenas podem estudar bases de código inteiras.",
        "Nesse tamanho os resultados são difíceis de verificar e os testes podem não se transferir.",
        "A capacidade dos modelos, a computação e o financiamento continuam a crescer.",
    ),
    "zh": (
        "长文档可以一次处理完，小团队也能研究完整的代码库。",
        "在这种长度下，结果难以核实，基准测试也未必适用于其他场景。",
        "模型能力、算力和资金都在持续增长。",
    ),
}


def _parts(lang: str) -> tuple[str, str, str]:
    if lang in _SHORT:
        return _SHORT[lang]
    facts = {"topic": TITLE, "source": "reddit r/MachineLearning", "comments": "120"}
    context = fake.CONTEXT[lang].format(title=TREND[0])
    return (
        fake.BENEFITS[lang][0].format(**facts),
        fake.RAMIFICATIONS[lang][0].format(**facts),
        fake.RATIONALES[lang][0].format(event=EVENTS[0], context=context),
    )


def sample_post(lang: str) -> str:
    """The post the pipeline writes for a Hugo blog with ``language: <lang>``."""
    strings = TABLE[lang]
    archetype = localize_archetype(BUILTIN_ARCHETYPE, strings)
    front = build_front_matter(
        archetype, date=WHEN, name="2025-04-16-ai-auto-summary", model_tag="gpt-4o-mini"
    )
    benefits, ramifications, rationale = _parts(lang)
    post = new_post(
        front,
        [(TITLE, benefits, ramifications)],
        TREND,
        [
            (EVENTS[0], strings.when(2035, 4), rationale),
            (EVENTS[1], strings.when(2050, 11), rationale),
        ],
        notice=notice_from_archetype(archetype),
        strings=strings,
    )
    return render(post)


def readme_table() -> str:
    """The Markdown table of shipped languages for the README."""
    rows = [
        "| `language:` | Language | Headings | Labels | A prediction's date | Sample |",
        "|---|---|---|---|---|---|",
    ]
    for code, s in TABLE.items():
        sample = (
            "[hugo.md](docs/samples/hugo.md)"
            if code == "en"
            else f"[{code}.md](docs/samples/{code}.md)"
        )
        rows.append(
            f"| `{code}` | {s.language_name} | {s.consequences} / {s.trending} / {s.predictions} | "
            f"{s.benefits}, {s.ramifications} | {s.when(2030, 4)} | {sample} |"
        )
    return "\n".join(rows) + "\n"
