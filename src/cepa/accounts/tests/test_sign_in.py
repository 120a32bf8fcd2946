"""Issue 12 finding 5, sign-in: lockouts by account and by address after repeated failures (shown in
the admin), Django's password validators on every way an account gets a password, and a second factor
(TOTP) for officers and administrators."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any
from unittest import mock
from urllib.parse import quote

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from cepa.accounts.models import Profile
from cepa.accounts.services import create_user, enrol_totp
from cepa.errors import InvalidInput
from cepa.history.models import Change
from cepa.testing.personas import persona, sign_in, totp_code

pytestmark = pytest.mark.django_db

PASSWORD = "sign-in-password-2026"
WEAK = ["12345678", "password", " " * 8]


@pytest.fixture(autouse=True)
def fast_hasher(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def officer() -> Any:
    return persona("cnca", "cnca_officer", token=False, password=PASSWORD).user


@pytest.fixture
def applicant(organisation_a: str) -> Any:
    return persona("staff_a", "applicant", organisation_a, token=False, password=PASSWORD).user


def attempt(username: str, password: str, address: str = "192.0.2.10", **extra: str) -> Any:
    client = Client(REMOTE_ADDR=address)
    response = client.post("/accounts/login/", {"username": username, "password": password, **extra})
    response.client_session = client.session  # type: ignore[attr-defined]
    return response


def signed_in(response: Any) -> bool:
    return "_auth_user_id" in response.client_session


# --- lockouts -------------------------------------------------------------------------------------


def test_an_account_is_locked_after_five_failures_even_from_other_addresses(applicant: Any) -> None:
    answers = [attempt("staff_a", "wrong", f"192.0.2.{n}").status_code for n in range(1, 6)]
    assert answers == [200, 200, 200, 200, 429]
    locked = attempt("staff_a", PASSWORD, "198.51.100.7")
    assert locked.status_code == 429
    assert "Too many failed sign-ins" in locked.content.decode()
    assert "Try again in 15 minutes." in locked.content.decode()
    assert not signed_in(locked)


def test_an_address_is_locked_after_five_failures_on_any_accounts(applicant: Any, officer: Any) -> None:
    for name in ["nobody1", "nobody2", "cnca", "nobody3", "nobody4"]:
        attempt(name, "wrong", "203.0.113.5")
    assert attempt("staff_a", PASSWORD, "203.0.113.5").status_code == 429
    # The account itself is not locked: from another address it signs in.
    other = attempt("staff_a", PASSWORD, "203.0.113.6")
    assert (other.status_code, other["Location"], signed_in(other)) == (302, "/accounts/profile/", True)


def test_200_wrong_passwords_then_the_right_one_is_refused(applicant: Any) -> None:
    for _ in range(200):
        last = attempt("staff_a", "wrong")
    assert last.status_code == 429
    assert not signed_in(attempt("staff_a", PASSWORD))


def test_a_lockout_ends_after_the_cool_off(applicant: Any) -> None:
    for _ in range(5):
        attempt("staff_a", "wrong")
    assert attempt("staff_a", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=16))
    assert signed_in(attempt("staff_a", PASSWORD))


def test_fewer_failures_do_not_lock(applicant: Any) -> None:
    for _ in range(4):
        attempt("staff_a", "wrong")
    assert signed_in(attempt("staff_a", PASSWORD))


def test_the_admin_shows_lockouts_and_may_lift_one(applicant: Any) -> None:
    for _ in range(5):
        attempt("staff_a", "wrong", "192.0.2.44")
    admin = sign_in(Client(), persona("root", "admin", token=False).user)
    listing = admin.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "staff_a" in html and "192.0.2.44" in html
    record = AccessAttempt.objects.get(username="staff_a")
    assert record.failures_since_start == 5
    # Deleting the attempt lifts the lockout.
    confirm = admin.post(f"/admin/axes/accessattempt/{record.pk}/delete/", {"post": "yes"})
    assert confirm.status_code == 302
    assert signed_in(attempt("staff_a", PASSWORD, "192.0.2.44"))


# --- password validators --------------------------------------------------------------------------


@pytest.mark.parametrize("password", WEAK)
def test_the_service_refuses_weak_passwords_and_writes_nothing(password: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        create_user(actor="cli:root", username="weak", role="cnca_officer", password=password)
    assert refused.value.field == "password"
    assert (get_user_model().objects.count(), Profile.objects.count()) == (0, 0)
    assert Change.objects.filter(record_type="accounts.users").count() == 0


def test_the_validators_say_why() -> None:
    with pytest.raises(InvalidInput) as refused:
        create_user(actor="cli:root", username="weak", role="cnca_officer", password="12345678")
    assert refused.value.errors["password"] == (
        "This password is too short. It must contain at least 12 characters. "
        "This password is too common. This password is entirely numeric."
    )
    with pytest.raises(InvalidInput) as similar:
        create_user(actor="cli:root", username="chantaiman", role="cnca_officer", password="chantaiman1")
    assert "The password is too similar to the username." in similar.value.errors["password"]


@pytest.mark.parametrize("password", WEAK)
def test_cepa_user_create_refuses_weak_passwords(password: str) -> None:
    with pytest.raises(CommandError) as refused:
        call_command(
            "user", "create", "weak", "--role", "admin", "--password", password, stdout=io.StringIO()
        )
    assert refused.value.returncode == 2
    assert str(refused.value).startswith("--password: This password is too short.")
    assert get_user_model().objects.count() == 0


@pytest.mark.parametrize("password", WEAK)
def test_cepa_changepassword_refuses_weak_passwords(officer: Any, password: str) -> None:
    with mock.patch("getpass.getpass", return_value=password), pytest.raises(CommandError) as refused:
        call_command("changepassword", "cnca", stdout=io.StringIO(), stderr=io.StringIO())
    assert "Aborting password change" in str(refused.value)
    officer.refresh_from_db()
    assert officer.check_password(PASSWORD)


@pytest.mark.parametrize("password", WEAK)
def test_the_admin_refuses_weak_passwords(officer: Any, password: str) -> None:
    admin = sign_in(Client(), persona("root", "admin", token=False).user)
    url = f"/admin/auth/user/{officer.pk}/password/"
    response = admin.post(url, {"password1": password, "password2": password})
    assert response.status_code == 200
    assert "This password is too short. It must contain at least 12 characters." in response.content.decode()
    officer.refresh_from_db()
    assert officer.check_password(PASSWORD)
    strong = admin.post(url, {"password1": "a-better-passphrase", "password2": "a-better-passphrase"})
    assert strong.status_code == 302


# --- the second factor ----------------------------------------------------------------------------


def test_an_officer_gives_a_code_after_the_password(officer: Any) -> None:
    enrol_totp(actor="cli:root", username="cnca")
    client = Client()
    response = client.post(
        "/accounts/login/", {"username": "cnca", "password": PASSWORD, "next": "/workbench/"}
    )
    assert (response.status_code, response["Location"]) == (302, "/accounts/verify/?next=%2Fworkbench%2F")
    # The password alone does not open the workbench.
    blocked = client.get("/workbench/")
    assert (blocked.status_code, blocked["Location"]) == (302, "/accounts/verify/?next=%2Fworkbench%2F")
    page = client.get("/accounts/verify/?next=/workbench/")
    assert page.status_code == 200
    assert "<h1>Enter your sign-in code</h1>" in page.content.decode()
    wrong = client.post(
        "/accounts/verify/",
        {"code": "000000" if totp_code(officer) != "000000" else "111111", "next": "/workbench/"},
    )
    assert wrong.status_code == 400
    assert "That code is not right." in wrong.content.decode()
    assert client.get("/workbench/").status_code == 302
    TOTPDevice.objects.filter(user=officer).update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )
    right = client.post("/accounts/verify/", {"code": totp_code(officer), "next": "/workbench/"})
    assert (right.status_code, right["Location"]) == (302, "/workbench/")
    assert client.get("/workbench/").status_code == 200


def test_an_officer_without_an_authenticator_cannot_open_the_workbench(officer: Any) -> None:
    client = Client()
    client.post("/accounts/login/", {"username": "cnca", "password": PASSWORD})
    page = client.get("/accounts/verify/")
    assert "no authenticator is set up for your account yet" in page.content.decode()
    assert "Ask the administrator of the registry to set one up for cnca." in page.content.decode()
    assert client.get("/workbench/").status_code == 302
    assert client.post("/accounts/verify/", {"code": "123456"}).status_code == 200


def test_an_administrator_gives_a_code_before_the_admin_opens() -> None:
    root = persona("root", "admin", token=False, password=PASSWORD).user
    enrol_totp(actor="cli:root", username="root")
    client = Client()
    client.post("/accounts/login/", {"username": "root", "password": PASSWORD, "next": "/admin/"})
    redirect = client.get("/admin/")
    assert (redirect.status_code, redirect["Location"]) == (302, "/admin/login/?next=/admin/")
    step = client.get("/admin/login/?next=/admin/")
    assert step["Location"] == "/accounts/verify/?next=%2Fadmin%2F"
    assert (
        client.post("/accounts/verify/", {"code": totp_code(root), "next": "/admin/"})["Location"]
        == "/admin/"
    )
    assert client.get("/admin/").status_code == 200


def test_the_admin_sign_in_page_sends_strangers_to_the_project_sign_in() -> None:
    response = Client().get("/admin/login/?next=/admin/")
    assert (response.status_code, response["Location"]) == (302, "/accounts/login/?next=%2Fadmin%2F")


def test_an_applicant_signs_in_with_the_password_alone(applicant: Any) -> None:
    client = Client()
    response = client.post("/accounts/login/", {"username": "staff_a", "password": PASSWORD})
    assert response["Location"] == "/accounts/profile/"
    assert client.get("/portal/").status_code == 200


def test_a_session_is_no_api_credential() -> None:
    """The API takes bearer tokens only: a signed-in browser, even an administrator's with the code
    given, gets nothing more from it than anyone."""
    client = sign_in(Client(), persona("root", "admin", token=False).user)
    assert client.get("/admin/").status_code == 200
    response = client.post("/api/v1/import", data="{}", content_type="application/json")
    assert (response.status_code, response.json()["code"]) == (401, "NOT_AUTHENTICATED")


# --- enrolment ------------------------------------------------------------------------------------


def test_enrolment_replaces_the_key_and_records_no_secret(officer: Any) -> None:
    first, _uri = enrol_totp(actor="cli:root", username="cnca")
    second, uri = enrol_totp(actor="cli:root", username="cnca")
    assert list(TOTPDevice.objects.filter(user=officer)) == [second]
    assert first.key != second.key
    assert uri.startswith("otpauth://totp/CEPA%20Registry%3Acnca?secret=")
    changes = list(Change.objects.filter(record_type="accounts.second_factors").order_by("id"))
    assert [(c.record_id, c.action) for c in changes] == [("cnca", "create"), ("cnca", "update")]
    assert changes[1].after == {"user": "cnca", "kind": "totp", "name": "authenticator"}
    assert second.key not in str([c.after for c in changes])


def test_applicants_are_not_enrolled(applicant: Any) -> None:
    with pytest.raises(InvalidInput) as refused:
        enrol_totp(actor="cli:root", username="staff_a")
    assert refused.value.field == "username"
    assert TOTPDevice.objects.count() == 0
    assert Change.objects.filter(record_type="accounts.second_factors").count() == 0


def test_cepa_user_totp_prints_the_link_and_key_once(officer: Any) -> None:
    out = io.StringIO()
    call_command("user", "totp", "cnca", stdout=out)
    device = TOTPDevice.objects.get(user=officer)
    lines = out.getvalue().splitlines()
    assert lines[0] == "A new authenticator key for cnca (shown once; any earlier key no longer works)."
    assert lines[2].strip() == device.config_url
    assert lines[3].strip().startswith("key: ")
    with pytest.raises(CommandError) as refused:
        call_command("user", "totp", "nobody", stdout=io.StringIO())
    assert (refused.value.returncode, str(refused.value)) == (2, "nobody: no user named 'nobody'")


def test_quoted_next_survives_the_second_step(officer: Any) -> None:
    enrol_totp(actor="cli:root", username="cnca")
    client = Client()
    target = "/workbench/?queue=" + quote("a b")
    response = client.post("/accounts/login/", {"username": "cnca", "password": PASSWORD, "next": target})
    assert response["Location"] == "/accounts/verify/?next=" + quote(target, safe="")
    done = client.post("/accounts/verify/", {"code": totp_code(officer), "next": target})
    assert done["Location"] == target


@pytest.mark.parametrize("password", WEAK)
def test_cepa_createsuperuser_refuses_weak_passwords_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, password: str
) -> None:
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", password)
    with pytest.raises(CommandError) as refused:
        call_command(
            "createsuperuser", "--noinput", "--username", "boss", "--email", "", stdout=io.StringIO()
        )
    assert str(refused.value).startswith("DJANGO_SUPERUSER_PASSWORD: This password is too short.")
    assert get_user_model().objects.count() == 0
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a-better-passphrase")
    call_command("createsuperuser", "--noinput", "--username", "boss", "--email", "", stdout=io.StringIO())
    assert get_user_model().objects.get().check_password("a-better-passphrase")
