"""What the bank-transfer services send: SePay's API key, Casso's signature, and their bodies
read into one Transfer. Pure functions; the webhook views call them before anything is written.

SePay: header `Authorization: Apikey <secret>`; a body per transaction.
Casso v2: header `X-Casso-Signature: t=<ms>,v1=<hex>`, HMAC-SHA512 with the secret over
`t + "." + the body as JSON with keys sorted recursively and separators (",", ":")`. Casso
signs what JavaScript's JSON.stringify writes (UTF-8, non-ASCII unescaped); the escaped form
is accepted too. The timestamp is not checked for age: a replayed delivery is harmless, since
a transaction id is settled once.
"""

import hashlib
import hmac
import json
import re
from dataclasses import dataclass, field

from shop.payments.models import Provider

INTEGER_MAX = 2_147_483_647  # the largest amount the database's INTEGER columns hold
REFERENCE_MAX = 255


class MalformedTransfer(ValueError):
    """A body that does not describe a transfer: answered 400, never stored."""


@dataclass(frozen=True)
class Transfer:
    """One bank transaction as a provider reported it."""

    provider: Provider
    transaction_id: str
    incoming: bool
    amount_vnd: int
    memo: str
    account_number: str
    raw: dict = field(compare=False)


def read_json(data: bytes) -> dict:
    """The request body as a JSON object. Integral numbers written as 180000.0 read as ints,
    as JavaScript would print them back; NaN and Infinity are not JSON."""
    try:
        body = json.loads(data.decode("utf-8"), parse_float=_number, parse_constant=_no_constant)
    except (UnicodeDecodeError, ValueError) as error:
        raise MalformedTransfer(f"the body is not JSON: {error}") from None
    if not isinstance(body, dict):
        raise MalformedTransfer("the body is not a JSON object")
    return body


def sepay_authorised(header: str | None, secret: str | None) -> bool:
    """`Authorization: Apikey <secret>`, compared in constant time; no secret set: refused."""
    if not secret or not header:
        return False
    scheme, _, key = header.strip().partition(" ")
    if scheme.lower() != "apikey":
        return False
    return hmac.compare_digest(key.strip().encode(), secret.encode())


def casso_signatures(body: dict, timestamp: str, secret: str) -> tuple[str, str]:
    """The v1 signatures of `body` at `timestamp`: over the unescaped JSON, then the escaped."""
    return tuple(
        hmac.new(
            secret.encode(),
            f"{timestamp}.{canonical_json(body, ensure_ascii)}".encode(),
            hashlib.sha512,
        ).hexdigest()
        for ensure_ascii in (False, True)
    )


def casso_authorised(header: str | None, body: dict, secret: str | None) -> bool:
    """`X-Casso-Signature: t=<ms>,v1=<hex>` matches the body (either JSON form)."""
    if not secret or not header:
        return False
    parts = dict(part.strip().partition("=")[::2] for part in header.split(","))
    timestamp, given = parts.get("t", ""), parts.get("v1", "").lower()
    if not timestamp.isdigit() or not given:
        return False
    matches = [
        hmac.compare_digest(given.encode(), expected.encode())
        for expected in casso_signatures(body, timestamp, secret)
    ]
    return any(matches)


def canonical_json(body, ensure_ascii: bool = False) -> str:
    """Keys sorted at every depth, no spaces: what Casso signs."""
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=ensure_ascii)


def parse_sepay(body: dict) -> Transfer:
    """{id, transferType "in"/"out", transferAmount, content, accountNumber, …} → Transfer."""
    kind = body.get("transferType")
    if kind not in ("in", "out"):
        raise MalformedTransfer('transferType must be "in" or "out"')
    return Transfer(
        provider=Provider.SEPAY,
        transaction_id=_transaction_id(body.get("id")),
        incoming=kind == "in",
        amount_vnd=_amount(body.get("transferAmount"), "transferAmount"),
        memo=_text(body.get("content"), "content"),
        account_number=_account(body.get("accountNumber")),
        raw=body,
    )


def parse_casso(body: dict) -> list[Transfer]:
    """{"error": 0, "data": {id, amount, description, accountNumber, …} or a list of them}.

    Casso reports money going out with a negative amount: such a transfer is not incoming.
    """
    data = body.get("data")
    items = data if isinstance(data, list) else [data]
    if not items or not all(isinstance(item, dict) for item in items):
        raise MalformedTransfer("data must be a transaction or a list of transactions")
    transfers = []
    for item in items:
        amount = _amount(item.get("amount"), "amount", signed=True)
        transfers.append(
            Transfer(
                provider=Provider.CASSO,
                transaction_id=_transaction_id(item.get("id")),
                incoming=amount >= 0,
                amount_vnd=abs(amount),
                memo=_text(item.get("description"), "description"),
                account_number=_account(item.get("accountNumber")),
                raw={**body, "data": item},
            )
        )
    return transfers


def same_account(reported: str, ours: str) -> bool:
    """Account numbers compared without spaces, dashes or letter case."""
    return _bare(reported) == _bare(ours) != ""


def _bare(account: str) -> str:
    return re.sub(r"[^0-9A-Za-z]", "", account).upper()


def _number(text: str) -> int | float:
    value = float(text)
    return int(value) if value.is_integer() and abs(value) < 2**53 else value


def _no_constant(name: str):
    raise ValueError(f"{name} is not a number")


def _transaction_id(value) -> str:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise MalformedTransfer("id must be the transaction's number or text")
    text = str(value).strip()
    if not text or len(text) > REFERENCE_MAX:
        raise MalformedTransfer(f"id must hold 1 to {REFERENCE_MAX} characters")
    return text


def _amount(value, name: str, signed: bool = False) -> int:
    if isinstance(value, str) and re.fullmatch(r"-?\d{1,12}", value.strip()):
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise MalformedTransfer(f"{name} must be a whole number of đồng")
    if abs(value) > INTEGER_MAX or (value < 0 and not signed):
        raise MalformedTransfer(f"{name} is out of range")
    return value


def _text(value, name: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise MalformedTransfer(f"{name} must be text")
    return value


def _account(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise MalformedTransfer("accountNumber must be text")
    return str(value).strip()
