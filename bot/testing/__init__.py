"""Public test seams: a fake transport and a harness (unit tests), a real Synapse (integration tests, demo)."""
