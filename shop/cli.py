"""Flask commands: demo data, accounts, and the order jobs a scheduler runs."""

import click
from flask import Flask, current_app
from sqlalchemy import select

from shop.audit.log import record
from shop.auth.models import Role, User
from shop.catalogue.cache import bump as bump_catalogue_cache
from shop.catalogue.responsive import make_variants, stored_photos
from shop.catalogue.upkeep import rebuild_everything
from shop.checkout.orders import send_order_emails
from shop.extensions import db
from shop.payments.refunds import send_card_refunds
from shop.places.directory import data_version
from shop.places.refresh import refresh_places
from shop.recalls.recalls import CannotRecall, notices_of, recall_batch
from shop.scan.lookup import find_batch


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
    db.session.flush()
    record(None, "user.create", f"user:{user.id}", None, {"email": email, "role": role})
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
    make_image_variants_command.callback()


@click.command("make-image-variants")
def make_image_variants_command() -> None:
    """Write the missing WebP/AVIF sizes of every stored photo (uploads make their own)."""
    written = sum(make_variants(name) for name in stored_photos())
    click.echo(f"{written} photo variants written (WebP/AVIF for srcset)")


@click.command("expire-orders")
def expire_orders_command() -> None:
    """Expire orders unpaid past their reservation; their stock goes back on sale.

    Run it every minute (cron: `* * * * * cd /srv/ocop && .venv/bin/flask --app shop
    expire-orders`, or a systemd timer with OnCalendar=minutely).
    """
    from shop.checkout.emails import deliver_pending
    from shop.checkout.expiry import expire_orders

    expired = expire_orders()
    db.session.commit()
    deliver_pending()
    click.echo(f"expired {expired} order{'s' if expired != 1 else ''}")


@click.command("send-emails")
def send_emails_command() -> None:
    """Send the queued order e-mails (those a failed delivery left behind)."""
    from shop.checkout.emails import deliver_pending

    sent = total = deliver_pending()
    while sent:
        sent = deliver_pending()
        total += sent
    click.echo(f"sent {total} e-mail{'s' if total != 1 else ''}")


@click.command("send-refunds")
def send_refunds_command() -> None:
    """Send the card refunds still due to Stripe (those Stripe refused or a crash left behind).

    Safe to run as often as you like (cron, every few minutes): each refund keeps its own
    idempotency key, so Stripe never refunds one twice.
    """
    problems = send_card_refunds()
    for problem in problems:
        click.echo(f"still due: {problem}", err=True)
    click.echo(f"{len(problems)} refund{'s' if len(problems) != 1 else ''} still due")


@click.command("refresh-places")
def refresh_places_command() -> None:
    """Update stored province and commune/ward names from the installed vietnam-provinces data."""
    result = refresh_places()
    db.session.commit()
    click.echo(f"vietnam-provinces {data_version()}: {result.rows} row(s) renamed")
    if result.unknown:
        codes = ", ".join(str(code) for code in sorted(result.unknown))
        click.echo(f"codes no longer in the package (rows left as they are): {codes}", err=True)


@click.command("reindex-catalogue")
def reindex_catalogue_command() -> None:
    """Rewrite the catalogue's search rows and star periods (after a bulk load without the ORM)."""
    rebuild_everything(db.session.connection())
    db.session.commit()
    bump_catalogue_cache()
    click.echo("catalogue search rows and star periods rewritten")


@click.command("recall-batch")
@click.argument("gtin")
@click.argument("lot")
@click.option("--reason", required=True, help="Why the batch is recalled.")
@click.option("--advice", required=True, help="What buyers should do with the product.")
def recall_batch_command(gtin: str, lot: str, reason: str, advice: str) -> None:
    """Recall a batch, as the back office's button does: off sale, buyers e-mailed."""
    batch = find_batch(gtin, lot)
    if batch is None:
        raise click.ClickException(f"no batch {lot} of GTIN {gtin}")
    base = current_app.config["SHOP_BASE_URL"]
    with current_app.test_request_context("/", base_url=base):  # e-mails carry the lot's URL
        try:
            event = recall_batch(batch, reason, advice)
            db.session.commit()
        except CannotRecall as refusal:
            db.session.rollback()
            raise click.ClickException(str(refusal.message)) from None
        told = len(notices_of(batch))
        send_order_emails()
    click.echo(f"recalled lot {batch.lot} of {batch.product.gtin} (event #{event.seq})")
    click.echo(f"{told} buyer(s) told")


def register(app: Flask) -> None:
    app.cli.add_command(create_user_command)
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(make_image_variants_command)
    app.cli.add_command(expire_orders_command)
    app.cli.add_command(send_emails_command)
    app.cli.add_command(send_refunds_command)

    app.cli.add_command(refresh_places_command)
    app.cli.add_command(reindex_catalogue_command)
    app.cli.add_command(recall_batch_command)
