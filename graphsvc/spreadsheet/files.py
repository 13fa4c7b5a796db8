"""Where plans and spreadsheets come from and go to: plan files, XLSX workbooks, CSV folders."""

from io import BytesIO
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import RDF, SKOS

from graphsvc import resources
from graphsvc.engine import graph
from graphsvc.namespaces import GS
from graphsvc.spreadsheet import csv_io, xlsx_io
from graphsvc.spreadsheet.problems import ImportProblems, whole_file
from graphsvc.spreadsheet.table import Table

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


def source_files(source: Path, cap_mb: float | None = None) -> list[tuple[str, bytes]]:
    """The files of an .xlsx workbook or of a folder of CSV files, as (name, bytes); ImportProblems if neither.

    With ``cap_mb``, a file larger than that is a problem rather than read.
    """
    if source.is_dir():
        paths = sorted(source.glob("*.csv"))
    elif source.suffix.lower() == ".xlsx" and source.is_file():
        paths = [source]
    else:
        reason = "no such file or folder" if not source.exists() else "give an .xlsx workbook or a folder of CSV files"
        raise ImportProblems([whole_file(f"{source}: {reason}")])
    large = [p for p in paths if cap_mb is not None and p.stat().st_size > cap_mb * 1024 * 1024]
    if large:
        raise ImportProblems([whole_file(f"{p.name} is larger than the {cap_mb:g} MB cap on a file") for p in large])
    return [(path.name, path.read_bytes()) for path in paths]


def tables(files: list[tuple[str, bytes]], source: str) -> list[Table]:
    """The tables of one workbook's bytes or of CSV files' bytes (from a folder or an upload)."""
    suffixes = {Path(name).suffix.lower() for name, _ in files}
    if suffixes <= {".csv"}:
        return csv_io.read_files(files, source)
    if suffixes == {".xlsx"} and len(files) == 1:
        [(name, data)] = files
        return xlsx_io.read(BytesIO(data), name)
    raise ImportProblems([whole_file(f"{source}: give one .xlsx workbook or the .csv files of one plan")])


def read_tables(source: Path) -> list[Table]:
    """The tables of an .xlsx workbook or of a folder of CSV files; ImportProblems if neither."""
    return tables(source_files(source), str(source))
