"""``mlorg serve``: run the survey web app (SQLite file by default, PostgreSQL by URL)."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from mlorg.errors import UsageError


def _admin_password(init_admin: bool) -> str | None:
    from mlorg.web.security import password_problem

    if init_admin:
        password: str = typer.prompt("Admin password", hide_input=True, confirmation_prompt=True)
    else:
        env = os.environ.get("MLORG_ADMIN_PASSWORD")
        if not env:
            return None
        password = env
    problem = password_problem(password)
    if problem is not None:
        raise UsageError(problem)
    return password


def serve(
    database_url: Annotated[
        str | None,
        typer.Option(
            "--database-url",
            help="SQLAlchemy URL, e.g. postgresql+psycopg://user:pw@host/db (default: a SQLite file in the "
            "user data directory, or MLORG_DATABASE_URL).",
        ),
    ] = None,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")] = 8000,
    init_admin: Annotated[
        bool, typer.Option("--init-admin", help="Prompt for the admin password (or set MLORG_ADMIN_PASSWORD).")
    ] = False,
    insecure_cookies: Annotated[
        bool,
        typer.Option(
            "--insecure-cookies", help="Send cookies over plain HTTP too: only for local development without TLS."
        ),
    ] = False,
    public_url: Annotated[
        str | None,
        typer.Option(
            "--public-url",
            help="Address respondents use, e.g. https://survey.example.org (team links are built from it, never "
            "from the request's Host header; or set MLORG_PUBLIC_URL).",
        ),
    ] = None,
    forwarded_allow_ips: Annotated[
        str | None,
        typer.Option(
            "--forwarded-allow-ips",
            help="Comma-separated addresses of reverse proxies whose X-Forwarded-For/-Proto headers are trusted "
            "(default: 127.0.0.1).",
        ),
    ] = None,
    header_timeout: Annotated[
        float, typer.Option("--header-timeout", min=1, max=3600, help="Seconds a request's headers may take.")
    ] = 10.0,
    body_timeout: Annotated[
        float, typer.Option("--body-timeout", min=1, max=3600, help="Seconds a request's body may take.")
    ] = 60.0,
) -> int:
    """Serve the staff survey app: admin dashboard, team links, anonymous answers."""
    import uvicorn
    from sqlalchemy.exc import SQLAlchemyError

    from mlorg.render.escape import printable
    from mlorg.storage.base import database_error, default_url, describe, make_engine
    from mlorg.storage.migrate import upgrade
    from mlorg.web import store
    from mlorg.web.app import create_app
    from mlorg.web.config import WebConfig, check_public_url
    from mlorg.web.server import Deadlines, server_config

    url = database_url or default_url()
    public = check_public_url(public_url or os.environ.get("MLORG_PUBLIC_URL") or None)
    password = _admin_password(init_admin)
    try:
        engine = make_engine(url)
        upgrade(engine=engine)
        if password is not None:
            store.set_admin_password(engine, password)
            typer.echo("mlorg: admin password set", err=True)
        app = create_app(engine, WebConfig(secure_cookies=not insecure_cookies, public_url=public))
    except (SQLAlchemyError, OSError) as exc:
        raise database_error(url, exc) from None
    if not store.admin_exists(engine):
        typer.echo("mlorg: no admin password yet; restart with --init-admin or MLORG_ADMIN_PASSWORD", err=True)
    scheme = "http"
    typer.echo(f"mlorg: database: {printable(describe(url))}", err=True)
    typer.echo(f"mlorg: serving on {scheme}://{host}:{port}/admin", err=True)
    config = server_config(
        app,
        host,
        port,
        deadlines=Deadlines(header_timeout=header_timeout, body_timeout=body_timeout),
        forwarded_allow_ips=forwarded_allow_ips,
    )
    uvicorn.Server(config).run()
    return 0


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
