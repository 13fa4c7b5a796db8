"""Deterministic national-scale strategy data in the graphsvc ontology, for benchmarks.

N territorial forces, each with its organisation (business groups, units, posts, people) and
one delivery plan a year; every plan has strands, items, actions and success measures (a
realistic mix of quantified, directional and not measurable ones), lead and supporting
responsibility, and dependencies on partner agencies shared across forces. The same seed and
sizes always give the same triples, so engines are compared on identical data.

    python bench/generate.py --size 100k --out /tmp/national-100k.nt
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Iterator
from datetime import datetime, time, timedelta
from pathlib import Path

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, ORG, PROV, RDF, SKOS, XSD

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from graphsvc.engine import sources  # noqa: E402
from graphsvc.namespaces import GS, ID  # noqa: E402

# Forces and years for each named size; roughly 2,300 triples a force-year.
SIZES = {"10k": (4, 1), "100k": (43, 1), "1m": (43, 10)}

BUSINESS_GROUPS = ("Specialist Crime", "Territorial Policing", "Central Operations", "Public Affairs", "Resources")
UNIT_WORDS = (
    "Intelligence",
    "Drugs",
    "Tasking",
    "Neighbourhood",
    "Analysis",
    "Performance",
    "Property",
    "Air Support",
    "Youth",
    "Financial Investigation",
    "Forensic",
    "Custody",
)
PARTNER_KINDS = (
    "Drug Action Team",
    "Probation Service",
    "Local Authority",
    "Health Trust",
    "Housing Association",
    "Youth Offending Team",
    "Prison Service",
    "Home Office Unit",
)
STRANDS = (
    "Tackling Class A trafficking",
    "Disrupting open markets",
    "Closing crack houses",
    "Disrupting cannabis cultivation",
    "Diverting drug users",
    "Working in partnership",
    "Seizing assets",
)
PARTNER_POOL = 60
DOCUMENT = ID["document/synthetic-national-plans"]


def _t(s, p, o) -> str:
    return f"{s.n3()} {p.n3()} {o.n3()} .\n"


class Generator:
    def __init__(self, forces: int, years: int, seed: int = 2007):
        self.forces, self.years = forces, years
        self.random = random.Random(seed)
        self.line = 0
        self.blank = 0
        self.reportable: list[tuple] = []  # (element, plan, year, lead post, quantified): what reports are on
        self.holder: dict = {}  # post -> the person holding it: who makes an element's reports

    def _bnode(self) -> BNode:
        """Blank nodes numbered in order, so that the output is byte-for-byte repeatable."""
        self.blank += 1
        return BNode(f"b{self.blank}")

    def _source(self, node) -> Iterator[str]:
        self.line += 1
        yield _t(node, DCTERMS.source, DOCUMENT)
        yield _t(node, GS.sourceLine, Literal(self.line, datatype=XSD.positiveInteger))

    def _attribution(self, element, agent, role, name) -> Iterator[str]:
        node = self._bnode()
        yield _t(element, PROV.qualifiedAttribution, node)
        yield _t(node, RDF.type, PROV.Attribution)
        yield _t(node, PROV.agent, agent)
        yield _t(node, DCAT.hadRole, role)
        yield _t(node, GS.asWritten, Literal(name))
        yield _t(node, GS.sourceLine, Literal(self.line, datatype=XSD.positiveInteger))

    def triples(self) -> Iterator[str]:
        yield _t(DOCUMENT, RDF.type, FOAF.Document)
        yield _t(DOCUMENT, DCTERMS.title, Literal("Synthetic national strategy plans"))
        partners = [ID[f"partner/national-{n:03d}"] for n in range(PARTNER_POOL)]
        for n, partner in enumerate(partners):
            yield _t(partner, RDF.type, GS.PartnerAgency)
            yield _t(partner, SKOS.prefLabel, Literal(f"{PARTNER_KINDS[n % len(PARTNER_KINDS)]} {n:03d}"))
            yield from self._source(partner)
        for force in range(1, self.forces + 1):
            yield from self._force(force, partners)

    def _force(self, force: int, partners) -> Iterator[str]:
        key = f"force-{force:02d}"
        organisation = ID[f"organisation/{key}"]
        yield _t(organisation, RDF.type, ORG.FormalOrganization)
        yield _t(organisation, SKOS.prefLabel, Literal(f"Force {force:02d} Police"))
        yield from self._source(organisation)
        heads, units = [], []
        for g, group_name in enumerate(BUSINESS_GROUPS, 1):
            group = ID[f"unit/{key}/bg-{g}"]
            abbreviation = "".join(word[0] for word in group_name.split())
            yield _t(group, RDF.type, GS.BusinessGroup)
            yield _t(group, SKOS.prefLabel, Literal(f"{group_name} ({key})"))
            yield _t(group, SKOS.altLabel, Literal(f"{abbreviation} {force:02d}"))
            yield _t(group, ORG.subOrganizationOf, organisation)
            yield from self._source(group)
            post = ID[f"post/{key}/head-bg-{g}"]
            yield _t(post, RDF.type, ORG.Post)
            yield _t(post, SKOS.prefLabel, Literal(f"Assistant Commissioner {group_name} ({key})"))
            yield _t(post, ORG.postIn, group)
            yield from self._source(post)
            person = ID[f"person/{key}/p-{g}"]
            yield _t(person, RDF.type, FOAF.Person)
            yield _t(person, FOAF.familyName, Literal(f"Officer{force:02d}{g}"))
            yield _t(person, SKOS.prefLabel, Literal(f"Cdr Officer{force:02d}{g}"))
            yield _t(person, ORG.holds, post)
            self.holder[post] = person
            yield from self._source(person)
            heads.append((post, f"Assistant Commissioner {group_name}"))
            for u in range(1, 4):
                unit = ID[f"unit/{key}/bg-{g}/u-{u}"]
                name = f"{self.random.choice(UNIT_WORDS)} Unit {g}.{u}"
                yield _t(unit, RDF.type, ORG.OrganizationalUnit)
                yield _t(unit, SKOS.prefLabel, Literal(f"{name} ({key})"))
                yield _t(unit, ORG.subOrganizationOf, group)
                yield from self._source(unit)
                units.append((unit, name))
        for year in range(2007, 2007 + self.years):
            yield from self._plan(key, organisation, year, heads, units, partners)

    def _plan(self, key, organisation, year, heads, units, partners) -> Iterator[str]:
        plan_id = f"{key}-{year}"
        plan = ID[f"plan/{plan_id}"]
        yield _t(plan, RDF.type, GS.Plan)
        yield _t(plan, SKOS.notation, Literal(plan_id))
        yield _t(plan, SKOS.prefLabel, Literal(f"Drugs Delivery Plan {year} ({key})"))
        yield _t(plan, DCTERMS.title, Literal(f"Drugs Delivery Plan {year} ({key})"))
        yield _t(plan, DCTERMS.publisher, organisation)
        yield from self._source(plan)
        for s, strand_name in enumerate(STRANDS, 1):
            strand = ID[f"strand/{plan_id}/{s}"]
            yield _t(strand, RDF.type, GS.Strand)
            yield _t(strand, SKOS.notation, Literal(str(s)))
            yield _t(strand, SKOS.prefLabel, Literal(strand_name))
            yield _t(strand, DCTERMS.isPartOf, plan)
            yield from self._source(strand)
            for i in range(1, 5):
                yield from self._item(plan_id, strand, f"{s}.{i}", heads, units, partners)

    def _item(self, plan_id, strand, ref, heads, units, partners) -> Iterator[str]:
        rnd = self.random
        item = ID[f"item/{plan_id}/{ref}"]
        yield _t(item, RDF.type, GS.DeliveryItem)
        yield _t(item, SKOS.notation, Literal(ref))
        yield _t(item, SKOS.prefLabel, Literal(f"Delivery item {ref} of {plan_id}"))
        yield _t(item, DCTERMS.isPartOf, strand)
        yield from self._source(item)
        leads = rnd.sample(heads, rnd.choice((1, 1, 2)))
        for post, name in leads:
            yield from self._attribution(item, post, GS.Lead, name)
        self._lead = leads[0][0]
        self.reportable.append((item, plan_id, int(plan_id.rsplit("-", 1)[1]), self._lead, False))
        for unit, name in rnd.sample(units, rnd.randint(1, 4)):
            yield from self._attribution(item, unit, GS.Supporting, name)
        for partner in rnd.sample(partners, rnd.choice((0, 0, 1, 2))):
            yield from self._attribution(item, partner, GS.Partner, f"partner {partner.rsplit('-', 1)[1]}")
        for a in range(1, rnd.randint(2, 5) + 1):
            action = ID[f"action/{plan_id}/{ref}-{a}"]
            yield _t(action, RDF.type, GS.Action)
            yield _t(action, SKOS.prefLabel, Literal(f"Action {a} of item {ref}"))
            yield _t(action, DCTERMS.isPartOf, item)
            yield from self._source(action)
        for m in range(1, rnd.randint(1, 3) + 1):
            yield from self._measure(plan_id, item, f"{ref}.{m}")

    def _measure(self, plan_id, item, ref) -> Iterator[str]:
        measure = ID[f"measure/{plan_id}/{ref}"]
        yield _t(measure, RDF.type, GS.SuccessMeasure)
        yield _t(measure, SKOS.notation, Literal(ref))
        yield _t(measure, DCTERMS.isPartOf, item)
        yield from self._source(measure)
        kind = self.random.random()
        year = int(plan_id.rsplit("-", 1)[1])
        self.reportable.append((measure, plan_id, year, self._lead, kind < 0.3))
        if kind < 0.3:
            value = self.random.choice((5, 10, 20, 50))
            target = self._bnode()
            yield _t(measure, SKOS.prefLabel, Literal(f"{value}% increase in disruptions ({ref})"))
            yield _t(measure, GS.metric, Literal("disruptions"))
            yield _t(measure, GS.direction, GS.Increase)
            yield _t(measure, GS.target, target)
            yield _t(target, RDF.type, GS.Target)
            yield _t(target, GS.targetValue, Literal(f"{value}.0", datatype=XSD.decimal))
            yield _t(target, GS.targetUnit, URIRef("http://qudt.org/vocab/unit/PERCENT"))
            yield _t(target, GS.direction, GS.Increase)
            yield _t(measure, GS.measurability, GS.Quantified)
            yield _t(measure, GS.measurabilityReason, Literal("States a numeric target."))
        elif kind < 0.65:
            yield _t(measure, SKOS.prefLabel, Literal(f"Reduction in time taken to arrest offenders ({ref})"))
            yield _t(measure, GS.metric, Literal("time taken to arrest offenders"))
            yield _t(measure, GS.direction, GS.Decrease)
            yield _t(measure, GS.measurability, GS.Directional)
            yield _t(measure, GS.measurabilityReason, Literal("Names a metric and a direction but no number."))
        else:
            yield _t(measure, SKOS.prefLabel, Literal(f"Presentations and events ({ref})"))
            yield _t(measure, GS.measurability, GS.NotMeasurable)
            yield _t(measure, GS.measurabilityReason, Literal("Names no metric, target or direction."))


def _write(path: Path, lines) -> int:
    """Write the lines to path; returns how many."""
    count = 0
    with path.open("w", encoding="utf-8") as out:
        for line in lines:
            out.write(line)
            count += 1
    return count


def write(path: Path, forces: int, years: int, seed: int = 2007) -> int:
    """Write N-Triples to path; returns the number of triples."""
    return _write(path, Generator(forces, years, seed).triples())


# The graph the writing side puts reports in (graphsvc.engine.sources): generated reports are read
# exactly as written ones are.
REPORTS_GRAPH = URIRef(sources.REPORTS_GRAPH)
# Mostly on track, some at risk or off track, a few complete or not started; with the owner's RAG
# a status usually goes with (a not started report gives none).
STATUSES = (
    ("on track", "green"),
    ("on track", "green"),
    ("on track", "amber"),
    ("at risk", "amber"),
    ("at risk", "red"),
    ("off track", "red"),
    ("complete", "green"),
    ("not started", None),
)
NARRATIVES = (
    "Behind plan: see the recovery note.",
    "Partner funding delayed; recovery plan agreed with the lead.",
    "Staff redeployed to a major operation this quarter.",
)
CORRECTIONS = 0.1  # the share of reports that correct the report before them
GENERATED_BY = "bench/generate.py"  # the audit entry's user: the same bytes whoever runs it


def _q(s, p, o, g=None) -> str:
    return f"{s.n3()} {p.n3()} {o.n3()}{' ' + g.n3() if g is not None else ''} .\n"


def reports(generator: Generator, count: int, seed: int = 2007) -> Iterator[str]:
    """N-Quads of ``count`` progress reports on the generated plans' items and measures, made by
    the writing side's own report_graph (graphsvc.answers.progress_writes) so that they are shaped
    exactly as written ones, in its named graph. Element after element, quarter after quarter of
    each plan's financial year (its reporting span), each by the person holding the element's lead
    post; about one in ten corrects the report before it (prov:wasRevisionOf). The dataset, the
    plans' spans and the periods' OWL-Time descriptions go in the default graph, as
    data/progress.ttl gives them for the built-in plans. Its own random stream: the plans' triples
    are the same with or without it. ``generator`` must have written its triples first."""
    from graphsvc.answers import periods, progress_writes

    rnd = random.Random(seed + 1)
    dataset = progress_writes.DATASET
    yield _q(dataset, RDF.type, URIRef("http://purl.org/linked-data/cube#DataSet"))
    yield _q(dataset, URIRef("http://purl.org/linked-data/cube#structure"), GS.ReportStructure)
    years = sorted({year for _, _, year, _, _ in generator.reportable})
    for plan_id, year in sorted({(plan, year) for _, plan, year, _, _ in generator.reportable}):
        yield _q(ID[f"plan/{plan_id}"], GS.reportingSpan, periods.span(year, 1).iri)
    described = []
    for year in years:
        described += [periods.span(year, 1), *periods.within(periods.span(year, 1))]
    for line in sorted(periods.describe(described).serialize(format="nt").splitlines()):
        if line.strip():
            yield line + "\n"
    elements = generator.reportable
    latest: dict = {}  # (element, quarter) -> (its newest report, when it was made)
    previous = None  # (element, quantified, lead, quarter) of the last report, for a correction of it
    made = 0  # reports that are not corrections: they walk the elements and quarters
    for n in range(count):
        if previous is not None and rnd.random() < CORRECTIONS:
            element, quantified, lead, quarter = previous
            interface = "cli"
        else:
            element, _, year, lead, quantified = elements[made % len(elements)]
            quarter = periods.government_quarter(year, 1 + (made // len(elements)) % 4)
            interface = "workbook"  # a performance unit's quarterly return
            made += 1
        # A second report on an element for a quarter (past four rounds, or a correction) revises
        # the newest one: two that do not would break Data Cube IC-12.
        supersedes, at = latest.get((element, quarter), (None, None))
        at = at + timedelta(days=1) if at else datetime.combine(quarter.end, time(9 + n % 8, n % 60))
        status, rag = rnd.choice(STATUSES)
        draft = progress_writes.Draft(
            str(element),
            quarter.name,
            status,
            rag=rag,
            value=f"{rnd.randint(-5, 60)}.0" if quantified else None,
            note=rnd.choice(NARRATIVES) if rag == "red" or status == "off track" else None,
            supersedes=str(supersedes) if supersedes else None,
        )
        report = ID[f"report/generated-{n:07d}"]
        g = progress_writes.report_graph(
            report, str(element), quarter, draft, generator.holder[lead], at.isoformat(), interface
        )
        g.set((URIRef(f"{report}/write"), DCTERMS.creator, Literal(GENERATED_BY)))
        for s, p, o in sorted(g):
            yield _q(s, p, o, REPORTS_GRAPH)
        previous = (element, quantified, lead, quarter)
        latest[element, quarter] = (report, at)


def write_reports(path: Path, generator: Generator, count: int, seed: int = 2007) -> int:
    """Write N-Quads of reports (see ``reports``) to path; returns the number of quads."""
    return _write(path, reports(generator, count, seed))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="10k")
    parser.add_argument("--forces", type=int, help="override the size's number of forces")
    parser.add_argument("--years", type=int, help="override the size's number of plan years")
    parser.add_argument("--seed", type=int, default=2007)
    parser.add_argument("--out", type=Path, required=True, help="N-Triples file to write")
    parser.add_argument("--reports", type=int, default=0, help="also write this many progress reports")
    parser.add_argument("--reports-out", type=Path, help="N-Quads file of the reports (default: OUT with .reports.nq)")
    args = parser.parse_args(argv)
    forces, years = SIZES[args.size]
    generator = Generator(args.forces or forces, args.years or years, args.seed)
    count = _write(args.out, generator.triples())
    print(f"{args.out}: {count} triples")
    if args.reports:
        target = args.reports_out or args.out.with_suffix(".reports.nq")
        quads = write_reports(target, generator, args.reports, args.seed)
        print(f"{target}: {args.reports} reports, {quads} quads")


if __name__ == "__main__":
    main()
