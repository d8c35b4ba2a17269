"""Entry point of the command line."""

import click


@click.group()
def cli() -> None:
    """Monitor and verify a ceasefire."""


def main() -> None:
    """Run the command line."""
    cli()
