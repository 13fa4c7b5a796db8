"""Helpers that several test modules import (fixtures live in the conftest.py files)."""

import socket


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (tests start their servers there)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
