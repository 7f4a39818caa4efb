"""VietQR payloads: NAPAS's two published vectors byte for byte, the checksum, every field's
limits, and an order's payload built from the shop's account, total and code."""

import pytest

from shop.payments import vietqr

STATIC_VECTOR = (
    "00020101021138570010A00000072701270006970403011300110123456780208QRIBFTTA53037045802VN63049E6F"
)
DYNAMIC_VECTOR = (
    "00020101021238570010A00000072701270006970403011300110123456780208QRIBFTTA"
    "530370454061800005802VN62340107NPS68690819thanh toan don hang63042E2E"
)


def fields(payload: str) -> dict[str, str]:
    """Split a TLV string into {id: value}, checking every length on the way."""
    found, i = {}, 0
    while i < len(payload):
        tag, length = payload[i : i + 2], int(payload[i + 2 : i + 4])
        found[tag] = payload[i + 4 : i + 4 + length]
        assert len(found[tag]) == length, f"field {tag} is cut short"
        i += 4 + length
    return found


def test_the_published_static_vector_is_reproduced():
    assert vietqr.build_payload("970403", "0011012345678", dynamic=False) == STATIC_VECTOR


def test_the_published_dynamic_vector_is_reproduced():
    payload = vietqr.build_payload(
        "970403",
        "0011012345678",
        amount=180000,
        memo="thanh toan don hang",
        bill_number="NPS6869",
    )
    assert payload == DYNAMIC_VECTOR


@pytest.mark.parametrize("vector", [STATIC_VECTOR, DYNAMIC_VECTOR])
def test_the_checksum_covers_everything_before_it_including_6304(vector):
    body, crc = vector[:-4], vector[-4:]
    assert body.endswith("6304")
    assert f"{vietqr.crc16_ccitt_false(body.encode()):04X}" == crc


def test_crc16_ccitt_false_has_its_catalogued_check_value():
    # The CRC catalogue's check value for CRC-16/CCITT-FALSE (…/IBM-3740) over "123456789".
    assert vietqr.crc16_ccitt_false(b"123456789") == 0x29B1
    assert vietqr.crc16_ccitt_false(b"") == 0xFFFF


def test_the_checksum_is_four_upper_case_hex_digits_even_when_small():
    for amount in range(1000, 1400):
        crc = vietqr.build_payload("970436", "1023456789", amount=amount)[-4:]
        assert len(crc) == 4 and crc == crc.upper()
        assert all(c in "0123456789ABCDEF" for c in crc)


def test_tlv_writes_id_length_value():
    assert vietqr.tlv("58", "VN") == "5802VN"
    assert vietqr.tlv(54, "180000") == "5406180000"
    assert vietqr.tlv("62", "x" * 99) == "6299" + "x" * 99


@pytest.mark.parametrize(
    ("tag", "value"),
    [("62", ""), ("62", "x" * 100), ("5", "VN"), ("ab", "VN"), ("08", "tiền"), ("08", "a\nb")],
)
def test_tlv_refuses_what_does_not_fit_a_field(tag, value):
    with pytest.raises(ValueError):
        vietqr.tlv(tag, value)


def test_a_dynamic_payload_without_amount_or_memo_leaves_both_fields_out():
    found = fields(vietqr.build_payload("970436", "1023456789"))
    assert list(found) == ["00", "01", "38", "53", "58", "63"]
    assert found["01"] == "12"


def test_an_order_payload_has_every_field_in_its_place():
    found = fields(vietqr.build_payload("970436", "1023456789", 135_000, "DH7K3M9Q2X OCOP Shop"))
    assert found["00"] == "01"
    assert found["01"] == "12"
    merchant = fields(found["38"])
    assert merchant == {"00": "A000000727", "01": "00069704360110" + "1023456789", "02": "QRIBFTTA"}
    assert fields(merchant["01"]) == {"00": "970436", "01": "1023456789"}
    assert found["53"] == "704"
    assert found["54"] == "135000"
    assert found["58"] == "VN"
    assert fields(found["62"]) == {"08": "DH7K3M9Q2X OCOP Shop"}


def test_a_memo_loses_its_diacritics_but_keeps_its_case():
    found = fields(vietqr.build_payload("970436", "1023456789", memo="Thanh toán đơn Đặt"))
    assert fields(found["62"])["08"] == "Thanh toan don Dat"


@pytest.mark.parametrize(
    ("kwargs", "problem"),
    [
        ({"bank_bin": "97043"}, "BIN"),
        ({"bank_bin": "97043A"}, "BIN"),
        ({"account_no": ""}, "account"),
        ({"account_no": "1" * 20}, "account"),
        ({"account_no": "1023-456"}, "account"),
        ({"account_no": "１２３"}, "account"),
        ({"amount": 0}, "amount"),
        ({"amount": -180000}, "amount"),
        ({"amount": 1.5}, "amount"),
        ({"amount": "180000"}, "amount"),
        ({"amount": True}, "amount"),
        ({"amount": 10**13}, "amount"),
        ({"memo": "x" * 26}, "memo"),
        ({"memo": "🙂🙂"}, "memo"),
        ({"bill_number": "B" * 26}, "bill number"),
    ],
)
def test_bad_input_is_refused_with_a_reason(kwargs, problem):
    values = {"bank_bin": "970436", "account_no": "1023456789", **kwargs}
    with pytest.raises(ValueError, match=problem):
        vietqr.build_payload(**values)


def test_the_largest_amount_that_fits_is_accepted():
    found = fields(vietqr.build_payload("970436", "1023456789", amount=10**13 - 1))
    assert found["54"] == "9" * 13


def test_an_order_memo_starts_with_the_code_and_fits_the_field(app, make_order):
    order, _token = make_order()
    assert vietqr.order_memo(order) == f"{order.code} OCOP Shop"
    app.config["SHOP_NAME"] = "Hợp tác xã Nông sản Thanh Hóa"
    memo = vietqr.order_memo(order)
    assert memo.startswith(f"{order.code} Hop tac xa")
    assert len(memo) <= vietqr.MEMO_MAX


def test_an_order_payload_uses_the_configured_account_and_the_total(app, make_order):
    order, _token = make_order(total_vnd=1_234_000)
    found = fields(vietqr.order_payload(order))
    assert fields(fields(found["38"])["01"]) == {"00": "970436", "01": "1023456789"}
    assert found["54"] == "1234000"
    assert fields(found["62"])["08"].startswith(order.code)
    account = vietqr.bank_account()
    assert (account.bank_name, account.name, account.demo) == (
        "Vietcombank",
        "HTX NONG SAN THANH HOA",
        False,
    )


def test_without_an_account_the_demo_account_is_used(app, make_order):
    app.config.update(VIETQR_BANK_BIN=None, VIETQR_ACCOUNT_NO=None)
    order, _token = make_order()
    account = vietqr.bank_account()
    assert account.demo and account == vietqr.DEMO_ACCOUNT
    beneficiary = fields(fields(fields(vietqr.order_payload(order))["38"])["01"])
    assert beneficiary == {"00": account.bank_bin, "01": account.number}


def test_every_named_bank_has_a_six_digit_bin():
    assert all(len(bin_) == 6 and bin_.startswith("970") for bin_ in vietqr.BANKS)
    assert vietqr.BANKS["970436"] == "Vietcombank"
    assert vietqr.BankAccount("999999", "1", "X").bank_name == "999999"
