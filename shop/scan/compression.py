"""Decoding compressed GS1 Digital Link URIs (GS1 Digital Link: Compression, DL 1.1 §10).

A compressed URI carries its element strings as one URI-safe base64 path segment: each AI is
written as 4-bit digits (or a 2-nibble optimisation code standing for a fixed sequence of AIs),
followed by its value in as few bits as its format allows. Non-GS1 key=value pairs may follow
behind a hex 'F' flag. Decoding is strict: a segment that does not decode completely is simply
not a compressed Digital Link (the caller answers 404 or 400), never an error.
"""

import math

BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
HEX = "0123456789ABCDEF"


class NotCompressed(ValueError):
    """The text is not a decodable compressed GS1 Digital Link."""


def _formats() -> dict[str, tuple[tuple[str, int, bool], ...]]:
    """AI → its components: (kind 'N' or 'X', length, fixed?) as the compression tables give."""

    def n(length: int) -> tuple[str, int, bool]:
        return ("N", length, True)

    def nv(most: int) -> tuple[str, int, bool]:
        return ("N", most, False)

    def xv(most: int) -> tuple[str, int, bool]:
        return ("X", most, False)

    table: dict[str, tuple] = {
        "00": (n(18),),
        "01": (n(14),),
        "02": (n(14),),
        "10": (xv(20),),
        "20": (n(2),),
        "21": (xv(20),),
        "22": (xv(20),),
        "240": (xv(30),),
        "241": (xv(30),),
        "242": (nv(6),),
        "243": (xv(20),),
        "250": (xv(30),),
        "251": (xv(30),),
        "253": (n(13), xv(17)),
        "254": (xv(20),),
        "255": (n(13), nv(12)),
        "30": (nv(8),),
        "37": (nv(8),),
        "400": (xv(30),),
        "401": (xv(30),),
        "402": (n(17),),
        "403": (xv(30),),
        "420": (xv(20),),
        "421": (n(3), xv(9)),
        "422": (n(3),),
        "423": (n(3), nv(12)),
        "424": (n(3),),
        "425": (n(3), nv(12)),
        "426": (n(3),),
        "427": (xv(3),),
        "7001": (n(13),),
        "7002": (xv(30),),
        "7003": (n(10),),
        "7004": (nv(4),),
        "7005": (xv(12),),
        "7006": (n(6),),
        "7007": (n(6), nv(6)),
        "7008": (xv(3),),
        "7009": (xv(10),),
        "7010": (xv(2),),
        "7023": (xv(30),),
        "8001": (n(14),),
        "8002": (xv(20),),
        "8003": (n(14), xv(16)),
        "8004": (xv(30),),
        "8005": (n(6),),
        "8006": (n(18),),
        "8007": (xv(24),),
        "8008": (n(8), nv(4)),
        "8009": (xv(50),),
        "8010": (xv(30),),
        "8011": (nv(12),),
        "8012": (xv(20),),
        "8013": (xv(30),),
        "8017": (n(18),),
        "8018": (n(18),),
        "8019": (nv(10),),
        "8020": (xv(25),),
        "8026": (n(18),),
        "8110": (xv(70),),
        "8111": (n(4),),
        "8112": (xv(70),),
        "8200": (xv(70),),
        "90": (xv(30),),
    }
    for ai in ("11", "12", "13", "15", "16", "17"):  # dates YYMMDD
        table[ai] = (n(6),)
    for ai in range(410, 417):  # GLNs
        table[str(ai)] = (n(13),)
    for ai in range(91, 100):  # company internal information
        table[str(ai)] = (xv(90),)
    # trade measures 31nn-36nn: the third digit names the measure, the fourth the decimals
    measures = {"31": 6, "32": 9, "33": 7, "34": 9, "35": 7, "36": 9}
    for head, last in measures.items():
        for measure in range(last + 1):
            for decimals in range(6):
                table[f"{head}{measure}{decimals}"] = (n(6),)
    for decimals in range(10):
        table[f"390{decimals}"] = (nv(15),)
        table[f"391{decimals}"] = (n(3), nv(15))
        table[f"392{decimals}"] = (nv(15),)
        table[f"393{decimals}"] = (n(3), nv(15))
        table[f"703{decimals}"] = (n(3), xv(27))
        table[f"723{decimals}"] = (xv(30),)
    for ai in ("3940", "3941", "3942", "3943"):
        table[ai] = (n(4),)
    for ai in ("7020", "7021", "7022", "710", "711", "712", "713", "714"):
        table[ai] = (xv(20),)
    return table


FORMATS = _formats()
#: How many digits an AI has, by its first two (table P of the standard).
AI_LENGTHS = {ai[:2]: len(ai) for ai in FORMATS}
#: Optimisation codes (table Opt): two hex nibbles standing for a sequence of AIs. The values
#: follow in the AIs' sorted order, as GS1's toolkit (and digital-link.js, built on it) writes
#: them: 1A is 01, 10, 17, 21 and 9D is 254, 414.
OPTIMISATIONS = {
    "0A": ("01", "22"),
    "0B": ("01", "10"),
    "0C": ("01", "21"),
    "0D": ("01", "17"),
    "0E": ("01", "7003"),
    "0F": ("01", "30"),
    "1A": ("01", "10", "17", "21"),
    "1B": ("01", "15"),
    "1C": ("01", "11"),
    "1D": ("01", "16"),
    "1E": ("01", "91"),
    "1F": ("01", "10", "15"),
    "9A": ("8010", "8011"),
    "9B": ("8017", "8019"),
    "9C": ("8018", "8019"),
    "9D": ("254", "414"),
    **{f"2{HEX[10 + d]}": ("01", f"310{d}") for d in range(6)},
    **{f"3{HEX[10 + d]}": ("01", f"320{d}") for d in range(6)},
    **{f"A{d}": ("01", f"392{d}") for d in range(10)},
    **{f"C{d}": ("255", f"390{d}") for d in range(10)},
    **{f"C{HEX[10 + d]}": ("255", f"394{d}") for d in range(4)},
}


def value_bits(digits: int) -> int:
    """Bits holding a number of `digits` decimal digits."""
    return math.ceil(digits * math.log2(10) + 0.01)


def length_bits(most: int) -> int:
    """Bits of the length indicator of a value of at most `most` characters."""
    return math.ceil(math.log2(most) + 0.01)


class _Bits:
    def __init__(self, text: str):
        if not text or any(c not in BASE64 for c in text):
            raise NotCompressed(text)
        self.bits = "".join(f"{BASE64.index(c):06b}" for c in text)
        self.cursor = 0

    def left(self) -> int:
        return len(self.bits) - self.cursor

    def take(self, count: int) -> int:
        if count > self.left():
            raise NotCompressed("ran out of bits")
        chunk = self.bits[self.cursor : self.cursor + count]
        self.cursor += count
        return int(chunk, 2) if chunk else 0

    def digits(self, count: int) -> str:
        number = self.take(value_bits(count))
        if number >= 10**count:
            raise NotCompressed("not a number of that many digits")
        return str(number).zfill(count) if count else ""

    def text(self, encoding: int, count: int) -> str:
        """A value of `count` characters in one of the five encodings of the standard."""
        if encoding == 0:
            return self.digits(count)
        if encoding in (1, 2):
            chars = "".join(HEX[self.take(4)] for _ in range(count))
            return chars.lower() if encoding == 1 else chars
        if encoding == 3:
            return "".join(BASE64[self.take(6)] for _ in range(count))
        if encoding == 4:
            return "".join(chr(self.take(7)) for _ in range(count))
        raise NotCompressed("unknown encoding")


def _value(bits: _Bits, ai: str) -> str:
    parts = []
    for kind, size, fixed in FORMATS[ai]:
        if kind == "N" and fixed:
            parts.append(bits.digits(size))
        elif kind == "N":
            parts.append(bits.digits(bits.take(length_bits(size))))
        else:
            encoding = bits.take(3)
            count = bits.take(length_bits(size))
            if count > size:
                raise NotCompressed("value too long")
            parts.append(bits.text(encoding, count))
    return "".join(parts)


def _ai(bits: _Bits, head: str) -> str:
    length = AI_LENGTHS.get(head)
    if length is None:
        raise NotCompressed("no AI starts with " + head)
    ai = head
    while len(ai) < length:
        nibble = bits.take(4)
        if nibble > 9:
            raise NotCompressed("an AI is all digits")
        ai += str(nibble)
    if ai not in FORMATS:
        raise NotCompressed("unknown AI " + ai)
    return ai


def decompress(segment: str) -> tuple[dict[str, str], dict[str, str]]:
    """The AIs and the non-GS1 key=value pairs one compressed path segment carries."""
    bits = _Bits(segment)
    ais: dict[str, str] = {}
    others: dict[str, str] = {}
    while bits.left() > 8:
        h1, h2 = bits.take(4), bits.take(4)
        head = HEX[h1] + HEX[h2]
        if h1 <= 9 and h2 <= 9:
            ai = _ai(bits, head)
            ais[ai] = _value(bits, ai)
        elif head in OPTIMISATIONS:
            for ai in OPTIMISATIONS[head]:
                ais[ai] = _value(bits, ai)
        elif h1 == 15:
            key_length = h2 << 3 | bits.take(3)
            key = "".join(BASE64[bits.take(6)] for _ in range(key_length))
            encoding = bits.take(3)
            others[key] = bits.text(encoding, bits.take(7))
        else:
            raise NotCompressed("no optimisation " + head)
    if bits.left() and bits.take(bits.left()):
        raise NotCompressed("trailing bits are padding (zeros)")
    if not ais:
        raise NotCompressed(segment)
    return ais, others
