"""Run a build: compile files (reusing what has not changed), then write every output at once."""
