"""Start the explorer in a subprocess on a free local port, wait until it is healthy, stop it cleanly.

Used by the browser test and the first-page benchmark; handy to embed the app elsewhere.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

__all__ = ["AppServer", "free_port"]


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that is free on ``host`` right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


class AppServer:
    """``lawfind app`` in a subprocess (its own process group), as a context manager.

    Parameters
    ----------
    store : path
        Run store of the app; the server's working directory is its parent.
    port : int, optional
        A free port by default.
    env : dict, optional
        Extra environment variables (e.g. ``LAWFIND_DATA_DIR``).
    log : path, optional
        File for the server's output (default: ``<store>/../app-server.log``).
    timeout : float, default=120
        Seconds to wait for the health endpoint.

    Attributes
    ----------
    url : str
    seconds_to_healthy : float
        From the process start to the first healthy answer.

    Examples
    --------
    >>> with AppServer("/tmp/runs") as server:  # doctest: +SKIP
    ...     print(server.url)
    """

    def __init__(self, store: str | os.PathLike[str], *, port: int | None = None,
                 env: dict[str, str] | None = None, log: str | os.PathLike[str] | None = None,
                 timeout: float = 120.0) -> None:
        self.store = Path(store)
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = dict(env or {})
        self.log = Path(log) if log else self.store.parent / "app-server.log"
        self.timeout = timeout
        self.process: subprocess.Popen | None = None
        self.seconds_to_healthy = float("nan")

    def command(self) -> list[str]:
        """The command line that starts the server."""
        return [sys.executable, "-m", "lawfind.cli._app_command", "app", "--port", str(self.port),
                "--store", str(self.store)]

    def start(self) -> "AppServer":
        """Start the server and wait for ``/_stcore/health`` (RuntimeError with the log if it fails)."""
        self.store.mkdir(parents=True, exist_ok=True)
        self.log.parent.mkdir(parents=True, exist_ok=True)
        started = time.monotonic()
        with open(self.log, "wb") as output:
            self.process = subprocess.Popen(
                self.command(), cwd=self.store.parent, env={**os.environ, **self.env}, stdout=output,
                stderr=subprocess.STDOUT, start_new_session=True,
            )
        while time.monotonic() - started < self.timeout:
            if self.process.poll() is not None:
                self.stop()
                raise RuntimeError(f"the app server exited with code {self.process.returncode}:\n{self.output()}")
            try:
                with urllib.request.urlopen(self.url + "/_stcore/health", timeout=2) as answer:
                    if answer.status == 200:
                        self.seconds_to_healthy = time.monotonic() - started
                        return self
            except (urllib.error.URLError, OSError):
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"the app server was not healthy after {self.timeout:.0f} s:\n{self.output()}")

    def stop(self, timeout: float = 20.0) -> None:
        """SIGTERM to the server's process group, SIGKILL if it has not ended after ``timeout`` s."""
        process = self.process
        if process is None or process.poll() is not None:
            return
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout)
        except ProcessLookupError:
            pass

    @property
    def running(self) -> bool:
        """True while the server process is alive."""
        return self.process is not None and self.process.poll() is None

    def output(self) -> str:
        """What the server printed so far."""
        try:
            return self.log.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""

    def __enter__(self) -> "AppServer":
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
