"""Make cards of facts: the rules, the gate, rendering, media, notetypes, each card's key."""
