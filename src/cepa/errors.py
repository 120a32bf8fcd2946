"""The project's one error vocabulary: what a service raises when it will not do what it was asked.

Every app may import this module; it imports no app. A `CepaError` carries a stable `code` (for
programs; `ErrorCode`), an HTTP `status`, a message for people (translatable: a lazy string, rendered
in the language active when it is read, so the face that shows it chooses the language), and where
they help the fields that are wrong (`errors`) or the reason codes that refuse it (`failing`). Each
face maps it once: the API (cepa.api.errors), the web (cepa.web.portal.common.explain) and the
commands (`command_errors` below, the contract's exit codes).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from enum import StrEnum
from typing import Any, ClassVar, Protocol

from django.core.management.base import CommandError
from django.db import OperationalError
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

Text = str | Promise


class ErrorCode(StrEnum):
    """Every `code` the project reports. Stable: programs act on them."""

    # By status, when nothing more specific applies.
    NOT_AUTHENTICATED = "NOT_AUTHENTICATED"  # 401
    FORBIDDEN = "FORBIDDEN"  # 403
    NOT_FOUND = "NOT_FOUND"  # 404
    METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED"  # 405
    BAD_REQUEST = "BAD_REQUEST"  # 400
    CONFLICT = "CONFLICT"  # 409
    PAYLOAD_TOO_LARGE = "PAYLOAD_TOO_LARGE"  # 413
    REFUSED = "REFUSED"  # 422
    THROTTLED = "THROTTLED"  # 429
    SERVER_ERROR = "SERVER_ERROR"  # 500
    SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE"  # 503: the database is busy; try again (Retry-After)
    # 400: an import the interchange format refuses.
    IMPORT_REFUSED = "IMPORT_REFUSED"
    # 409: the record's state.
    ALREADY_EXISTS = "ALREADY_EXISTS"
    ALREADY_REGISTERED = "ALREADY_REGISTERED"
    ALREADY_CONFIRMED = "ALREADY_CONFIRMED"
    REGISTRATION_CANCELLED = "REGISTRATION_CANCELLED"
    STATUS_NOT_ALLOWED = "STATUS_NOT_ALLOWED"
    TRANSFER_DECIDED = "TRANSFER_DECIDED"
    WINDOW_CLOSED = "WINDOW_CLOSED"
    # 422: the rule that refuses.
    DEADLINE_PASSED = "DEADLINE_PASSED"
    MIXED_ROUTES = "MIXED_ROUTES"
    KIND_NOT_ELIGIBLE = "KIND_NOT_ELIGIBLE"
    OBJECTION_PERIOD_ENDED = "OBJECTION_PERIOD_ENDED"
    COUNTERPARTY_NOT_DESIGNATED = "COUNTERPARTY_NOT_DESIGNATED"
    PARTY_NOT_ELIGIBLE = "PARTY_NOT_ELIGIBLE"
    RANGE_ENDED = "RANGE_ENDED"
    TERMINATION_OUTSIDE_RANGE = "TERMINATION_OUTSIDE_RANGE"
    CHAIN_NOT_ELIGIBLE = "CHAIN_NOT_ELIGIBLE"  # a certificate's chain fails the certificate decision


class Explained(Protocol):
    """One failing rule of a refusal that explains itself in a language (cepa.personnel's Reason)."""

    @property
    def code(self) -> str: ...

    def message(self, lang: str = "en") -> str: ...


def current_language() -> str:
    """The active language as the contract spells it: `en`, `zh-Hant` or `zh-Hans`."""
    active = (get_language() or "en").lower()
    return {"zh-hant": "zh-Hant", "zh-hans": "zh-Hans"}.get(active, "en")


class CepaError(Exception):
    """A request a service will not carry out; nothing was written.

    `message` may be a lazy translatable string with %(name)s placeholders filled from `params`;
    `extra` adds keys to the API's body (for example the product types a filing fails on).
    """

    status: ClassVar[int] = 400
    default_code: ClassVar[ErrorCode] = ErrorCode.BAD_REQUEST

    def __init__(
        self,
        message: Text = "",
        *,
        code: ErrorCode | None = None,
        params: Mapping[str, Any] | None = None,
        failing: Sequence[str] = (),
        reasons: Sequence[Explained] = (),
        **extra: Any,
    ) -> None:
        self.code = ErrorCode(code or self.default_code)
        self._message = message
        self.params = dict(params or {})
        self.failing = list(failing)
        self.reasons = list(reasons)
        self.extra = extra
        super().__init__(message)

    @property
    def message(self) -> str:
        """The message in the active language."""
        if not self._message and self.reasons:
            lang = current_language()
            return " ".join(reason.message(lang) for reason in self.reasons)
        text = str(self._message)
        return text % self.params if self.params else text

    def __str__(self) -> str:
        return self.message

    def body(self) -> dict[str, Any]:
        """The API's JSON body: {"code", "message"} and what else helps, in the active language."""
        return {"code": str(self.code), "message": self.message, **self.extra}


class NotAuthenticated(CepaError):
    """No token, or one that is not valid (401; the API's only)."""

    status = 401
    default_code = ErrorCode.NOT_AUTHENTICATED


class NotAllowed(CepaError):
    """The user's role or organisation may not do this (403)."""

    status = 403
    default_code = ErrorCode.FORBIDDEN


class NotFound(CepaError):
    """No such record, or none the user may see (404)."""

    status = 404
    default_code = ErrorCode.NOT_FOUND


class InvalidInput(CepaError, ValueError):
    """Malformed input (400): `errors` says what is wrong with each field; `field` is the first.

    `InvalidInput("year", "must be a year")`; `InvalidInput({"from": ..., "until": ...})` or a list of
    (field, message) pairs for several. The message joins them ("year: must be a year") unless
    `summary` says it otherwise.
    """

    status = 400
    default_code = ErrorCode.BAD_REQUEST

    def __init__(
        self,
        field: str | Mapping[str, Text] | Sequence[tuple[str, Text]],
        message: Text = "",
        *,
        summary: Text = "",
        code: ErrorCode | None = None,
        params: Mapping[str, Any] | None = None,
        **extra: Any,
    ) -> None:
        if isinstance(field, str):
            self._errors: list[tuple[str, Text]] = [(field, message)]
        elif isinstance(field, Mapping):
            self._errors = list(field.items())
        else:
            self._errors = list(field)
        self.field = self._errors[0][0] if self._errors else "body"
        super().__init__(summary, code=code, params=params, **extra)

    def _render(self, text: Text) -> str:
        return str(text) % self.params if self.params else str(text)

    @property
    def errors(self) -> dict[str, str]:
        """What is wrong with each field, in the active language."""
        return {name: self._render(text) for name, text in self._errors}

    @property
    def message(self) -> str:
        if self._message:
            return self._render(self._message)
        return "; ".join(f"{name}: {self._render(text)}" for name, text in self._errors)

    def body(self) -> dict[str, Any]:
        body = super().body()
        if self._errors:
            body["errors"] = [{"field": name, "message": self._render(text)} for name, text in self._errors]
        return body


class PayloadTooLarge(InvalidInput):
    """A file over the size limit (413)."""

    status = 413
    default_code = ErrorCode.PAYLOAD_TOO_LARGE


class Conflict(CepaError):
    """The record's status does not allow it, or it changed meanwhile (409); `code` says which state."""

    status = 409
    default_code = ErrorCode.CONFLICT


class Refused(CepaError):
    """A rule refuses it (422): `failing` lists the reason codes (or what fails the rule, such as
    product types); `reasons`, where given, explain each failing rule in the active language."""

    status = 422
    default_code = ErrorCode.REFUSED

    def __init__(
        self,
        message: Text = "",
        *,
        failing: Sequence[str] = (),
        reasons: Sequence[Explained] = (),
        code: ErrorCode | None = None,
        params: Mapping[str, Any] | None = None,
        **extra: Any,
    ) -> None:
        failing = list(failing) or [reason.code for reason in reasons]
        super().__init__(message, code=code, params=params, failing=failing, reasons=reasons, **extra)

    def body(self) -> dict[str, Any]:
        body = {**super().body(), "failing": self.failing}
        if self.reasons:
            lang = current_language()
            body["reasons"] = [{"code": r.code, "message": r.message(lang)} for r in self.reasons]
        return body


# --- a database too busy to write -----------------------------------------------------------------

# SQLite lets one writer in at a time; others wait up to the busy timeout (settings: 20 s). A write that
# still cannot proceed is answered 503 with Retry-After by every face, never 500: nothing was written
# (its transaction rolled back) and the same request may simply be sent again.
RETRY_AFTER_SECONDS = 5
BUSY_MESSAGE = _(
    "the registry is busy saving another change; nothing was changed, try again in a few seconds"
)


def is_database_busy(error: BaseException) -> bool:
    """SQLite's `database is locked` (or a locked table or schema) once the busy timeout has passed."""
    text = str(error)
    return isinstance(error, OperationalError) and text.startswith("database") and "locked" in text


# --- common messages ------------------------------------------------------------------------------


def role_may_not(role: str | None, what: Text) -> NotAllowed:
    """The refusal of a role check: "role applicant may not review applications"."""
    return NotAllowed(_("role %(role)s may not %(what)s"), params={"role": role or "none", "what": what})


# --- the command line's exit codes (contract §3) ---------------------------------------------------

EXIT_REFUSED = 1  # the record's status or a rule refuses it (the API's 409 and 422)
EXIT_BAD_INPUT = 2  # bad input, no such record or account, a role that may not (400, 404, 403)


def exit_code(error: CepaError) -> int:
    return EXIT_REFUSED if isinstance(error, (Conflict, Refused)) else EXIT_BAD_INPUT


def describe(error: CepaError) -> str:
    """`CODE: message (failing: A, B)`: how a command reports a refusal on stderr."""
    failing = f" (failing: {', '.join(error.failing)})" if error.failing else ""
    return f"{error.code}: {error.message}{failing}"


@contextmanager
def command_errors(say: Callable[[CepaError], str] = describe) -> Iterator[None]:
    """A service's refusal as the command's exit: its message (`say`) on stderr, its exit code."""
    try:
        yield
    except CepaError as error:
        raise CommandError(say(error), returncode=exit_code(error)) from error
