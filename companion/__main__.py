"""`python -m companion` runs the command line without the window."""

from __future__ import annotations

import sys

try:
    from companion.cli.main import main

    code = main()
except KeyboardInterrupt:  # Ctrl+C while the command line loads, before a command could begin: no traceback
    print("companion: interrupted; nothing was changed", file=sys.stderr)
    code = 130
sys.exit(code)
