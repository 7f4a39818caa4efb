"""Lab reports and certificates attached to events: a real PDF or a real image, nothing else.

A PDF is recognised by its content (it starts with %PDF- and ends with %%EOF), never by its
name; images go through the photo pipeline (decoded, re-encoded, stripped).
"""

from typing import BinaryIO

from flask import current_app
from flask_babel import lazy_gettext as _l

from shop.catalogue.images import ImageRejected, reencode, store

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
PDF_MAGIC = b"%PDF-"
PDF_END = b"%%EOF"


class AttachmentRejected(ValueError):
    """An attachment we do not keep; the message is for the user."""


def max_bytes() -> int:
    return int(current_app.config.get("MAX_ATTACHMENT_BYTES", DEFAULT_MAX_BYTES))


def is_pdf(data: bytes) -> bool:
    """A PDF file: the header first, the end-of-file marker within its last kilobyte."""
    return data.startswith(PDF_MAGIC) and PDF_END in data[-1024:]


def save_attachment(stream: BinaryIO) -> str:
    """Validate and store one report; returns the stored file name (….pdf or ….jpg)."""
    limit = max_bytes()
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise AttachmentRejected(
            _l("The file is larger than %(mb)s MB.", mb=limit // (1024 * 1024))
        )
    if not data:
        raise AttachmentRejected(_l("The file is empty."))
    if data.startswith(PDF_MAGIC):
        if not is_pdf(data):
            raise AttachmentRejected(_l("This PDF is damaged or incomplete."))
        return store(data, ".pdf")
    if len(data) > current_app.config["MAX_IMAGE_BYTES"]:
        raise AttachmentRejected(
            _l(
                "The photo is larger than %(mb)s MB.",
                mb=current_app.config["MAX_IMAGE_BYTES"] // (1024 * 1024),
            )
        )
    try:
        image = reencode(
            data, current_app.config["MAX_IMAGE_PIXELS"], current_app.config["IMAGE_MAX_SIDE"]
        )
    except ImageRejected:
        raise AttachmentRejected(
            _l("Attach the report as a PDF or a photo (JPEG, PNG, WebP or GIF).")
        ) from None
    return store(image)
