"""What the two bank services send, built by hand: SePay's body and key, Casso's body and
signature (its JSON written out the way JavaScript's JSON.stringify writes it)."""

import hashlib
import hmac
import time
from dataclasses import dataclass

WEBHOOK_SECRET = "whsec-test-9f2c7a1e"
ACCOUNT_NO = "1023456789"


@dataclass
class Ledger:
    """How many rows of each kind the payments left behind (a before/after snapshot)."""

    payments: int
    reviews: int
    events: int
    emails: int


def sepay_body(order_code: str | None, amount: int, transaction_id: int = 92704, **extra) -> dict:
    """A transfer as SePay reports it (their documented example, with our values)."""
    body = {
        "id": transaction_id,
        "gateway": "Vietcombank",
        "transactionDate": "2026-10-02 09:41:07",
        "accountNumber": ACCOUNT_NO,
        "code": None,
        "content": f"{order_code} OCOP Shop" if order_code else "chuyen tien",
        "transferType": "in",
        "transferAmount": amount,
        "accumulated": 19_077_000,
        "subAccount": None,
        "referenceCode": "MBVCB.3278907687",
        "description": "",
    }
    body.update(extra)
    return body


def js_json(value) -> str:
    """JSON.stringify of `value` with its object keys sorted at every depth, written out by hand
    (not by json.dumps), so the test does not share the shop's way of producing it."""
    if isinstance(value, dict):
        items = (f"{js_json(k)}:{js_json(value[k])}" for k in sorted(value))
        return "{" + ",".join(items) + "}"
    if isinstance(value, list):
        return "[" + ",".join(js_json(v) for v in value) + "]"
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(int(value)) if float(value).is_integer() else repr(value)
    escapes = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
    out = "".join(escapes.get(c, c if ord(c) >= 0x20 else f"\\u{ord(c):04x}") for c in str(value))
    return f'"{out}"'


def casso_signature(body, secret: str = WEBHOOK_SECRET, t: int | None = None, escaped=False):
    """The X-Casso-Signature header Casso would send for `body`."""
    t = t if t is not None else int(time.time() * 1000)
    text = js_json(body)
    if escaped:  # every non-ASCII character as \uXXXX (UTF-16 units, as JSON escapes them)
        units = text.encode("utf-16-be")
        text = "".join(
            chr(unit) if unit < 128 else f"\\u{unit:04x}"
            for unit in (int.from_bytes(units[i : i + 2]) for i in range(0, len(units), 2))
        )
    digest = hmac.new(secret.encode(), f"{t}.{text}".encode(), hashlib.sha512).hexdigest()
    return f"t={t},v1={digest}"


def casso_body(order_code: str | None, amount: int, transaction_id: int = 51_002, **extra):
    data = {
        "id": transaction_id,
        "reference": "FT26275123456",
        "description": f"{order_code} OCOP Shop" if order_code else "chuyển tiền",
        "amount": amount,
        "runningBalance": 25_000_000,
        "transactionDateTime": "2026-10-02 09:41:07",
        "accountNumber": ACCOUNT_NO,
        "bankName": "VCB",
        "bankAbbreviation": "VCB",
        "virtualAccountNumber": "",
        "virtualAccountName": "",
        "counterAccountName": "LE THI HOA",
        "counterAccountNumber": "0987654321",
        "counterAccountBankId": "970422",
        "counterAccountBankName": "MB Bank",
    }
    data.update(extra)
    return {"error": 0, "data": data}
