"""Build the deck from notes/ into dist/, as ``notes2anki build`` does with its defaults."""

import sys

from notes2anki.cli import main

if __name__ == "__main__":
    sys.exit(main(["build", *sys.argv[1:]]))
