"""`graphsvc query FILE.rq`: any SPARQL query on the configured engine, as a table or a standard format."""

import csv
import io
import json

import click
from rdflib import BNode, URIRef

from graphsvc.engine import session
from graphsvc.engine.engines import Answer, QueryError, QuerySyntaxError
from graphsvc.namespaces import compact

ROW_FORMATS = ("table", "json", "csv", "tsv")
GRAPH_FORMATS = {"turtle": "turtle", "jsonld": "json-ld", "nt": "nt"}


def _short(term) -> str:
    """A term as a person reads it: IRIs with the project's prefixes, literals as their text."""
    if isinstance(term, URIRef):
        return compact(term) or f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    return "" if term is None else str(term)


def _json_term(term) -> dict:
    """A term in the SPARQL 1.1 Query Results JSON Format."""
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    value = {"type": "literal", "value": str(term)}
    if term.language:
        value["xml:lang"] = term.language
    elif term.datatype:
        value["datatype"] = str(term.datatype)
    return value


def _csv_term(term) -> str:
    """SPARQL 1.1 CSV: IRIs and literals as their plain text, blank nodes as _:label."""
    if isinstance(term, BNode):
        return f"_:{term}"
    return "" if term is None else str(term)


def _table(answer: Answer) -> str:
    rows = [[_short(row.get(v)) for v in answer.variables] for row in answer.rows]
    widths = [max([len(v)] + [len(r[i]) for r in rows]) for i, v in enumerate(answer.variables)]
    lines = [
        "  ".join(v.ljust(w) for v, w in zip(answer.variables, widths)).rstrip(),
        "  ".join("-" * w for w in widths),
    ]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    lines.append(f"({len(rows)} row{'s' * (len(rows) != 1)})")
    return "\n".join(lines) + "\n"


def render(answer: Answer, output_format: str) -> str:
    """The answer in the chosen format; a format that does not fit the query kind is a usage error."""
    if answer.kind in ("CONSTRUCT", "DESCRIBE"):
        if output_format == "table":
            output_format = "turtle"
        if output_format not in GRAPH_FORMATS:
            raise click.UsageError(f"a {answer.kind} query gives a graph: use --format {'|'.join(GRAPH_FORMATS)}")
        return answer.graph.serialize(format=GRAPH_FORMATS[output_format])
    if output_format not in ROW_FORMATS:
        raise click.UsageError(f"a {answer.kind} query gives results: use --format {'|'.join(ROW_FORMATS)}")
    if answer.kind == "ASK":
        if output_format == "json":
            return json.dumps({"head": {}, "boolean": answer.boolean}) + "\n"
        return f"{'true' if answer.boolean else 'false'}\n"
    if output_format == "table":
        return _table(answer)
    if output_format == "json":
        return (
            json.dumps(
                {
                    "head": {"vars": answer.variables},
                    "results": {"bindings": [{v: _json_term(t) for v, t in row.items()} for row in answer.rows]},
                },
                indent=2,
            )
            + "\n"
        )
    if output_format == "tsv":
        lines = ["\t".join(f"?{v}" for v in answer.variables)]
        lines += ["\t".join(row[v].n3() if v in row else "" for v in answer.variables) for row in answer.rows]
        return "\n".join(lines) + "\n"
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(answer.variables)
    writer.writerows([_csv_term(row.get(v)) for v in answer.variables] for row in answer.rows)
    return buffer.getvalue()


@click.command()
@click.argument("file", type=click.File("r", encoding="utf-8"))
@click.option(
    "--format",
    "output_format",
    type=click.Choice([*ROW_FORMATS, *GRAPH_FORMATS]),
    default="table",
    show_default=True,
    help="table, json, csv or tsv for SELECT/ASK; turtle, jsonld or nt for CONSTRUCT/DESCRIBE.",
)
def query(file, output_format):
    """Run the SPARQL query in FILE (or - for standard input) on the configured engine."""
    text = file.read()
    try:
        answer = session.current().query(text)
    except QuerySyntaxError as error:
        click.echo(f"Error: {file.name}: {error}", err=True)
        raise SystemExit(2) from error
    except QueryError as error:
        raise click.ClickException(f"{file.name}: {error}") from error
    click.echo(render(answer, output_format), nl=False)
