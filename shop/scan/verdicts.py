"""The verdict at the top of a scan page: genuine, a warning, or counterfeit — and why.

Only facts go in: the hash chain, the codes' statuses, the cooperative's approvals, dates, and
for a serialised label how often it was scanned. The page words each concern plainly.
"""

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from flask import current_app

from shop.producers.models import ApprovalStatus
from shop.scan.scans import SerialScan
from shop.scan.timeline import Timeline
from shop.trace.models import Batch, CodeStatus, RegisteredCode

DEFAULT_SUSPICIOUS_COUNT = 20


class Tone(StrEnum):
    GENUINE = "genuine"
    WARNING = "warning"
    COUNTERFEIT = "counterfeit"


class Concern(StrEnum):
    """Something a consumer should know before trusting the label (in the order shown)."""

    SCANNED_TOO_OFTEN = "scanned_too_often"
    RECORDS_ALTERED = "records_altered"
    AREA_NOT_VALID = "area_not_valid"
    PACKING_HOUSE_NOT_VALID = "packing_house_not_valid"
    NOT_APPROVED = "not_approved"
    LAB_TEST_FAILED = "lab_test_failed"
    HARVEST_BEFORE_INTERVAL = "harvest_before_interval"
    PAST_BEST_BEFORE = "past_best_before"


def code_status(code: RegisteredCode, today: date | None = None) -> str:
    """The status to show: suspended and revoked as stored, 'expired' once past its expiry."""
    status = CodeStatus(code.status)
    if status != CodeStatus.ACTIVE:
        return status.value
    return "active" if code.is_valid(today) else "expired"


def suspicious_count() -> int:
    """Scans after which a serial is probably printed on copies (config SCAN_SUSPICIOUS_COUNT)."""
    return int(current_app.config.get("SCAN_SUSPICIOUS_COUNT", DEFAULT_SUSPICIOUS_COUNT))


@dataclass
class Verdict:
    tone: Tone
    concerns: list[Concern] = field(default_factory=list)
    serial: SerialScan | None = None

    def has(self, concern: Concern) -> bool:
        return concern in self.concerns


def batch_concerns(batch: Batch, timeline: Timeline, today: date) -> list[Concern]:
    """What is wrong with the batch itself, whichever label led here."""
    concerns = []
    if not timeline.intact:
        concerns.append(Concern.RECORDS_ALTERED)
    if batch.growing_area is not None and not batch.growing_area.is_valid(today):
        concerns.append(Concern.AREA_NOT_VALID)
    if batch.packing_house is not None and not batch.packing_house.is_valid(today):
        concerns.append(Concern.PACKING_HOUSE_NOT_VALID)
    product = batch.product
    if (
        product.status != ApprovalStatus.APPROVED
        or product.producer.status != ApprovalStatus.APPROVED
    ):
        concerns.append(Concern.NOT_APPROVED)
    if timeline.failed_tests:
        concerns.append(Concern.LAB_TEST_FAILED)
    if timeline.phi_breaches:
        concerns.append(Concern.HARVEST_BEFORE_INTERVAL)
    if batch.best_before is not None and batch.best_before < today:
        concerns.append(Concern.PAST_BEST_BEFORE)
    return concerns


def judge(
    batch: Batch, timeline: Timeline, today: date, serial: SerialScan | None = None
) -> Verdict:
    """Genuine when nothing is wrong; a warning otherwise (counterfeit is judged by the view)."""
    concerns = batch_concerns(batch, timeline, today)
    if serial is not None and serial.count > suspicious_count():
        concerns.insert(0, Concern.SCANNED_TOO_OFTEN)
    return Verdict(Tone.WARNING if concerns else Tone.GENUINE, concerns, serial)
