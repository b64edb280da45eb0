"""Tell a page's properties under its title (Notion's "Created: …") from its notes."""

from __future__ import annotations

import re

from notes2anki.reading.parse import Node

# A page exported from Notion opens with its properties, one "Name: value" a line, under its
# title: "Created: January 1, 2025", "Last edited time: …", "Tags: …". They say who wrote the
# page and when, nothing a learner recalls; custom ones ("Status: Done") come among them.
_PROPERTY = re.compile(r"[^:\n]{1,40}:(?:\s|$)")
_PAGE_PROPERTY = re.compile(
    r"(?:created|last\s+edited|last\s+modified|last\s+updated|updated|modified"
    r"|date\s+(?:created|modified)|owner|author|erstellt|zuletzt\s+bearbeitet|creado"
    r"|[uú]ltima\s+edici[oó]n|modificado)(?:\s+(?:time|by|at|on|am|von|el|por))?",
    re.IGNORECASE,
)


def page_properties(nodes: tuple[Node, ...], index: int) -> bool:
    """Tell whether a paragraph lists a page's properties under its title (a Notion page)."""
    # Only the page's own title (or its front matter) stands before them.
    if index > 2 or any(
        node.type != "front_matter" and not (node.type == "heading" and node.tag == "h1")
        for node in nodes[:index]
    ):
        return False
    rows = nodes[index].children[0].content.split("\n") if nodes[index].children else []
    labels = [row.split(":", 1)[0].strip() for row in rows if _PROPERTY.match(row)]
    return (
        len(rows) > 1
        and len(labels) == len(rows)
        and any(_PAGE_PROPERTY.fullmatch(label) for label in labels)
    )
