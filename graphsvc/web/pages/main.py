"""Pages for people that are not about one node: home, the partners list and the SPARQL editor."""

from __future__ import annotations

from flask import Blueprint, render_template

from graphsvc.answers import plans
from graphsvc.answers.figures import figures
from graphsvc.queries import query
from graphsvc.web.http import site
from graphsvc.web.http.representation import check_suffix, respond
from graphsvc.web.pages import terms
from graphsvc.web.pages.page_data import value

blueprint = Blueprint("pages", __name__)

# The three questions the tool exists for, as links from the home page.
QUESTIONS = [
    ("What is the Specialist Crime Directorate (SCD) accountable for?", "/id/unit/scd"),
    ("Does every delivery item have an owner and a measurable outcome?", "/validation"),
    ("Which partner agencies do the plans depend on, and who owns those items?", "/partners"),
]


def _home() -> dict:
    served = site.current()
    version = served.engine.version
    if served.figures is None or served.figures[0] != version:  # written reports add triples
        served.figures = (version, figures(served.engine))
    groups: dict[str, dict] = {}
    for row in served.engine.query(query("page_home_organisation")).rows:
        group = groups.setdefault(
            str(row["group"]),
            {
                "group": value(row["group"], row["groupLabel"]),
                "short": str(row["short"]) if "short" in row else None,
                "members": [],
            },
        )
        if "member" in row:
            group["members"].append(value(row["member"], row["memberLabel"]))
    return {
        "figures": served.figures[1],
        "questions": [{"text": t, "href": h} for t, h in QUESTIONS],
        "organisation": list(groups.values()),
        "answers": plans.overview(served.engine),
    }


@blueprint.route("/")
@blueprint.route("/index.<fmt>")
def home(fmt=None):
    engine = site.current().engine
    return respond(
        "/index", check_suffix(fmt), "home.html", _home, lambda: engine.query(query("web_plans")).graph, cached=True
    )


def _partners() -> dict:
    partners: dict[str, dict] = {}
    for row in site.current().engine.query(query("page_partners")).rows:
        partner = partners.setdefault(
            str(row["partner"]), {"partner": value(row["partner"], row["partnerLabel"]), "items": []}
        )
        if "item" not in row:
            continue
        if not partner["items"] or partner["items"][-1]["item"]["iri"] != str(row["item"]):
            partner["items"].append(
                {
                    "item": value(row["item"], row.get("itemLabel")),
                    "ref": str(row["ref"]) if "ref" in row else None,
                    "leads": [],
                }
            )
        if "leadLabel" in row:
            partner["items"][-1]["leads"].append(str(row["leadLabel"]))
    return {"partners": list(partners.values())}


@blueprint.route("/partners")
@blueprint.route("/partners.<fmt>")
def partners(fmt=None):
    engine = site.current().engine
    return respond(
        "/partners",
        check_suffix(fmt),
        "partners.html",
        _partners,
        lambda: engine.query(query("web_partners")).graph,
        cached=True,
    )


# Ready example queries for the editor: the ownership and audit questions.
EXAMPLES = [
    "web_example_scd_accountable",
    "web_example_items_without_measurable_measure",
    "web_example_measurability",
    "web_example_partners",
]


@blueprint.route("/query")
def query_editor():
    examples = [
        {"name": name, "title": query(name).splitlines()[0].lstrip("# "), "text": query(name)} for name in EXAMPLES
    ]
    return render_template(
        "query.html",
        examples=examples,
        local_base=terms.LOCAL,
        endpoint=site.public_url() + "sparql",
        endpoint_path=site.public("/sparql"),  # relative unless PUBLIC_URL is set: the browser resolves it
    )
