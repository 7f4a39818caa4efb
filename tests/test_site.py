"""Health check, language switch, error pages."""

import pytest


@pytest.mark.both_databases
def test_healthz_answers_ok_when_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "text/html" in response.content_type


def test_unknown_api_path_is_problem_json(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.content_type == "application/problem+json"
    assert response.get_json()["status"] == 404


def test_language_switch_redirects_only_within_the_site(client):
    response = client.get("/language/en?next=https://evil.example/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    response = client.get("/language/en?next=//evil.example/")
    assert response.headers["Location"] == "/"


def test_sqlite_runs_in_wal_mode_so_scans_do_not_block_readers(app):
    from sqlalchemy import text

    from shop.extensions import db

    if db.engine.dialect.name != "sqlite":
        return  # PostgreSQL's MVCC needs nothing of the sort
    assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    assert db.session.execute(text("PRAGMA busy_timeout")).scalar() == 5000
