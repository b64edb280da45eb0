"""Set a build up: its notes files, the deck's settings, templates, and the file cache's key."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from notes2anki.building.buildcache import tree_digest
from notes2anki.building.options import BuildOptions
from notes2anki.building.units import FileCache
from notes2anki.cards import rules
from notes2anki.cards.template_files import DEFAULT_TEMPLATES
from notes2anki.cards.templates import Templates, load_templates
from notes2anki.frozen import frozen
from notes2anki.identity.ledger import is_ledger
from notes2anki.model import SourceFile
from notes2anki.reading.config import DeckConfig, folder_settings, load_config
from notes2anki.reading.decks import name_of_folder
from notes2anki.reading.obsidian import attachment_folder, vault_of
from notes2anki.reading.own_files import is_deck_file
from notes2anki.reading.sections import read_document
from notes2anki.reading.sources import SUFFIXES, Sources, read_sources
from notes2anki.reading.vault import block_ids


@frozen
class Job:
    """What every file's compilation shares: the deck's config, templates and notes folder."""

    config: DeckConfig
    templates_dir: Path
    notes_dir: Path


@frozen
class Setup:
    """What every stage of one build shares: options, files, settings, templates and cache."""

    options: BuildOptions
    sources: Sources
    job: Job  # the deck's settings and where its templates and notes are
    templates: Templates
    cache: FileCache | None
    keys: tuple[str, ...]  # each file's compile key ("" without a cache), in file order

    @property
    def config(self) -> DeckConfig:
        """Return the deck's settings."""
        return self.job.config

    @property
    def files(self) -> tuple[SourceFile, ...]:
        """Return the notes files, in the order the deck takes them."""
        return self.sources.files


def set_up(options: BuildOptions, cache_dir: Path | None) -> Setup:
    """Read the notes folder's files and settings; key each file's compilation by all it reads."""
    sources = read_sources(options.notes_dir, options.out_dir, options.only)
    config = load_config(
        options.notes_dir if options.only is None else None,
        lambda: default_name(options, sources.files),
        rules.rule_names(),
    )
    if options.only is None:
        # A vault's subfolders are decks: a deck.toml of their own may name them.
        paths = tuple(source.path for source in sources.files)
        config = replace(
            config, folders=folder_settings(options.notes_dir, paths, rules.rule_names())
        )
    config = in_vault(config, options.notes_dir)
    blocks = {key: text for source in sources.files for key, text in block_ids(source.text).items()}
    if blocks:
        config = replace(config, blocks=tuple(sorted(blocks.items())))
    templates_dir = options.templates_dir or DEFAULT_TEMPLATES
    templates = load_templates(templates_dir)
    cache = (
        FileCache(cache_dir, environment(config, options, templates_dir))
        if cache_dir is not None
        else None
    )
    keys = tuple(cache.key(source.path, source.text) if cache else "" for source in sources.files)
    job = Job(config, templates.directory, options.notes_dir)
    return Setup(options, sources, job, templates, cache, keys)


def in_vault(config: DeckConfig, notes_dir: Path) -> DeckConfig:
    """Say in the config whether the notes are in an Obsidian vault, and how cards link back."""
    vault = vault_of(notes_dir)
    if vault is None:
        return config
    if config.source == "path":
        return replace(config, obsidian=True)
    inside = notes_dir.resolve().relative_to(vault).as_posix()
    return replace(config, obsidian=True, vault=(vault.name, "" if inside == "." else inside))


def environment(config: DeckConfig, options: BuildOptions, templates_dir: Path) -> str:
    """Hash what every file's cards depend on besides the file: config, assets, templates, code."""
    return tree_digest(
        (options.notes_dir, templates_dir, Path(__file__).resolve().parents[1]),
        lambda path: (
            path.suffix.lower() not in SUFFIXES and not is_ledger(path) and not is_deck_file(path)
        ),
        # A vault's settings change as its app is used: only where attachments go counts.
        f"{config!r} {attachment_folder(options.notes_dir)!r}",
        options.out_dir,
    )


def default_name(options: BuildOptions, sources: tuple[SourceFile, ...]) -> str:
    """Name a deck without deck.toml: a lone file's first heading, else the file or folder's."""
    heading = read_document(sources[0]).first_heading if len(sources) == 1 else None
    if heading:
        return heading
    named = Path(options.only).stem if options.only else options.notes_dir.resolve().name
    return name_of_folder(named)
