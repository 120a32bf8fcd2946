"""The organisations' FilterSet (cepa.bodies.filters) is the one the API list, the directory and the open
data apply: the same filter values select the same bodies in all three, and a bad value is refused
naming the field."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.test import Client

from cepa.bodies import selectors

pytestmark = pytest.mark.usefixtures("demo")

ROW = re.compile(r'<th scope="row"><a href="/bodies/([^"]+)/">')


def api_ids(client: Client, params: dict[str, str]) -> set[str]:
    response = client.get("/api/v1/organisations", {**params, "limit": "500"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == len(body["items"])
    return {item["id"] for item in body["items"]}


def directory_ids(client: Client, params: dict[str, str]) -> set[str]:
    # The directory takes the product as a code or a name, under `product`.
    query = {("product" if key == "product_type" else key): value for key, value in params.items()}
    found: set[str] = set()
    for page in range(1, 10):
        response = client.get("/directory/", {**query, "page": str(page)})
        assert response.status_code == 200
        shown = set(ROW.findall(response.content.decode()))
        if shown <= found:  # a page past the end shows the last page again
            break
        found |= shown
    return found


def open_data_ids(client: Client, params: dict[str, str]) -> set[str]:
    query = {("product" if key == "product_type" else key): value for key, value in params.items()}
    response = client.get("/open-data/cepa-registry.json", query)
    assert response.status_code == 200
    return {organisation["id"] for organisation in response.json().get("organisations", ())}


@pytest.mark.parametrize("params,expected", [
    ({"kind": "laboratory", "seat": "MAINLAND", "product_type": "0915", "status": "accredited",
      "on": "2026-06-01"}, {"cn-lab-pearl-delta"}),
    ({"kind": "laboratory", "seat": "HK", "product_type": "0915", "status": "accredited",
      "on": "2026-11-26"}, {"hk-lab-aberdeen", "hk-lab-harbourview"}),
    ({"kind": "laboratory", "product_type": "0915"},
     {"hk-lab-aberdeen", "hk-lab-harbourview", "cn-lab-pearl-delta"}),
    ({"kind": "certification_body", "seat": "HK", "status": "agreement", "on": "2026-11-26"},
     {"hk-cb-lion-peak", "hk-cb-new-territories", "hk-cb-peninsula", "hk-cb-victoria"}),
    ({"kind": "laboratory", "status": "designated", "on": "2026-11-26"},
     {"cn-lab-bohai", "cn-lab-changjiang", "cn-lab-hengqin-hk", "cn-lab-pearl-delta"}),
    ({"hk_invested": "yes", "kind": "laboratory"},
     {"cn-lab-hengqin-hk", "cn-lab-nansha", "cn-lab-pearl-delta", "cn-lab-qianhai"}),
    ({"scheme": "HKCAS", "seat": "HK"}, {"hk-cb-lion-peak", "hk-cb-peninsula", "hk-cb-victoria"}),
])
def test_the_api_the_directory_and_open_data_select_the_same_bodies(
    client: Client, params: dict[str, str], expected: set[str]
) -> None:
    assert api_ids(client, params) == expected
    assert directory_ids(client, params) == expected
    assert open_data_ids(client, params) == expected


@pytest.mark.parametrize("param,value", [
    ("product_type", "09x5"), ("on", "26/11/2026"), ("status", "robot"), ("kind", "robot"),
    ("hk_invested", "maybe"),
])
def test_a_bad_value_is_a_400_naming_the_field_on_the_api(client: Client, param: str, value: str) -> None:
    response = client.get("/api/v1/organisations", {param: value})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "BAD_REQUEST"
    assert [error["field"] for error in body["errors"]] == [param]
    assert body["message"].startswith(f"{param}: ")


@pytest.mark.parametrize("param", ["on", "status", "kind", "hk_invested"])
def test_the_same_bad_value_is_refused_by_open_data_naming_the_field(client: Client, param: str) -> None:
    response = client.get("/open-data/cepa-registry.json", {param: "maybe"})
    assert response.status_code == 400
    assert response.content.decode().startswith(f"{param}: ")


def test_selectors_refuse_a_bad_value_or_an_unknown_filter() -> None:
    with pytest.raises(ValidationError) as refused:
        selectors.organisations(AnonymousUser(), product_type="09x5")
    assert list(refused.value.message_dict) == ["product_type"]
    with pytest.raises(TypeError):
        selectors.organisations(AnonymousUser(), colour="red")


def test_the_api_takes_the_directory_words_for_yes_and_no(client: Client) -> None:
    params: dict[str, Any] = {"kind": "laboratory", "seat": "HK"}
    no = api_ids(client, {**params, "hk_invested": "no"})
    assert no and no == api_ids(client, {**params, "hk_invested": "false"})
    assert directory_ids(client, {**params, "hk_invested": "false"}) == directory_ids(
        client, {**params, "hk_invested": "no"}
    )
