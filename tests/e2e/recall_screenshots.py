"""The recalled batch's scan page on a 360 px phone (python -m tests.e2e.recall_screenshots OUT).

A demo batch is recalled through the verb the button calls, a partner records its shipping
step over POST /epcis/capture, and the page is shot as a consumer first sees it and whole.
"""

import json
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from shop.extensions import db
from shop.partners.partners import create_partner, grant_batch
from shop.recalls.recalls import recall_batch
from shop.scan.lookup import find_batch
from tests.e2e.conftest import launch_chromium, start_demo_server
from tests.e2e.screenshots import scan_pages

REASON = "Mẫu kiểm nghiệm số 45/KQ-TTKT phát hiện dư lượng thuốc bảo vệ thực vật vượt ngưỡng."
ADVICE = "Không ăn sản phẩm. Mang trả lại nơi mua hoặc gọi hợp tác xã để được hoàn tiền."


def prepare(app, path: str) -> tuple[str, dict]:
    """Recall the batch at `path`; create a partner for it. Returns (key, a capture document)."""
    _root, _ai01, gtin, _ai10, lot = path.split("/")
    with app.test_request_context("/", base_url="http://127.0.0.1"):
        batch = find_batch(gtin, lot)
        partner, key = create_partner("Kho lạnh Đông Sơn", "", None)
        grant_batch(partner, batch, None)
        db.session.commit()
        document = {
            "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
            "type": "EPCISDocument",
            "schemaVersion": "2.0",
            "creationDate": "2026-12-01T03:00:00.000Z",
            "epcisBody": {
                "eventList": [
                    {
                        "type": "ObjectEvent",
                        "eventID": "urn:uuid:0b6b7c1e-7f0e-4d1c-9a55-1f4c2b3a9d10",
                        "eventTime": "2026-11-30T08:15:00.000+07:00",
                        "eventTimeZoneOffset": "+07:00",
                        "epcList": [],
                        "quantityList": [{"epcClass": f"https://id.gs1.org/01/{gtin}/10/{lot}"}],
                        "action": "OBSERVE",
                        "bizStep": "shipping",
                        "disposition": "in_transit",
                        "readPoint": {"id": "https://dongson.example.vn/kho/1"},
                    }
                ]
            },
        }
        recall_batch(batch, REASON, ADVICE)
        db.session.commit()
    return key, document


def take(out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        app, server, base = start_demo_server(Path(folder))
        path = scan_pages(app)["scan"]
        key, document = prepare(app, path)
        browser = launch_chromium(playwright)
        try:
            context = browser.new_context(viewport={"width": 360, "height": 780})
            page = context.new_page()
            answer = page.request.post(
                base + "/epcis/capture",
                data=json.dumps(document),
                headers={"Authorization": f"Bearer {key}", "Content-Type": "application/ld+json"},
            )
            assert answer.status == 202, answer.text()
            page.goto(base + path)
            for name, full in (("scan-recalled-phone", False), ("scan-recalled-full-phone", True)):
                target = out_dir / f"{name}.png"
                page.screenshot(path=str(target), full_page=full)
                written.append(target)
        finally:
            browser.close()
            server.shutdown()
    return written


if __name__ == "__main__":
    for written_path in take(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")):
        print(written_path)
