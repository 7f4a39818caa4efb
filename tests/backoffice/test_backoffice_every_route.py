"""Every route under /backoffice, whoever added it, is refused to consumers and producers and
asks anonymous visitors to log in first: walked from the app's URL map, per route and role."""

import pytest

from shop.auth.models import Role

VALUES = {"integer": "1", "default": "DH00000000"}


def backoffice_routes(app) -> list[tuple[str, str]]:
    routes = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/backoffice"):
            continue
        values = {}
        for name in rule.arguments:
            converter = rule._converters[name]
            kind = type(converter).__name__.replace("Converter", "").lower()
            if kind == "any":
                values[name] = next(iter(converter.items))
            else:
                values[name] = VALUES.get(kind, VALUES["default"])
        url = rule.build(values, append_unknown=False)[1]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            routes.append((method, url))
    return routes


def call(client, method, url):
    return client.get(url) if method == "GET" else client.open(url, method=method, data={})


@pytest.mark.parametrize("role", [Role.CONSUMER, Role.PRODUCER])
def test_every_back_office_route_refuses_consumers_and_producers(
    app, client, login, make_user, make_producer, role
):
    routes = backoffice_routes(app)
    assert len(routes) >= 20
    login(make_user(role=role, producer=make_producer() if role == Role.PRODUCER else None))
    refused = {(method, url): call(client, method, url).status_code for method, url in routes}
    assert {route: status for route, status in refused.items() if status != 403} == {}


def test_every_back_office_route_asks_visitors_to_log_in(app, client):
    for method, url in backoffice_routes(app):
        response = call(client, method, url)
        assert response.status_code == 302, (method, url)
        assert "/auth/login" in response.headers["Location"]
