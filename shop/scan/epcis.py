"""A batch's events as an EPCIS 2.0 JSON-LD document (GS1), for traceability systems.

Every event is an ObjectEvent about the lot, identified by its GS1 Digital Link URI
(https://id.gs1.org/01/<gtin>/10/<lot>, which EPCIS 2.0 accepts in place of an LGTIN URN). CBV
business steps are used where one fits — commissioning (packing), inspecting (lab tests),
shipping — and this shop's own URIs for the rest, since CBV has no planting or harvesting.
Growing areas and packing houses have no GLN: their registered codes become URIs on this site.
Corrections follow EPCIS: the corrected event carries an errorDeclaration naming its
correction. Event IDs are name-based UUIDs of the event's stored hash, so they never change.
"""

import uuid
from datetime import UTC, datetime
from urllib.parse import quote

from flask import url_for

from shop.clock import utcnow
from shop.scan.links import absolute
from shop.scan.timeline import Entry, Timeline, aware
from shop.trace.models import Batch, BatchEvent, EventType

CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"
MEDIA_TYPE = "application/ld+json"
CANONICAL_RESOLVER = "https://id.gs1.org"

CBV_STEPS = {
    EventType.PACKING: "commissioning",
    EventType.LAB_TEST: "inspecting",
    EventType.SHIPPING: "shipping",
}
OWN_STEPS = {
    EventType.PLANTING: "planting",
    EventType.INPUT_APPLIED: "input_applied",
    EventType.HARVEST: "harvesting",
    EventType.PROCESSING: "processing",
    EventType.RECALL: "recalling",
}
# UN/ECE Recommendation 20 codes for the units a batch is counted in; others are plain counts.
UNITS = {"kg": "KGM", "g": "GRM", "t": "TNE", "l": "LTR", "ml": "MLT"}


def vocabulary(path: str) -> str:
    """One of this shop's own vocabulary terms (business steps, extension properties)."""
    return absolute(f"/voc/{path}")


def lot_uri(batch: Batch) -> str:
    """The lot as a constrained canonical GS1 Digital Link URI."""
    return f"{CANONICAL_RESOLVER}/01/{batch.product.gtin}/10/{quote(batch.lot, safe='')}"


def place_uri(kind: str, code: str) -> str:
    """A growing area, packing house or named place as a URI on this site."""
    return absolute(f"/id/{kind}/{quote(code, safe='')}")


def event_id(event: BatchEvent) -> str:
    """A stable URN for the event, derived from its stored hash."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"urn:ocop-shop:batch-event:{event.hash}").urn


def utc(value: datetime) -> str:
    return aware(value).astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def offset(when: datetime) -> str:
    """'+07:00' from an aware local time."""
    text = when.strftime("%z") or "+0000"
    return f"{text[:3]}:{text[3:5]}"


def bizstep(kind: EventType) -> str:
    return CBV_STEPS.get(kind) or vocabulary(f"bizstep/{OWN_STEPS[kind]}")


def locations(batch: Batch, kind: EventType) -> list[str]:
    """Where an event happened, best known place first."""
    area = place_uri("growing-area", batch.growing_area.code) if batch.growing_area else None
    house = place_uri("packing-house", batch.packing_house.code) if batch.packing_house else None
    if kind in (EventType.PLANTING, EventType.INPUT_APPLIED, EventType.HARVEST):
        return [area] if area else []
    if kind in (EventType.LAB_TEST, EventType.RECALL):
        return []  # a laboratory, or a decision about the lot wherever it is
    return [p for p in (house, area) if p]


def quantity(batch: Batch, with_amount: bool) -> dict:
    element = {"epcClass": lot_uri(batch)}
    if with_amount:
        element["quantity"] = batch.quantity
        if batch.quantity_unit.lower() in UNITS:
            element["uom"] = UNITS[batch.quantity_unit.lower()]
    return element


def ilmd(batch: Batch) -> dict:
    """Lot master data, stated once when the lot is commissioned."""
    data = {"cbvmda:countryOfOrigin": "VN", "cbvmda:lotNumber": batch.lot}
    if batch.harvest_date:
        data["cbvmda:harvestStartDate"] = batch.harvest_date.isoformat()
    if batch.best_before:
        data["cbvmda:bestBeforeDate"] = batch.best_before.isoformat()
    return data


def shipping_lists(batch: Batch, event: BatchEvent, places: list[str]) -> dict:
    """Who sent it and from where; where it went when the farmer said so."""
    producer = absolute(url_for("producers.show", slug=batch.product.producer.slug))
    sources = [{"type": "owning_party", "source": producer}]
    if places:
        sources.append({"type": "location", "source": places[0]})
    lists: dict = {"sourceList": sources}
    details = event.details or {}
    destination = str(details.get("destination") or details.get("to") or event.place or "").strip()
    if destination:
        lists["destinationList"] = [
            {"type": "location", "destination": place_uri("place", destination)}
        ]
    return lists


def partner_event(entry: Entry) -> dict:
    """A step a partner captured: their EPCIS event as they sent it (standard fields only, so
    their eventID stays theirs), marked with who sent it and where it sits in our chain."""
    event = entry.event
    details = event.details or {}
    captured = details.get("epcis") or {}
    document = {key: value for key, value in captured.items() if ":" not in key}
    document.pop("@context", None)
    document["ocop:eventType"] = entry.type.value
    document["ocop:sequence"] = event.seq
    document["ocop:partner"] = details.get("partner") or event.actor
    if entry.altered:
        document["ocop:recordAltered"] = True
    return document


def object_event(batch: Batch, entry: Entry, media_url) -> dict:
    event, kind = entry.event, entry.type
    if kind == EventType.PARTNER_STEP:
        return partner_event(entry)
    packing = kind == EventType.PACKING
    document = {
        "type": "ObjectEvent",
        "eventID": event_id(event),
        "eventTime": entry.when.isoformat(timespec="milliseconds"),
        "eventTimeZoneOffset": offset(entry.when),
        "recordTime": utc(event.recorded_at),
        "action": "ADD" if packing else "OBSERVE",
        "quantityList": [quantity(batch, with_amount=packing)],
        "bizStep": bizstep(kind),
    }
    places = locations(batch, kind)
    if places:
        document["readPoint"] = {"id": places[0]}
        if kind != EventType.SHIPPING:
            document["bizLocation"] = {"id": places[0]}
    if packing:
        document["disposition"] = "active"
        document["ilmd"] = ilmd(batch)
    passed = (event.details or {}).get("passed")
    if kind == EventType.LAB_TEST and isinstance(passed, bool):
        document["disposition"] = "conformant" if passed else "non_conformant"
    if kind == EventType.RECALL:
        document["disposition"] = "recalled"
    if kind == EventType.SHIPPING:
        document["disposition"] = "in_transit"
        document.update(shipping_lists(batch, event, places))
    if entry.documents:
        document["certificationInfo"] = [media_url(name) for name in entry.documents]
    if entry.corrected_by is not None:
        document["errorDeclaration"] = {
            "declarationTime": utc(entry.corrected_by.recorded_at),
            "reason": "incorrect_data",
            "correctiveEventIDs": [event_id(entry.corrected_by)],
        }
    document.update(extensions(entry, media_url))
    return document


def extensions(entry: Entry, media_url) -> dict:
    """What the farmer wrote, in this shop's namespace (ocop:)."""
    event = entry.event
    extra = {"ocop:eventType": entry.type.value, "ocop:sequence": event.seq}
    for key in ("place", "actor", "notes"):
        if getattr(event, key):
            extra[f"ocop:{key}"] = getattr(event, key)
    if event.details:
        extra["ocop:details"] = event.details
    if entry.photos:
        extra["ocop:photos"] = [media_url(name) for name in entry.photos]
    if entry.corrects is not None:
        extra["ocop:corrects"] = event_id(entry.corrects)
    if entry.altered:
        extra["ocop:recordAltered"] = True
    return extra


def epcis_document(batch: Batch, timeline: Timeline, media_url) -> dict:
    """The EPCISDocument of a batch; media_url(name) gives an attachment's absolute URL."""
    return {
        "@context": [CONTEXT, {"ocop": vocabulary("")}],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": utc(utcnow()),
        "epcisBody": {
            "eventList": [object_event(batch, entry, media_url) for entry in timeline.entries]
        },
    }
