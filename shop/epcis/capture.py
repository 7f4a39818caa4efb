"""Capturing a partner's EPCISDocument: validated, limited to its batches, idempotent.

Each event must carry an eventID (a replay is recognised by it) and name at least one of our
lots, as a GS1 Digital Link URI (…/01/<gtin>/10/<lot>, any host) or an LGTIN class URN
(urn:epc:class:lgtin:…). Every lot it names must be granted to the partner. The document is
taken whole or not at all (EPCIS captureErrorBehaviour "rollback"). An accepted event joins
each named lot's hash chain as a PARTNER_STEP, marked with the partner's name.
"""

import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import unquote

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from shop.catalogue import gtin as gtin_rules
from shop.clock import utcnow
from shop.epcis.schema import schema_errors
from shop.extensions import db, lock_for_writing
from shop.partners.models import CapturedEvent, Partner
from shop.scan.lookup import find_batch
from shop.trace.events import record_event
from shop.trace.models import Batch, EventType

MAX_EVENTS = 500
FUTURE_GRACE = timedelta(minutes=5)
DIGITAL_LINK = re.compile(r"^https?://[^/]+(?:/[^?#]*)?/01/(\d{8,14})/10/([^/?#]+)")
LGTIN = re.compile(r"^urn:epc:class:lgtin:(\d+)\.(\d+)\.(.+)$")
EPC_LISTS = ("epcList", "childEPCs", "inputEPCList", "outputEPCList")
QUANTITY_LISTS = ("quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList")
CBV_PREFIXES = ("https://ref.gs1.org/cbv/BizStep-", "https://ref.gs1.org/cbv/Disp-")


class CaptureRefused(Exception):
    """The document is refused as a whole: an HTTP status, a title and what went wrong."""

    def __init__(self, status: int, title, detail, errors: list[dict] | None = None):
        super().__init__(str(detail))
        self.status, self.title, self.detail, self.errors = status, title, detail, errors or []


@dataclass
class Captured:
    capture_id: str
    events: int
    recorded: list = field(default_factory=list)  # the new chain entries (replays add none)


def lot_of(identifier) -> tuple[str, str] | None:
    """(GTIN-14, lot) named by a Digital Link URI or an LGTIN URN; None for anything else."""
    if not isinstance(identifier, str):
        return None
    if match := DIGITAL_LINK.match(identifier):
        gtin, lot = match.group(1), unquote(match.group(2))
    elif match := LGTIN.match(identifier):
        prefix, reference, lot = match.groups()
        if not reference:
            return None
        body = reference[0] + prefix + reference[1:]  # indicator digit first
        if len(body) != 13:
            return None
        gtin, lot = body + str(gtin_rules.check_digit(body)), unquote(lot)
    else:
        return None
    try:
        return gtin_rules.canonical(gtin), lot
    except ValueError:
        return None


def named_lots(event: dict) -> list[tuple[str, str]]:
    """Every lot an event is about, in the order named, each once."""
    identifiers = [event.get("parentID")]
    for key in EPC_LISTS:
        identifiers += event.get(key) or []
    for key in QUANTITY_LISTS:
        identifiers += [q.get("epcClass") for q in event.get(key) or [] if isinstance(q, dict)]
    lots = []
    for identifier in identifiers:
        lot = lot_of(identifier)
        if lot is not None and lot not in lots:
            lots.append(lot)
    return lots


def short(value) -> str:
    """A CBV term without its namespace: https://ref.gs1.org/cbv/BizStep-shipping → shipping."""
    text = str(value or "")
    for prefix in CBV_PREFIXES:
        if text.startswith(prefix):
            return text[len(prefix) :]
    return text.removeprefix("urn:epcglobal:cbv:bizstep:").removeprefix("urn:epcglobal:cbv:disp:")


def zone_for(offset: str) -> str:
    """A zone name for an EPCIS eventTimeZoneOffset: Vietnam's for +07:00, else a fixed offset."""
    if offset == "+07:00":
        return "Asia/Ho_Chi_Minh"
    match = re.fullmatch(r"([+-])(\d\d):00", offset or "")
    if not match or int(match.group(2)) == 0:
        return "UTC"
    sign = "-" if match.group(1) == "+" else "+"  # the Etc/ zones count the other way
    return f"Etc/GMT{sign}{int(match.group(2))}"


def event_time(event: dict, index: int) -> datetime:
    """When the event happened, as an aware time not in the future (the schema checks the form)."""
    try:
        when = datetime.fromisoformat(event["eventTime"])
    except (KeyError, TypeError, ValueError):
        when = None
    if when is None or when.tzinfo is None:
        raise _invalid(index, "/eventTime", _l("eventTime needs a date, a time and an offset."))
    if when > utcnow() + FUTURE_GRACE:
        raise _invalid(index, "/eventTime", _l("eventTime is in the future."))
    return when


def _invalid(index: int, pointer: str, message) -> CaptureRefused:
    errors = [{"pointer": f"/epcisBody/eventList/{index}{pointer}", "message": str(message)}]
    return CaptureRefused(400, _l("Invalid EPCIS document"), message, errors)


def _checked(document) -> list[dict]:
    """The document's events once it passes the schema and this interface's own rules."""
    if not isinstance(document, dict) or document.get("type") != "EPCISDocument":
        raise CaptureRefused(
            400,
            _l("Invalid EPCIS document"),
            _l("Send an EPCISDocument (JSON-LD)."),
            [{"pointer": "/type", "message": "must be EPCISDocument"}],
        )
    errors = schema_errors(document)
    if errors:
        raise CaptureRefused(
            400,
            _l("Invalid EPCIS document"),
            _l("The document does not follow GS1's EPCIS 2.0 JSON Schema."),
            errors,
        )
    events = document["epcisBody"]["eventList"]
    if len(events) > MAX_EVENTS:
        raise CaptureRefused(
            413,
            _l("Too many events"),
            _l("Send at most %(n)s events per document.", n=MAX_EVENTS),
        )
    return events


def capture_document(partner: Partner, document) -> Captured:
    """Validate and record the document (flushes; the view commits). CaptureRefused if not."""
    events = _checked(document)
    plan, found = [], {}
    for index, event in enumerate(events):
        event_id = event.get("eventID")
        if not isinstance(event_id, str) or not event_id or len(event_id) > 255:
            raise _invalid(index, "/eventID", _l("Every event needs an eventID (a URI)."))
        lots = named_lots(event)
        if not lots:
            raise _invalid(index, "", _l("The event names none of this shop's lots."))
        for named in lots:
            if named not in found:
                found[named] = find_batch(*named)
        batches = [found[named] for named in lots]
        if any(b is None or not partner.may_record(b.id) for b in batches):
            raise CaptureRefused(
                403,
                _l("Not allowed"),
                _l("Event %(n)s names a lot this partner may not record.", n=index),
            )
        plan.append((event_id, event, event_time(event, index), batches))
    capture_id = str(uuid.uuid5(uuid.NAMESPACE_URL, "\n".join(sorted(p[0] for p in plan))))
    lock_for_writing()
    result = Captured(capture_id=capture_id, events=len(plan))
    for event_id, event, when, batches in plan:
        for batch in batches:
            # The lot's row first: a replay sent twice at once waits here, then sees the first.
            db.session.execute(select(Batch.id).where(Batch.id == batch.id).with_for_update())
            earlier = _seen(event_id, batch.id)
            if earlier is not None:
                result.capture_id = result.capture_id if result.recorded else earlier
                continue
            result.capture_id = capture_id
            result.recorded.append(_record(partner, batch, event_id, event, when, capture_id))
    db.session.flush()
    return result


def _seen(event_id: str, batch_id: int) -> str | None:
    """The capture that brought this event for this lot before, if one did."""
    return db.session.scalar(
        select(CapturedEvent.capture_id).where(
            CapturedEvent.epcis_event_id == event_id, CapturedEvent.batch_id == batch_id
        )
    )


def _record(partner: Partner, batch: Batch, event_id: str, event: dict, when, capture_id: str):
    """One chain entry for one lot the event names, and the note that it was captured."""
    place = event.get("bizLocation") or event.get("readPoint") or {}
    details = {
        "partner": partner.name,
        "step": short(event.get("bizStep")),
        "disposition": short(event.get("disposition")),
        "epcis": event,
    }
    entry = record_event(
        batch,
        EventType.PARTNER_STEP,
        when,
        timezone=zone_for(event.get("eventTimeZoneOffset", "")),
        place=str(place.get("id", "") if isinstance(place, dict) else "")[:200],
        actor=partner.name,
        details={k: v for k, v in details.items() if v},
    )
    db.session.add(
        CapturedEvent(
            epcis_event_id=event_id,
            batch_id=batch.id,
            batch_event_id=entry.id,
            partner_id=partner.id,
            capture_id=capture_id,
        )
    )
    return entry


def capture_job(partner: Partner, capture_id: str) -> dict | None:
    """The EPCIS capture job document of one of this partner's captures (they finish at once)."""
    rows = db.session.scalars(
        select(CapturedEvent).where(
            CapturedEvent.capture_id == capture_id[:36], CapturedEvent.partner_id == partner.id
        )
    ).all()
    if not rows:
        return None
    return {
        "captureID": capture_id,
        "createdAt": min(r.captured_at for r in rows).isoformat(),
        "running": False,
        "success": True,
        "captureErrorBehaviour": "rollback",
        "errors": [],
    }
