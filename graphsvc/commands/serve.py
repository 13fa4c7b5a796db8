"""`graphsvc serve`: the web front end and SPARQL endpoint on waitress, a production WSGI server."""

import logging
import threading

import click

from .. import graph
from ..engine import ENGINE_KINDS
from ..uploads import MAX_MB, MEMORY_MB, TIME_LIMIT
from ..web.protection import DEFAULTS as PROTECTION
from ..web.query_limits import DEFAULTS as LIMITS
from ..web.site import DEFAULTS as SITE


@click.command()
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0 for every interface)."
)
@click.option("--port", default=8080, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@click.option(
    "--time-limit",
    default=SITE["SPARQL_TIME_LIMIT"],
    show_default=True,
    type=click.FloatRange(min=0.1),
    help="Seconds a SPARQL query may run; its worker process is killed then.",
)
@click.option(
    "--row-cap",
    default=SITE["SPARQL_ROW_CAP"],
    show_default=True,
    type=click.IntRange(min=1),
    help="Rows (or triples) a SPARQL answer may hold; longer answers are cut and flagged.",
)
@click.option(
    "--memory-mb",
    default=LIMITS["SPARQL_MEMORY_MB"],
    show_default=True,
    type=click.IntRange(min=64),
    help="Memory cap of each query worker process.",
)
@click.option(
    "--workers",
    default=LIMITS["SPARQL_WORKERS"],
    show_default=True,
    type=click.IntRange(min=1),
    help="Query worker processes: SPARQL queries run at once (more get 503 at once); below --threads.",
)
@click.option(
    "--max-query-length",
    default=LIMITS["SPARQL_MAX_QUERY_LENGTH"],
    show_default=True,
    type=click.IntRange(min=1),
    help="Characters a SPARQL query may have (longer ones get 413).",
)
@click.option(
    "--threads",
    default=LIMITS["SERVER_THREADS"],
    show_default=True,
    type=click.IntRange(min=2),
    help="Server threads (pages, /health and waiting for query workers).",
)
@click.option(
    "--upload-max-mb",
    default=MAX_MB,
    show_default=True,
    type=click.FloatRange(min=0.01),
    help="Megabytes an uploaded plan file may have (/import; larger ones get 413).",
)
@click.option(
    "--upload-time-limit",
    default=TIME_LIMIT,
    show_default=True,
    type=click.FloatRange(min=0.1),
    help="Seconds the confined process may take to read, import and audit an upload.",
)
@click.option(
    "--upload-memory-mb",
    default=MEMORY_MB,
    show_default=True,
    type=click.IntRange(min=64),
    help="Memory cap of the process that reads an upload.",
)
@click.option(
    "--max-body-mb",
    default=PROTECTION["MAX_CONTENT_LENGTH"] / 2**20,
    show_default=True,
    type=click.FloatRange(min=0.01),
    help="Megabytes any request body may have (larger ones get 413).",
)
@click.option(
    "--store",
    "store_dir",
    type=click.Path(file_okay=False),
    metavar="DIR",
    help="Serve the persisted store built by `graphsvc load DIR` (starts without parsing).",
)
@click.option(
    "--in-memory",
    is_flag=True,
    help="With --store: copy the store into memory after start-up (1M triples: ~7 s, ~320 MB) and "
    "answer from the copy once it is whole (2-4x faster); until then from disk.",
)
@click.pass_context
def serve(
    context,
    host,
    port,
    time_limit,
    row_cap,
    memory_mb,
    workers,
    max_query_length,
    threads,
    upload_max_mb,
    upload_time_limit,
    upload_memory_mb,
    max_body_mb,
    store_dir,
    in_memory,
):
    """Serve the built-in graph (or a store, or a SPARQL endpoint): pages, linked data and /sparql.

    With the group's --sparql-endpoint URL every page and /sparql answer from that endpoint.
    A JSON line per request goes to stderr (the access log).
    """
    import waitress

    from ..store import StoreError
    from ..web import access_log
    from ..web.app import create_app

    options = context.parent.params if context.parent else {}
    endpoint = options.get("sparql_endpoint")
    if endpoint and store_dir:
        raise click.UsageError("serve answers from one source: give --store or --sparql-endpoint, not both")
    if in_memory and not store_dir:
        raise click.UsageError(
            "--in-memory copies a persisted store into memory: give --store DIR too "
            "(the built-in graph is always served from memory)"
        )
    if workers >= threads:
        raise click.UsageError(
            f"--workers ({workers}) must be below --threads ({threads}): pages and /health "
            "need threads that no query holds"
        )
    settings = {
        "SPARQL_TIME_LIMIT": time_limit,
        "SPARQL_ROW_CAP": row_cap,
        "SPARQL_MEMORY_MB": memory_mb,
        "SPARQL_WORKERS": workers,
        "SPARQL_MAX_QUERY_LENGTH": max_query_length,
        "SERVER_THREADS": threads,
        "UPLOAD_MAX_MB": upload_max_mb,
        "UPLOAD_TIME_LIMIT": upload_time_limit,
        "UPLOAD_MEMORY_MB": upload_memory_mb,
        "MAX_CONTENT_LENGTH": int(max_body_mb * 2**20),
    }
    if endpoint:
        click.echo(f"graphsvc: answering from the SPARQL endpoint {endpoint}", err=True)
        settings["SPARQL_ENDPOINT"] = endpoint
    elif store_dir:
        click.echo(f"graphsvc: opening the store {store_dir}", err=True)
        settings.update({"STORE": store_dir, "STORE_IN_MEMORY": in_memory})
    else:
        kind = options.get("engine_kind") or ENGINE_KINDS[0]
        click.echo(f"graphsvc: loading the built-in graph into {kind} and auditing it ...", err=True)
        settings.update({"GRAPH": graph.default(), "ENGINE": kind})
    _say_what_the_server_does()  # before the app, whose background work has news from the start
    try:
        app = create_app(settings)
    except StoreError as error:
        raise click.ClickException(str(error)) from error
    try:
        server = waitress.create_server(app, host=host, port=port, threads=threads, ident="graphsvc")
    except OSError as error:  # address in use, not allowed, unknown host
        raise click.ClickException(f"cannot listen on {host}:{port}: {error.strerror or error}") from error
    # The workers load the data while the server already answers pages (a query arriving first
    # waits for them): that keeps a national store's cold start to its first page.
    threading.Thread(
        target=app.extensions["graphsvc"].extra["query_pool"].start, name="graphsvc-query-pool", daemon=True
    ).start()
    access_log.enable()
    click.echo(f"graphsvc: serving on http://{host}:{port}/ (SPARQL endpoint http://{host}:{port}/sparql)", err=True)
    server.run()


def _say_what_the_server_does() -> None:
    """The server's own news after start-up (the store now answers from memory) on stderr, as
    "graphsvc: ..." lines like the start-up ones."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("graphsvc: %(message)s"))
    news = logging.getLogger("graphsvc.serve")
    news.addHandler(handler)
    news.setLevel(logging.INFO)
    news.propagate = False
