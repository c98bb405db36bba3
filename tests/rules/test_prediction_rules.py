"""How the predictions section is read: for each shape a post may hold (the reference blog's
and the variants it rarely shows), exactly which lines are one prediction and its event, date and
rationale. ``read_section`` is what both the post model and the predictions tracker read."""

from __future__ import annotations

import pytest

from daily_ai_summary.prediction_items import read_section

# shape -> (the section's body, [(first line, one past its last line, event, date, rationale
# lines, structured)])
SHAPES = {
    "underscore bold": (
        "- __AGI__ (2040): soon\n",
        [
            (0, 1, "AGI", "2040", ["soon"], True),
        ],
    ),
    "one-space item is top level, two-space is nested": (
        "- **A** (2030): a\n - **B** (2031): b\n  - **C** (2032): c\n",
        [
            (0, 1, "A", "2030", ["a"], True),
            (1, 3, "B", "2031", ["b", "**C** (2032): c"], True),
        ],
    ),
    "tab-indented item is nested": (
        "- **A** (2030): a\n\t- **B** (2031): b\n",
        [
            (0, 2, "A", "2030", ["a", "**B** (2031): b"], True),
        ],
    ),
    "blank then indented paragraphs stay with the item": (
        "- **A** (2030)\n\n  p1\n\n\n  p2\n\nAfter.\n",
        [
            (0, 6, "A", "2030", ["", "", "p1", "", "", "p2"], True),
        ],
    ),
    "blank then a one-space line ends the item": (
        "- **A** (2030): why\n\n x\n",
        [
            (0, 1, "A", "2030", ["why"], True),
        ],
    ),
    "dated bold line with a list below": (
        "**AGI** (June 2030)\n- reasons\n\n**Singularity**: 2045\n- more\n",
        [
            (0, 2, "AGI", "June 2030", ["", "reasons"], True),
            (3, 5, "Singularity", "2045", ["", "more"], True),
        ],
    ),
    "a bold line with an undated paren is no label: the section is prose": (
        "**AGI** (sometime)\n- By 2030: it happens\n",
        [
            (
                0,
                2,
                "Artificial General Intelligence",
                "2030",
                ["**AGI** (sometime)", "- By 2030: it happens"],
                False,
            ),
        ],
    ),
    "labels: first item and later dated ones": (
        "- intro\n\n**AGI**\n- By 2030: x\n- because\n  - in 2031 nested\n- In 2035 maybe\n\n**Singularity**\n- someday\n",
        [
            (3, 6, "AGI", "2030", ["By 2030: x", "because", "in 2031 nested"], True),
            (6, 7, "AGI", "2035", ["In 2035 maybe"], True),
            (9, 10, "Singularity", "", ["someday"], True),
        ],
    ),
    "rationale paragraph after a bare item": (
        "- **AGI** (2040)\n\nWhy it is\nso.\n\n- **ASI** (2050)\n\n> a quote\n",
        [
            (0, 4, "AGI", "2040", ["", "", "Why it is", "so."], True),
            (5, 6, "ASI", "2050", [""], True),
        ],
    ),
    "no paragraph: heading, table, code, label": (
        "- **A** (2040)\n\n# h\n\n- **B** (2041)\n\n| t |\n\n- **C** (2042)\n\n```\n\n- **D** (2043)\n\n**Label**\n",
        [
            (0, 1, "A", "2040", [""], True),
            (4, 5, "B", "2041", [""], True),
            (8, 9, "C", "2042", [""], True),
            (12, 13, "D", "2043", [""], True),
        ],
    ),
    "bare item at the end": (
        "- **A** (2040)\n\n\n",
        [
            (0, 1, "A", "2040", [""], True),
        ],
    ),
    "prose": (
        "AGI arrives in May\n2035, they say.\n\nThe singularity by 2050.\n\nNothing in 2060.\n\nAGI someday.\n",
        [
            (
                0,
                2,
                "Artificial General Intelligence",
                "May 2035",
                ["AGI arrives in May", "2035, they say."],
                False,
            ),
            (3, 4, "Technological Singularity", "2050", ["The singularity by 2050."], False),
        ],
    ),
    "bold with the date inside": (
        "- **AGI will occur by 2030** and more\n- **ASI** maybe (around 2040) or (2050)\n",
        [
            (0, 1, "AGI will occur by 2030", "2030", ["and more"], True),
            (1, 2, "ASI", "2050", ["maybe (around 2040) or (2050)"], True),
        ],
    ),
    "bold then date text": (
        "- **AGI**: 2045 (November) - why\n- **ASI**: 2050\n",
        [
            (0, 1, "AGI", "2045 (November)", ["why"], True),
            (1, 2, "ASI", "2050", [""], True),
        ],
    ),
    "trailing paren in the bold": (
        "- **Technological Singularity (June 2050)**: why\n",
        [
            (0, 1, "Technological Singularity", "June 2050", ["why"], True),
        ],
    ),
    "label then bold date": (
        "**AGI**\n- **2040 (October)**: why\n- **2025** (January): more\n",
        [
            (1, 2, "AGI", "2040 (October)", ["why"], True),
            (2, 3, "AGI", "2025 (January)", ["more"], True),
        ],
    ),
}


@pytest.mark.parametrize("shape", list(SHAPES))
def test_each_shape_reads_its_predictions_lines_and_dates(shape: str) -> None:
    body, expected = SHAPES[shape]
    found = read_section(body.splitlines(keepends=True))
    assert [(f.start, f.end, f.event, f.when, f.rationale, f.structured) for f in found] == expected
