"""The programs use cases: each takes its command (:mod:`.commands`), then its ports by keyword."""
