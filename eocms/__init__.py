"""The ``eocms`` command: the system's top-level composition (CLI, demo, up)."""
