"""The import page: upload a plan (workbook, CSV sheets or RDF file), see its problems or its audit, take the Turtle.

The upload is read, imported and audited in a confined child (graphsvc.sandbox.uploads), so the
graph the service serves is never touched and a hostile file costs at most the child's
deadline and memory cap. Limits: the settings ``FILE_MAX_MB`` per file, ``FILE_TIME_LIMIT``
seconds of the child's own CPU time and ``FILE_MEMORY_MB`` for the child (graphsvc.settings).

At most ``UPLOADS_AT_ONCE`` uploads are read at once: each holds a server thread while its child
works, and past the cap an upload is answered 503 with Retry-After at once rather than queued, so
uploads never take more than that share of the threads that pages and /health need. A refused
client keeps its turn (``Turns``) for when it comes back.
"""

import threading
import time
import uuid
from base64 import b64encode

from flask import Blueprint, Response, current_app, render_template, request
from werkzeug.utils import secure_filename

from graphsvc.sandbox import uploads
from graphsvc.spreadsheet import template
from graphsvc.spreadsheet.problems import ImportProblems, whole_file
from graphsvc.web.http import site
from graphsvc.web.http.errors import request_id

blueprint = Blueprint("import_page", __name__)

ACCEPT = ".xlsx,.csv,.ttl,.nt,.jsonld,.rdf,.xml"


def _render(**context) -> str:
    max_mb = f"{site.current().settings.file_max_mb:g}"
    return render_template("import.html", accept=ACCEPT, max_mb=max_mb, **context)


def _files():
    return [f for f in request.files.getlist("workbook") if f.filename]


def _names() -> str:
    return ", ".join(f.filename for f in _files()) or "the upload"


def _turtle_name() -> str:
    files = _files()
    stem = secure_filename(files[0].filename.rsplit(".", 1)[0]) if len(files) == 1 else ""
    return (stem or "plan") + ".ttl"


# Seconds a client is asked to wait when every upload slot is taken: about one upload's work.
RETRY_AFTER = 2
# A refused upload's turn: a cookie the client sends back when it retries (browsers do).
TURN_COOKIE = "graphsvc_upload_turn"
TURN_HOLD = RETRY_AFTER + 4  # seconds a turn is kept for a client that does not come back
_TURNS_LOCK = threading.Lock()


class UploadsBusy(ImportProblems):
    """Every upload slot is taken: answered 503 with Retry-After and the client's turn."""

    def __init__(self, problems, turn: str):
        super().__init__(problems)
        self.turn = turn


class Turns:
    """The upload slots, given in turn: a client refused once gets a turn (a cookie), and once it has
    come back with it (so it keeps cookies), a freed slot goes to the oldest such turn before anyone
    new. Without turns the client that has just finished an upload takes its own freed slot again,
    and a polite client following Retry-After may never get one. Clients that keep no cookies are
    served as slots come free, after those waiting their turn."""

    def __init__(self, slots: int):
        self.free = slots
        self.waiting: dict[str, list] = {}  # turn -> [expiry, came back]; insertion order is the queue
        self.lock = threading.Lock()

    def take(self, turn: str | None) -> str | None:
        """None: a slot is taken (give it back). Otherwise the turn to come back with."""
        now = time.monotonic()
        with self.lock:
            for old in [t for t, (expiry, _) in self.waiting.items() if expiry < now]:
                del self.waiting[old]
            mine = self.waiting.get(turn) if turn else None
            if mine is not None:
                mine[1] = True
                ahead = sum(back for t, (_, back) in self.waiting.items() if t != turn and self._before(t, turn))
            else:
                ahead = sum(back for _, back in self.waiting.values())
            if self.free > ahead:
                self.free -= 1
                self.waiting.pop(turn, None)
                return None
            if mine is None:
                turn = uuid.uuid4().hex
                self.waiting[turn] = [now + TURN_HOLD, False]
            else:
                mine[0] = now + TURN_HOLD
            return turn

    def _before(self, one: str, other: str) -> bool:
        for turn in self.waiting:
            if turn in (one, other):
                return turn == one
        return False

    def give_back(self) -> None:
        with self.lock:
            self.free += 1


def _turns() -> Turns:
    """The app's upload turns (made on the first upload)."""
    with _TURNS_LOCK:
        return current_app.extensions.setdefault(
            "graphsvc.upload_turns", Turns(site.current().settings.uploads_at_once)
        )


def _import() -> uploads.Imported:
    """The upload imported and audited; ImportProblems (UploadTooLarge for a file over the cap,
    UploadsBusy when every slot is taken) otherwise."""
    files = _files()
    if not files:
        raise ImportProblems([whole_file(f"choose {uploads.KINDS} to upload")])
    configured = site.current().settings
    turns = _turns()
    turn = turns.take(request.cookies.get(TURN_COOKIE))
    if turn is not None:
        busy = (
            f"the server is reading {configured.uploads_at_once} other uploads: "
            f"try again in {RETRY_AFTER} seconds (your turn is kept)"
        )
        raise UploadsBusy([whole_file(busy)], turn)
    try:
        read = [uploads.capped(f.filename, f.stream, configured.file_max_mb) for f in files]
        limits = uploads.limits(configured.file_time_limit, configured.file_memory_mb, cpu_time=True)
        return uploads.checked_import(read, limits, f"request {request_id()}", configured.upload_max_problems)
    finally:
        if turn is None:
            turns.give_back()


def _status(error: ImportProblems) -> int:
    if isinstance(error, UploadsBusy):
        return 503
    return 413 if isinstance(error, uploads.UploadTooLarge) else 422


def _headers(error: ImportProblems) -> dict:
    return {"Retry-After": str(RETRY_AFTER)} if isinstance(error, UploadsBusy) else {}


def _with_turn(response: Response, error: ImportProblems) -> Response:
    if isinstance(error, UploadsBusy):
        response.set_cookie(TURN_COOKIE, error.turn, max_age=TURN_HOLD, httponly=True, samesite="Lax")
    return response


@blueprint.get("/import")
def form():
    return _render()


@blueprint.get("/import/template.xlsx")
def template_workbook():
    """An empty workbook to fill in, every sheet with its headers and a guide to each column."""
    return Response(
        template.workbook(),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": 'attachment; filename="graphsvc-plan-template.xlsx"'},
    )


@blueprint.post("/import")
def upload():
    filename = _names()
    try:
        done = _import()
    except ImportProblems as error:
        page = _render(problems=error.problems, more=error.more, filename=filename)
        return _with_turn(Response(page, status=_status(error), headers=_headers(error)), error)
    return _render(
        filename=filename,
        report=done.report,
        triples=done.triples,
        turtle=done.turtle,
        turtle_name=_turtle_name(),
        turtle_base64=b64encode(done.turtle.encode()).decode("ascii"),
    )


@blueprint.post("/import.ttl")
def upload_turtle():
    """The same check for scripts: the Turtle, or the problems as text/plain lines with status 422 (413 too large).

    Exempt from CSRF (graphsvc.web.app): it is an API for scripts, and answers only its caller.
    """
    try:
        done = _import()
    except ImportProblems as error:
        text = Response(str(error) + "\n", status=_status(error), mimetype="text/plain", headers=_headers(error))
        return _with_turn(text, error)
    return Response(
        done.turtle, mimetype="text/turtle", headers={"Content-Disposition": f'attachment; filename="{_turtle_name()}"'}
    )
