"""Vietnamese text folded for search and URLs: no diacritics, đ → d, lower case."""

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def fold(text: str | None) -> str:
    """'Nước mắm Ba Làng' → 'nuoc mam ba lang'; the same on both sides of a search."""
    if not text:
        return ""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_ALNUM.sub(" ", bare.lower()).strip()


def slugify(text: str, max_length: int = 120) -> str:
    """'Chè lam Phủ Quảng' → 'che-lam-phu-quang'."""
    slug = fold(text).replace(" ", "-")[:max_length].strip("-")
    return slug or "item"
