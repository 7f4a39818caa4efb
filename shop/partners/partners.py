"""Staff create partners (each with an API key shown once), grant them batches, revoke them.

Functions flush; the views commit.
"""

import hmac
import secrets

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from shop.audit.log import record as audit
from shop.catalogue.models import Product
from shop.extensions import db, utcnow
from shop.partners.models import Partner, PartnerGrant, hash_key
from shop.trace.models import Batch

KEY_PREFIX = "ocop_"


def new_key() -> str:
    """A fresh API key: 256 random bits, with a prefix that says whose key it is."""
    return KEY_PREFIX + secrets.token_urlsafe(32)


def create_partner(name: str, contact: str, by) -> tuple[Partner, str]:
    """The partner and its key, in clear this once (only its hash is kept)."""
    key = new_key()
    partner = Partner(
        name=" ".join(name.split()),
        contact=contact.strip(),
        key_hash=hash_key(key),
        key_hint=key[: len(KEY_PREFIX) + 4],
        created_by_id=getattr(by, "id", None),
    )
    db.session.add(partner)
    db.session.flush()
    audit(by, "partner.create", f"partner:{partner.id}", None, {"name": partner.name})
    return partner, key


def revoke_partner(partner: Partner, by) -> None:
    """The key stops working at once; what the partner recorded stays in the chains."""
    if partner.revoked_at is not None:
        return
    partner.revoked_at = utcnow()
    db.session.flush()
    audit(by, "partner.revoke", f"partner:{partner.id}", {"active": True}, {"active": False})


def grant_batch(partner: Partner, batch: Batch, by) -> PartnerGrant | None:
    """Let the partner record steps of this batch (None when it already may)."""
    if partner.may_record(batch.id):
        return None
    grant = PartnerGrant(partner=partner, batch_id=batch.id)
    db.session.add(grant)
    db.session.flush()
    audit(by, "partner.grant", f"partner:{partner.id}", None, {"batch": batch.id, "lot": batch.lot})
    return grant


def remove_grant(grant: PartnerGrant, by) -> None:
    audit(by, "partner.ungrant", f"partner:{grant.partner_id}", {"batch": grant.batch_id}, None)
    db.session.delete(grant)
    db.session.flush()


def partner_with_key(key: str | None) -> Partner | None:
    """The active partner whose key this is, with its grants; None for anything else."""
    if not key or not key.startswith(KEY_PREFIX) or len(key) > 200:
        return None
    digest = hash_key(key)
    partner = db.session.scalar(
        select(Partner).where(Partner.key_hash == digest).options(selectinload(Partner.grants))
    )
    if partner is None or not hmac.compare_digest(partner.key_hash, digest):
        return None
    return partner if partner.is_active else None


def all_partners() -> list[Partner]:
    """Every partner with the batches granted to it, active ones first, by name."""
    return list(
        db.session.scalars(
            select(Partner)
            .options(
                selectinload(Partner.grants)
                .joinedload(PartnerGrant.batch)
                .joinedload(Batch.product)
                .load_only(Product.name, Product.gtin)
            )
            .order_by(Partner.revoked_at.is_not(None), Partner.name)
        ).unique()
    )


def grant_of(partner_id: int, grant_id: int) -> PartnerGrant | None:
    return db.session.scalar(
        select(PartnerGrant)
        .where(PartnerGrant.id == grant_id, PartnerGrant.partner_id == partner_id)
        .options(joinedload(PartnerGrant.partner))
    )
