"""The demo: the system working end to end on embedded defaults."""
