"""Packages by job, data flowing one way: sources -> engine -> answers and audit -> map, spreadsheets
and the sandbox -> faces (commands, web). A module may import its own package and the layers below
it, never one above: this test reads every import of the package and fails on one that runs upwards."""

import ast
from pathlib import Path

import graphsvc

ROOT = Path(graphsvc.__file__).parent
BASE = {
    "namespaces",
    "refs",
    "roles",
    "words",
    "resources",
    "settings",
    "queries",
    "ontology",
    "data",
    "shapes",
    "graphsvc",
}
LAYERS = [
    {"engine"},
    {"answers", "audit"},
    {"map", "spreadsheet"},
    {"sandbox"},
    {"commands", "web"},
    {"cli", "__main__", "cli_reference"},
]
# The one import between faces: `graphsvc serve` starts the web app.
ALLOWED = {("commands/serve.py", "web")}


def _layer(name: str) -> int:
    return -1 if name in BASE else next(n for n, layer in enumerate(LAYERS) if name in layer)


def imports():
    for path in ROOT.rglob("*.py"):
        if "static" in path.parts:
            continue
        relative = path.relative_to(ROOT)
        own = relative.parts[0].removesuffix(".py")
        for node in ast.walk(ast.parse(path.read_text())):
            names = [node.module] if isinstance(node, ast.ImportFrom) and node.module else []
            names += [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
            for name in names:
                parts = name.split(".")
                if parts[0] == "graphsvc":
                    yield relative.as_posix(), own, parts[1] if len(parts) > 1 else "graphsvc"


def _wrong(module: str, own: str, target: str) -> bool:
    """Upwards, or sideways between two packages of one layer (the entry points may call each other)."""
    if target == own or (module, target) in ALLOWED or _layer(own) == -1:
        return False
    return _layer(target) > _layer(own) or (_layer(target) == _layer(own) and own not in LAYERS[-1])


def test_no_import_runs_upwards():
    assert [(module, target) for module, own, target in imports() if _wrong(module, own, target)] == []


def test_the_base_modules_import_only_the_engine_kinds():
    """settings names the engine kinds for --engine; nothing else at the base reaches up."""
    reaching = {(module, target) for module, own, target in imports() if _layer(own) == -1 and _layer(target) >= 0}
    assert reaching <= {("settings.py", "engine")}


def test_the_check_sees_an_upward_import(tmp_path, monkeypatch):
    fake = tmp_path / "graphsvc"
    (fake / "engine").mkdir(parents=True)
    (fake / "engine" / "x.py").write_text("from graphsvc.web.app import create_app\n")
    monkeypatch.setattr(__import__(__name__), "ROOT", fake)
    assert [(m, t) for m, own, t in imports() if _wrong(m, own, t)] == [("engine/x.py", "web")]
