"""Run the site under gunicorn with the production settings on a free loopback port.

Used by the deployment test (does it start and answer?), the benchmarks (server memory under
the search load) and the load test. Bounded in time: start() gives up after `timeout`.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "kb" / "gunicorn.conf.py"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(database: str, **extra: str) -> dict:
    """The production settings on a loopback address: plain HTTP, no TLS redirect."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="kb.settings.production",
        SECRET_KEY="loopback-test-secret-key-" + "x" * 40,
        DATABASE_URL=database,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        KB_SEARCH_BACKEND=os.environ.get("KB_SEARCH_BACKEND", "embedded"),
        LOG_LEVEL="WARNING",
        GUNICORN_ACCESS_LOG="",
        PYTHONPATH=str(ROOT),
    )
    env.pop("KB_VAR_DIR", None)
    env.update(extra)
    return env


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status < 500
    except urllib.error.HTTPError as error:
        return error.code < 500
    except OSError:
        return False


class Gunicorn:
    def __init__(self, env: dict, workers: int = 2, log: Path | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**env, "GUNICORN_BIND": f"127.0.0.1:{self.port}"}
        self.env["GUNICORN_WORKERS"] = str(workers)
        self.log = log
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 60, probe: str = "/api/v1/openapi.json") -> None:
        output = open(self.log, "ab") if self.log else subprocess.DEVNULL
        self.process = subprocess.Popen(
            [str(Path(sys.executable).with_name("gunicorn")), "-c", str(CONFIG)],
            env=self.env,
            cwd=ROOT,
            stdout=output,
            stderr=output,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while not _answers(self.url + probe):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"gunicorn did not answer on {self.url} within {timeout}s")
            time.sleep(0.2)

    def pids(self) -> list[int]:
        """The master and its workers."""
        if self.process is None:
            return []
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        found = children.read_text().split() if children.exists() else []
        return [self.process.pid, *map(int, found)]

    def peak_rss_mb(self) -> dict[int, float]:
        """VmHWM (the peak resident set) of each process, in MB."""
        peaks = {}
        for pid in self.pids():
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        peaks[pid] = int(line.split()[1]) / 1024
            except OSError:
                continue
        return peaks

    def stop(self) -> None:
        if self.process is None:
            return
        process, self.process = self.process, None
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


@contextmanager
def gunicorn(env: dict, workers: int = 2, log: Path | None = None, timeout: float = 60):
    server = Gunicorn(env, workers, log)
    server.start(timeout)
    try:
        yield server
    finally:
        server.stop()
