"""A user's plan (a workbook, the CSV sheets of one plan, or an RDF file) read and audited in a confined child.

Parsers are where a hostile file hurts: rdflib spends minutes on a 1 KB RDF/XML entity bomb
or a 6 MB Turtle literal of escapes, JSON-LD fetches contexts, an XLSX is zipped XML. So the
parent only reads the bytes (up to a size cap), and parsing, importing and the shapes audit
run in a child of graphsvc.sandbox.confinement: killed at its deadline, under a memory cap, with no
network and no file reads beyond the shipped ontology, shapes and organisation. The served
graph lives in the parent and never sees the upload.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from graphsvc import resources, settings
from graphsvc.audit import validation
from graphsvc.engine import graph as graphs
from graphsvc.engine.graph import GraphLoadError
from graphsvc.sandbox.confinement import ConfinedFailure, ConfinementError, Limits, run_confined
from graphsvc.spreadsheet import files
from graphsvc.spreadsheet.audit import audit_plan
from graphsvc.spreadsheet.importer import import_tables
from graphsvc.spreadsheet.problems import ImportProblems, Problem, whole_file

log = logging.getLogger("graphsvc.errors")

# The defaults for an upload to the web (a plan is tens of kilobytes and takes about 1.5 s to read,
# import and audit); `graphsvc validate` and `import` allow more. All in graphsvc.settings.
MAX_MB = settings.BY_NAME["FILE_MAX_MB"].default
TIME_LIMIT = settings.BY_NAME["FILE_TIME_LIMIT"].default
MEMORY_MB = settings.BY_NAME["FILE_MEMORY_MB"].default

SHEETS = (".xlsx", ".csv")
KINDS = "an .xlsx workbook, the .csv files of one plan, or one RDF plan file (.ttl, .nt, .jsonld, .rdf)"


@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes


@dataclass
class Imported:
    """What the import page shows of a good upload."""

    turtle: str
    triples: int
    report: validation.AuditReport


class UploadTooLarge(ImportProblems):
    """A file over the size cap: answered 413 rather than 422."""


def limits(deadline: float = TIME_LIMIT, memory_mb: int = MEMORY_MB, cpu_time: bool = False) -> Limits:
    """The child's limits: it may read the shipped ontology, shapes and data, and nothing else.

    ``cpu_time`` (the web's uploads) counts the deadline in the child's own CPU time, so that an
    upload is not failed because other uploads or queries hold the server's cores."""
    shipped = {
        str(path.parent) for path in [*resources.ontology_files(), *resources.shape_files(), *resources.data_files()]
    }
    return Limits(
        deadline=float(deadline), memory_mb=int(memory_mb), readable=tuple(sorted(shipped)), cpu_time=cpu_time
    )


def capped(name: str, stream, cap_mb: float) -> Upload:
    """An uploaded file's bytes, read no further than the cap; UploadTooLarge naming it otherwise."""
    cap = int(cap_mb * 1024 * 1024)
    data = stream.read(cap + 1)
    if len(data) > cap:
        raise UploadTooLarge([whole_file(f"{name} is larger than the {cap_mb:g} MB cap on an upload")])
    return Upload(name, data)


def _plan(uploads: list[Upload]) -> Graph:
    """The plan graph of the uploads (in the child)."""
    if all(Path(upload.name).suffix.lower() in SHEETS for upload in uploads):
        return import_tables(files.tables([(u.name, u.data) for u in uploads], "the upload"))
    if len(uploads) != 1:
        raise ImportProblems([whole_file(f"choose {KINDS}")])
    [upload] = uploads
    try:
        return graphs.parse_upload(Graph(), upload.data, upload.name)
    except GraphLoadError as error:
        raise ImportProblems([whole_file(str(error))]) from error


# Problems an upload lists by default; the rest are counted (graphsvc.settings' UPLOAD_MAX_PROBLEMS).
MAX_PROBLEMS = settings.BY_NAME["UPLOAD_MAX_PROBLEMS"].default


def import_upload(uploads: list[Upload], max_problems: int | None = None) -> Imported | tuple[list[Problem], int]:
    """Run in the child: the imported plan and its audit, or the first ``max_problems`` problems and
    how many more there are (cut here, so that a file with a million bad rows costs the server
    neither the memory nor the rendering)."""
    try:
        plan = _plan(uploads)
    except ImportProblems as error:
        problems = error.problems
        listed = problems if max_problems is None else problems[:max_problems]
        return listed, len(problems) - len(listed)
    return Imported(plan.serialize(format="turtle"), len(plan), audit_plan(plan))


def audit_uploads(uploads: list[Upload], shape_sets) -> validation.AuditReport:
    """Run in the child: `graphsvc validate FILE...` on the files' bytes."""
    data = Graph()
    for upload in uploads:
        graphs.parse_upload(data, upload.data, upload.name, base=Path(upload.name).absolute().as_uri())
    return validation.audit(data, shape_sets)


def _why(error: ConfinementError, names: str, request: str | None) -> str:
    """The problem line for a child that gave no answer; on the web, a failure not of the file's making
    is logged and only named, by the request's id."""
    if isinstance(error, ConfinedFailure) and request:
        log.error("%s: reading %s failed in the confined process: %s (%s)", request, names, error, error.kind)
        return f"{names} could not be read (the server log has the details under {request})"
    if isinstance(error, ConfinedFailure):
        return f"{names} could not be read ({error})"
    return f"{names}: {error}"


def checked_import(
    uploads: list[Upload], child_limits: Limits, request: str | None = None, max_problems: int | None = None
) -> Imported:
    """The import of the uploads, done in a confined child; ImportProblems for anything wrong with them
    (its first ``max_problems``, and a count of the rest).

    ``request`` (the web's request id) keeps an unexpected failure's text out of the answer.
    """
    names = ", ".join(upload.name for upload in uploads)
    try:
        outcome = run_confined(import_upload, uploads, max_problems, limits=child_limits)
    except ConfinementError as error:
        raise ImportProblems([whole_file(_why(error, names, request))]) from error
    if isinstance(outcome, tuple):
        raise ImportProblems(*outcome)
    return outcome


def checked_audit(paths, shape_sets, cap_mb: float, child_limits: Limits) -> validation.AuditReport:
    """`graphsvc validate FILE...`: the audit of the files, done in a confined child; GraphLoadError otherwise."""
    uploads = [Upload(str(path), graphs.file_bytes(path, cap_mb)) for path in paths]
    try:
        return run_confined(audit_uploads, uploads, shape_sets, limits=child_limits)
    except ConfinedFailure as error:
        if error.kind == GraphLoadError.__name__:
            raise GraphLoadError(str(error)) from error
        raise GraphLoadError(f"{', '.join(map(str, paths))}: could not be read ({error})") from error
    except ConfinementError as error:
        raise GraphLoadError(f"{', '.join(map(str, paths))}: {error}") from error
