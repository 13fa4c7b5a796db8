"""`graphsvc who IDAU` found nothing and suggested nothing: initials counted the "and" of
"Intelligence Development and Analysis Unit", and near misses were never offered as initials."""

import pytest

from graphsvc.answers import names

IDAU = "https://w3id.org/graphsvc/id/unit/intelligence-development-and-analysis-unit"


def test_initials_without_the_small_words(engine):
    assert names.resolve(engine, "IDAU").iri == IDAU
    assert names.resolve(engine, "idaau").iri == IDAU  # with "and" still works
    assert names.resolve(engine, "AC SC").label == "Assistant Commissioner Specialist Crime"


def test_a_near_miss_is_offered(engine):
    with pytest.raises(names.NameNotFound) as missing:
        names.resolve(engine, "IDU")
    assert IDAU in [candidate.iri for candidate in missing.value.candidates]
    assert "did you mean" in str(missing.value)
