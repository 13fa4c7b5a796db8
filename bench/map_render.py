"""Time to first render of /map in headless Chromium, on the built-in plans or the synthetic national data.

The app serves the graph on 127.0.0.1 (waitress, as `graphsvc serve` does); Debian's Chromium,
driven by Playwright, opens /map and the page marks itself ready once the laid-out network has
been painted. Figures, in milliseconds:

- server: /map.json answered cold (network and analyses computed) and warm (kept per scope);
- first render: from navigation start to the painted map (what a person waits for), and the
  page's own part of it (fetch, Cytoscape layout, paint), median of --repeat page loads.

    python bench/generate.py --size 100k --out /tmp/national-100k.nt
    python bench/map_render.py --data /tmp/national-100k.nt [--layout fcose|dagre] [--repeat 3]
    python bench/map_render.py --size 10k          # generates the data itself
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from playwright.sync_api import sync_playwright
from waitress.server import create_server

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from graphsvc.engine import graph
from graphsvc.resources import ontology_files  # noqa: E402
from graphsvc.web.app import create_app  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from support import CHROMIUM  # noqa: E402
from support import CHROMIUM_ARGS as ARGS


def _data(arguments) -> tuple[str, list]:
    """What to serve: the built-in graph, a given N-Triples file, or freshly generated synthetic data."""
    if arguments.data:
        return arguments.data, [*ontology_files(), arguments.data]
    if arguments.size:
        out = Path(tempfile.mkdtemp()) / f"national-{arguments.size}.nt"
        subprocess.run(
            [sys.executable, str(Path(__file__).with_name("generate.py")), "--size", arguments.size, "--out", str(out)],
            check=True,
        )
        return f"synthetic {arguments.size}", [*ontology_files(), out]
    return "built-in plans", None


def _serve(app) -> str:
    server = create_server(app, host="127.0.0.1", port=0, threads=4)
    threading.Thread(target=server.run, daemon=True).start()
    return f"http://127.0.0.1:{server.effective_port}"


def _json_ms(client, query: str) -> float:
    start = time.perf_counter()
    answer = client.get("/map.json" + query)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="an N-Triples (or Turtle) file in the graphsvc ontology")
    parser.add_argument("--size", choices=("10k", "100k", "1m"), help="generate synthetic data of this size")
    parser.add_argument("--layout", choices=("fcose", "dagre"), default="fcose")
    parser.add_argument("--repeat", type=int, default=3)
    arguments = parser.parse_args()

    label, paths = _data(arguments)
    loaded = graph.load(paths) if paths else graph.default()
    app = create_app({"GRAPH": loaded, "AUDIT": False})
    client = app.test_client()
    cold, warm = _json_ms(client, ""), _json_ms(client, "")
    counts = client.get("/map.json").get_json()["counts"]
    url = _serve(app)

    totals, own = [], []
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for _ in range(arguments.repeat):
            context = browser.new_context(viewport={"width": 1920, "height": 1080})
            page = context.new_page()
            page.add_init_script(
                f"document.addEventListener('DOMContentLoaded', () => "
                f"{{ document.getElementById('map-layout').value = '{arguments.layout}'; }})"
            )
            page.goto(url + "/map")
            page.wait_for_function("document.body.dataset.ready === '1'", timeout=600_000)
            totals.append(page.evaluate("performance.now()"))
            own.append(page.evaluate("window.graphsvcMap.firstRender"))
            context.close()
        browser.close()

    print(
        f"/map on {label}: {len(loaded)} triples, {counts['nodes']} nodes, {counts['edges']} edges, "
        f"{counts['items']} items; layout {arguments.layout}"
    )
    print(f"  /map.json cold            {cold:9.0f} ms")
    print(f"  /map.json warm            {warm:9.0f} ms")
    print(f"  first render (navigation) {statistics.median(totals):9.0f} ms  (median of {arguments.repeat})")
    print(f"  of which fetch+layout+paint {statistics.median(own):7.0f} ms")


if __name__ == "__main__":
    main()
