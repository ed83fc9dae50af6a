"""``eocms contracts ...``: the published language (filled in by the contracts work)."""

import typer

app = typer.Typer(help="Event contracts: AsyncAPI document and compatibility check.")
