"""The machine the figures were taken on, for the README and the JSON."""

from __future__ import annotations

import os
import platform
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path


def _first(path: str, key: str) -> str:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(key):
                return line.split(":", 1)[1].strip() if ":" in line else line.split("=", 1)[1].strip('"')
    except OSError:
        pass
    return ""


def describe() -> dict[str, object]:
    mem_kb = _first("/proc/meminfo", "MemTotal").split()
    try:
        pyside = version("PySide6-Essentials")
    except PackageNotFoundError:
        pyside = version("PySide6")
    return {
        "cpu": _first("/proc/cpuinfo", "model name") or platform.processor(),
        "cores": os.cpu_count(),
        "ram_gb": round(int(mem_kb[0]) / 1024**2, 1) if mem_kb else None,
        "os": _first("/etc/os-release", "PRETTY_NAME=") or platform.platform(),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "pyside6": pyside,
        "sqlite": __import__("sqlite3").sqlite_version,
    }
