"""Payouts add up: delivered goods by delivery day, commission on the period's total rounded
half up, refunds made in the period deducted, shipping kept by the cooperative; and the orders
export and the payouts export agree to the đồng."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest

from shop.payouts.ledger import period_figures, totals
from tests.payouts.conftest import NOV

pytestmark = pytest.mark.both_databases  # money


def read_csv(response) -> list[dict]:
    body = response.get_data(as_text=True)
    assert body.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(body[1:])))


def test_november_for_each_producer(app, november):
    a, b = november
    figures = {f.producer.id: f for f in period_figures(date(2026, 11, 1), date(2026, 11, 30))}
    farm_a, farm_b = figures[a.id], figures[b.id]
    # A: two pomelos (12 345 each) and two jars of honey (250 000 each) delivered in November
    assert farm_a.gross_vnd == 2 * 12_345 + 2 * 250_000 == 524_690
    assert farm_a.commission_percent == Decimal(10)
    assert farm_a.commission_vnd == 52_469  # 52 469.0; line by line it would be 52 470
    assert farm_a.refunds_vnd == 250_000
    assert farm_a.net_vnd == 524_690 - 52_469 - 250_000 == 222_221
    # B: three nem chua at 45 000, 7.5 % → 10 125
    assert (farm_b.gross_vnd, farm_b.commission_percent) == (135_000, Decimal("7.5"))
    assert (farm_b.commission_vnd, farm_b.refunds_vnd, farm_b.net_vnd) == (10_125, 0, 124_875)


def test_commission_rounds_half_up_on_the_period_total(app, make_producer, make_product):
    from tests.payouts.conftest import utc
    from tests.sales import make_sale

    farm = make_producer()
    product = make_product(producer=farm, price_vnd=5)
    make_sale([(product, 1)], at=utc(2026, 11, 5))  # 10 % of 5 = 0.5 → 1
    [f] = period_figures(date(2026, 11, 1), date(2026, 11, 30))
    assert (f.gross_vnd, f.commission_vnd, f.net_vnd) == (5, 1, 4)


def test_days_are_vietnamese_days(app, november):
    a, _b = november
    [dec_1] = period_figures(date(2026, 12, 1), date(2026, 12, 1), a.id)
    assert dec_1.gross_vnd == 250_000  # delivered 17:30 UTC on 30 Nov: 1 Dec in Vietnam
    [oct_31] = period_figures(date(2026, 10, 31), date(2026, 10, 31), a.id)
    assert oct_31.gross_vnd == 4 * 12_345


def test_a_producer_with_only_a_refund_owes_it(app, november):
    _a, b = november
    [f] = period_figures(date(2026, 12, 1), date(2026, 12, 31), b.id)
    assert (f.gross_vnd, f.refunds_vnd, f.net_vnd) == (0, 5_000, -5_000)


def test_orders_and_payouts_agree_both_ways(client, staff, november):
    orders = read_csv(client.get("/backoffice/exports/orders.csv"))
    payouts = read_csv(client.get("/backoffice/exports/payouts.csv", query_string=NOV))
    # One way: every delivered line of November, added up per producer from the orders file …
    delivered = {}
    for row in orders:
        if (
            row["status"] == "delivered"
            and "2026-11-01" <= row["delivered_at"][:10] <= "2026-11-30"
        ):
            delivered[row["producer"]] = delivered.get(row["producer"], 0) + int(
                row["line_total_vnd"]
            )
            assert int(row["line_total_vnd"]) == int(row["unit_price_vnd"]) * int(row["quantity"])
    # … is each producer's gross in the payouts file.
    assert {row["producer"]: int(row["gross_vnd"]) for row in payouts} == delivered
    # The other way: what the producers receive, plus what the cooperative keeps, plus what
    # went back to customers, is everything delivered — to the đồng.
    net = sum(int(row["net_vnd"]) for row in payouts)
    kept = sum(int(row["commission_vnd"]) for row in payouts)
    refunded = sum(int(row["refunds_vnd"]) for row in payouts)
    assert net + kept + refunded == sum(delivered.values()) == 659_690
    for row in payouts:
        assert int(row["net_vnd"]) == int(row["gross_vnd"]) - int(row["commission_vnd"]) - int(
            row["refunds_vnd"]
        )
    page_totals = totals(period_figures(date(2026, 11, 1), date(2026, 11, 30)))
    assert page_totals == {
        "gross_vnd": 659_690,
        "commission_vnd": kept,
        "refunds_vnd": refunded,
        "net_vnd": net,
    }
