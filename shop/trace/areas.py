"""Growing areas and packing houses: the producer keeps the facts, the authority the status.

Functions flush; the views commit.
"""

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from shop.audit.log import record as audit
from shop.extensions import db, utcnow
from shop.trace.forms import AreaForm, CodeForm, PackingHouseForm
from shop.trace.models import CodeStatus, GapScheme, GrowingArea, PackingHouse

MAX_ID = 2**31 - 1


def own_codes(model, producer_id: int) -> list:
    """The producer's growing areas (or packing houses), by code."""
    return list(
        db.session.scalars(
            select(model).where(model.producer_id == producer_id).order_by(model.code, model.id)
        )
    )


def own_code(model, producer_id: int, record_id: int):
    """One of the producer's records, or None for anyone else's (or one that does not exist)."""
    if record_id > MAX_ID:
        return None
    return db.session.scalar(
        select(model).where(model.id == record_id, model.producer_id == producer_id)
    )


def _copy_code_fields(record, form: CodeForm) -> None:
    """Everything but the status: that belongs to the authority (staff set it)."""
    record.code = form.code.data
    record.name = form.name.data
    record.set_place(form.province.place, form.commune.place)
    record.district = form.district.data
    record.issued_on = form.issued_on.data
    record.expires_on = form.expires_on.data


def _copy_area_fields(area: GrowingArea, form: AreaForm) -> None:
    _copy_code_fields(area, form)
    area.crop = form.crop.data
    area.area_m2 = form.area_hectares.square_metres
    area.households = form.households.data
    area.latitude, area.longitude = form.latitude.data, form.longitude.data
    area.polygon = form.polygon.data
    area.gap_scheme = GapScheme(form.gap_scheme.data) if form.gap_scheme.data else None
    area.gap_certificate_no = form.gap_certificate_no.data if area.gap_scheme else ""
    area.gap_expires_on = form.gap_expires_on.data if area.gap_scheme else None
    area.expected_yield_kg = form.expected_yield_kg.data


def create_area(producer_id: int, form: AreaForm) -> GrowingArea:
    """A newly registered growing area is active until the authority says otherwise."""
    area = GrowingArea(producer_id=producer_id, status=CodeStatus.ACTIVE)
    _copy_area_fields(area, form)
    db.session.add(area)
    db.session.flush()
    return area


def update_area(area: GrowingArea, form: AreaForm) -> GrowingArea:
    _copy_area_fields(area, form)
    db.session.flush()
    return area


def create_packing_house(producer_id: int, form: PackingHouseForm) -> PackingHouse:
    house = PackingHouse(producer_id=producer_id, status=CodeStatus.ACTIVE)
    _copy_code_fields(house, form)
    house.address = form.address.data or ""
    db.session.add(house)
    db.session.flush()
    return house


def update_packing_house(house: PackingHouse, form: PackingHouseForm) -> PackingHouse:
    _copy_code_fields(house, form)
    house.address = form.address.data or ""
    db.session.flush()
    return house


def set_code_status(
    record: GrowingArea | PackingHouse, status: CodeStatus, reason: str, staff
) -> None:
    """The authority's decision, recorded by staff: active, suspended or revoked, and why."""
    reason = (reason or "").replace("\x00", "").strip()
    if not reason:
        raise ValueError("a status change needs its reason")
    before = {"status": record.status.value, "reason": record.status_reason}
    record.status = status
    record.status_reason = reason[:500]
    record.status_changed_at = utcnow()
    kind = "area" if isinstance(record, GrowingArea) else "packing_house"
    after = {"status": status.value, "reason": record.status_reason, "code": record.code}
    audit(staff, "code.status", f"{kind}:{record.id}", before, after)


CODE_STATES = ("active", "suspended", "revoked", "expired")


def registered_codes(model, state: str, today) -> list:
    """Every producer's codes of one kind for staff, optionally in one state, by code."""
    query = select(model).options(joinedload(model.producer)).order_by(model.code, model.id)
    not_expired = or_(model.expires_on.is_(None), model.expires_on >= today)
    if state == "active":
        query = query.where(model.status == CodeStatus.ACTIVE, not_expired)
    elif state == "expired":
        query = query.where(model.status == CodeStatus.ACTIVE, model.expires_on < today)
    elif state in ("suspended", "revoked"):
        query = query.where(model.status == CodeStatus(state))
    return list(db.session.scalars(query))
