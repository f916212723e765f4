"""Starting a measured child and reading its JSON reports (benchmarks.report)."""

from __future__ import annotations

import json
import os
import selectors
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


class Child:
    """A child process whose stdout carries one JSON object per line."""

    def __init__(self, module: str, args: list[str], env: dict[str, str]) -> None:
        self.started = time.monotonic()  # just before exec: the start of "cold start"
        self.process = subprocess.Popen(
            [sys.executable, "-m", module, *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            env=env,
            cwd=ROOT,
        )
        self.seen: list[dict] = []  # every report so far, for a clear error
        self._pending = b""
        self._lines: list[bytes] = []
        self._selector = selectors.DefaultSelector()
        self._selector.register(self.process.stdout, selectors.EVENT_READ)

    @property
    def pid(self) -> int:
        return self.process.pid

    def _next_line(self, deadline: float) -> bytes | None:
        """The next whole line, read straight from the pipe (a buffered reader would hide lines it has
        already taken from the pipe from select()); None at the deadline."""
        while not self._lines:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            if not self._selector.select(remaining):
                continue
            chunk = os.read(self.process.stdout.fileno(), 65536)
            if not chunk:
                self.process.wait(timeout=10)
                errors = self.process.stderr.read().decode(errors="replace")
                raise RuntimeError(f"the child ended ({self.process.returncode}) after {self.seen}: {errors[-1500:]}")
            *complete, self._pending = (self._pending + chunk).split(b"\n")
            self._lines.extend(complete)
        return self._lines.pop(0)

    def wait_for(self, event: str, timeout: float = 60) -> dict:
        """The next report named `event`; other lines are skipped. A child that dies or stalls says why."""
        deadline = time.monotonic() + timeout
        while True:
            line = self._next_line(deadline)
            if line is None:
                self.process.terminate()
                _, errors = self.process.communicate(timeout=10)
                raise RuntimeError(
                    f"{event!r} did not come within {timeout:.0f} s after {self.seen}; "
                    f"the child said: {errors.decode(errors='replace')[-1500:]}"
                )
            try:
                message = json.loads(line)
            except ValueError:
                continue
            if not isinstance(message, dict):
                continue
            self.seen.append(message)
            if message.get("event") == event:
                return message

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._selector.close()
        self.process.stdout.close()
        self.process.stderr.close()


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process so far, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_rss_kb(pid: int) -> int:
    """The highest resident memory of a running process (VmHWM), in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError("no VmHWM in /proc")
