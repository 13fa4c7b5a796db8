"""Where plans and spreadsheets come from and go to: plan files, XLSX workbooks, CSV folders."""

from pathlib import Path

from rdflib import Graph
from rdflib.namespace import RDF, SKOS

from .. import graph, resources
from ..namespaces import GS
from . import csv_io, xlsx_io
from .problems import ImportProblems, whole_file
from .table import Table

FORMATS = ("xlsx", "csv")


class PlanNotFound(LookupError):
    """No plan file or built-in plan by that name; str() lists the built-in refs."""


def _plan_refs(plan_graph: Graph) -> set[str]:
    return {str(plan_graph.value(p, SKOS.notation)) for p in plan_graph.subjects(RDF.type, GS.Plan)}


def plan_graph(plan: str) -> Graph:
    """The plan's own file graph: of a Turtle file by path, or of the built-in plan with this ref.

    It is the plan file alone (not the organisation or the ontology), the graph a spreadsheet
    round trip reproduces.
    """
    if Path(plan).is_file():
        return graph.load([plan])
    refs = []
    for path in resources.data_files():
        candidate = graph.load([path])
        found = _plan_refs(candidate)
        if plan in found:
            return candidate
        refs += sorted(found)
    raise PlanNotFound(f"no plan file {plan!r} and no built-in plan with that ref (built-in: {', '.join(refs)})")


def default_target(ref: str, file_format: str) -> Path:
    return Path(f"plan-{ref}.xlsx" if file_format == "xlsx" else f"plan-{ref}-csv")


def write_tables(tables: list[Table], target: Path, file_format: str) -> None:
    if file_format == "xlsx":
        xlsx_io.write(tables, target)
    else:
        csv_io.write(tables, target)


def read_tables(source: Path) -> list[Table]:
    """The tables of an .xlsx workbook or of a folder of CSV files; ImportProblems if neither."""
    if source.is_dir():
        return csv_io.read(source)
    if source.suffix.lower() == ".xlsx" and source.is_file():
        return xlsx_io.read(source, source.name)
    reason = "no such file or folder" if not source.exists() else "give an .xlsx workbook or a folder of CSV files"
    raise ImportProblems([whole_file(f"{source}: {reason}")])
