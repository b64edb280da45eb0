"""Read a notes folder: its files, their sections and facts, its settings, vault syntax."""
