from __future__ import annotations

import hashlib

import pytest
from django.contrib.auth import get_user_model

from cepa.accounts.models import ApiToken, Profile
from cepa.accounts.selectors import active_token
from cepa.accounts.services import create_token, create_user, revoke_token
from cepa.bodies.models import Organisation
from cepa.errors import Conflict, InvalidInput
from cepa.history.models import Change, ChangeSet

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def lab() -> Organisation:
    return Organisation.objects.create(
        id="hk-lab-a", name_en="Harbour Testing Ltd", kind="laboratory", seat="HK"
    )


def test_create_applicant_records_role_and_organisation(lab: Organisation) -> None:
    user = create_user(
        actor="cli:root",
        username="alice",
        role="applicant",
        organisation="hk-lab-a",
        password="s3cret-passphrase",
    )

    profile = Profile.objects.get(user=user)
    assert (profile.role, profile.organisation_id) == ("applicant", "hk-lab-a")
    assert user.check_password("s3cret-passphrase")
    assert (user.is_staff, user.is_superuser) == (False, False)
    change = Change.objects.get(record_type="accounts.users")
    assert (change.record_id, change.action, change.before) == ("alice", "create", None)
    assert change.after == {
        "username": "alice",
        "role": "applicant",
        "organisation": "hk-lab-a",
        "is_active": True,
    }
    assert change.changeset.actor == "cli:root"


def test_admin_gets_the_django_admin() -> None:
    user = create_user(actor="cli:root", username="root2", role="admin")
    assert (user.is_staff, user.is_superuser, user.has_usable_password()) == (True, True, False)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"role": "applicant"}, "organisation"),
        ({"role": "applicant", "organisation": "no-such-org"}, "organisation"),
        ({"role": "cnca_officer", "organisation": "hk-lab-a"}, "organisation"),
        ({"role": "wizard"}, "role"),
        ({"role": "admin", "username": "bad name!"}, "username"),
        ({"role": "admin", "password": "short"}, "password"),
    ],
)
def test_create_user_refuses_bad_input_and_writes_nothing(
    lab: Organisation, kwargs: dict, field: str
) -> None:
    arguments = {"username": "bob", **kwargs}
    changesets = ChangeSet.objects.count()
    with pytest.raises(InvalidInput) as error:
        create_user(actor="cli:root", **arguments)
    assert error.value.field == field
    assert User.objects.count() == 0
    assert ChangeSet.objects.count() == changesets


def test_create_user_refuses_a_taken_username() -> None:
    create_user(actor="cli:root", username="bob", role="cnca_officer")
    changesets = ChangeSet.objects.count()
    with pytest.raises(InvalidInput) as error:
        create_user(actor="cli:root", username="bob", role="admin")
    assert error.value.field == "username"
    assert Profile.objects.get(user__username="bob").role == "cnca_officer"
    assert (User.objects.count(), ChangeSet.objects.count()) == (1, changesets)


def test_token_is_stored_hashed_and_never_in_history() -> None:
    create_user(actor="cli:root", username="bob", role="cnca_officer")
    token, raw = create_token(actor="cli:root", username="bob")

    assert raw.startswith(token.prefix + "_")
    assert token.digest == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in {token.prefix, token.digest}
    change = Change.objects.get(record_type="accounts.tokens")
    assert change.record_id == token.prefix
    assert raw not in str(change.after) and token.digest not in str(change.after)
    assert active_token(raw) == token


def test_history_never_holds_a_password_hash() -> None:
    user = create_user(actor="cli:root", username="bob", role="admin", password="a-long-password")
    assert all(user.password not in str(c.after) for c in Change.objects.all())


def test_revoked_token_no_longer_authenticates() -> None:
    create_user(actor="cli:root", username="bob", role="cnca_officer")
    token, raw = create_token(actor="cli:root", username="bob")

    revoke_token(actor="cli:root", prefix=token.prefix)

    assert active_token(raw) is None
    token.refresh_from_db()
    assert token.revoked_at is not None
    change = Change.objects.filter(record_type="accounts.tokens").last()
    assert change is not None and change.action == "transition"
    assert (change.before["revoked_at"], change.after["revoked_at"]) == (None, token.revoked_at.isoformat())


def test_revoking_twice_is_a_conflict_and_changes_nothing() -> None:
    create_user(actor="cli:root", username="bob", role="cnca_officer")
    token, _ = create_token(actor="cli:root", username="bob")
    revoke_token(actor="cli:root", prefix=token.prefix)
    revoked_at = ApiToken.objects.get().revoked_at
    changesets = ChangeSet.objects.count()

    with pytest.raises(Conflict):
        revoke_token(actor="cli:root", prefix=token.prefix)

    assert ApiToken.objects.get().revoked_at == revoked_at
    assert ChangeSet.objects.count() == changesets


def test_token_for_unknown_user_or_prefix_is_refused() -> None:
    with pytest.raises(InvalidInput) as error:
        create_token(actor="cli:root", username="ghost")
    assert error.value.field == "username"
    with pytest.raises(InvalidInput) as error:
        revoke_token(actor="cli:root", prefix="cepa_00000000")
    assert error.value.field == "prefix"
    assert ApiToken.objects.count() == 0


def test_inactive_user_token_does_not_authenticate() -> None:
    user = create_user(actor="cli:root", username="bob", role="cnca_officer")
    _, raw = create_token(actor="cli:root", username="bob")
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert active_token(raw) is None


def test_services_need_an_actor() -> None:
    with pytest.raises(ValueError):
        create_user(actor="", username="bob", role="admin")
    assert User.objects.count() == 0
