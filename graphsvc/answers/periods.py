"""Reporting periods: the UK's reference.data.gov.uk interval IRIs, worked out from their names.

A report is made for one period: a financial year (government year, from 1 April), one of its
quarters, a calendar quarter or a month. Each has a documented IRI on reference.data.gov.uk
(/id/government-year/2008-2009, /id/government-quarter/2008-2009/Q1, /id/quarter/2008-Q3,
/id/month/2008-07) whose beginning and end follow from the name alone, so they are computed here
rather than looked up, and described in OWL-Time (``describe``) for the shipped
data/reporting-periods.ttl, the shapes and the generator. Intervals are half-open, as
reference.data.gov.uk's are: a period ends at the instant the next one begins.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date, datetime

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, TIME, XSD

REF = "http://reference.data.gov.uk/id/"
INTERVALS = Namespace("http://reference.data.gov.uk/def/intervals/")

_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


class PeriodError(ValueError):
    """A period that is not one of the forms named in the message; str() is one clear line."""


@dataclass(frozen=True, order=True)
class Period:
    begin: date  # first day
    end: date  # the day after the last: where the next period begins
    kind: str  # "government-year" | "government-quarter" | "quarter" | "month" | "span"
    name: str  # the IRI's last part(s), e.g. "2008-2009/Q1"

    @property
    def iri(self) -> URIRef:
        if self.kind == "span":
            return URIRef(f"{REF}gregorian-interval/{self.begin.isoformat()}T00:00:00/{self.name}")
        return URIRef(f"{REF}{self.kind}/{self.name}")

    @property
    def label(self) -> str:
        first, last = _MONTHS[self.begin.month - 1], _MONTHS[_last_month(self)]
        if self.kind == "government-year":
            return f"financial year {self.begin.year}-{str(self.end.year)[2:]}"
        if self.kind == "government-quarter":
            year = f"{self.name[:4]}-{self.name[7:9]}"
            return f"{self.name[-2:]} of financial year {year} ({first} to {last} {self.begin.year})"
        if self.kind == "quarter":
            return f"{first} to {last} {self.begin.year} ({self.name})"
        if self.kind == "month":
            return f"{first} {self.begin.year}"
        return f"{first} {self.begin.year} to {last} {_minus_a_day(self.end).year}"

    def contains(self, other: Period) -> bool:
        return self.begin <= other.begin and other.end <= self.end

    def overlaps(self, other: Period) -> bool:
        return self.begin < other.end and other.begin < self.end


def _last_month(period: Period) -> int:
    return _minus_a_day(period.end).month - 1


def _minus_a_day(day: date) -> date:
    return date.fromordinal(day.toordinal() - 1)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def government_year(start: int) -> Period:
    return Period(date(start, 4, 1), date(start + 1, 4, 1), "government-year", f"{start}-{start + 1}")


def government_quarter(start: int, quarter: int) -> Period:
    begin = _add_months(date(start, 4, 1), 3 * (quarter - 1))
    return Period(begin, _add_months(begin, 3), "government-quarter", f"{start}-{start + 1}/Q{quarter}")


def quarter(year: int, quarter: int) -> Period:
    begin = date(year, 3 * quarter - 2, 1)
    return Period(begin, _add_months(begin, 3), "quarter", f"{year}-Q{quarter}")


def month(year: int, number: int) -> Period:
    begin = date(year, number, 1)
    return Period(begin, _add_months(begin, 1), "month", f"{year}-{number:02d}")


def span(first_year: int, years: int) -> Period:
    """Financial years ``first_year`` onwards, as a gregorian interval (the span a plan runs over)."""
    return Period(date(first_year, 4, 1), date(first_year + years, 4, 1), "span", f"P{years}Y")


_FORMS = (
    (re.compile(r"(\d{4})-(\d{4})"), lambda y, z: government_year(int(y)) if int(z) == int(y) + 1 else None),
    (
        re.compile(r"(\d{4})-(\d{4})/Q([1-4])"),
        lambda y, z, q: government_quarter(int(y), int(q)) if int(z) == int(y) + 1 else None,
    ),
    (re.compile(r"(\d{4})-Q([1-4])"), lambda y, q: quarter(int(y), int(q))),
    (re.compile(r"(\d{4})-(0[1-9]|1[0-2])"), lambda y, m: month(int(y), int(m))),
    (re.compile(r"(\d{4})-(\d{2})-(\d{2})T00:00:00/P(\d{1,2})Y"), lambda y, m, d, n: _span_named(y, m, d, n)),
)

_KINDS = {
    "government-year": _FORMS[0][0],
    "government-quarter": _FORMS[1][0],
    "quarter": _FORMS[2][0],
    "month": _FORMS[3][0],
    "gregorian-interval": _FORMS[4][0],
}

FORMS_HELP = "a financial year (2008-2009), its quarter (2008-2009/Q1), a quarter (2008-Q3) or a month (2008-07)"


def _span_named(y, m, d, n) -> Period | None:
    return span(int(y), int(n)) if (m, d) == ("04", "01") else None


@functools.lru_cache(maxsize=4096)
def parse(text: str) -> Period:
    """A period from its name as written ("2008-Q3", "2008-2009/Q1") or its reference.data.gov.uk IRI.
    Remembered: 100k reports name a few hundred periods, and parsing each took a third of reading them."""
    written = str(text).strip()
    if written.startswith(REF):
        kind, _, name = written[len(REF) :].partition("/")
        pattern = _KINDS.get(kind)
        found = _build(name, pattern) if pattern else None
    else:
        found = next((p for pattern, _ in _FORMS[:4] if (p := _build(written, pattern))), None)
    if found is None:
        raise PeriodError(f"{written!r} is not a reporting period: give {FORMS_HELP}")
    return found


def _build(name: str, pattern: re.Pattern) -> Period | None:
    match = pattern.fullmatch(name)
    if not match:
        return None
    make = next(make for p, make in _FORMS if p is pattern)
    try:
        return make(*match.groups())
    except ValueError:
        return None


def containing(day: date, kind: str = "quarter") -> Period:
    """The period of a kind that a day falls in (the current period, for a date)."""
    if kind == "government-year":
        return government_year(day.year if day.month >= 4 else day.year - 1)
    if kind == "government-quarter":
        start = day.year if day.month >= 4 else day.year - 1
        return government_quarter(start, ((day.month - 4) % 12) // 3 + 1)
    if kind == "month":
        return month(day.year, day.month)
    return quarter(day.year, (day.month - 1) // 3 + 1)


def within(outer: Period) -> list[Period]:
    """Every financial year, financial quarter, calendar quarter and month that lies within a span."""
    found = []
    for start in range(outer.begin.year - 1, outer.end.year + 1):
        found.append(government_year(start))
        found += [government_quarter(start, q) for q in range(1, 5)]
        found += [quarter(start, q) for q in range(1, 5)]
        found += [month(start, m) for m in range(1, 13)]
    return sorted({p for p in found if outer.contains(p)})


def _instant(graph: Graph, day: date) -> URIRef:
    at = datetime(day.year, day.month, day.day)
    node = URIRef(f"{REF}gregorian-instant/{at.isoformat()}")
    graph.add((node, RDF.type, TIME.Instant))
    graph.add((node, TIME.inXSDDateTime, Literal(at.isoformat(), datatype=XSD.dateTime)))
    return node


_CLASSES = {
    "government-year": INTERVALS.BusinessYear,
    "government-quarter": INTERVALS.BusinessQuarter,
    "quarter": INTERVALS.CalendarQuarter,
    "month": INTERVALS.CalendarMonth,
}


def describe(periods, graph: Graph | None = None) -> Graph:
    """OWL-Time descriptions of periods: each a time:ProperInterval with its beginning and end
    instants, its label, and time:intervalDuring every other given period it lies within (and
    time:intervalEquals one with the same days, as a financial quarter and a calendar quarter)."""
    graph = Graph() if graph is None else graph
    graph.bind("time", TIME)
    graph.bind("interval", INTERVALS)
    periods = sorted(set(periods))
    for period in periods:
        node = period.iri
        graph.add((node, RDF.type, TIME.ProperInterval))
        if period.kind in _CLASSES:
            graph.add((node, RDF.type, _CLASSES[period.kind]))
        graph.add((node, RDFS.label, Literal(period.label, lang="en")))
        graph.add((node, SKOS.notation, Literal(period.name)))
        graph.add((node, TIME.hasBeginning, _instant(graph, period.begin)))
        graph.add((node, TIME.hasEnd, _instant(graph, period.end)))
        for other in periods:
            if other == period:
                continue
            if (other.begin, other.end) == (period.begin, period.end):
                graph.add((node, TIME.intervalEquals, other.iri))
            elif other.contains(period):
                graph.add((node, TIME.intervalDuring, other.iri))
    return graph


# The plans' reporting spans: the financial years their titles name. Recorded as modelling
# assumptions, since the documents print only "2004-5" and "2007-10".
PLAN_SPANS = {
    "2004-5": (2004, 1, "'2004-5' is read as the financial year 2004-05, April 2004 to March 2005."),
    "2007-10": (2007, 3, "'2007-10' is read as the financial years 2007-08 to 2009-10, April 2007 to March 2010."),
}

QB = Namespace("http://purl.org/linked-data/cube#")


def reporting_data() -> Graph:
    """What reports on the built-in plans need, with no report in it (data/progress.ttl): the
    dataset of reports, each plan's reporting span and every period within the spans."""
    from graphsvc.namespaces import GS, ID

    graph = Graph()
    graph.bind("gs", GS)
    graph.bind("qb", QB)
    graph.bind("skos", SKOS)
    dataset = ID["progress/reports"]
    graph.add((dataset, RDF.type, QB.DataSet))
    graph.add((dataset, QB.structure, GS.ReportStructure))
    graph.add((dataset, RDFS.label, Literal("progress reports", lang="en")))
    about = "Every progress report on the plans' elements, kept whole: corrections are new reports."
    graph.add((dataset, RDFS.comment, Literal(about, lang="en")))
    periods = []
    for plan, (first, years, reason) in PLAN_SPANS.items():
        whole = span(first, years)
        plan_iri = ID[f"plan/{plan}"]
        graph.add((plan_iri, GS.reportingSpan, whole.iri))
        assumption = ID[f"assumption/reporting-span-{plan}"]
        graph.add((assumption, RDF.type, GS.ModellingAssumption))
        graph.add((assumption, RDF.subject, plan_iri))
        graph.add((assumption, RDF.predicate, GS.reportingSpan))
        graph.add((assumption, RDF.object, whole.iri))
        graph.add((assumption, RDFS.label, Literal(f"The {plan} plan is reported over {whole.label}")))
        graph.add((assumption, RDFS.comment, Literal(reason)))
        periods += [whole, *within(whole)]
    return describe(periods, graph)


if __name__ == "__main__":  # writes data/progress.ttl: python -m graphsvc.answers.periods > data/progress.ttl
    print("# What progress reports on the built-in plans need, and no report: written by")
    print("# `python -m graphsvc.answers.periods` (graphsvc.answers.periods.reporting_data).")
    print(reporting_data().serialize(format="turtle"))
