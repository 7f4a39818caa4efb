"""The QR code of a label: the permanent GS1 Digital Link URL, as a matrix, PNG or SVG.

One place builds the URLs printed on labels (batch_url); the scan pages answer the same
addresses. The matrix comes from the `qrcode` library with error correction M and a quiet
zone of 4 modules, so every output (PNG, SVG, PDF) encodes exactly the same symbol.
"""

import io
from urllib.parse import quote

import qrcode
from flask import current_app
from qrcode.image.svg import SvgPathFillImage

from shop.catalogue import gtin as gtin_rules

QUIET_ZONE = 4  # modules of white around the symbol: the minimum ISO/IEC 18004 asks for
ERROR_CORRECTION = qrcode.constants.ERROR_CORRECT_M  # ~15 % of the symbol may be damaged
PNG_MODULE_PX = 10
# What may stay unescaped in one path segment: Werkzeug's set without "/", so that a lot
# printed here reads back as the same single segment the scan routes match.
_SEGMENT_SAFE = "!$&'()*+,:;=@"


def base_url() -> str:
    """SHOP_BASE_URL, the public origin printed on labels, without a trailing slash."""
    return current_app.config["SHOP_BASE_URL"].rstrip("/")


def batch_url(gtin: str, lot: str, serial: str | None = None) -> str:
    """The label URL: {base}/01/{gtin14}/10/{lot}, and /21/{serial} for one unit.

    A GTIN given in 8, 12 or 13 digits is written in its 14-digit form; ValueError if invalid.
    """
    url = f"{base_url()}/01/{gtin_rules.canonical(gtin)}/10/{quote(lot, safe=_SEGMENT_SAFE)}"
    if serial is not None:
        url += f"/21/{quote(serial, safe=_SEGMENT_SAFE)}"
    return url


def short_url(url: str) -> str:
    """The URL as printed under the code: without its scheme."""
    return url.split("://", 1)[-1]


def _encoder(url: str) -> qrcode.QRCode:
    code = qrcode.QRCode(error_correction=ERROR_CORRECTION, border=QUIET_ZONE)
    code.add_data(url)
    code.make(fit=True)
    return code


def matrix(url: str) -> list[list[bool]]:
    """The symbol's modules, quiet zone included, row by row from the top (True = dark)."""
    return _encoder(url).get_matrix()


def png(url: str, module_px: int = PNG_MODULE_PX) -> bytes:
    """The code as a black-on-white PNG, `module_px` pixels per module."""
    code = _encoder(url)
    code.box_size = module_px
    out = io.BytesIO()
    code.make_image(fill_color="black", back_color="white").save(out, format="PNG")
    return out.getvalue()


def svg(url: str) -> bytes:
    """The code as a scalable SVG: a white background, one path, one viewBox unit per module."""
    code = _encoder(url)
    out = io.BytesIO()
    code.make_image(image_factory=SvgPathFillImage).save(out)
    return out.getvalue()
