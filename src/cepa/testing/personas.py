"""The people of the tests: one builder per role, each making the user through the accounts service
and, unless asked not to, an API token for it.

The fixed personas (anonymous, two applicants, one officer of each authority, an administrator) are
the fixtures of `cepa.testing.fixtures`; an app whose tests assert on other usernames calls these
builders with its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from cepa.accounts.permissions import needs_second_factor
from cepa.accounts.services import create_token, create_user

ACTOR = "test:setup"


@dataclass(frozen=True)
class Persona:
    """A user of the registry (None: nobody signed in) and the API token it sends ("": none)."""

    user: Any = None
    token: str = ""

    @property
    def username(self) -> str:
        return self.user.get_username() if self.user is not None else ""

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def client(self) -> Client:
        """A test client signed in as this user (anonymous for nobody), with the second factor the
        user's role signs in with already given."""
        client = Client()
        if self.user is not None:
            sign_in(client, self.user)
        return client


def sign_in(client: Client, user: Any) -> Client:
    """Signs `client` in as `user` as the sign-in pages would: the password (skipped), then, for
    officers and administrators, a code from their authenticator (an enrolled TOTP device, verified
    for the session)."""
    client.force_login(user)
    if needs_second_factor(user):
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def totp_code(user: Any) -> str:
    """The code the user's authenticator app shows now (enrolled with `enrol_totp` or `sign_in`)."""
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


def sign_in_browser(page: Any, username: str, password: str) -> None:
    """Signs a browser page (Playwright) in on the sign-in page that is open: the password, then, for
    officers and administrators, the code of their authenticator (enrolled here when they have none;
    a code may be used again within a test)."""
    user = get_user_model().objects.get(username=username)
    if needs_second_factor(user):
        if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
        TOTPDevice.objects.filter(user=user).update(last_t=-1)
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("main form button[type=submit]").click()
    if needs_second_factor(user):
        page.locator("#id_code").fill(totp_code(user))
        page.locator("main form button[type=submit]").click()


ANONYMOUS = Persona()


def persona(
    username: str,
    role: str,
    organisation: str | None = None,
    *,
    token: bool = True,
    email: str = "",
    password: str | None = None,
) -> Persona:
    user = create_user(
        actor=ACTOR, username=username, role=role, organisation=organisation, email=email, password=password
    )
    raw = create_token(actor=ACTOR, username=username)[1] if token else ""
    return Persona(user, raw)


def applicant(username: str, organisation: str, **options: Any) -> Persona:
    return persona(username, "applicant", organisation, **options)


def cnca_officer(username: str = "cnca", **options: Any) -> Persona:
    return persona(username, "cnca_officer", **options)


def ccaa_registrar(username: str = "ccaa", **options: Any) -> Persona:
    return persona(username, "ccaa_registrar", **options)


def hkas_officer(username: str = "hkas", **options: Any) -> Persona:
    return persona(username, "hkas_officer", **options)


def admin(username: str = "root", **options: Any) -> Persona:
    return persona(username, "admin", **options)
