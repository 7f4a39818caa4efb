"""Producer sign-up: a producer account and its pending producer profile, created together."""

from shop.auth.accounts import create_account
from shop.auth.models import Role, User
from shop.extensions import db
from shop.places.directory import Commune, Province
from shop.producers.models import ApprovalStatus, Producer
from shop.slugs import unique_slug

# Paths under /producers/ that a producer's page must not shadow.
RESERVED_SLUGS = frozenset({"signup"})


def register_producer(
    *,
    name: str,
    email: str,
    password: str,
    phone: str,
    producer_name: str,
    province: Province,
    commune: Commune,
    story: str = "",
) -> User:
    """Create the owner's account (role producer) and its producer, awaiting approval; flush.

    Raises shop.auth.accounts.EmailTaken when the e-mail already has an account.
    """
    user = create_account(
        name=name, email=email, password=password, phone=phone, role=Role.PRODUCER
    )
    producer = Producer(
        name=producer_name.strip(),
        slug=unique_slug(Producer.slug, producer_name, RESERVED_SLUGS),
        phone=phone,
        email=user.email,
        story=story.strip(),
        status=ApprovalStatus.PENDING,
    )
    producer.set_place(province, commune)
    db.session.add(producer)
    user.producer = producer
    db.session.flush()
    return user
