"""Photos: only real images get in; each is re-encoded (no EXIF, no payload) and stored by hash."""

import hashlib
import io
import os
import warnings
from pathlib import Path
from typing import BinaryIO

from flask import current_app
from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps

from shop.catalogue.responsive import make_variants

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}


class ImageRejected(ValueError):
    """An upload that is not an image we accept; the message is for the user."""


def read_limited(stream: BinaryIO, max_bytes: int) -> bytes:
    """Read at most max_bytes; a larger file is rejected before it is decoded."""
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ImageRejected(
            _l("The photo is larger than %(mb)s MB.", mb=max_bytes // (1024 * 1024))
        )
    if not data:
        raise ImageRejected(_l("The file is empty."))
    return data


def reencode(data: bytes, max_pixels: int, max_side: int) -> bytes:
    """Decode, check the pixel count, apply the EXIF rotation, shrink, and save as fresh JPEG."""
    too_many_pixels = ImageRejected(_l("The photo has too many pixels."))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format not in ACCEPTED_FORMATS:
                    raise ImageRejected(_l("Please upload a JPEG, PNG, WebP or GIF photo."))
                width, height = probe.size
                if width * height > max_pixels:
                    raise too_many_pixels
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                image = flatten(ImageOps.exif_transpose(image))
    except ImageRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise too_many_pixels from exc
    except Exception as exc:  # a malformed file can fail inside any decoder, in any way
        raise ImageRejected(_l("This file is not an image we can read.")) from exc
    image.thumbnail((max_side, max_side))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85, optimize=True, progressive=True)
    return out.getvalue()


def flatten(image: Image.Image) -> Image.Image:
    """RGB for JPEG; transparent parts become white (a product cut-out on white, not black)."""
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def store(data: bytes, suffix: str = ".jpg") -> str:
    """Write bytes under UPLOAD_FOLDER named by their hash; the same photo is stored once."""
    folder = Path(current_app.config["UPLOAD_FOLDER"])
    folder.mkdir(parents=True, exist_ok=True)
    name = hashlib.sha256(data).hexdigest()[:32] + suffix
    path = folder / name
    if not path.exists():
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
    return name


def save_upload(stream: BinaryIO) -> str:
    """Validate and store one uploaded photo and its WebP/AVIF sizes; returns its file name."""
    config = current_app.config
    data = read_limited(stream, config["MAX_IMAGE_BYTES"])
    name = store(reencode(data, config["MAX_IMAGE_PIXELS"], config["IMAGE_MAX_SIDE"]))
    make_variants(name)
    return name
