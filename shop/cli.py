"""Flask commands: demo data and accounts."""

import click
from flask import Flask
from sqlalchemy import select

from shop.auth.models import Role, User
from shop.extensions import db


@click.command("create-user")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.CONSUMER.value)
@click.option("--name", default=None, help="Display name (defaults to the e-mail's local part).")
@click.password_option(prompt="Password", help="Asked for when not given.")
def create_user_command(email: str, role: str, name: str | None, password: str) -> None:
    """Create an account with the given role."""
    email = User.normalise_email(email)
    if db.session.scalar(select(User).where(User.email == email)):
        raise click.ClickException(f"{email} already has an account")
    if len(password) < 8:
        raise click.ClickException("the password needs at least 8 characters")
    user = User(email=email, name=name or email.split("@")[0], role=Role(role))
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    click.echo(f"created {role} {email}")


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when the shop already has products.")
def seed_demo_command(if_empty: bool) -> None:
    """Load the Thanh Hóa demo data (idempotent: running it twice changes nothing)."""
    from seeds import load_demo

    summary = load_demo(if_empty=if_empty)
    db.session.commit()
    click.echo(summary)


def register(app: Flask) -> None:
    app.cli.add_command(create_user_command)
    app.cli.add_command(seed_demo_command)
