"""Event names are one event across their spellings; the config extends the table."""

from __future__ import annotations

from pathlib import Path

import pytest

from daily_ai_summary.config import load_config
from daily_ai_summary.errors import ConfigError
from daily_ai_summary.predictions.events import alias_table, normalise

EVENTS = ("Artificial General Intelligence (AGI)", "Technological Singularity")


@pytest.mark.parametrize(
    "spelling",
    [
        "Artificial General Intelligence (AGI)",
        "artificial general intelligence",
        "AGI",
        "agi:",
        "ARTIFICIAL GENERAL INTELLIGENCE",
        "Artificial general intelligence (AGI) will be developed by researchers",
        "Artificial General Intelligence will be achieved",
    ],
)
def test_spellings_of_agi_are_one_event(spelling: str) -> None:
    assert normalise(spelling, alias_table(EVENTS)) == EVENTS[0]


@pytest.mark.parametrize(
    "spelling",
    ["Technological singularity", "The technological singularity will occur", "the Singularity"],
)
def test_spellings_of_the_singularity_are_one_event(spelling: str) -> None:
    assert normalise(spelling, alias_table(EVENTS)) == EVENTS[1]


def test_an_unknown_event_keeps_its_own_name() -> None:
    table = alias_table(EVENTS)
    assert normalise("quantum advantage in chemistry", table) == "Quantum advantage in chemistry"
    # a name that merely contains a known one is not merged into it
    assert normalise("Post-AGI economy", table) == "Post-AGI economy"


def test_configured_aliases_extend_the_table(tmp_path: Path) -> None:
    (tmp_path / ".github").mkdir()
    (tmp_path / ".github" / "daily-ai-summary.yml").write_text(
        "predictions:\n"
        "  events: [Artificial Superintelligence (ASI), Technological Singularity]\n"
        "  aliases:\n"
        "    superintelligence: Artificial Superintelligence (ASI)\n"
        "    intelligence explosion: Technological Singularity\n",
        encoding="utf-8",
    )
    cfg = load_config(tmp_path)
    table = alias_table(cfg.predictions.events, cfg.predictions.aliases)
    assert normalise("Superintelligence", table) == "Artificial Superintelligence (ASI)"
    assert normalise("ASI", table) == "Artificial Superintelligence (ASI)"
    assert normalise("The intelligence explosion", table) == "Technological Singularity"


def test_bad_tracker_settings_name_their_key(tmp_path: Path) -> None:
    (tmp_path / ".github").mkdir()
    cfg = tmp_path / ".github" / "daily-ai-summary.yml"
    cfg.write_text("predictions:\n  tracker: maybe\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"predictions\.tracker"):
        load_config(tmp_path)
    cfg.write_text("predictions:\n  chart: ../outside.svg\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"predictions\.chart"):
        load_config(tmp_path)
