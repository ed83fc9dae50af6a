"""``eocms dlq ...``: dead-letter topics (filled in by the consumer work)."""

import typer

app = typer.Typer(help="Dead-letter topics: inspect and replay.")
