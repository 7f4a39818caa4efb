"""The syntax of the GS1 Digital Link URIs we answer: /01/<gtin>[/22/…][/10/<lot>][/21/<serial>].

A URI that breaks the syntax (a bad check digit, a non-digit GTIN, a value too long or with
characters a GS1 AI cannot hold, an unknown or misplaced AI, extra path segments, a malformed
data attribute such as an expiry date in the query) is a syntax error: 400 (GS1-Conformant
Resolver 1.2 §2). A well-formed URI naming something that is not ours is a 404 for the views.
"""

import calendar
import re
from dataclasses import dataclass, field
from urllib.parse import quote

from shop.scan.compression import FORMATS, NotCompressed, decompress
from shop.scan.lookup import canonical_gtin

#: GS1 AI encodable character set 82, the characters a lot or a serial may hold.
CSET82 = re.compile(r"[!\"%&'()*+,\-./0-9:;<=>?A-Z_a-z]*")
#: Key qualifiers of a GTIN, in the order the path must give them.
QUALIFIERS = ("22", "10", "21")
DATES = ("11", "12", "13", "15", "16", "17")


class SyntaxProblem(ValueError):
    """The URI is not a syntactically valid GS1 Digital Link; `reason` is for the page."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class DigitalLink:
    gtin: str
    qualifiers: dict[str, str] = field(default_factory=dict)
    attributes: dict[str, str] = field(default_factory=dict)
    others: dict[str, str] = field(default_factory=dict)

    @property
    def path(self) -> str:
        """The uncompressed path, 14-digit GTIN first."""
        parts = [f"/01/{canonical_gtin(self.gtin)}"]
        parts += [
            f"/{ai}/{quote(self.qualifiers[ai], safe='')}"
            for ai in QUALIFIERS
            if ai in self.qualifiers
        ]
        return "".join(parts)

    @property
    def query(self) -> str:
        pairs = {**dict(sorted(self.attributes.items())), **self.others}
        return "&".join(f"{quote(k, safe='')}={quote(v, safe=':')}" for k, v in pairs.items())


def valid_value(ai: str, value: str) -> bool:
    """Whether the value fits the AI's format (digits, length, character set, a real date)."""
    position = 0
    for kind, size, fixed in FORMATS[ai]:
        rest = value[position:]
        if fixed:
            part = rest[:size]
            if len(part) != size:
                return False
        else:
            part = rest[:size]
            if not part:
                return False
        if kind == "N" and not (part.isascii() and part.isdigit()):
            return False
        if kind == "X" and not CSET82.fullmatch(part):
            return False
        position += len(part)
    if position != len(value):
        return False
    return ai not in DATES or valid_date(value)


def valid_date(value: str) -> bool:
    """YYMMDD; a day of 00 means the end of the month (GS1 General Specifications 3.4)."""
    year, month, day = 2000 + int(value[:2]), int(value[2:4]), int(value[4:])
    return 1 <= month <= 12 and day <= calendar.monthrange(year, month)[1]


def check_qualifier(ai: str, value: str) -> None:
    if not valid_value(ai, value):
        raise SyntaxProblem({"10": "lot", "21": "serial"}.get(ai, "path"))


def check_attributes(pairs) -> dict[str, str]:
    """The data attributes of a query string (all-digit keys): known AIs with valid values."""
    attributes = {}
    for key, value in pairs:
        if not (key.isascii() and key.isdigit()):
            continue
        if key not in FORMATS or key in ("01", *QUALIFIERS) or not valid_value(key, value):
            raise SyntaxProblem("path")
        attributes[key] = value
    return attributes


def parse(gtin: str, segments: list[str], pairs=()) -> DigitalLink:
    """A GTIN-keyed Digital Link from its path segments after /01/<gtin> and its query pairs."""
    if canonical_gtin(gtin) is None:
        raise SyntaxProblem("gtin")
    if len(segments) % 2:
        raise SyntaxProblem("path")
    qualifiers: dict[str, str] = {}
    order = -1
    for ai, value in zip(segments[::2], segments[1::2], strict=True):
        if ai not in QUALIFIERS or QUALIFIERS.index(ai) <= order:
            raise SyntaxProblem("path")
        order = QUALIFIERS.index(ai)
        check_qualifier(ai, value)
        qualifiers[ai] = value
    return DigitalLink(gtin, qualifiers, check_attributes(pairs))


def from_compressed(segment: str, gtin: str | None = None) -> DigitalLink:
    """A compressed Digital Link (the whole key, or what follows an uncompressed /01/<gtin>).

    Raises NotCompressed when the segment does not decode, SyntaxProblem when it decodes to
    values that break the syntax.
    """
    ais, others = decompress(segment)
    if gtin is not None:
        if "01" in ais:
            raise NotCompressed("the GTIN is given twice")
        ais["01"] = gtin
    if "01" not in ais:
        raise NotCompressed("not keyed by a GTIN")
    key = ais.pop("01")
    if canonical_gtin(key) is None:
        raise SyntaxProblem("gtin")
    qualifiers = {ai: ais.pop(ai) for ai in QUALIFIERS if ai in ais}
    for ai, value in qualifiers.items():
        check_qualifier(ai, value)
    attributes = check_attributes(ais.items())
    return DigitalLink(key, qualifiers, attributes, others)
