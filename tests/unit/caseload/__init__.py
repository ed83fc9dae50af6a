"""Unit tests of the caseload domain and its contracts."""
