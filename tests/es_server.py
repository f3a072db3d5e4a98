"""An Elasticsearch-compatible server for tests: noida-db (an ES 8.15 API-compatible server
from PyPI) on a free port in a temporary directory."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return response.status == 200
    except OSError:
        return False


class NoidaServer:
    """One noida-db process serving only Elasticsearch; can be stopped and started again
    on the same port and data directory (an outage the index survives)."""

    def __init__(self, data_dir: Path):
        self.data_dir = data_dir
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 30) -> None:
        if self.process is not None:
            return
        command = [
            str(Path(sys.executable).with_name("noida-db")),
            "start",
            "--only",
            "elasticsearch",
            "--data-dir",
            str(self.data_dir),
            "--elasticsearch-port",
            str(self.port),
        ]
        log = open(self.data_dir.with_suffix(".log"), "ab")
        # Its own session: the launcher wraps a binary, and stop() signals both by group.
        self.process = subprocess.Popen(
            command, stdout=log, stderr=log, stdin=subprocess.DEVNULL, start_new_session=True
        )
        log.close()
        deadline = time.monotonic() + timeout
        while not _answers(self.url + "/"):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                output = self.data_dir.with_suffix(".log").read_text(errors="replace")
                raise RuntimeError(f"noida-db did not start on {self.url}:\n{output}")
            time.sleep(0.1)

    def stop(self) -> None:
        if self.process is None:
            return
        process, self.process = self.process, None
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGINT)  # Ctrl-C: saves its data, then exits
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        deadline = time.monotonic() + 10
        while _answers(self.url + "/") and time.monotonic() < deadline:
            time.sleep(0.1)
