"""Lab reports: a real PDF or a real photo is kept; a fake, damaged or oversized file is not."""

import io
import re
from pathlib import Path

import pytest
from reportlab.pdfgen import canvas
from sqlalchemy import select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from shop.extensions import db
from shop.trace.attachments import DEFAULT_MAX_BYTES
from shop.trace.models import BatchEvent


@pytest.fixture
def batch(make_batch, product):
    return make_batch(product=product)


@pytest.fixture
def real_pdf() -> bytes:
    """A lab report as a PDF, drawn with reportlab."""
    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.drawString(72, 720, "Ket qua thu nghiem: Dat")
    page.showPage()
    page.save()
    return out.getvalue()


def post_report(client, batch, filename: str, content: bytes):
    fields = MultiDict(
        {
            "day": "2026-01-10",
            "time": "09:00",
            "lab": "Quatest 1",
            "test": "Dư lượng thuốc BVTV",
            "passed": "pass",
            "result": "Không phát hiện",
        }
    )
    fields.add("report", FileStorage(io.BytesIO(content), filename=filename))
    boundary, body = encode_multipart(fields)
    return client.post(
        f"/trace/batches/{batch.id}/events/new/lab_test",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )


def stored_events(batch) -> list[BatchEvent]:
    db.session.expire_all()
    return list(db.session.scalars(select(BatchEvent).where(BatchEvent.batch_id == batch.id)))


def test_a_real_pdf_is_kept_and_linked(app, farm, batch, real_pdf):
    response = post_report(farm, batch, "ket-qua.pdf", real_pdf)
    assert response.status_code == 302
    (event,) = stored_events(batch)
    name = event.details["report"]
    assert re.fullmatch(r"[0-9a-f]{32}\.pdf", name)
    assert event.attachments == [name]
    assert (Path(app.config["UPLOAD_FOLDER"]) / name).read_bytes() == real_pdf

    page = farm.get(f"/trace/batches/{batch.id}").text
    assert f'href="/media/{name}"' in page and "Report (PDF)" in page
    served = farm.get(f"/media/{name}")
    assert served.status_code == 200
    assert served.mimetype == "application/pdf"
    served.close()


def test_a_photo_of_the_paper_is_kept_as_a_clean_jpeg(farm, batch, jpeg):
    assert post_report(farm, batch, "giay.jpg", jpeg()).status_code == 302
    (event,) = stored_events(batch)
    assert event.details["report"].endswith(".jpg")
    assert "Report (photo)" in farm.get(f"/trace/batches/{batch.id}").text


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        (
            "ket-qua.pdf",
            "Kết quả: đạt. (a text file renamed .pdf)".encode(),
            "Attach the report as a PDF or a photo",
        ),
        ("ket-qua.pdf", b"%PDF-1.7\n" + b"0" * 2000, "This PDF is damaged or incomplete."),
        ("ket-qua.pdf", b"", "The file is empty."),
        ("macro.docx", b"PK\x03\x04" + b"\x00" * 100, "Attach the report as a PDF or a photo"),
        ("script.pdf", b"<script>alert(1)</script>", "Attach the report as a PDF or a photo"),
    ],
)
def test_a_fake_or_damaged_file_is_refused(farm, batch, filename, content, message):
    response = post_report(farm, batch, filename, content)
    assert response.status_code == 400
    assert message in response.text
    assert f"{filename}:" in response.text
    assert 'value="Quatest 1"' in response.text
    assert stored_events(batch) == []


def test_an_oversized_pdf_is_refused(farm, batch, real_pdf):
    padding = b"%" + b"0" * (DEFAULT_MAX_BYTES - len(real_pdf)) + b"\n"
    oversized = real_pdf.replace(b"%%EOF", padding + b"%%EOF")
    assert len(oversized) > DEFAULT_MAX_BYTES
    response = post_report(farm, batch, "big.pdf", oversized)
    assert response.status_code == 400
    assert "The file is larger than 10 MB." in response.text
    assert stored_events(batch) == []


def test_a_request_beyond_the_upload_limit_gets_the_friendly_413_page(farm, batch):
    response = post_report(farm, batch, "huge.pdf", b"%PDF-" + b"0" * (13 * 1024 * 1024))
    assert response.status_code == 413
    assert stored_events(batch) == []
