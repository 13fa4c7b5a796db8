"""Helpers that several test modules import (fixtures live in the conftest.py files)."""

import shutil
import socket


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (tests start their servers there)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# Debian's Chromium, headless, quiet: how the tests and bench/map_render.py start it.
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def built_in_triples() -> int:
    """How many triples the built-in graph (ontology and plans) holds, as a store loads it."""
    from graphsvc.engine import graph

    return len(graph.default())


def post_upload(client, files, path="/import"):
    """The import form as a browser sends it: its CSRF token, then the files as (name, bytes)."""
    import io
    import re

    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/import").get_data(as_text=True)).group(1)
    return client.post(
        path,
        content_type="multipart/form-data",
        data={"csrf_token": token, "workbook": [(io.BytesIO(data), name) for name, data in files]},
    )
