"""How fast serialised labels are made, against the bare `qrcode` library, and their memory.

run() prints, for the same 1,000 serialised label URLs in the same process:
  - the `qrcode` library's own rate: QRCode(error_correction=M, border=4), add_data(url),
    make(fit=True), get_matrix() for each URL — the floor cost of any QR label;
  - labels per second of a 1,000-label serialised A4 PDF (and of the 50×30 mm roll), which
    encodes each URL with that library and then draws it;
  - the peak memory (tracemalloc) of writing 100, 1,000 and 3,000 labels, next to the size
    of the PDF written, to show that memory follows the output and nothing else.
No database is needed: it measures the label code, not the web request.
BENCH_LABELS sets the number of labels of the speed test (default 1000).
"""

import io
import os
import time
import tracemalloc

import qrcode
from flask import Flask

from shop.labels import qr, sheets
from shop.labels.serials import new_serial

LABELS = int(os.environ.get("BENCH_LABELS", "1000"))
REPEATS = 3
CONTENT = sheets.LabelContent(
    product_name="Nước mắm Ba Làng 40 độ đạm",
    stars=4,
    lot="L2026-09A",
    packing_date="03/09/2026",
    best_before="03/09/2027",
    producer="HTX Nước mắm Ba Làng",
    area_code="VN-TH-BL-0012",
)
CAPTIONS = sheets.Captions(lot="Lô", packed="Đóng gói", best_before="HSD", area="Mã vùng trồng")


def label_urls(count: int) -> list[str]:
    """Serialised URLs as a run prints them, on a realistic public origin."""
    app = Flask(__name__)
    app.config["SHOP_BASE_URL"] = "https://ocop.thanhhoa.vn"
    with app.app_context():
        return [qr.batch_url("8931234567897", CONTENT.lot, new_serial()) for _ in range(count)]


def library_only(urls: list[str]) -> None:
    for url in urls:
        code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
        code.add_data(url)
        code.make(fit=True)
        code.get_matrix()


def pdf(urls: list[str], layout: sheets.Layout = sheets.SHEET_A4) -> int:
    out = io.BytesIO()
    sheets.write_labels(out, CONTENT, urls, layout, CAPTIONS)
    return len(out.getvalue())


def best_rates(works: dict, urls: list[str]) -> dict[str, float]:
    """Labels per second of each piece of work, its fastest of REPEATS runs; the runs are
    interleaved so that a busy moment of the machine does not favour one of them."""
    best = dict.fromkeys(works, float("inf"))
    for _ in range(REPEATS):
        for name, work in works.items():
            start = time.perf_counter()
            work(urls)
            best[name] = min(best[name], time.perf_counter() - start)
    return {name: len(urls) / seconds for name, seconds in best.items()}


def peak_memory(count: int) -> tuple[int, int]:
    """(peak bytes traced while writing `count` A4 labels, size of the PDF)."""
    urls = label_urls(count)
    tracemalloc.start()
    try:
        size = pdf(urls)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, size


def run() -> None:
    sheets.register_fonts()
    urls = label_urls(LABELS)
    pdf(urls[:24])  # warm up: fonts parsed, code paths compiled
    rates = best_rates(
        {"library": library_only, "a4": pdf, "roll": lambda u: pdf(u, sheets.ROLL_50X30)}, urls
    )
    library, a4, roll = rates["library"], rates["a4"], rates["roll"]
    print(f"\nQR labels: {LABELS} serialised URLs, best of {REPEATS} runs\n")
    print(f"{'what':<44} {'labels/s':>9} {'of qrcode':>10}")
    print(f"{'qrcode library: make(fit=True) + matrix':<44} {library:>9.0f} {'100 %':>10}")
    print(f"{'serialised PDF, A4 sheets (3×8)':<44} {a4:>9.0f} {a4 / library:>9.0%}")
    print(f"{'serialised PDF, 50×30 mm roll':<44} {roll:>9.0f} {roll / library:>9.0%}")
    print(f"\n{'labels':>7} {'peak memory':>12} {'PDF size':>10} {'peak per label':>15}")
    for count in (100, 1000, 3000):
        peak, size = peak_memory(count)
        print(f"{count:>7} {peak / 1024:>9.0f} KB {size / 1024:>7.0f} KB {peak / count:>12.0f} B")
    print("(memory follows the size of the PDF written; no image is held per label)")


if __name__ == "__main__":
    run()
