"""The public addresses of a batch: its GS1 Digital Link (printed on labels) and its label files.

The scan URLs are permanent (SPEC): /01/<gtin14>/10/<lot> and …/21/<serial>, on SHOP_BASE_URL.
"""

from urllib.parse import quote

from flask import current_app, url_for
from werkzeug.routing import BuildError

from shop.trace.models import Batch


def absolute(path: str) -> str:
    """A path on this site as an absolute URL on the public origin (SHOP_BASE_URL)."""
    return current_app.config["SHOP_BASE_URL"].rstrip("/") + path


def batch_path(batch: Batch) -> str:
    return url_for("scan.batch", gtin=batch.product.gtin, lot=batch.lot)


def batch_url(batch: Batch) -> str:
    """The absolute URL a batch-level QR label carries."""
    return absolute(batch_path(batch))


def unit_url(batch: Batch, serial: str) -> str:
    """The absolute URL of one serialised label."""
    return absolute(url_for("scan.unit", gtin=batch.product.gtin, lot=batch.lot, serial=serial))


def _label_path(endpoint: str, filename: str, batch: Batch) -> str:
    """url_for the labels blueprint; its fixed path while that endpoint is not registered."""
    gtin, lot = batch.product.gtin, batch.lot
    try:
        return url_for(endpoint, gtin=gtin, lot=lot)
    except BuildError:
        return f"/labels/{gtin}/{quote(lot, safe='')}/{filename}"


def label_png_url(batch: Batch) -> str:
    """The batch's QR label as a PNG (absolute)."""
    return absolute(_label_path("labels.qr_png", "qr.png", batch))


def label_pdf_url(batch: Batch) -> str:
    """An A4 sheet of labels that all carry the batch URL (absolute)."""
    return absolute(_label_path("labels.sheet_pdf", "sheet.pdf", batch))
