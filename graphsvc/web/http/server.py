"""The production server around the app: waitress, held against slow clients, and a graceful shutdown.

waitress reads requests in one asyncore loop and runs the app in a fixed pool of threads, so a
slow client never holds a thread, only a connection: the danger is the connection limit (100 by
default, after which /health is unreachable) and channels kept for minutes. Here the limit is a
setting (1000 by default, with poll() rather than select(), which stops at 1024 descriptors), an
idle connection is closed after ``SERVER_CHANNEL_TIMEOUT``, and a request whose line and headers
have not all arrived ``SERVER_HEADER_TIMEOUT`` seconds after its first byte is dropped (waitress
itself only times out silence, which a client sending a header line every few seconds never is).
The request line and the header fields have caps of their own (414, 431).

On SIGTERM (or SIGINT) the server stops listening, finishes the requests it has (for at most
``SHUTDOWN_GRACE`` seconds), answers them with ``Connection: close`` and closes idle connections,
then stops the query workers and every helper process (graphsvc.sandbox.confinement.stop_helpers).
"""

from __future__ import annotations

import logging
import math
import select
import signal
import socket
import sys
import threading
import time
import weakref

import waitress
from waitress import wasyncore
from waitress.channel import HTTPChannel

from graphsvc.sandbox import confinement

LOG = logging.getLogger("graphsvc.serve")
KB = 1024
# Seconds a connection accepted just before SIGTERM may take to send its request while draining.
FIRST_REQUEST_WAIT = 2.0


def _ignore_new_connections(listener: socket.socket) -> None:
    """Drop every packet that reaches the listening socket from now on (a one-instruction classic BPF
    program, "return 0"). Closing a listener resets the connections still in its accept queue: with
    new handshakes dropped first, the queue is frozen, drained, then closed empty, and a client that
    tried to connect meanwhile is refused (its retried SYN meets the closed port), never reset after
    sending its request. Linux only; elsewhere the drain works as before."""
    if not sys.platform.startswith("linux"):  # 26 is SO_ATTACH_FILTER on Linux only
        return
    import ctypes

    class SockFilter(ctypes.Structure):
        _fields_ = [("code", ctypes.c_uint16), ("jt", ctypes.c_uint8), ("jf", ctypes.c_uint8), ("k", ctypes.c_uint32)]

    class SockFprog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_uint16), ("filter", ctypes.POINTER(SockFilter))]

    program = (SockFilter * 1)(SockFilter(0x06, 0, 0, 0))  # BPF_RET | BPF_K: keep 0 bytes, i.e. drop
    so_attach_filter = getattr(socket, "SO_ATTACH_FILTER", 26)
    try:
        listener.setsockopt(socket.SOL_SOCKET, so_attach_filter, bytes(SockFprog(1, program)))
    except OSError:
        pass


def _caps(app, line_kb: int, header_kb: int):
    """The app behind the request-line and header-field caps (waitress caps only their sum)."""

    def capped(environ, start_response):
        line = len(environ.get("REQUEST_METHOD", "")) + len(environ.get("REQUEST_URI", "")) + 10
        if line > line_kb * KB:
            return _refuse(start_response, "414 URI Too Long", f"the request line is over {line_kb} KB")
        fields = sum(len(key) + len(str(value)) for key, value in environ.items() if key.startswith("HTTP_"))
        if fields > header_kb * KB:
            return _refuse(
                start_response, "431 Request Header Fields Too Large", f"the header fields are over {header_kb} KB"
            )
        return app(environ, start_response)

    return capped


def _refuse(start_response, status: str, why: str) -> list[bytes]:
    body = (why + "\n").encode()
    start_response(status, [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))])
    return [body]


class Server:
    """waitress serving ``app`` with the "serve" settings; ``run()`` until SIGTERM, then drain and stop."""

    def __init__(self, app, settings, on_stop=(), stop_helpers: bool = True):
        self.settings = settings
        self.on_stop = list(on_stop)  # called once the requests are drained (the query pool's close)
        # The process is the server's own (`graphsvc serve`): its fork server and resource tracker go
        # too. A test serving in its own process keeps them for the apps it still runs.
        self.stop_helpers = stop_helpers
        self.draining = threading.Event()
        self.stopped = threading.Event()
        self._drain_deadline = 0.0
        self._wrapped = _caps(app, settings.server_max_request_line_kb, settings.server_max_header_kb)
        self.waitress = waitress.create_server(
            self._wrapped,
            host=settings.host,
            port=settings.port,
            threads=settings.server_threads,
            ident="graphsvc",
            connection_limit=settings.server_connection_limit,
            channel_timeout=math.ceil(settings.server_channel_timeout),
            cleanup_interval=math.ceil(settings.server_cleanup_interval),
            max_request_header_size=(settings.server_max_request_line_kb + settings.server_max_header_kb) * KB,
            # A margin over the app's own cap, so that the app refuses first, in its own words; waitress
            # still bounds what a client can make it buffer.
            max_request_body_size=int(settings.max_body_mb * 2**20) + 1024 * KB,
            asyncore_use_poll=True,
            asyncore_loop_timeout=0.5,
        )
        self.port = self.waitress.effective_port
        self._sweep_headers(settings.server_header_timeout)

    def _sweep_headers(self, timeout: float) -> None:
        """Add to waitress' sweep of idle channels one of slow requests: a request whose headers are
        still incomplete ``timeout`` seconds after the sweep first saw it is dropped."""
        server = self.waitress
        sweep = server.maintenance
        first_seen: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

        def maintenance(now):
            sweep(now)
            for channel in list(server.active_channels.values()):
                request = channel.request
                if request is None or request.headers_finished:
                    continue
                if now - first_seen.setdefault(request, now) > timeout:
                    channel.will_close = True

        server.maintenance = maintenance
        # waitress sweeps every cleanup_interval; the header timeout needs a sweep at least that often
        server.adj.cleanup_interval = max(1, min(server.adj.cleanup_interval, math.ceil(timeout / 2)))

    # --- the loop and the shutdown --------------------------------------------------------------

    def install_signals(self) -> None:
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: self.begin_drain())

    def begin_drain(self) -> None:
        """Stop listening (taking in the connections the kernel already accepted) and start draining."""
        if self.draining.is_set():
            return
        self._drain_deadline = time.monotonic() + self.settings.shutdown_grace
        self.draining.set()
        server = self.waitress
        _ignore_new_connections(server.socket)
        try:
            while select.select([server.socket], [], [], 0)[0]:
                before = len(server._map)
                server.handle_accept()
                if len(server._map) == before:
                    break
        except (OSError, ValueError):
            pass
        server.accepting = False
        server.del_channel()
        server.socket.close()
        server.trigger.pull_trigger()

    def _busy_channels(self) -> int:
        """Channels with a request in progress or an answer not yet sent, each answer marked to close
        its connection (the client goes to another server); idle ones are closed. A connection that has
        sent nothing yet gets FIRST_REQUEST_WAIT seconds: a client connects, then sends."""
        busy = 0
        now = time.time()
        for channel in list(self.waitress._map.values()):
            if not isinstance(channel, HTTPChannel):
                continue
            for request in channel.requests:  # read by waitress when it writes the answer's headers
                request.headers["CONNECTION"] = "close"
            fresh = channel.last_activity == channel.creation_time and now - channel.creation_time < FIRST_REQUEST_WAIT
            if channel.requests or channel.total_outbufs_len or channel.request is not None or fresh:
                busy += 1
            elif not channel.will_close:
                channel.handle_close()
        return busy

    def run(self) -> None:
        """Serve until drained after a signal (or the grace is over), then stop everything."""
        server = self.waitress
        try:
            while not self.draining.is_set():
                wasyncore.loop(timeout=0.5, map=server._map, use_poll=True, count=1)
            while time.monotonic() < self._drain_deadline and self._busy_channels():
                wasyncore.loop(timeout=0.05, map=server._map, use_poll=True, count=1)
            left = self._busy_channels()
            if left:
                grace = self.settings.shutdown_grace
                LOG.warning("stopping with %d request(s) still in progress after %g s", left, grace)
        finally:
            self.stop()

    def stop(self) -> None:
        if self.stopped.is_set():
            return
        self.stopped.set()
        for action in self.on_stop:
            try:
                action()
            except Exception as error:  # one failing step must not keep the helpers running
                LOG.warning("stopping: %s", error)
        self.waitress.task_dispatcher.shutdown(cancel_pending=True, timeout=2)
        wasyncore.close_all(self.waitress._map)
        if self.stop_helpers:
            confinement.stop_helpers()
