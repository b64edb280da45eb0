"""Run one benchmark step in this process and report its peak memory on stderr."""

from __future__ import annotations

import json
import resource
import sys
from pathlib import Path


def _floor(notes: Path, out: Path) -> None:
    """Parse every notes file with markdown-it-py and write one genanki note per list item."""
    import genanki
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark")
    model = genanki.Model(
        1_700_000_001,
        "Floor",
        fields=[{"name": "Front"}, {"name": "Back"}],
        templates=[{"name": "Card 1", "qfmt": "{{Front}}", "afmt": "{{Back}}"}],
    )
    deck = genanki.Deck(1_700_000_002, "Floor")
    for path in sorted(notes.glob("*.md")):
        tokens = parser.parse(path.read_text(encoding="utf-8"))
        for index, token in enumerate(tokens):
            if token.type == "list_item_open":
                text = tokens[index + 2].content if index + 2 < len(tokens) else ""
                deck.add_note(
                    genanki.Note(model=model, fields=[text, ""], guid=f"{path.name}{index}")
                )
    out.mkdir(parents=True, exist_ok=True)
    genanki.Package(deck).write_to_file(str(out / "floor.apkg"), timestamp=1)


def main() -> int:
    """Run `floor NOTES OUT` or the notes2anki command line given, then print the peak memory."""
    if sys.argv[1] == "floor":
        _floor(Path(sys.argv[2]), Path(sys.argv[3]))
        code = 0
    else:
        from notes2anki.cli import main as notes2anki

        code = notes2anki(sys.argv[1:])
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"peak_mb": round(peak_mb, 1)}), file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())
