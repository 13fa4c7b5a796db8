"""`graphsvc serve`: the web front end and SPARQL endpoint on waitress (graphsvc.web.http.server).

Its options are the "serve" entries of graphsvc.settings, handed to create_app as they are.
"""

import logging
import threading

import click

from graphsvc import settings
from graphsvc.engine import graph, session


@click.command()
@settings.options("serve")
@click.pass_context
def serve(context, **given):
    """Serve the built-in graph (or a store, or a SPARQL endpoint): pages, linked data and /sparql.

    With the group's --sparql-endpoint URL every page and /sparql answer from that endpoint.
    A JSON line per request goes to stderr (the access log).
    """
    from graphsvc.commands import StoreFailure
    from graphsvc.engine.sources import SourceError
    from graphsvc.engine.store import StoreError
    from graphsvc.web.app import create_app
    from graphsvc.web.http.server import Server

    config = settings.values(context, "serve", given)
    chosen = session.source()
    config.update(ENGINE=chosen.engine, SPARQL_ENDPOINT=chosen.endpoint, STORE=config["STORE"] or chosen.store)
    config.update(SPARQL_RESULTS=chosen.results)
    try:
        values = settings.from_config(config, "serve")
        source = session.configure(values.engine, values.sparql_endpoint, values.store, results=values.sparql_results)
    except (settings.SettingError, SourceError) as error:
        raise click.UsageError(_as_options(str(error))) from error
    if values.store_in_memory and not source.store:
        raise click.UsageError(
            "--in-memory copies a persisted store into memory: give --store DIR too "
            "(the built-in graph is always served from memory)"
        )
    if source.in_memory:
        click.echo(f"graphsvc: loading the built-in graph into {source.engine} and auditing it ...", err=True)
        config["GRAPH"] = graph.default()
    else:
        click.echo(f"graphsvc: answering from {source.describe()}", err=True)
    _say_what_the_server_does()  # before the app, whose background work has news from the start
    _cap_memory(values.server_memory_mb)
    try:
        app = create_app(config)
    except StoreError as error:
        raise StoreFailure(str(error)) from None
    host, port = values.host, values.port
    served = app.extensions["graphsvc"]
    try:
        server = Server(app, values, on_stop=[served.query_pool.close])
    except OSError as error:  # address in use, not allowed, unknown host
        raise click.ClickException(f"cannot listen on {host}:{port}: {error.strerror or error}") from error
    # The workers load the data while the server already answers pages (a query arriving first
    # waits for them): that keeps a national store's cold start to its first page.
    threading.Thread(target=served.query_pool.start, name="graphsvc-query-pool", daemon=True).start()
    from graphsvc.web.http import access_log

    access_log.enable()
    server.install_signals()
    click.echo(f"graphsvc: serving on http://{host}:{port}/ (SPARQL endpoint http://{host}:{port}/sparql)", err=True)
    server.run()
    click.echo("graphsvc: stopped (requests drained, query workers and helpers ended)", err=True)


def _cap_memory(megabytes: int) -> None:
    """Cap the server's address space (soft limit only: a query worker or upload child sets its
    own, lower, cap). Page queries run in this process on an engine that cannot be interrupted; a
    damaged or hostile store must make an allocation fail here, not take the host's memory."""
    import resource

    if megabytes <= 0:
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = megabytes * settings.MB if hard == resource.RLIM_INFINITY else min(megabytes * settings.MB, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))


def _as_options(message: str) -> str:
    """A setting's error in the words of the command line: --workers, not SPARQL_WORKERS."""
    for setting in settings.for_command("serve"):
        message = message.replace(setting.name, setting.option)
    return message


def _say_what_the_server_does() -> None:
    """The server's own news after start-up (the store now answers from memory) on stderr, as
    "graphsvc: ..." lines like the start-up ones."""
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("graphsvc: %(message)s"))
    news = logging.getLogger("graphsvc.serve")
    news.addHandler(handler)
    news.setLevel(logging.INFO)
    news.propagate = False
