"""An account as the API shows it."""

from __future__ import annotations

from ninja import Schema

from cepa.accounts.models import Role


class MeOut(Schema):
    username: str
    role: Role | None
    organisation: str | None

    model_config = {
        "json_schema_extra": {
            "examples": [{"username": "alice", "role": "applicant", "organisation": "hk-lab-harbour"}]
        }
    }
