"""Order e-mails: queued in the same transaction as the change they announce, sent after it.

MAIL_BACKEND chooses how: "console" (logged, the default), "file" (one .eml per message under
instance/mail/) or "smtp" (MAIL_SERVER, MAIL_PORT, MAIL_USERNAME, MAIL_PASSWORD, MAIL_USE_TLS).
`flask --app shop send-emails` delivers what is queued; views call deliver_pending() after
their commit so customers do not wait for a scheduler.
"""

import smtplib
from email.message import EmailMessage
from pathlib import Path

from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from shop.checkout.models import EmailOutbox, Order
from shop.extensions import db, lock_for_writing, utcnow
from shop.producers.models import Producer

KINDS = ("placed", "paid", "shipped", "cancelled")


def queue_order_email(order: Order, kind: str, token: str | None = None) -> EmailOutbox:
    """Write the e-mail for `kind` (placed carries the order link with its token). Flushes."""
    if kind not in KINDS:
        raise ValueError(f"unknown order e-mail {kind!r}")
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        subject = render_template(f"checkout/email/{kind}_subject.txt", order=order).strip()
        body = render_template(f"checkout/email/{kind}.txt", order=order, token=token)
    message = EmailOutbox(order_id=order.id, to=order.email, subject=subject, body=body)
    db.session.add(message)
    db.session.flush()
    return message


def queue_paid_emails(order: Order) -> None:
    """The order is paid: the customer's receipt, and for each producer whose products are in
    it, one e-mail saying there is something new to prepare (an order becomes paid once, so
    each producer hears of each order once). Flushes."""
    queue_order_email(order, "paid")
    by_producer: dict[int, list] = {}
    for line in order.lines:
        if line.producer_id is not None:
            by_producer.setdefault(line.producer_id, []).append(line)
    if not by_producer:
        return
    producers = db.session.scalars(
        select(Producer).where(Producer.id.in_(by_producer)).options(selectinload(Producer.users))
    )
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        for producer in producers:
            lines = by_producer[producer.id]
            subject = render_template(
                "farm/email/prepare_subject.txt", order=order, producer=producer
            ).strip()
            body = render_template(
                "farm/email/prepare.txt", order=order, producer=producer, lines=lines
            )
            for to in producer_addresses(producer):
                db.session.add(EmailOutbox(order_id=order.id, to=to, subject=subject, body=body))
    db.session.flush()


def producer_addresses(producer: Producer) -> list[str]:
    """Where a producer is told about orders: the profile's e-mail, else its accounts'."""
    if producer.email:
        return [producer.email]
    return sorted({user.email for user in producer.users if user.is_enabled})


def deliver_pending(limit: int = 50) -> int:
    """Send queued e-mails, each claimed in its own short transaction so that two workers
    calling this at once never send one twice. Returns how many were sent."""
    sent = 0
    for _ in range(limit):
        lock_for_writing()
        message = db.session.scalar(
            select(EmailOutbox)
            .where(EmailOutbox.sent_at.is_(None))
            .order_by(EmailOutbox.id)
            .limit(1)
            .with_for_update(skip_locked=True)
        )
        if message is None:
            db.session.rollback()
            break
        message.sent_at = utcnow()
        db.session.commit()
        try:
            _send(message)
        except (OSError, smtplib.SMTPException):
            current_app.logger.exception("could not send e-mail %s; will retry", message.id)
            message.sent_at = None
            db.session.commit()
            break
        sent += 1
    return sent


def _send(message: EmailOutbox) -> None:
    config = current_app.config
    email = EmailMessage()
    email["From"] = config["MAIL_FROM"]
    email["To"] = message.to
    email["Subject"] = message.subject
    email.set_content(message.body)
    backend = config["MAIL_BACKEND"]
    if backend == "smtp":
        with smtplib.SMTP(config["MAIL_SERVER"], int(config["MAIL_PORT"]), timeout=10) as smtp:
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            smtp.send_message(email)
    elif backend == "file":
        folder = Path(current_app.instance_path) / "mail"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{message.id:08d}.eml").write_bytes(bytes(email))
    else:
        current_app.logger.info("e-mail to %s: %s\n%s", message.to, message.subject, message.body)
