"""`python -m companion` runs the command line without the window."""

from __future__ import annotations

import sys

from companion.cli.main import main

sys.exit(main())
