"""The import page: upload a plan workbook, see its problems or its shapes audit, take the Turtle.

An upload is read into a graph of its own and audited with the organisation; the graph the
service serves is never touched, so a visitor can try a workbook without changing anything.
"""

from base64 import b64encode
from io import BytesIO

from flask import Blueprint, Response, render_template_string, request
from werkzeug.utils import secure_filename

from ..spreadsheet import xlsx_io
from ..spreadsheet.audit import audit_plan
from ..spreadsheet.importer import import_tables
from ..spreadsheet.problems import ImportProblems, whole_file

blueprint = Blueprint("import_page", __name__)

MAX_UPLOAD = 10 * 1024 * 1024  # bytes; a plan workbook is tens of kilobytes

PAGE = """{% extends "base.html" %}
{% block title %}Import a plan{% endblock %}
{% block main %}
<h1>Import a plan from a spreadsheet</h1>
<p>Upload an XLSX workbook laid out as <code>graphsvc export</code> writes it (see the README,
"Spreadsheets"). It is checked and audited here; the service's own data does not change.</p>
<form method="post" enctype="multipart/form-data" action="{{ url_for('import_page.upload') }}">
  <label for="workbook">Workbook (.xlsx)</label>
  <input id="workbook" name="workbook" type="file" accept=".xlsx">
  <button type="submit">Check and import</button>
</form>
{% if problems %}
<section class="problems">
  <h2>{{ problems|length }} problem{{ "s" if problems|length != 1 }} in {{ filename }}: nothing was imported</h2>
  <table class="findings">
    <thead><tr><th>Sheet</th><th>Row</th><th>Column</th><th>Problem</th></tr></thead>
    <tbody>
    {% for p in problems -%}
    <tr><td>{{ p.sheet }}</td><td>{{ p.row or "" }}</td><td>{{ p.column or "" }}</td><td>{{ p.reason }}</td></tr>
    {% endfor %}
    </tbody>
  </table>
</section>
{% endif %}
{% if report %}
<section class="imported">
  <h2>Imported {{ filename }}: {{ triples }} triples</h2>
  <p><a download="{{ turtle_name }}" href="data:text/turtle;charset=utf-8;base64,{{ turtle_base64 }}">
    Download the Turtle ({{ turtle_name }})</a></p>
  <h2>Shapes audit</h2>
  <p class="summary">The plan {{ "conforms" if report.conforms else "does not conform" }} to the shapes:
    {{ report.totals.by_severity.Violation }} violations, {{ report.totals.by_severity.Warning }} warnings,
    {{ report.totals.by_severity.Info }} notes.</p>
  <table class="findings">
    <thead><tr><th>Severity</th><th>Owner</th><th>Message</th></tr></thead>
    <tbody>
    {% for r in report.results -%}
    <tr class="severity-{{ r.severity|lower }}"><td>{{ r.severity }}</td><td>{{ r.owner or "" }}</td><td>{{ r.message }}</td></tr>
    {% endfor %}
    </tbody>
  </table>
  <details><summary>The Turtle</summary><pre>{{ turtle }}</pre></details>
</section>
{% endif %}
{% endblock %}
"""


def _read_upload():
    """(file name, plan graph); ImportProblems for a missing, oversized or broken upload."""
    upload = request.files.get("workbook")
    if upload is None or not upload.filename:
        raise ImportProblems([whole_file("choose an .xlsx workbook to upload")])
    data = upload.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        raise ImportProblems([whole_file(f"{upload.filename} is larger than {MAX_UPLOAD // (1024 * 1024)} MB")])
    return upload.filename, import_tables(xlsx_io.read(BytesIO(data), upload.filename))


@blueprint.get("/import")
def form():
    return render_template_string(PAGE)


@blueprint.post("/import")
def upload():
    filename = request.files["workbook"].filename if "workbook" in request.files else ""
    try:
        filename, plan = _read_upload()
    except ImportProblems as error:
        return render_template_string(PAGE, problems=error.problems, filename=filename or "the upload"), 422
    turtle = plan.serialize(format="turtle")
    return render_template_string(
        PAGE, filename=filename, report=audit_plan(plan), triples=len(plan), turtle=turtle,
        turtle_name=filename.rsplit(".", 1)[0] + ".ttl", turtle_base64=b64encode(turtle.encode()).decode("ascii"),
    )


@blueprint.post("/import.ttl")
def upload_turtle():
    """The same check for scripts: the Turtle, or the problems as text/plain lines with status 422."""
    try:
        filename, plan = _read_upload()
    except ImportProblems as error:
        return Response(str(error) + "\n", status=422, mimetype="text/plain")
    name = (secure_filename(filename).rsplit(".", 1)[0] or "plan") + ".ttl"
    return Response(plan.serialize(format="turtle"), mimetype="text/turtle",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
