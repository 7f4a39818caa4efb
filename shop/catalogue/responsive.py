"""Photos in modern formats and several widths, so a phone downloads what it shows.

Every stored JPEG `<hash>.jpg` gets variants `<hash>-<width>.webp` (and `.avif` where Pillow
can write AVIF): made when a photo is uploaded, by `flask make-image-variants` (seed-demo runs
it), and otherwise on the first request for one. Templates list them in `srcset`.
"""

import io
import re
import uuid
from pathlib import Path

from flask import current_app, url_for
from PIL import Image, features

WIDTHS = (160, 320, 640, 960, 1280)  # 160: thumbnails and avatars at 2-3× density
VARIANT_NAME = re.compile(r"^(?P<stem>[0-9a-f]{32})-(?P<width>[0-9]{2,4})\.(?P<ext>webp|avif)$")
# (extension, MIME type, Pillow format, options); the best format first, as <source> wants it.
FORMATS = [
    ("avif", "image/avif", "AVIF", {"quality": 50, "speed": 8}),
    ("webp", "image/webp", "WEBP", {"quality": 78, "method": 4}),
]
FORMATS = [entry for entry in FORMATS if features.check(entry[2].lower())]


def folder() -> Path:
    return Path(current_app.config["UPLOAD_FOLDER"])


_source_widths: dict[str, int] = {}


def _source_width(path: str) -> int | None:
    """The stored photo's width, remembered (names are content hashes: a name's width never
    changes); a file that is not there yet is not remembered."""
    if path not in _source_widths:
        try:
            with Image.open(path) as image:
                _source_widths[path] = image.width
        except (OSError, ValueError):
            return None
    return _source_widths[path]


def widths_for(source_width: int) -> list[int]:
    """The variant widths of a photo: the standard ones below its own width, then its own."""
    smaller = [width for width in WIDTHS if width < source_width]
    return smaller if source_width > WIDTHS[-1] else [*smaller, source_width]


def variant_widths(name: str) -> list[int]:
    """Variant widths for a stored JPEG, or [] for anything else (a PDF, a missing file)."""
    if not name.endswith(".jpg"):
        return []
    width = _source_width(str(folder() / name))
    return widths_for(width) if width else []


def image_sources(name: str) -> list[tuple[str, str]]:
    """(MIME type, srcset) per modern format, for <source> elements; [] if none apply."""
    widths = variant_widths(name)
    stem = name.removesuffix(".jpg")
    return [
        (
            mime,
            ", ".join(
                f"{url_for('site.media', name=f'{stem}-{width}.{ext}')} {width}w"
                for width in widths
            ),
        )
        for ext, mime, _format, _options in FORMATS
        if widths
    ]


def make_variant(name: str) -> Path | None:
    """Write one variant named `<hash>-<width>.<ext>` from its JPEG; None if it cannot exist."""
    match = VARIANT_NAME.match(name)
    if not match:
        return None
    formats = {ext: (fmt, options) for ext, _mime, fmt, options in FORMATS}
    source = folder() / f"{match['stem']}.jpg"
    width = int(match["width"])
    if match["ext"] not in formats or width not in variant_widths(source.name):
        return None
    target = folder() / name
    if not target.exists():
        pillow_format, options = formats[match["ext"]]
        with Image.open(source) as image:
            image.thumbnail((width, width * 4), Image.Resampling.LANCZOS)
            out = io.BytesIO()
            image.save(out, pillow_format, **options)
        tmp = target.with_name(f"{name}.{uuid.uuid4().hex}.tmp")  # one per writer
        tmp.write_bytes(out.getvalue())
        tmp.replace(target)
    return target


def stored_photos() -> list[str]:
    """Names of the stored JPEG photos."""
    return sorted(path.name for path in folder().glob("*.jpg"))


def make_variants(name: str) -> int:
    """Write every missing variant of a stored JPEG; returns how many were written."""
    stem = name.removesuffix(".jpg")
    written = 0
    for width in variant_widths(name):
        for ext, *_rest in FORMATS:
            variant = f"{stem}-{width}.{ext}"
            if not (folder() / variant).exists():
                make_variant(variant)
                written += 1
    return written
