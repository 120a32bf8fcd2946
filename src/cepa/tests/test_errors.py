"""The command line's one mapping of the project's errors: the contract's exit codes (§3)."""

from __future__ import annotations

import pytest
from django.core.management.base import CommandError

from cepa.errors import (
    EXIT_BAD_INPUT,
    EXIT_REFUSED,
    CepaError,
    Conflict,
    ErrorCode,
    InvalidInput,
    NotAllowed,
    NotFound,
    Refused,
    command_errors,
)


@pytest.mark.parametrize(
    ("error", "exit_code", "text"),
    [
        (InvalidInput("year", "must be a year"), EXIT_BAD_INPUT, "BAD_REQUEST: year: must be a year"),
        (NotFound("no plan with id 'x'"), EXIT_BAD_INPUT, "NOT_FOUND: no plan with id 'x'"),
        (
            NotAllowed("role applicant may not review"),
            EXIT_BAD_INPUT,
            "FORBIDDEN: role applicant may not review",
        ),
        (
            Conflict("plan 2026-1 is published", code=ErrorCode.ALREADY_EXISTS),
            EXIT_REFUSED,
            "ALREADY_EXISTS: plan 2026-1 is published",
        ),
        (
            Refused("the deadline has passed", code=ErrorCode.DEADLINE_PASSED, failing=["DEADLINE_PASSED"]),
            EXIT_REFUSED,
            "DEADLINE_PASSED: the deadline has passed (failing: DEADLINE_PASSED)",
        ),
    ],
)
def test_exit_codes(error: CepaError, exit_code: int, text: str) -> None:
    with pytest.raises(CommandError) as raised, command_errors():
        raise error
    assert (raised.value.returncode, str(raised.value)) == (exit_code, text)
    assert (EXIT_REFUSED, EXIT_BAD_INPUT) == (1, 2)


def test_a_command_may_word_it_its_own_way() -> None:
    with pytest.raises(CommandError) as raised, command_errors(say=str):
        raise InvalidInput("username", "no user named 'x'")
    assert (raised.value.returncode, str(raised.value)) == (2, "username: no user named 'x'")


def test_other_exceptions_pass_through() -> None:
    with pytest.raises(ValueError, match="actor is required"), command_errors():
        raise ValueError("actor is required")
