"""Put finished notes somewhere: a deck file, a preview page, a user's Anki collection."""
