"""Fixtures for the designation workflows: a few bodies, personas with tokens, a settable clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.test import Client

from cepa.api.tests.helpers import Persona, persona
from cepa.bodies.models import Organisation
from cepa.rules.facts import BEIJING


class Clock:
    """The moment cepa.designation.clock.now() answers; set it with a Beijing-time string."""

    def __init__(self) -> None:
        self.moment = dt.datetime(2026, 1, 5, 9, 0, tzinfo=BEIJING)

    def set(self, moment: str) -> dt.datetime:
        parsed = dt.datetime.fromisoformat(moment)
        self.moment = parsed if parsed.tzinfo else parsed.replace(tzinfo=BEIJING)
        return self.moment

    def now(self) -> dt.datetime:
        return self.moment


@pytest.fixture
def clock() -> Iterator[Clock]:
    frozen = Clock()
    with mock.patch("cepa.designation.clock.now", side_effect=frozen.now):
        yield frozen


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def make_bodies() -> None:
    for id, kind, seat, hk_invested in (
        ("cn-lab-delta", "laboratory", "MAINLAND", True),
        ("cn-lab-river", "laboratory", "MAINLAND", False),
        ("cn-cb-east", "certification_body", "MAINLAND", False),
        ("cn-ib-north", "inspection_body", "MAINLAND", False),
        ("hk-lab-harbour", "laboratory", "HK", False),
    ):
        Organisation.objects.create(
            id=id, name_en=id.replace("-", " ").title(), kind=kind, seat=seat, hk_invested=hk_invested
        )


class People:
    """The personas of the designation tests."""

    def __init__(self) -> None:
        self.delta = persona("delta", "applicant", "cn-lab-delta")
        self.river = persona("river", "applicant", "cn-lab-river")
        self.east = persona("east", "applicant", "cn-cb-east")
        self.harbour = persona("harbour", "applicant", "hk-lab-harbour")
        self.cnca = persona("cnca", "cnca_officer")
        self.hkas = persona("hkas", "hkas_officer")
        self.root = persona("root", "admin")


@pytest.fixture
def people(db: Any) -> People:
    make_bodies()
    return People()


@pytest.fixture
def api() -> Client:
    return Client()


def headers(who: Persona) -> dict[str, str]:
    return who.headers
