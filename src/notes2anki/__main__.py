"""Run the command line as ``python -m notes2anki``."""

import sys

from notes2anki.cli import main

sys.exit(main())
