"""``ceasefire serve`` and ``ceasefire users …``: the web service and who may use it."""

from __future__ import annotations

from pathlib import Path

import click

from ceasefire.cli.main import Context, cli, pass_context, refusals_exit_1
from ceasefire.errors import InputRefused

__all__ = ["serve", "users"]


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option(
    "--basemap",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A GeoJSON of countries or regions drawn under the map (no tiles are fetched).",
)
@pass_context
@refusals_exit_1
def serve(context: Context, host: str, port: int, basemap: Path | None) -> None:
    """Run the web service (JSON API under /api/v1, OpenAPI at /docs) on the store.

    Callers without a token are the public; others send `Authorization: Bearer TOKEN` with a
    token from `ceasefire users token`.

    \b
    Example:
        ceasefire --db mission.db serve --port 8000
    """
    try:
        import uvicorn

        from ceasefire.web.app import create_app
    except ImportError:
        raise InputRefused(
            "the web service needs the [server] extra: pip install 'ceasefire[server]'"
        ) from None
    context.store().close()  # refuses a store that does not exist before serving it
    context.err.print(
        f"serving {context.db}: the map at http://{host}:{port}/ (log in with "
        f"http://{host}:{port}/#token=TOKEN), the API docs at /docs",
        highlight=False,
    )
    app = create_app(context.db, basemap=basemap)
    uvicorn.run(app, host=host, port=port, log_level="warning")


@cli.group()
def users() -> None:
    """Add users with an audience, give them API tokens, revoke tokens.

    \b
    Example:
        ceasefire users add ana --audience analyst
    """


@users.command("add")
@click.argument("name")
@click.option(
    "--audience",
    required=True,
    help="analyst, lead, monitor, participant, public or party:ID (e.g. party:UA).",
)
@pass_context
@refusals_exit_1
def add_user(context: Context, name: str, audience: str) -> None:
    """Register a user and the audience whose view they get.

    \b
    Example:
        ceasefire users add ua-liaison --audience party:UA
    """
    from ceasefire.publication.access import User, check_user_name
    from ceasefire.publication.audience import Audience

    user = User(check_user_name(name), Audience.parse(audience), context.clock.now())
    with context.store() as store:
        store.add_user(user)
    context.out.print(f"user {name} added with audience {user.audience}", highlight=False)


@users.command("token")
@click.argument("name")
@pass_context
@refusals_exit_1
def token(context: Context, name: str) -> None:
    """Make an API token for a user and print it once (only its hash is kept).

    \b
    Example:
        ceasefire users token ana
    """
    from ceasefire.publication.access import Credential, hash_token, new_token

    secret = new_token()
    with context.store() as store:
        store.add_credential(Credential(hash_token(secret), name, context.clock.now()))
    context.err.print("the token is shown once; keep it secret:")
    click.echo(secret)


@users.command("revoke")
@click.argument("secret", metavar="TOKEN")
@pass_context
@refusals_exit_1
def revoke(context: Context, secret: str) -> None:
    """Revoke an API token: requests with it are refused from now on.

    \b
    Example:
        ceasefire users revoke cft_Xk2…
    """
    from ceasefire.publication.access import hash_token

    with context.store() as store:
        store.revoke_credential(hash_token(secret), context.clock.now())
    context.out.print("token revoked")


@users.command("list")
@pass_context
@refusals_exit_1
def list_users(context: Context) -> None:
    """List users, their audience and how many live tokens they hold.

    \b
    Example:
        ceasefire users list
    """
    with context.store() as store:
        people, credentials = store.users(), store.credentials()
    for person in people:
        live = sum(1 for c in credentials if c.user == person.name and c.revoked_at is None)
        click.echo(f"{person.name}\t{person.audience}\t{live} token(s)")
