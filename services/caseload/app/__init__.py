"""Caseload's use cases: each takes its command (:mod:`.commands`), decides, saves."""
