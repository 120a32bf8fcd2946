"""The write path for accounts: users with a role, and their API tokens.

History rows never carry a password hash or a token secret: a user is recorded by username, role
and organisation, a token by its visible prefix and dates.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cepa.accounts.models import ApiToken, Profile, Role
from cepa.accounts.permissions import needs_second_factor
from cepa.errors import Conflict, InvalidInput
from cepa.history.services import RecordChange, record_changes

TOKEN_TAG = "cepa"
# How stale last_used may get before a request writes it again (saves a write per request).
LAST_USED_GRANULARITY = timedelta(minutes=1)


def organisations() -> Any:
    """The registry's organisations, reached through the profile's foreign key: accounts import no
    registry app (the registry's querysets ask accounts' predicates)."""
    model = Profile._meta.get_field("organisation").related_model
    assert not isinstance(model, str)  # resolved once the apps are loaded
    return model._default_manager.all()


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def user_record(user: Any, profile: Profile | None) -> dict[str, Any]:
    return {
        "username": user.username,
        "role": profile.role if profile else None,
        "organisation": profile.organisation_id if profile else None,
        "is_active": user.is_active,
    }


def token_record(token: ApiToken, username: str) -> dict[str, Any]:
    return {
        "prefix": token.prefix,
        "user": username,
        "created_at": token.created_at.isoformat(),
        "revoked_at": token.revoked_at.isoformat() if token.revoked_at else None,
    }


def create_user(
    *,
    actor: str,
    username: str,
    role: str,
    organisation: str | None = None,
    password: str | None = None,
    email: str = "",
    reason: str = "",
    channel: str = "cli",
) -> User:
    """Creates a user with a role; applicants need the id of the organisation they work for."""
    if not actor:
        raise ValueError("actor is required")
    User = get_user_model()
    try:
        UnicodeUsernameValidator()(username)
    except ValidationError as error:
        raise InvalidInput("username", " ".join(error.messages)) from error
    if not username or len(username) > 150:
        raise InvalidInput("username", "must be 1 to 150 characters")
    if role not in Role.values:
        raise InvalidInput("role", f"unknown role {role!r}; one of {', '.join(Role.values)}")
    if role == Role.APPLICANT and not organisation:
        raise InvalidInput("organisation", "an applicant needs the organisation they work for")
    if role != Role.APPLICANT and organisation:
        raise InvalidInput("organisation", f"only applicants act for an organisation, not role {role}")
    if organisation and not organisations().filter(pk=organisation).exists():
        raise InvalidInput("organisation", f"no organisation with id {organisation!r}")
    if User.objects.filter(username=username).exists():
        raise InvalidInput("username", f"a user named {username!r} already exists")
    if password:
        try:
            validate_password(password, User(username=username))
        except ValidationError as error:
            raise InvalidInput("password", " ".join(error.messages)) from error

    is_admin = role == Role.ADMIN
    with transaction.atomic():
        # Administrators also get Django's admin site.
        user = User.objects.create_user(
            username=username,
            email=email,
            password=password or None,
            is_staff=is_admin,
            is_superuser=is_admin,
        )
        profile = Profile.objects.create(user=user, role=role, organisation_id=organisation or None)
        record_changes(
            actor=actor,
            reason=reason,
            channel=channel,
            changes=[RecordChange("accounts.users", username, "create", None, user_record(user, profile))],
        )
    return user


def _new_token() -> tuple[str, str]:
    prefix = f"{TOKEN_TAG}_{secrets.token_hex(4)}"
    return prefix, f"{prefix}_{secrets.token_urlsafe(32)}"


def create_token(
    *, actor: str, username: str, reason: str = "", channel: str = "cli"
) -> tuple[ApiToken, str]:
    """Issues a token for the user. Returns the stored token and the secret, which is shown only once."""
    if not actor:
        raise ValueError("actor is required")
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        raise InvalidInput("username", f"no user named {username!r}")
    if not user.is_active:
        raise InvalidInput("username", f"user {username!r} is not active")
    prefix, raw = _new_token()
    while ApiToken.objects.filter(prefix=prefix).exists():  # 2^32 prefixes: a clash is rare but possible
        prefix, raw = _new_token()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, prefix=prefix, digest=token_digest(raw), created_at=timezone.now()
        )
        record_changes(
            actor=actor,
            reason=reason,
            channel=channel,
            changes=[RecordChange("accounts.tokens", prefix, "create", None, token_record(token, username))],
        )
    return token, raw


def revoke_token(*, actor: str, prefix: str, reason: str = "", channel: str = "cli") -> ApiToken:
    """Revokes a token by its prefix; a revoked token no longer authenticates."""
    if not actor:
        raise ValueError("actor is required")
    token = ApiToken.objects.select_related("user").filter(prefix=prefix).first()
    if token is None:
        raise InvalidInput("prefix", f"no token with prefix {prefix!r}")
    with transaction.atomic():
        before = token_record(token, token.user.get_username())
        now = timezone.now()
        if ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=now) != 1:
            raise Conflict(f"token {prefix} is already revoked")
        token.revoked_at = now
        record_changes(
            actor=actor,
            reason=reason,
            channel=channel,
            changes=[
                RecordChange(
                    "accounts.tokens",
                    prefix,
                    "transition",
                    before,
                    token_record(token, token.user.get_username()),
                )
            ],
        )
    return token


def note_token_use(token: ApiToken) -> None:
    """Bookkeeping, not a record change: keeps last_used roughly current without a write per request."""
    now = timezone.now()
    if token.last_used is None or now - token.last_used >= LAST_USED_GRANULARITY:
        ApiToken.objects.filter(pk=token.pk).update(last_used=now)
        token.last_used = now


def second_factor_record(device: Any, username: str) -> dict[str, Any]:
    """A TOTP device as history shows it: never its key."""
    return {"user": username, "kind": "totp", "name": device.name}


def enrol_totp(*, actor: str, username: str, reason: str = "", channel: str = "cli") -> tuple[Any, str]:
    """Gives the user a new authenticator (TOTP) key, replacing any earlier one, and returns the device
    and its otpauth:// URI (the key: shown once, to load into an authenticator app).

    Officers and administrators need one to sign in to the web; other roles are refused.
    """
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if not actor:
        raise ValueError("actor is required")
    user = get_user_model().objects.select_related("profile").filter(username=username).first()
    if user is None:
        raise InvalidInput("username", f"no user named {username!r}")
    if not user.is_active:
        raise InvalidInput("username", f"user {username!r} is not active")
    if not needs_second_factor(user):
        raise InvalidInput("username", f"user {username!r} signs in without a second factor (not an officer "
                           "or administrator)")
    with transaction.atomic():
        earlier = list(TOTPDevice.objects.filter(user=user))
        TOTPDevice.objects.filter(user=user).delete()
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
        record_changes(
            actor=actor,
            reason=reason,
            channel=channel,
            changes=[
                RecordChange(
                    "accounts.second_factors",
                    username,
                    "update" if earlier else "create",
                    second_factor_record(earlier[0], username) if earlier else None,
                    second_factor_record(device, username),
                )
            ],
        )
    return device, device.config_url
