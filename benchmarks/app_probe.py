"""The real app, started as a user starts it (`companion` with the same arguments), watched by
benchmarks.probe. Run as a child: `python -m benchmarks.app_probe [companion arguments]`."""

from __future__ import annotations

import sys


def main() -> None:
    from ui.app import load_command_line
    from ui.app import main as companion_main

    load_command_line()  # first, as `companion` itself does (the database layer loads after the sign-in paints)
    from PySide6.QtWidgets import QApplication

    from benchmarks.probe import watch

    # The app reuses an existing QApplication, so the watcher sees its very first paint (also inside the
    # sign-in dialog's own event loop).
    app = QApplication([sys.argv[0]])
    watcher = watch(app)  # noqa: F841 (kept alive for the whole run)
    sys.argv = ["companion", *sys.argv[1:]]
    companion_main()


if __name__ == "__main__":
    main()
