"""The w3id.org redirect rules kept in w3id/.htaccess send every kind of IRI the project mints to
a route graphsvc serves: each rule is applied as Apache would to a real IRI, then requested."""

import re
from pathlib import Path

import pytest

from graphsvc.namespaces import BASE
from graphsvc.web.app import create_app

RULES = Path(__file__).resolve().parents[1] / "w3id" / ".htaccess"
# One real IRI (below BASE) for each kind the project mints, as the IRI's path reaches w3id.org.
IRIS = ["def", "def.ttl", "def/0.1.0", "def/Plan", "id/item/2007-10/1.1", "id/unit/scd", "void", ""]


def rules() -> list[tuple[re.Pattern, str, str]]:
    found = []
    for line in RULES.read_text(encoding="utf-8").splitlines():
        if line.startswith("RewriteRule "):
            _, pattern, target, flags = line.split()
            found.append((re.compile(pattern), target, flags))
    return found


def rewrite(path: str) -> tuple[str, str]:
    """What Apache answers for the path (no leading slash): (target URL, flags) of the first match."""
    for pattern, target, flags in rules():
        match = pattern.search(path)
        if match:
            return re.sub(r"\$(\d)", lambda m: match[int(m[1])], target), flags
    raise AssertionError(f"no rule for {BASE}{path}")


@pytest.fixture(scope="module")
def client():
    return create_app({"AUDIT": False}).test_client()


def test_every_rule_is_a_see_other_or_found_to_one_host():
    assert len(rules()) >= 5
    hosts = {re.match(r"https://[^/]+", target)[0] for _, target, _ in rules()}
    assert len(hosts) == 1
    assert all(flags in ("[R=303,L]", "[R=302,L]") for _, _, flags in rules())


@pytest.mark.parametrize("path", IRIS)
def test_each_iri_lands_on_a_served_route(client, path):
    target, _ = rewrite(path)
    local = re.sub(r"^https://[^/]+", "", target)
    answer = client.get(local, headers={"Accept": "text/turtle"})
    assert answer.status_code in (200, 303), (path, local, answer.status_code)
    if answer.status_code == 303:
        assert client.get(answer.headers["Location"].split("#")[0]).status_code == 200


def test_an_unknown_path_is_not_redirected():
    with pytest.raises(AssertionError, match="no rule"):
        rewrite("admin")
