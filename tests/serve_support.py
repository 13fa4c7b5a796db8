"""`graphsvc serve` as deployed, in its own process session on 127.0.0.1, for the lifecycle tests."""

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from support import free_port

ROOT = Path(__file__).resolve().parents[1]


class Serving:
    """A `graphsvc serve` process; ``session()`` lists every process of its session still alive."""

    def __init__(self, *options: str, log: Path):
        self.port = free_port()
        self.log = open(log, "w", encoding="utf-8")
        command = [sys.executable, "-m", "graphsvc", "serve", "--port", str(self.port), *options]
        # A session of its own: every helper and worker it starts stays in it, found after it exits.
        self.process = subprocess.Popen(
            command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=self.log, start_new_session=True
        )
        self.url = f"http://127.0.0.1:{self.port}"

    def wait_ready(self, seconds: float = 120) -> None:
        """Until /health answers and the query workers hold the data."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            assert self.process.poll() is None, Path(self.log.name).read_text()
            try:
                with urllib.request.urlopen(self.url + "/health", timeout=2) as answer:
                    if json.load(answer)["queries"]["idle"] >= 1:
                        return
            except OSError:
                pass
            time.sleep(0.2)
        raise AssertionError("graphsvc serve did not start")

    def session(self) -> list[str]:
        """The processes of the server's session still alive (zombies do not count): pid and command."""
        alive = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            if int(fields[3]) == self.process.pid and fields[0] not in "ZX":  # fields[3]: the session id
                alive.append(f"{entry.name} {command[:100]}")
        return alive

    def stop(self) -> None:
        """Whatever the test did, nothing of the session is left running."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.log.close()
