"""Name resolution on the built-in data: every kind of name a person types, and the failures."""

import pytest
from click.testing import CliRunner

from graphsvc.answers import names
from graphsvc.cli import main

ID = "https://w3id.org/graphsvc/id/"
SCD = ID + "unit/scd"
AC_SC = ID + "post/assistant-commissioner-specialist-crime"
BOCU = ID + "unit/borough-command-units"


@pytest.mark.parametrize(
    "text, iri, kind",
    [
        ("SCD", SCD, "business group"),  # alternative label
        ("Specialist Crime Directorate", SCD, "business group"),  # preferred label
        ("specialist crime", SCD, "business group"),  # the start of a label
        ("  SPECIALIST-crime directorate! ", SCD, "business group"),  # case and punctuation
        ("Assistant Commissioner Specialist Crime", AC_SC, "post"),  # post name
        ("AC SC", AC_SC, "post"),  # initials of the post's label
        ("ac/sc", AC_SC, "post"),
        ("Drugs Directorate", ID + "unit/drugs-directorate", "unit"),
        ("Drugs Directorate (SCD)", ID + "unit/drugs-directorate", "unit"),
        ("Hitchcock", ID + "person/hitchcock", "person"),  # family name
        ("Commander Hitchcock", ID + "person/hitchcock", "person"),
        ("pearce", ID + "person/shona-pearce", "person"),
        ("Borough Command Units", BOCU, "unit"),
        ("BOCU", BOCU, "unit"),  # abbreviations table notation
        ("Borough Operational Command Unit", BOCU, "unit"),  # abbreviations table expansion
        ("bocus", BOCU, "unit"),
        ("CTO", ID + "unit/central-tasking-office", "unit"),  # initials
        ("Metropolitan Police", ID + "organisation/mps", "organisation"),
        ("Home Office", ID + "partner/home-office", "partner"),
        ("Head of SIU", ID + "post/head-of-siu", "post"),
        (SCD, SCD, "business group"),  # an IRI
        (f"<{AC_SC}>", AC_SC, "post"),
    ],
)
def test_each_kind_of_name_resolves(engine, text, iri, kind):
    entity = names.resolve(engine, text)
    assert (entity.iri, entity.kind) == (iri, kind)


def test_resolved_entity_carries_the_preferred_label(engine):
    assert names.resolve(engine, "AC SC") == names.Entity(AC_SC, "Assistant Commissioner Specialist Crime", "post")


def test_ambiguous_name_lists_every_candidate(engine):
    with pytest.raises(names.AmbiguousName) as caught:
        names.resolve(engine, "crime specialist")
    assert [c.iri for c in caught.value.candidates] == [AC_SC, SCD]
    assert str(caught.value) == (
        "'crime specialist' could mean Assistant Commissioner Specialist Crime (post)"
        " or Specialist Crime Directorate (business group): say which"
    )


def test_a_rank_alone_is_ambiguous_between_people(engine):
    with pytest.raises(names.AmbiguousName) as caught:
        names.resolve(engine, "DAC")
    assert [c.label for c in caught.value.candidates] == ["DAC Bryan", "DAC Griffiths", "DAC House", "DAC Paddick"]


def test_unknown_name_suggests_the_closest(engine):
    with pytest.raises(names.NameNotFound) as caught:
        names.resolve(engine, "Drugs Directorat")
    assert [c.iri for c in caught.value.candidates] == [ID + "unit/drugs-directorate"]
    assert (
        str(caught.value)
        == "no unit, post or person called 'Drugs Directorat'; did you mean: Drugs Directorate (unit)?"
    )


@pytest.mark.parametrize("text", ["zzzz", "", "   ", ID + "unit/nowhere"])
def test_unknown_name_without_candidates(engine, text):
    with pytest.raises(names.NameNotFound) as caught:
        names.resolve(engine, text)
    assert caught.value.candidates == []
    assert str(caught.value) == f"no unit, post or person called {text!r}"


def test_suggest_ranks_names_that_start_with_the_text_first(engine):
    assert [e.label for e in names.suggest(engine, "dr")] == [
        "Drug Action Teams",
        "Drugs Directorate",
        "Directorate of Resources",  # its initials, small words left out
        "Middle Markets Drugs Project",
    ]
    assert [e.label for e in names.suggest(engine, "central", limit=2)] == [
        "Central Operations",
        "Central Property Services",
    ]
    assert names.suggest(engine, "  ") == []


def test_who_explains_an_unknown_name_on_one_line():
    result = CliRunner().invoke(main, ["who", "Drugs", "Directorat"])
    assert result.exit_code == 1
    assert (
        result.output
        == "Error: no unit, post or person called 'Drugs Directorat'; did you mean: Drugs Directorate (unit)?\n"
    )
