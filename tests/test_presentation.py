"""Cards as a user sees them: code, math, images, Unicode, and hostile HTML that never runs."""

from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path

import pytest

from notes2anki.building.pipeline import BuildOptions, BuildResult, build
from notes2anki.errors import NotesError
from tests.anki_backend import import_deck, open_collection, render_problems


def tiny_png(red: int) -> bytes:
    """Make a valid one-pixel PNG of one colour."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(bytes([0, red, 0, 0]))
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


HOSTILE_NOTES = "\r\n".join(
    [
        "\ufeff# Présentation — 表示",
        "",
        "Diagrams",
        "- VPC layout - see ![VPC diagram](img/vpc.png) for the subnets",
        "- Missing picture - ![gone](img/none.png) was never saved",
        "- Escape attempt - ![secret](../secret.png) and ![passwd](/etc/passwd)",
        "- Link out - ![linked](img/link.png) points outside",
        "- Remote image - ![logo](https://example.com/logo.png) stays a link",
        "",
        "Formulas",
        "- Euler's identity - $e^{i\\pi} + 1 = 0$ links five constants",
        "- Prices are not math - a coffee costs $5 and a cake $10",
        "",
        "Login with:",
        "```sh",
        'aws ecr get-login-password --region eu-west-1 | docker login --username AWS "$REGISTRY"',
        "```",
        "",
        "Hostile HTML",
        "- Script tag - <script>alert('x')</script>runs nothing",
        "- Broken image - <img src=x onerror=alert('x')> fires nothing",
        "- Bad link - <a href=\"javascript:alert('x')\">click</a> goes nowhere",
        "- Harmless tags - <b>bold</b>, H<sub>2</sub>O, x<sup>2</sup> and a <br> stay",
        "- Unicode - naïve café, Ελληνικά, 日本語 and emoji 🚀 survive",
        "",
    ]
)


@pytest.fixture
def hostile_build(tmp_path: Path) -> tuple[BuildResult, Path]:
    notes = tmp_path / "notes"
    (notes / "img").mkdir(parents=True)
    (notes / "img" / "vpc.png").write_bytes(tiny_png(200))
    (tmp_path / "secret.png").write_bytes(tiny_png(7))
    (notes / "img" / "link.png").symlink_to(tmp_path / "secret.png")
    (notes / "deck.toml").write_text('name = "Hostile"\nversion = "1.0"\n', encoding="utf-8")
    (notes / "hostile.md").write_bytes(HOSTILE_NOTES.encode("utf-8"))
    return build(BuildOptions(notes, tmp_path / "dist")), tmp_path


def test_fields_carry_nothing_hostile_and_keep_the_rest(
    hostile_build: tuple[BuildResult, Path],
) -> None:
    result, _ = hostile_build
    fields = " ".join(field for note in result.notes for field in note.fields)
    for hostile in ("<script", "alert(", "onerror", "javascript:", "\r", "\ufeff", "etc/passwd"):
        assert hostile not in fields, hostile
    for kept in (
        "<b>bold</b>",
        "H<sub>2</sub>O",
        "<sup>2</sup>",
        "<br>",
        "naïve café",
        "日本語",
        "🚀",
    ):
        assert kept in fields, kept
    assert "\\(e^{i\\pi} + 1 = 0\\)" in fields
    assert "$5 and a cake $10" in fields
    assert 'class="n2a-code"' in fields and "docker" in fields
    assert 'src="https://example.com/logo.png"' in fields


def test_images_are_bundled_by_content_and_escapes_are_refused(
    hostile_build: tuple[BuildResult, Path],
) -> None:
    result, _ = hostile_build
    with zipfile.ZipFile(result.deck_path) as archive:
        names = set(archive.namelist())
        media = archive.read("media").decode()
        bundled = [archive.read(name) for name in names - {"collection.anki2", "media"}]
    assert bundled == [tiny_png(200)]  # only the image inside the notes folder
    assert '"n2a-' in media and media.count(".png") == 1
    warnings = "\n".join(result.summary.warnings)
    assert "hostile.md:5: image 'img/none.png' not found" in warnings
    assert "hostile.md:6: image '../secret.png' is outside the notes folder" in warnings
    assert "hostile.md:6: image '/etc/passwd' has an absolute path" in warnings
    assert "hostile.md:7: image 'img/link.png' is outside the notes folder" in warnings


def test_the_deck_imports_with_its_media_and_renders(
    hostile_build: tuple[BuildResult, Path],
) -> None:
    result, tmp_path = hostile_build
    collection = open_collection(tmp_path)
    try:
        log = import_deck(collection, result.deck_path)
        assert len(log.new) == len(result.notes) and log.conflicting == []
        assert render_problems(collection) == []
        assert list(collection.media.check().missing) == []
        stored = [p.name for p in Path(collection.media.dir()).iterdir()]
        assert len(stored) == 1 and stored[0].startswith("n2a-")
    finally:
        collection.close()


def test_strict_refuses_a_deck_with_media_warnings(hostile_build: tuple[BuildResult, Path]) -> None:
    _, tmp_path = hostile_build
    with pytest.raises(NotesError):
        build(BuildOptions(tmp_path / "notes", tmp_path / "strict", strict=True))


def test_a_picture_alone_answers_and_a_missing_one_is_named_once(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    (notes / "img").mkdir(parents=True)
    (notes / "img" / "arch.png").write_bytes(tiny_png(90))
    (notes / "a.md").write_text(
        "# Pictures\n"
        "- Architecture - ![](img/arch.png)\n"
        "- Data flow - ![flow](img/none.png) from the queue to the workers\n"
        "- Encrypt with ![`code`](img/arch.png) a `KMS` key, always in the same region\n",
        encoding="utf-8",
    )
    result = build(BuildOptions(notes, tmp_path / "dist"))
    warnings = "\n".join(result.summary.warnings)
    # Named once, though a Basic and a Cloze note (and more) show it.
    assert warnings.count("image 'img/none.png' not found") == 1, warnings
    # A picture is something to show: no card of these lines is left out as empty.
    assert [one for one in result.summary.skipped if one.card] == []
    collection = open_collection(tmp_path)
    try:
        import_deck(collection, result.deck_path)
        assert render_problems(collection) == []
        (basic,) = collection.find_notes('"Front:Architecture"')
        assert collection.get_note(basic)["Back"].startswith("<img")
        # A gap hides what the card shows: the key word, never an image's unseen alt text.
        (cloze,) = collection.find_notes('"Text:*KMS*"')
        text = collection.get_note(cloze)["Text"]
        assert "{{c1::<code>KMS</code>}}" in text and 'alt="code"' in text
        assert collection.get_note(cloze).cards()
    finally:
        collection.close()


def test_links_and_images_never_leak_placeholders_or_lose_a_gap(tmp_path: Path) -> None:
    # Marked words, figures and key words inside and around links, images and autolinks.
    words = ["KMS", "5 GB", "300 secs", "us-east-1", "once", "**bold**", "`code`", '"quoted"']
    shapes = [
        "- Term{n} = [{a}]({url}) {b}",
        "- Term{n} - see [{a}]({url}) and {b}",
        "- {a} limit is [{b}]({url})",
        "- Value{n} = <{url}> {a}",
        '- Item {a} [{b} {c}]({url} "{a}")',
        "- Use ![{a}]({url}.png) for {b}",
        "- Limit{n} = {url} {b}",
    ]
    lines = ["# Links"]
    for n in range(len(shapes) * len(words)):
        a, b, c = (words[(n + step) % len(words)] for step in (0, 3, 5))
        url = "https://example.com/" + b.strip('*`"').replace(" ", "%20")
        lines.append(shapes[n % len(shapes)].format(n=n, a=a, b=b, c=c, url=url))
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "a.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = build(BuildOptions(notes, tmp_path / "dist"))
    assert not [w for w in result.summary.warnings if "no gap" in w], result.summary.warnings
    collection = open_collection(tmp_path)
    try:
        import_deck(collection, result.deck_path)
        for note_id in collection.find_notes(""):
            note = collection.get_note(note_id)
            text = "\x1f".join(note.fields)
            assert not any("\ue000" <= char <= "\ue002" for char in text), text
            assert "%EE%80%8" not in text.upper(), text
            assert note.cards(), text  # a cloze note whose gap Anki cannot read has no card
    finally:
        collection.close()
