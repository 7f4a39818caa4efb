"""The commune list of one province, as the place forms' script reads it."""


def test_the_communes_of_a_province_as_cacheable_json(client):
    response = client.get("/places/provinces/38/communes.json")
    assert response.status_code == 200
    body = response.get_json()
    assert body["province"] == {"code": 38, "name": "Thanh Hóa"}
    assert len(body["communes"]) == 166
    assert {"code": 15520, "name": "Xã Xuân Hòa"} in body["communes"]
    assert "public" in response.headers["Cache-Control"]
    assert response.cache_control.max_age >= 86400
    assert len(response.data) < 8000, "small enough for a phone on a slow network"

    again = client.get(
        "/places/provinces/38/communes.json",
        headers={"If-None-Match": response.headers["ETag"]},
    )
    assert again.status_code == 304


def test_an_unknown_province_is_a_404_and_never_a_500(client):
    assert client.get("/places/provinces/99/communes.json").status_code == 404
    assert client.get("/places/provinces/abc/communes.json").status_code == 404
    assert client.get("/places/provinces/99999/communes.json").status_code == 404
