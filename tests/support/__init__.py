"""Fixtures shared by every test folder (registered as pytest plugins in conftest)."""
