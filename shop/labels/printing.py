"""From a batch to printed labels: what a label says, whether it may be printed, the PDF.

Labels are printed in the shop's default language (Vietnamese), whatever language the
farmer's screen is in: they are read by the shop's customers, on the package.
"""

import io

from flask import current_app
from flask_babel import force_locale, pgettext
from flask_babel import gettext as _

from shop.clock import local_today
from shop.labels import qr, sheets
from shop.labels.models import LabelRun
from shop.labels.serials import run_serials
from shop.trace.models import Batch, CodeStatus

BATCH_SHEET_COPIES = {"a4": sheets.SHEET_A4.per_page, "roll": 1}


def label_content(batch: Batch) -> sheets.LabelContent:
    """What every label of the batch says; stars only while the OCOP certificate is current."""
    product, area = batch.product, batch.growing_area
    return sheets.LabelContent(
        product_name=product.name,
        stars=product.ocop_stars,
        lot=batch.lot,
        packing_date=_day(batch.packing_date),
        best_before=_day(batch.best_before),
        producer=product.producer.name,
        area_code=area.code if area else "",
    )


def captions() -> sheets.Captions:
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        return sheets.Captions(
            lot=pgettext("printed label", "Lot"),
            packed=pgettext("printed label", "Packed"),
            best_before=pgettext("printed label", "Best before"),
            area=pgettext("printed label", "Growing area code"),
            ocop="OCOP",
        )


def print_refusal(batch: Batch) -> str | None:
    """Why labels cannot be printed for this batch now (its growing-area code is not valid)."""
    area = batch.growing_area
    if area is None or area.is_valid(local_today()):
        return None
    reason = f" ({area.status_reason})" if area.status_reason else ""
    if area.status == CodeStatus.REVOKED:
        return _(
            "The growing area code %(code)s has been revoked%(reason)s. "
            "Labels can no longer be printed for this batch.",
            code=area.code,
            reason=reason,
        )
    if area.status == CodeStatus.SUSPENDED:
        return _(
            "The growing area code %(code)s is suspended%(reason)s. "
            "Labels can be printed again once the code is active.",
            code=area.code,
            reason=reason,
        )
    return _(
        "The growing area code %(code)s expired on %(day)s. "
        "Labels can be printed again once the code is renewed.",
        code=area.code,
        day=_day(area.expires_on),
    )


def batch_sheet(batch: Batch, layout: str) -> bytes:
    """A sheet of batch-level labels (every label carries the batch URL)."""
    url = qr.batch_url(batch.product.gtin, batch.lot)
    return _pdf(batch, [url] * BATCH_SHEET_COPIES[layout], layout)


def run_sheet(run: LabelRun) -> bytes:
    """One label per serial of the run, each with its own URL, in the order issued."""
    batch = run.batch
    gtin, lot = batch.product.gtin, batch.lot
    urls = (qr.batch_url(gtin, lot, serial) for serial in run_serials(run))
    return _pdf(batch, urls, run.layout)


def _pdf(batch: Batch, urls, layout: str) -> bytes:
    out = io.BytesIO()
    content = label_content(batch)
    sheets.write_labels(
        out,
        content,
        urls,
        sheets.LAYOUTS[layout],
        captions(),
        title=f"{content.product_name} · {batch.lot}",
    )
    return out.getvalue()


def _day(day) -> str:
    return day.strftime("%d/%m/%Y") if day else ""
