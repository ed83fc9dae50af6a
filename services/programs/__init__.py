"""Programs service: Second Career, JCP, SEB and ES business plans."""
