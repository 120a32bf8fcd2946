from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from cepa.accounts.models import ApiToken, Profile
from cepa.accounts.selectors import active_token
from cepa.bodies.models import Organisation

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_user_create_applicant_with_organisation() -> None:
    Organisation.objects.create(id="hk-lab-a", name_en="Harbour Testing Ltd", kind="laboratory", seat="HK")
    output = run("user", "create", "alice", "--role", "applicant", "--organisation", "hk-lab-a")
    assert output == "Created user alice with role applicant of hk-lab-a\n"
    profile = Profile.objects.get(user__username="alice")
    assert (profile.role, profile.organisation_id) == ("applicant", "hk-lab-a")
    assert not profile.user.has_usable_password()


def test_user_create_takes_the_password_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CEPA_PASSWORD", "from-the-environment")
    run("user", "create", "carol", "--role", "cnca_officer")
    assert Profile.objects.get().user.check_password("from-the-environment")


def test_user_create_password_option_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CEPA_PASSWORD", "from-the-environment")
    run("user", "create", "carol", "--role", "admin", "--password", "from-the-option")
    assert Profile.objects.get().user.check_password("from-the-option")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "applicant"], "--organisation: an applicant needs the organisation they work for"),
        (
            ["--role", "applicant", "--organisation", "nowhere"],
            "--organisation: no organisation with id 'nowhere'",
        ),
    ],
)
def test_user_create_bad_organisation_exits_2(args: list[str], message: str) -> None:
    with pytest.raises(CommandError) as error:
        run("user", "create", "alice", *args)
    assert error.value.returncode == 2
    assert str(error.value) == message
    assert Profile.objects.count() == 0


def test_token_create_prints_the_token_as_the_last_word() -> None:
    run("user", "create", "bob", "--role", "admin")
    output = run("token", "create", "bob")
    token = output.split()[-1]
    found = active_token(token)
    assert found is not None and found.user.username == "bob"
    assert output.startswith(f"Token {found.prefix} for bob")


def test_token_create_unknown_user_exits_2() -> None:
    with pytest.raises(CommandError) as error:
        run("token", "create", "ghost")
    assert error.value.returncode == 2
    assert ApiToken.objects.count() == 0


def test_token_revoke_by_prefix() -> None:
    run("user", "create", "bob", "--role", "admin")
    token = run("token", "create", "bob").split()[-1]
    prefix = ApiToken.objects.get().prefix

    assert run("token", "revoke", prefix) == f"Revoked token {prefix} of bob\n"
    assert active_token(token) is None
    with pytest.raises(CommandError) as error:
        run("token", "revoke", prefix)
    assert error.value.returncode == 2


def test_token_list_shows_prefixes_never_secrets() -> None:
    run("user", "create", "bob", "--role", "admin")
    token = run("token", "create", "bob").split()[-1]
    listing = run("token", "list")
    assert ApiToken.objects.get().prefix in listing
    assert token not in listing and "active" in listing
