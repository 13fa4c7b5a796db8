"""Running untrusted work (a user's query, an uploaded file) in a child process it cannot escape.

The engines cannot be trusted to bound themselves: embedded Oxigraph cannot be interrupted,
rdflib's parser can take minutes, and both follow SERVICE and LOAD out to the network. So the
work runs in a child that the parent kills at the deadline, under an address-space cap the
kernel enforces, in a network namespace of its own where the OS allows (loopback down, so
nothing is reachable), and with an audit hook that refuses, from Python, any connection, name
look-up, process, file write or file read outside what ``Limits`` allows. The hook is defence
in depth: native code (Oxigraph's HTTP client, RocksDB) never raises Python audit events,
which is why the namespace and the checks on the parsed query come first.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import math
import multiprocessing
import os
import resource
import signal
import socket
import sys
import sysconfig
import threading
import time
import weakref
from dataclasses import dataclass
from pathlib import Path

import graphsvc

# Seconds a child may take to start before its deadline begins (the first start launches the
# fork server, which imports rdflib and pyoxigraph once for every later child).
START_TIMEOUT = 60.0

_CLONE_NEWNET = 0x40000000
_CLONE_NEWUSER = 0x10000000
_PR_SET_PDEATHSIG = 1
_PR_SET_NO_NEW_PRIVS = 38

# Events refused outright once confined (no argument makes them safe).
_REFUSED_EVENTS = frozenset(
    {
        "subprocess.Popen",
        "os.system",
        "os.exec",
        "os.posix_spawn",
        "os.spawn",
        "os.fork",
        "os.forkpty",
        "pty.spawn",
        "os.startfile",
        "os.kill",
        "os.killpg",
        "webbrowser.open",
        "socket.bind",
        "socket.gethostbyname",
        "socket.gethostbyaddr",
        "socket.getnameinfo",
        "socket.sethostname",
        "os.remove",
        "os.rename",
        "os.rmdir",
        "os.mkdir",
        "os.symlink",
        "os.link",
        "os.chmod",
        "os.chown",
        "os.chdir",
        "os.truncate",
        "os.utime",
        "os.putenv",
        "os.unsetenv",
        "shutil.rmtree",
        "shutil.move",
        "shutil.copyfile",
        "shutil.copymode",
        "shutil.copystat",
        "shutil.chown",
        "shutil.make_archive",
        "shutil.unpack_archive",
        "ctypes.dlopen",
        "ctypes.dlsym",
        "ctypes.call_function",
        "ctypes.cdata",
        "ctypes.addressof",
        "ctypes.create_string_buffer",
        "ctypes.string_at",
        "ctypes.wstring_at",
        "sys.setprofile",
        "sys.settrace",
        "sys.remote_exec",
        "ftplib.connect",
        "smtplib.connect",
        "poplib.connect",
        "imaplib.open",
        "nntplib.connect",
        "telnetlib.Telnet.open",
    }
)
_LISTING_EVENTS = frozenset({"os.listdir", "os.scandir", "glob.glob", "os.walk"})
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND


@dataclass(frozen=True)
class Limits:
    deadline: float = 10.0  # seconds of wall time
    memory_mb: int = 1024  # address-space / data cap of the child
    allow_connect: tuple = ()  # (host, port) pairs the child may connect to (a remote endpoint)
    readable: tuple = ()  # path prefixes the child may open (its store, its temp file)
    # Count the deadline in the child's own CPU time, not wall time: work waiting for a CPU that others
    # hold is not stopped for it. The kernel enforces it (RLIMIT_CPU); wall time is bounded too, by
    # WALL_FACTOR times the deadline, for work that blocks without using the CPU.
    cpu_time: bool = False


# A child on CPU time may take this many times its deadline in wall time (a busy machine shares its cores).
WALL_FACTOR = 10.0


class ConfinementError(Exception):
    """Confined work that did not give an answer; str() is one clear line for users."""


class DeadlineExceeded(ConfinementError):
    """The work ran past its deadline and the process was killed."""


class MemoryExceeded(ConfinementError):
    """The work needed more memory than its cap and failed (or its process died of it)."""


class ConfinedFailure(ConfinementError):
    """The work raised: str() is its one-line message, ``kind`` the name of its exception type."""

    def __init__(self, message: str, kind: str = "Exception"):
        super().__init__(message)
        self.kind = kind


def one_line(error: BaseException) -> str:
    """An exception as one line, without a traceback (pyparsing and rdflib messages span lines)."""
    return " ".join(str(error).split()) or type(error).__name__


def died(exitcode: int | None, limits: Limits) -> ConfinementError:
    """Why a child that gave no answer ended, from its exit code.

    A Rust or C++ allocation failure aborts the process (SIGABRT) and the kernel's OOM killer
    sends SIGKILL: both are, in practice, the memory cap being hit.
    """
    if exitcode == -signal.SIGXCPU:
        return DeadlineExceeded(f"the work ran past its deadline of {limits.deadline:g} s of CPU time and was stopped")
    if exitcode in (-signal.SIGABRT, -signal.SIGKILL):
        return MemoryExceeded(f"the work was stopped: it needed more than its memory cap of {limits.memory_mb} MB")
    if exitcode is not None and exitcode < 0:
        return ConfinedFailure(f"the confined process crashed ({signal.Signals(-exitcode).name})", "crash")
    return ConfinedFailure(f"the confined process ended without an answer (exit code {exitcode})", "crash")


def _python_paths() -> tuple[str, ...]:
    """Where Python and its installed packages live: modules imported lazily must still load."""
    paths = {sysconfig.get_paths()[key] for key in ("stdlib", "platstdlib", "purelib", "platlib")}
    paths.add(str(Path(graphsvc.__file__).resolve().parent))  # the whole package, queries included
    return tuple(os.path.realpath(path) for path in paths)


def _under(path: str, prefixes: tuple[str, ...]) -> bool:
    real = os.path.realpath(path)
    return any(real == prefix or real.startswith(prefix.rstrip(os.sep) + os.sep) for prefix in prefixes)


def _addresses(allow_connect: tuple) -> tuple[set, set]:
    """The allowed (host, port) pairs as given, and as the addresses they resolve to now."""
    named = {(str(host), int(port)) for host, port in allow_connect}
    resolved = set()
    for host, port in named:
        try:
            for *_, address in socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP):
                resolved.add((address[0], port))
        except OSError:
            pass  # an endpoint that does not resolve now will not be reachable; the engine says so
    return named, resolved


def _hook(limits: Limits):
    readable = tuple(os.path.realpath(str(p)) for p in limits.readable)
    importable = readable + _python_paths()
    named, resolved = _addresses(limits.allow_connect)

    def refuse(event: str, detail) -> None:
        raise PermissionError(f"refused in the confined process: {event} {detail!r}")

    def hook(event: str, args) -> None:
        if event in _REFUSED_EVENTS:
            refuse(event, args[:2] if isinstance(args, tuple) else args)
        elif event == "open":
            path, mode, flags = (tuple(args) + (None, None, None))[:3]
            if isinstance(path, int):
                return  # an already open descriptor
            writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
                isinstance(flags, int) and flags & _WRITE_FLAGS
            )
            if writing or not _under(os.fsdecode(path), importable):
                refuse(event, os.fsdecode(path))
        elif event in _LISTING_EVENTS:
            path = args[0] if args else "."
            if not isinstance(path, int) and not _under(os.fsdecode(path or "."), importable):
                refuse(event, path)
        elif event == "socket.getaddrinfo":
            host, port = args[0], args[1]
            host = host.decode() if isinstance(host, bytes) else host
            if (host, _port(port)) not in named and (host, _port(port)) not in resolved:
                refuse(event, (host, port))
        elif event in ("socket.connect", "socket.sendto", "socket.sendmsg"):
            address = args[1] if len(args) > 1 else None
            if not (isinstance(address, tuple) and (address[0], address[1]) in resolved | named):
                refuse(event, address)
        elif event == "http.client.connect":
            if (args[1], _port(args[2])) not in named | resolved:
                refuse(event, args[1:3])

    return hook


def _port(port) -> int | None:
    try:
        return int(port)
    except (TypeError, ValueError):
        return None


def _isolate_network() -> bool:
    """A network namespace of the process's own, where only a downed loopback exists.

    Python 3.11 has no os.unshare, hence ctypes; as root CLONE_NEWNET alone, otherwise through
    an unprivileged user namespace where the kernel allows one. False where neither works.
    """
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    flags = _CLONE_NEWNET if os.geteuid() == 0 else _CLONE_NEWUSER | _CLONE_NEWNET
    if libc.unshare(flags) == 0:
        return True
    logging.getLogger("graphsvc.confinement").warning(
        "confined process %d runs without its own network namespace (unshare: %s); only the audit hook"
        " keeps it off the network",
        os.getpid(),
        os.strerror(ctypes.get_errno()),
    )
    return False


def _bind_to_parent() -> None:
    """Die with the parent, and never gain privileges (setuid programs, file capabilities)."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)


def confine(limits: Limits) -> None:
    """Confine the calling process for good (call it in a child, never in the server itself)."""
    cap = limits.memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if limits.cpu_time:  # SIGXCPU at the deadline (whole seconds, rounded up), SIGKILL a second later
        seconds = max(1, math.ceil(limits.deadline))
        resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))
    os.nice(10)  # the server's own threads (pages, /health) come first on a busy machine
    _bind_to_parent()
    if not limits.allow_connect:
        _isolate_network()
    sys.addaudithook(_hook(limits))


def _context():
    """Fork server where there is one (each child forked from a clean process that imported the
    engines once), else spawn; never a plain fork of the threaded server.

    A child re-runs the server's main module before its work (multiprocessing does, to find what
    was pickled there); for `graphsvc serve` that imports the whole CLI, 0.8 s, so the fork server
    imports it once and every child starts with it loaded (a killed query worker is replaced sooner).
    """
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    if method == "forkserver":
        context.set_forkserver_preload(
            [
                "graphsvc.sandbox.confinement",
                "graphsvc.engine.engines",
                "rdflib.plugins.sparql",
                "pyoxigraph",
                "graphsvc.cli",
                "graphsvc.sandbox.query_pool",
            ]
        )
    return context


CONTEXT = _context()


def _child(connection, function, args, limits: Limits) -> None:
    try:
        confine(limits)
    except Exception as error:  # the parent reports it; nothing runs unconfined
        connection.send(("error", f"cannot confine the process: {one_line(error)}", type(error).__name__))
        return
    connection.send(("started", None, None))
    try:
        reply = ("ok", function(*args), None)
    except MemoryError:
        reply = ("memory", None, None)
    except Exception as error:  # handed to the parent as one line
        reply = ("error", one_line(error), type(error).__name__)
    try:
        connection.send(reply)
    except MemoryError:
        connection.send(("memory", None, None))


def _reply(connection, process, limits: Limits, seconds: float, waiting_for: str):
    if not connection.poll(seconds):
        if waiting_for == "started":
            raise ConfinedFailure(f"the confined process did not start within {seconds:g} s", "start")
        raise DeadlineExceeded(f"the work ran past its deadline of {seconds:g} s and was stopped")
    try:
        return connection.recv()
    except (EOFError, OSError):
        process.join(5)
        raise died(process.exitcode, limits) from None


def _outcome(kind: str, value, type_name, limits: Limits):
    if kind == "ok":
        return value
    if kind == "memory":
        raise MemoryExceeded(f"the work needed more than its memory cap of {limits.memory_mb} MB")
    raise ConfinedFailure(value, type_name)


# The one-shot children alive now, so that a server shutting down can stop them (stop_helpers).
_RUNNING: weakref.WeakSet = weakref.WeakSet()
_RUNNING_LOCK = threading.Lock()


def run_confined(function, *args, limits: Limits):
    """``function(*args)`` in a one-shot confined child: its value, or one of the errors above.

    ``function`` must be a module-level function (it is pickled by name), and its value picklable.
    """
    receiver, sender = CONTEXT.Pipe(duplex=False)
    process = CONTEXT.Process(
        target=_child, args=(sender, function, args, limits), daemon=True, name="graphsvc-confined"
    )
    with _RUNNING_LOCK:
        process.start()
        _RUNNING.add(process)
    sender.close()
    wall = limits.deadline * WALL_FACTOR if limits.cpu_time else limits.deadline
    try:
        kind, value, type_name = _reply(receiver, process, limits, START_TIMEOUT, "started")
        if kind == "started":
            kind, value, type_name = _reply(receiver, process, limits, wall, "answer")
        return _outcome(kind, value, type_name, limits)
    finally:
        if process.is_alive():
            process.kill()
        process.join()
        receiver.close()
        with _RUNNING_LOCK:
            _RUNNING.discard(process)


def stop_helpers() -> None:
    """Stop every process this one started for confined work: the one-shot children still running,
    then the fork server (whose children die with it) and multiprocessing's resource tracker.

    For a server that is shutting down; query workers are stopped by their pool first.
    """
    with _RUNNING_LOCK:
        running = list(_RUNNING)
    for process in running:
        if process.is_alive():
            process.kill()
        process.join(5)
    from multiprocessing import forkserver, resource_tracker, util

    server = forkserver._forkserver
    with server._lock:
        if server._forkserver_pid is not None:
            os.close(server._forkserver_alive_fd)  # asks it to exit (multiprocessing's own _stop waits for ever)
            server._forkserver_alive_fd = None
            _end(server._forkserver_pid)  # its children die with it (PR_SET_PDEATHSIG)
            server._forkserver_pid = None
            if server._forkserver_address and not util.is_abstract_socket_namespace(server._forkserver_address):
                with contextlib.suppress(OSError):
                    os.unlink(server._forkserver_address)
            server._forkserver_address = None
    tracker = resource_tracker._resource_tracker
    with tracker._lock:
        if tracker._fd is not None:
            os.close(tracker._fd)
            tracker._fd = None
            _end(tracker._pid)
            tracker._pid = None


def _end(pid: int, seconds: float = 2.0) -> None:
    """Wait for a child asked to exit; SIGKILL it if it has not within ``seconds``."""
    deadline = time.monotonic() + seconds
    try:
        while time.monotonic() < deadline:
            if os.waitpid(pid, os.WNOHANG)[0]:
                return
            time.sleep(0.02)
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (ChildProcessError, ProcessLookupError):
        pass  # already reaped
