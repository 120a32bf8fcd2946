"""Fixtures for the designation workflows: a few bodies, personas with tokens, a settable clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.test import Client

from cepa.rules.facts import BEIJING
from cepa.testing import personas
from cepa.testing.factories import organisation
from cepa.testing.personas import Persona


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
        organisation(id, kind, seat, hk_invested)


class People:
    """The personas of the designation tests: applicants of four bodies, two officers, the admin."""

    def __init__(self) -> None:
        self.delta = personas.applicant("delta", "cn-lab-delta")
        self.river = personas.applicant("river", "cn-lab-river")
        self.east = personas.applicant("east", "cn-cb-east")
        self.harbour = personas.applicant("harbour", "hk-lab-harbour")
        self.cnca = personas.cnca_officer()
        self.hkas = personas.hkas_officer()
        self.root = personas.admin()


@pytest.fixture
def people(db: Any) -> People:
    make_bodies()
    return People()


@pytest.fixture
def api() -> Client:
    return Client()


def headers(who: Persona) -> dict[str, str]:
    return who.headers
