from __future__ import annotations

import time
from typing import Any

import pytest
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.redis import RedisCache
from django.test import Client

from cepa.enquiries import protection
from cepa.enquiries.models import Enquiry
from cepa.history.models import Change
from cepa.web.tests.conftest import in_language

pytestmark = pytest.mark.usefixtures("demo")


def form(**changes: str) -> dict[str, str]:
    data = {"product": "0701", "name": "Chan Tai Man", "email": "chan@example.com", "organisation": "",
            "message": "May a Hong Kong laboratory test our refrigerators?", "website": "",
            "started": protection.issue_token(time.time() - 30)}
    data.update(changes)
    return data


def test_start_page_asks_for_the_product(client: Client) -> None:
    html = client.get("/enquiry/").content.decode()
    assert "<h1>Ask CNCA about a product</h1>" in html
    assert 'name="product"' in html


def test_product_routes_to_its_sector_and_cnca_contact(client: Client) -> None:
    html = client.get("/enquiry/", {"product": "0701"}).content.decode()
    assert "<dt>Enquiry sector</dt><dd>Electrical and electronic products</dd>" in html
    assert "Mr QIU Lei" in html
    assert '<a href="tel:+861082262779">+86-10-82262779</a>' in html
    other = client.get("/enquiry/", {"product": "2401"}).content.decode()
    assert "<dt>Enquiry sector</dt><dd>Non-electrical and electronic products</dd>" in other
    assert "Mr GUAN Jun-wen" in other


@pytest.mark.parametrize(
    "language,organisation,note",
    [
        ("zh-hant", "國家認證認可監督管理委員會", "來源未提供中文姓名"),
        ("zh-hans", "国家认证认可监督管理委员会", "来源未提供中文姓名"),
    ],
)
def test_the_cnca_contact_is_named_in_the_readers_language_and_says_what_the_source_leaves_out(
    client: Client, language: str, organisation: str, note: str
) -> None:
    html = in_language(client, language).get("/enquiry/", {"product": "0701"}).content.decode()
    assert f'QIU Lei 先生<span class="muted">（{note}）</span><br>' in html
    assert f"{organisation}" in html
    assert "Mr QIU Lei" not in html
    lang = language.replace("zh-h", "zh-H")
    api = client.get("/api/v1/decisions/enquiry", {"product_type": "2401", "lang": lang})
    assert {key: api.json()["contact"][key] for key in ("name", "name_note", "organisation")} == {
        "name": "GUAN Jun-wen 先生",
        "name_note": note,
        "organisation": organisation,
    }


def test_an_enquiry_is_stored_in_its_queue_and_confirmed_with_a_reference(client: Client) -> None:
    response = client.post("/enquiry/", form(product="2401", organisation="Acme Ltd"))
    assert response.status_code == 302
    assert response["Location"] == "/enquiry/sent/"
    enquiry = Enquiry.objects.get()
    assert (enquiry.product_type, enquiry.queue, enquiry.name, enquiry.email, enquiry.organisation) == (
        "2401", "non_electrical_electronic", "Chan Tai Man", "chan@example.com", "Acme Ltd")
    assert enquiry.reference.startswith("ENQ-") and len(enquiry.reference) == 12
    change = Change.objects.get(record_type="enquiries")
    # The change log holds no personal data.
    assert change.after == {"reference": enquiry.reference, "product_type": "2401",
                            "queue": "non_electrical_electronic"}
    page = client.get("/enquiry/sent/").content.decode()
    assert f'<strong class="big-number codes" id="reference">{enquiry.reference}</strong>' in page
    assert "Your enquiry is in the queue for Non-electrical and electronic products." in page


def test_confirmation_without_an_enquiry_goes_back_to_the_start(client: Client) -> None:
    response = client.get("/enquiry/sent/")
    assert (response.status_code, response["Location"]) == (302, "/enquiry/")


def test_missing_fields_are_explained_and_what_was_typed_is_kept(client: Client) -> None:
    response = client.post("/enquiry/", form(name="", email="not-an-email", message="Still here"))
    html = response.content.decode()
    assert response.status_code == 400
    assert "<title>Error: Send your enquiry – CEPA Registry</title>" in html
    assert '<li><a href="#id_name">Enter your name.</a></li>' in html
    assert '<li><a href="#id_email">Enter an email address like name@example.com.</a></li>' in html
    assert 'value="not-an-email"' in html
    assert ">Still here</textarea>" in html
    assert Enquiry.objects.count() == 0


def test_the_honeypot_refuses_and_stores_nothing(client: Client) -> None:
    response = client.post("/enquiry/", form(website="http://spam.example"))
    assert response.status_code == 400
    assert "Your enquiry could not be sent. Please try again." in response.content.decode()
    assert Enquiry.objects.count() == 0


@pytest.mark.parametrize("started,message", [
    (lambda: protection.issue_token(), "That was very quick."),
    (lambda: protection.issue_token(time.time() - 2 * 24 * 3600), "This form has expired."),
    (lambda: "forged", "This form has expired."),
])
def test_a_form_sent_too_fast_too_late_or_forged_is_refused(
    client: Client, started: Any, message: str
) -> None:
    response = client.post("/enquiry/", form(started=started()))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Enquiry.objects.count() == 0
    # A fresh start time comes back with the form, so the person can send it again.
    assert protection.token_problem(response.context["form"]["started"].value(), time.time() + 5) is None


def test_rate_limit_per_address(client: Client) -> None:
    for _ in range(protection.LIMIT_PER_HOUR):
        assert client.post("/enquiry/", form()).status_code == 302
    response = client.post("/enquiry/", form())
    assert response.status_code == 429
    assert "Too many enquiries have been sent from your connection." in response.content.decode()
    assert Enquiry.objects.count() == protection.LIMIT_PER_HOUR
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert other.post("/enquiry/", form()).status_code == 302


def test_enquiry_in_simplified_chinese_is_stored_with_its_language(client: Client) -> None:
    html = in_language(client, "zh-hans").get("/enquiry/", {"product": "0701"}).content.decode()
    assert "<dt>咨询范畴</dt><dd>电子电器产品</dd>" in html
    assert client.post("/enquiry/", form()).status_code == 302
    assert Enquiry.objects.get().language == "zh-Hans"


def test_enquiry_queries_are_bounded(client: Client, django_assert_max_num_queries: Any) -> None:
    with django_assert_max_num_queries(15):
        client.get("/enquiry/", {"product": "0701"})
    # Sending adds the shared cache's two atomic adds (the form token, used once; a rate-limit slot),
    # each a count, a read and an insert on the database cache (none on Redis), one read of the
    # address's slots, raising the registry's version (cepa.history)
    # and the enquiry's first history line.
    with django_assert_max_num_queries(28):
        client.post("/enquiry/", form())


def test_a_form_token_is_accepted_once(client: Client) -> None:
    sent = form()
    assert client.post("/enquiry/", sent).status_code == 302
    again = client.post("/enquiry/", {**sent, "message": "The same form, sent again"})
    assert again.status_code == 400
    assert "This form has already been sent. Please check your enquiry and send it again." in (
        again.content.decode())
    assert Enquiry.objects.count() == 1
    # The form comes back with a fresh token, which may be sent.
    fresh = again.context["form"]["started"].value()
    assert fresh != sent["started"]
    assert protection.use_token(fresh) is True


def test_the_rate_limit_and_used_tokens_live_in_the_shared_cache(client: Client) -> None:
    """Counted where every worker reads them (a table of the database, or Redis), not in the process."""
    sent = form()
    assert client.post("/enquiry/", sent).status_code == 302
    another_worker = caches.create_connection("default")  # a backend of its own, as in another process
    assert isinstance(another_worker, (DatabaseCache, RedisCache))
    assert not protection.use_token(sent["started"])
    assert len(another_worker.get_many(protection._slot_keys("127.0.0.1"))) == 1
