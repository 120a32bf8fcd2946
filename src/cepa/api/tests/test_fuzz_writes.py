"""Generated hostile input to every JSON write of the API and to `cepa import` (issue 12, "Done when"):
no server error, and a refused request writes nothing.

For each write of the OpenAPI document, hypothesis sends bodies made mostly of the operation's own
fields holding hostile values (cepa.testing.hostile: NUL and control characters, lone surrogates,
far and impossible dates, numbers past every limit, wrong types, nesting 100,000 deep, text that is
not JSON), as the role that may call it or another, to the world's records or to hostile ids. Every
answer must be below 500, and every refusal (4xx) must leave every table's row count as it was. The
importer gets the contract's sample registry with one value replaced by a hostile one, or a hostile
text: exit 0 or 2, never a traceback, and nothing written on exit 2.

50 examples an operation, derandomized (the same cases on every run).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cepa.interchange.tests.helpers import run_cepa, sample
from cepa.testing.hostile import (
    HOSTILE_IDS,
    HOSTILE_TEXTS,
    Operation,
    World,
    call,
    caller,
    changed_tables,
    fill,
    make_world,
    row_counts,
    strategies,
    write_operations,
)

pytestmark = pytest.mark.django_db

OPERATIONS = [op for op in write_operations() if op.json]
ROLES = ("anonymous", "admin", "cnca", "ccaa", "hkas", "mainland", "hk")
EXAMPLES = settings(
    max_examples=50,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def world(db: Any) -> World:
    return make_world()


def test_every_json_write_is_fuzzed() -> None:
    paths = {op.path for op in OPERATIONS}
    assert {"/api/v1/import", "/api/v1/plans", "/api/v1/applications", "/api/v1/agreements/filings"} <= paths
    assert len(OPERATIONS) >= 25


@pytest.mark.parametrize("operation", OPERATIONS, ids=str)
def test_no_server_error_and_no_partial_write(operation: Operation, world: World) -> None:
    _atom, _value, body_for = strategies()
    client = Client(raise_request_exception=False)
    role = caller(operation.path)
    roles = st.sampled_from((role, role, role, *ROLES))
    ids = st.one_of(
        st.just({}),
        st.builds(lambda hostile: dict.fromkeys(world.ids, hostile), st.sampled_from(HOSTILE_IDS)),
    )

    @EXAMPLES
    @given(body=body_for(operation), who=roles, given_ids=ids)
    def run(body: bytes, who: str, given_ids: dict[str, str]) -> None:
        path = fill(operation.path, world.ids, **given_ids)
        before = row_counts()
        response = call(client, operation, path, body, world.people[who])
        assert response.status_code < 500, (str(operation), who, path, body[:300], response.content[:500])
        if response.status_code >= 400:
            assert response.json()["code"], response.content[:300]
            changed = changed_tables(before, row_counts())
            assert not changed, (str(operation), who, response.status_code, body[:300], changed)

    run()


def _replace(document: dict[str, Any], choice: Any, value: Any) -> dict[str, Any]:
    """The document with one value of one record replaced (or a field added) by `value`."""
    document = copy.deepcopy(document)
    lists = [name for name in document if name != "format" and document[name]]
    name = choice.draw(st.sampled_from(lists))
    record = choice.draw(st.sampled_from(document[name]))
    key = choice.draw(st.sampled_from([*record, "unexpected"]))
    record[key] = value
    return document


def test_cepa_import_of_hostile_documents_exits_0_or_2_and_writes_nothing_when_refused(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _atom, value, _body_for = strategies()
    base = sample()

    @EXAMPLES
    @given(data=st.data())
    def run(data: Any) -> None:
        kind = data.draw(st.sampled_from(("record", "record", "record", "format", "text")))
        if kind == "text":
            text = data.draw(st.sampled_from(HOSTILE_TEXTS))
        elif kind == "format":
            text = json.dumps({**base, "format": data.draw(value)}).encode("utf-8", "surrogatepass")
        else:
            document = _replace(base, data, data.draw(value))
            text = json.dumps(document, ensure_ascii=False).encode("utf-8", "surrogatepass")
        path = tmp_path / "document.json"
        path.write_bytes(text)
        before = row_counts()
        code, out, err = run_cepa(capsys, "import", str(path))
        assert code in (0, 2), (code, text[:300], err[-2000:])
        assert "Traceback" not in err
        if code == 2:
            assert out == ""
            assert err.strip(), text[:300]
            assert not changed_tables(before, row_counts()), text[:300]

    run()
