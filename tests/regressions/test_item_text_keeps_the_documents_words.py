"""The text of `graphsvc item` wrote "Borough Command Units (TP)" where the document writes none
(the "(TP)" was where the graph places the unit), and item 6.1's funding caveat was shown nowhere."""

from click.testing import CliRunner

from graphsvc.cli import main


def item(*args: str) -> list[str]:
    return CliRunner().invoke(main, ["item", *args]).stdout.splitlines()


def test_an_agent_is_written_as_printed_and_its_place_set_apart():
    lines = item("5.1")
    assert "  Borough Command Units — part of TP" in lines
    assert "  Borough Command Units (TP)" not in lines
    assert "  Drugs Directorate (SCD)" in lines  # printed so: nothing added
    assert "  Assistant Commissioner Specialist Crime — post in SCD" in lines


def test_the_funding_caveat_is_shown_with_its_action():
    lines = item("6.1")
    action = lines.index("  - Extension of the Drugs Intervention Programme to all 32 boroughs.")
    assert lines[action + 1].startswith("    Caveat: Subject to Home Office funding.")
