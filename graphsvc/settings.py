"""Every setting of graphsvc, defined once: name, type, default, unit, help and the commands that take it.

datasette's SETTINGS is the model. `graphsvc serve`, `validate` and `import` build their options
from this table, `create_app(config)` reads its config through it, the service description
reports the limits from it, and docs/settings.md is tested to name every entry. An option has
one name in every command; the names it had before are kept as deprecated aliases that warn.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, make_dataclass
from typing import Any
from urllib.parse import urlsplit

import click

from graphsvc.engine.engines import ENGINE_KINDS


@dataclass(frozen=True)
class Setting:
    name: str  # the create_app config key, e.g. "SPARQL_TIME_LIMIT"
    type: type  # float, int, str or bool
    default: Any
    unit: str  # "s", "MB", "rows", ... ("" for none)
    help: str
    commands: tuple[str, ...] = ()  # the commands that take it as an option (none: config only)
    option: str | None = None  # the one option name, e.g. "--time-limit"
    minimum: float | None = None
    command_defaults: Mapping[str, Any] = field(default_factory=dict)  # a command reading local files allows more
    aliases: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # command -> deprecated option names
    old_keys: tuple[str, ...] = ()  # deprecated config keys
    described_as: str | None = None  # its term in the service description (limits: namespace)
    envvar: str | None = None  # an environment variable that sets the option

    @property
    def attribute(self) -> str:
        return self.name.lower()

    def default_for(self, command: str | None) -> Any:
        return self.command_defaults.get(command, self.default)


_FILES = ("serve", "validate", "import")  # the commands that read a user's files in a confined child
_MORE_FOR_LOCAL_FILES = ("validate", "import")  # a person's own files on their own machine may take longer


def _files(serve: str, local: str) -> dict[str, tuple[str, ...]]:
    return {"serve": (serve,), **{command: (local,) for command in _MORE_FOR_LOCAL_FILES}}


# fmt: off
SETTINGS: tuple[Setting, ...] = (
    # The public SPARQL endpoint (graphsvc/sandbox/query_pool.py runs each query in a confined worker).
    Setting("SPARQL_TIME_LIMIT", float, 10.0, "s",
            "Seconds a SPARQL query may run; its worker process is killed then.",
            commands=("serve",), option="--time-limit", minimum=0.01, described_as="timeLimitSeconds"),
    Setting("SPARQL_ROW_CAP", int, 10_000, "rows",
            "Rows (or triples) a SPARQL answer may hold; longer answers are cut and flagged.",
            commands=("serve",), option="--row-cap", minimum=1, described_as="rowCap"),
    Setting("SPARQL_MEMORY_MB", int, 1024, "MB",
            "Memory cap (address space) of each query worker process.",
            commands=("serve",), option="--memory-mb", minimum=64, described_as="memoryCapMB"),
    Setting("SPARQL_WORKERS", int, 2, "",
            "Query worker processes: SPARQL queries run at once (more get 503 at once); below --threads.",
            commands=("serve",), option="--workers", minimum=1, described_as="queryWorkers"),
    Setting("SPARQL_MAX_QUERY_LENGTH", int, 100_000, "characters",
            "Characters a SPARQL query may have (longer ones get 413).",
            commands=("serve",), option="--max-query-length", minimum=1, described_as="maxQueryLength"),
    Setting("SERVER_THREADS", int, 8, "",
            "Server threads (pages, /health and waiting for query workers).",
            commands=("serve",), option="--threads", minimum=2, described_as="serverThreads"),
    # A user's files (an upload to /import, or FILES of validate and import), read in a confined child.
    Setting("FILE_MAX_MB", float, 10.0, "MB",
            "Megabytes a plan file may have (an upload over it gets 413).",
            commands=_FILES, option="--file-max-mb", minimum=0.01,
            command_defaults=dict.fromkeys(_MORE_FOR_LOCAL_FILES, 32.0),
            aliases=_files("--upload-max-mb", "--max-file-mb"), old_keys=("UPLOAD_MAX_MB",),
            described_as="uploadMaxMB"),
    Setting("FILE_TIME_LIMIT", float, 4.0, "s",
            "Seconds the confined process may take to read, import and audit plan files.",
            commands=_FILES, option="--file-time-limit", minimum=0.1,
            command_defaults=dict.fromkeys(_MORE_FOR_LOCAL_FILES, 120.0),
            aliases=_files("--upload-time-limit", "--time-limit"), old_keys=("UPLOAD_TIME_LIMIT",),
            described_as="uploadTimeLimitSeconds"),
    Setting("FILE_MEMORY_MB", int, 1024, "MB",
            "Memory cap of the confined process that reads plan files.",
            commands=_FILES, option="--file-memory-mb", minimum=64,
            command_defaults=dict.fromkeys(_MORE_FOR_LOCAL_FILES, 2048),
            aliases=_files("--upload-memory-mb", "--memory-limit"), old_keys=("UPLOAD_MEMORY_MB",),
            described_as="uploadMemoryCapMB"),
    Setting("MAX_BODY_MB", float, 16.0, "MB",
            "Megabytes any request body may have (larger ones get 413).",
            commands=("serve",), option="--max-body-mb", minimum=0.01),
    # The web server's lifecycle (graphsvc.web.http.server): slow and greedy clients, uploads, shutdown.
    Setting("SERVER_CONNECTION_LIMIT", int, 1000, "connections",
            "Connections held open at once (slow or idle ones included); past it new ones wait in the backlog.",
            commands=("serve",), option="--connection-limit", minimum=10),
    Setting("SERVER_HEADER_TIMEOUT", float, 10.0, "s",
            "Seconds a request's line and headers may take to arrive; a slower client is disconnected.",
            commands=("serve",), option="--header-timeout", minimum=1),
    Setting("SERVER_CHANNEL_TIMEOUT", float, 30.0, "s",
            "Seconds an idle connection (no request in progress) is kept open.",
            commands=("serve",), option="--channel-timeout", minimum=1),
    Setting("SERVER_CLEANUP_INTERVAL", float, 2.0, "s",
            "Seconds between sweeps that close slow and idle connections (the timeouts' precision).",
            commands=("serve",), option="--cleanup-interval", minimum=0.5),
    Setting("SERVER_MAX_REQUEST_LINE_KB", int, 320, "KB",
            "Kilobytes a request line (method and URL) may have: room for the longest query by GET (414 past it).",
            commands=("serve",), option="--max-request-line-kb", minimum=1),
    Setting("SERVER_MAX_HEADER_KB", int, 32, "KB",
            "Kilobytes a request's header fields may have together (431 past it).",
            commands=("serve",), option="--max-header-kb", minimum=1),
    Setting("SHUTDOWN_GRACE", float, 10.0, "s",
            "Seconds SIGTERM waits for requests in flight before the workers and helpers are stopped.",
            commands=("serve",), option="--shutdown-grace", minimum=0),
    Setting("UPLOADS_AT_ONCE", int, 2, "",
            "Uploads to /import read at once (more get 503 with Retry-After); below --threads.",
            commands=("serve",), option="--uploads-at-once", minimum=1),
    Setting("UPLOAD_MAX_PROBLEMS", int, 200, "problems",
            "Problems of an upload listed in full; the rest are counted.",
            commands=("serve",), option="--max-problems", minimum=1),
    # Where the server listens and what it does at start-up.
    Setting("HOST", str, "127.0.0.1", "",
            "Address to listen on (0.0.0.0 for every interface).",
            commands=("serve",), option="--host"),
    Setting("PORT", int, 8080, "",
            "Port to listen on.",
            commands=("serve",), option="--port", minimum=1),
    Setting("STORE_IN_MEMORY", bool, False, "",
            "With --store: copy the store into memory after start-up (1M triples: ~7 s, ~320 MB) and answer "
            "from the copy once it is whole (2-4x faster); until then from disk.",
            commands=("serve",), option="--in-memory"),
    Setting("AUDIT", bool, True, "",
            "Run the shapes audit of the served data (at start-up in memory; in the background for a store "
            "or an endpoint)."),
    # The source of the data (graphsvc.engine.sources): the group's options, read by every command.
    Setting("ENGINE", str, "oxigraph", "",
            "Embedded engine over the built-in graph: oxigraph or rdflib.",
            commands=("graphsvc",), option="--engine", envvar="GRAPHSVC_ENGINE"),
    Setting("SPARQL_ENDPOINT", str, None, "",
            "Ask this SPARQL 1.1 endpoint instead of the built-in graph.",
            commands=("graphsvc",), option="--sparql-endpoint", envvar="GRAPHSVC_SPARQL_ENDPOINT"),
    Setting("STORE", str, None, "",
            "Answer from the persisted store built by `graphsvc load DIR` (starts without parsing).",
            commands=("graphsvc", "serve"), option="--store", envvar="GRAPHSVC_STORE"),
    Setting("SKIP_STORE_CHECK", bool, False, "",
            "With --store: open it without checking its files against the checksums recorded at load "
            "(the check reads every file once: a 400k-triple store of 109 MB takes ~0.5 s).",
            commands=("serve",), option="--skip-store-check"),
    Setting("SERVER_MEMORY_MB", int, 8192, "MB",
            "Memory cap (address space) of the server process, whose page queries run in it; past it "
            "an allocation fails instead of the host running out of memory. 0: no cap.",
            commands=("serve",), option="--server-memory-mb", minimum=0),
    # The server's own address and dataset, as clients see them (never taken from a request's Host).
    Setting("PUBLIC_URL", str, None, "",
            "The address clients reach this server at, e.g. https://graphs.example.org/: redirects, the "
            "service description and the base IRI of every SPARQL query use it (default http://HOST:PORT/).",
            commands=("serve",), option="--public-url"),
    Setting("DEFAULT_GRAPH_IRIS", str, "https://w3id.org/graphsvc/", "",
            "Space-separated IRIs that name the served default graph: a SPARQL request's default-graph-uri "
            "may give these (any other is refused).",
            commands=("serve",), option="--default-graph-iri"),
    # Progress reports written to the built-in graph (a store keeps its own in DIR/reports).
    Setting("REPORTS_DIR", str, None, "",
            "Keep progress reports written to the built-in graph in this folder's journal (none: in memory, "
            "lost at exit). A --store keeps its reports beside it.",
            commands=("graphsvc",), option="--reports-dir", envvar="GRAPHSVC_REPORTS_DIR"),
    # How often a server looks for written reports: each look that finds some moves the data's version
    # on, and every built page is built again; at 200 writes/s a look per request rebuilt every page,
    # and at 1m (a business group's page takes 50-100 ms to build) ten looks a second still held p99 up.
    Setting("REPORTS_LAG", float, 0.5, "s",
            "Show written reports within this long: the server looks for new ones at most this often "
            "(0: on every request).",
            commands=("serve",), option="--reports-lag", minimum=0),
    # How answers are read from --sparql-endpoint.
    Setting("SPARQL_RESULTS", str, "xml", "",
            "Results format asked of --sparql-endpoint: xml (SPARQL's first, which every store writes; "
            "Virtuoso 7 writes it about 5 times faster than JSON) or json.",
            commands=("graphsvc",), option="--sparql-results", envvar="GRAPHSVC_SPARQL_RESULTS"),
)
# fmt: on

BY_NAME = {setting.name: setting for setting in SETTINGS}
OLD_KEYS = {old: setting for setting in SETTINGS for old in setting.old_keys}
MB = 2**20

Settings = make_dataclass(
    "Settings",
    [(setting.attribute, setting.type) for setting in SETTINGS],
    frozen=True,
    namespace={"__doc__": "The settings in force, typed: one attribute per entry of SETTINGS, lower-cased."},
)


class SettingError(ValueError):
    """A setting with a value that cannot be used; the message names the setting."""


def _convert(setting: Setting, value: Any) -> Any:
    if value is None or setting.type is bool:
        return value if setting.type is not bool else bool(value)
    try:
        converted = setting.type(value)
    except (TypeError, ValueError):
        raise SettingError(f"{setting.name} is {value!r}: expected {setting.type.__name__}") from None
    if setting.minimum is not None and converted < setting.minimum:
        raise SettingError(f"{setting.name} is {value!r}: it must be at least {setting.minimum:g}")
    return converted


def from_config(config: Mapping[str, Any], command: str | None = None) -> Settings:
    """The settings in force for a config dict (create_app's), defaults filled in and values checked.

    A deprecated key (UPLOAD_MAX_MB ...) still counts, with a DeprecationWarning naming the new one.
    """
    values = {}
    for old, setting in OLD_KEYS.items():
        if config.get(old) is not None and config.get(setting.name) is None:
            warnings.warn(f"{old} is deprecated: use {setting.name}", DeprecationWarning, stacklevel=2)
            values[setting.name] = config[old]
    for setting in SETTINGS:
        found = config.get(setting.name, values.get(setting.name))
        values[setting.name] = _convert(setting, setting.default_for(command) if found is None else found)
    settings = Settings(**{BY_NAME[name].attribute: value for name, value in values.items()})
    check(settings)
    return settings


def check(settings: Settings) -> None:
    """Settings that cannot work together. Workers stay below threads, so that pages and /health
    always find a thread that no query holds."""
    if settings.public_url is not None:
        url = urlsplit(settings.public_url)
        if url.scheme not in ("http", "https") or not url.netloc or url.query or url.fragment:
            raise SettingError(f"PUBLIC_URL is {settings.public_url!r}: expected http(s)://host[:port][/path]")
    if settings.sparql_workers >= settings.server_threads:
        raise SettingError(
            f"SPARQL_WORKERS ({settings.sparql_workers}) must be below SERVER_THREADS ({settings.server_threads}): "
            "pages and /health need threads that no query holds"
        )
    if settings.uploads_at_once >= settings.server_threads:
        raise SettingError(
            f"UPLOADS_AT_ONCE ({settings.uploads_at_once}) must be below SERVER_THREADS ({settings.server_threads}): "
            "pages and /health need threads that no upload holds"
        )


def public_url(settings: Settings) -> str:
    """The server's own address, ending in "/": PUBLIC_URL, else where it listens."""
    if settings.public_url:
        return settings.public_url.rstrip("/") + "/"
    host = f"[{settings.host}]" if ":" in settings.host else settings.host
    return f"http://{host}:{settings.port}/"


def for_command(command: str) -> list[Setting]:
    return [setting for setting in SETTINGS if command in setting.commands and setting.option]


def _click_type(setting: Setting):
    if setting.minimum is None:
        return setting.type
    if setting.type is int:
        return click.IntRange(min=int(setting.minimum))
    return click.FloatRange(min=setting.minimum)


def _warn_alias(context: click.Context, param: click.Parameter, value: Any) -> Any:
    if value is not None:
        setting = param.metadata  # type: ignore[attr-defined]
        click.echo(f"graphsvc: {param.opts[0]} is deprecated: use {setting.option}", err=True)
        context.meta.setdefault("graphsvc.aliases", {})[setting.name] = value
    return value


_METAVARS = {"STORE": "DIR", "REPORTS_DIR": "DIR", "SPARQL_ENDPOINT": "URL"}


def options(command: str, only: Iterable[str] | None = None) -> Callable:
    """A decorator adding the command's settings as click options (and their deprecated aliases,
    hidden), each named by its attribute; `values(context, ...)` then reads them back."""
    chosen = [s for s in for_command(command) if only is None or s.name in only]

    def decorate(function):
        for setting in reversed(chosen):
            for alias in setting.aliases.get(command, ()):
                hidden = click.Option(
                    [alias, "_alias_" + setting.attribute + alias.replace("-", "_")],
                    type=_click_type(setting),
                    expose_value=False,
                    hidden=True,
                    callback=_warn_alias,
                )
                hidden.metadata = setting
                function = _with_param(function, hidden)
            default = setting.default_for(command)
            if setting.type is bool:
                option = click.Option([setting.option, setting.attribute], is_flag=True, help=setting.help)
            elif setting.name == "ENGINE":
                option = click.Option(
                    [setting.option, setting.attribute],
                    type=click.Choice(ENGINE_KINDS),
                    envvar=setting.envvar,
                    help=f"{setting.help} [default: {default}]",
                )
            else:
                unit = f" [{setting.unit}]" if setting.unit and setting.unit not in setting.help else ""
                option = click.Option(
                    [setting.option, setting.attribute],
                    type=_click_type(setting),
                    default=default,
                    show_default=default is not None,
                    help=setting.help + unit,
                    envvar=setting.envvar,
                    metavar=_METAVARS.get(setting.name),
                )
            function = _with_param(function, option)
        return function

    return decorate


def _with_param(function, param: click.Parameter):
    # click's decorators attach parameters this way before the command is made.
    if not hasattr(function, "__click_params__"):
        function.__click_params__ = []
    function.__click_params__.append(param)
    return function


def values(context: click.Context, command: str, given: Mapping[str, Any]) -> dict[str, Any]:
    """The config dict of a command's settings: each option's value, or a deprecated alias's where the
    option itself was left at its default."""
    aliased = context.meta.get("graphsvc.aliases", {})
    found = {}
    for setting in for_command(command):
        if setting.attribute not in given:
            continue
        value = given[setting.attribute]
        source = context.get_parameter_source(setting.attribute)
        if setting.name in aliased and source in (None, click.core.ParameterSource.DEFAULT):
            value = aliased[setting.name]
        found[setting.name] = value
    return found


def described(settings: Settings) -> dict[str, Any]:
    """The limits the service description reports, by term: the registry's, plus the body cap in bytes."""
    figures = {s.described_as: getattr(settings, s.attribute) for s in SETTINGS if s.described_as}
    figures["maxRequestBytes"] = int(settings.max_body_mb * MB)
    return figures


def markdown_table() -> str:
    """The settings as docs/settings.md shows them (the docs hook puts it in at build time)."""
    rows = ["| option | config key | commands | default | unit | meaning |", "| --- | --- | --- | --- | --- | --- |"]
    for setting in SETTINGS:
        option = f"`{setting.option}`" if setting.option else "—"
        if any(setting.aliases.values()):
            old = sorted({alias for names in setting.aliases.values() for alias in names})
            option += " (was " + ", ".join(f"`{name}`" for name in old) + ")"
        key = f"`{setting.name}`" + "".join(f" (was `{old}`)" for old in setting.old_keys)
        where = ", ".join("global" if c == "graphsvc" else f"`{c}`" for c in setting.commands) or "`create_app`"
        if setting.envvar:
            where += f" (env `{setting.envvar}`)"
        default = "none" if setting.default is None else f"`{setting.default}`"
        default += "".join(f"; `{c}`: `{value}`" for c, value in setting.command_defaults.items())
        rows.append(f"| {option} | {key} | {where} | {default} | {setting.unit} | {setting.help.replace('|', '/')} |")
    return "\n".join(rows)
