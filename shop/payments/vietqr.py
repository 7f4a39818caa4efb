"""VietQR (NAPAS 247 on EMVCo): the one module that builds transfer payloads, and their PNG.

A payload is a string of TLV fields (two-digit id, two-digit length, value) ending in a
CRC-16/CCITT-FALSE checksum. Banking apps read the bank, account, amount and memo from it and
prefill the transfer; the memo starts with the order code, which the bank webhooks look for.
Pure functions, except bank_account() and order_payload(), which read the shop's configuration.
"""

import unicodedata
from dataclasses import dataclass

from flask import current_app

from shop.labels import qr

NAPAS_GUID = "A000000727"  # NAPAS's application id in field 38
SERVICE_TO_ACCOUNT = "QRIBFTTA"  # 24/7 fast transfer to a bank account (…TTC: to a card)
CURRENCY_VND = "704"  # ISO 4217 numeric
COUNTRY = "VN"
MEMO_MAX = 25  # EMVCo: each sub-field of the additional data (62) holds at most 25 characters
AMOUNT_MAX_DIGITS = 13  # EMVCo: field 54 holds at most 13 characters
PNG_MODULE_PX = 10  # ~450 px: sharp when shown at 264 CSS px on a 2x phone screen

# Bank Identification Numbers (NAPAS) of the banks customers use most, for the order page.
BANKS = {
    "970403": "Sacombank",
    "970405": "Agribank",
    "970407": "Techcombank",
    "970415": "VietinBank",
    "970416": "ACB",
    "970418": "BIDV",
    "970422": "MB Bank",
    "970423": "TPBank",
    "970432": "VPBank",
    "970436": "Vietcombank",
    "970441": "VIB",
    "970443": "SHB",
    "970448": "OCB",
    "970426": "MSB",
    "970437": "HDBank",
    "970454": "Viet Capital Bank",
}


@dataclass(frozen=True)
class BankAccount:
    """Where customers send their transfers; `demo` when the shop has no account configured."""

    bank_bin: str
    number: str
    name: str
    demo: bool = False

    @property
    def bank_name(self) -> str:
        return BANKS.get(self.bank_bin, self.bank_bin)


# Without VIETQR_BANK_BIN and VIETQR_ACCOUNT_NO the shop still shows a working QR code, built
# on the sample account of NAPAS's published example (Sacombank 0011012345678), with a notice
# that it is a demo: staff then record the transfers they see by hand.
DEMO_ACCOUNT = BankAccount("970403", "0011012345678", "OCOP SHOP DEMO", demo=True)


def tlv(tag: str | int, value: str) -> str:
    """One EMVCo field: id, length and value, each length at most 99 characters."""
    tag = f"{tag:02d}" if isinstance(tag, int) else tag
    if len(tag) != 2 or not tag.isdigit():
        raise ValueError(f"a field id is two digits, not {tag!r}")
    if not value or len(value) > 99:
        raise ValueError(f"field {tag} must hold 1 to 99 characters, not {len(value)}")
    if not _printable_ascii(value):
        raise ValueError(f"field {tag} must be printable ASCII: {value!r}")
    return f"{tag}{len(value):02d}{value}"


def crc16_ccitt_false(data: bytes) -> int:
    """CRC-16/CCITT-FALSE: polynomial 0x1021, initial value 0xFFFF, no reflection, no final xor."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return crc


def ascii_memo(text: str) -> str:
    """'Thanh toán đơn hàng' → 'Thanh toan don hang': diacritics off, đ → d, case kept, and
    anything else outside printable ASCII dropped (banks would mangle it anyway)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    bare = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return " ".join("".join(c for c in bare if _printable_ascii(c)).split())


def build_payload(
    bank_bin: str,
    account_no: str,
    amount: int | None = None,
    memo: str | None = None,
    dynamic: bool = True,
    bill_number: str | None = None,
) -> str:
    """The EMVCo string of a transfer to `account_no` at the bank `bank_bin`.

    Field 01 is 12 for a one-off (dynamic) code, 11 for a static one; the amount (whole đồng)
    and the additional data (62: bill number 01, purpose/memo 08) appear only when given.
    The memo is made ASCII (ascii_memo). ValueError when a value does not fit its field.
    """
    if len(bank_bin) != 6 or not bank_bin.isdigit():
        raise ValueError(f"a bank BIN is six digits, not {bank_bin!r}")
    if not 1 <= len(account_no) <= 19 or not account_no.isalnum() or not account_no.isascii():
        raise ValueError(f"an account number is 1 to 19 letters or digits, not {account_no!r}")
    beneficiary = tlv("00", bank_bin) + tlv("01", account_no)
    merchant = tlv("00", NAPAS_GUID) + tlv("01", beneficiary) + tlv("02", SERVICE_TO_ACCOUNT)
    fields = [
        tlv("00", "01"),
        tlv("01", "12" if dynamic else "11"),
        tlv("38", merchant),
        tlv("53", CURRENCY_VND),
    ]
    if amount is not None:
        fields.append(tlv("54", _amount(amount)))
    fields.append(tlv("58", COUNTRY))
    additional = ""
    if bill_number:
        additional += tlv("01", _short("bill number", bill_number))
    if memo:
        additional += tlv("08", _short("memo", ascii_memo(memo)))
    if additional:
        fields.append(tlv("62", additional))
    body = "".join(fields) + "6304"
    return body + f"{crc16_ccitt_false(body.encode('ascii')):04X}"


def bank_account() -> BankAccount:
    """The account configured in VIETQR_BANK_BIN / VIETQR_ACCOUNT_NO, else the demo account."""
    config = current_app.config
    bank_bin, number = config.get("VIETQR_BANK_BIN"), config.get("VIETQR_ACCOUNT_NO")
    if not (bank_bin and number):
        return DEMO_ACCOUNT
    name = config.get("VIETQR_ACCOUNT_NAME") or ascii_memo(config["SHOP_NAME"]).upper()
    return BankAccount(str(bank_bin).strip(), str(number).strip(), name)


def order_memo(order) -> str:
    """'DH7K3M9Q2X OCOP Shop': the order code first (what the webhooks match), then the shop."""
    return f"{order.code} {ascii_memo(current_app.config['SHOP_NAME'])}"[:MEMO_MAX].strip()


def order_payload(order) -> str:
    """The one-off VietQR payload of an order: its total, to the shop's account, memo first."""
    account = bank_account()
    return build_payload(account.bank_bin, account.number, order.total_vnd, order_memo(order))


def png(payload: str, module_px: int = PNG_MODULE_PX) -> bytes:
    """The payload as a QR code (error correction M, 4-module quiet zone), black on white."""
    return qr.png(payload, module_px=module_px)


def _amount(amount: int) -> str:
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise ValueError(f"an amount is a positive whole number of đồng, not {amount!r}")
    text = str(amount)
    if len(text) > AMOUNT_MAX_DIGITS:
        raise ValueError(f"an amount has at most {AMOUNT_MAX_DIGITS} digits")
    return text


def _short(what: str, value: str) -> str:
    if not value or len(value) > MEMO_MAX:
        raise ValueError(f"the {what} must hold 1 to {MEMO_MAX} ASCII characters: {value!r}")
    return value


def _printable_ascii(text: str) -> bool:
    return all(" " <= c <= "~" for c in text)
