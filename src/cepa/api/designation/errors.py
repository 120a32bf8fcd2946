"""The designation services' refusals as the API's errors."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from cepa.api.errors import ApiError, BadRequest, Conflict, Forbidden, NotFound, Refused
from cepa.designation import services


class PayloadTooLarge(ApiError):
    status = 413
    code = "PAYLOAD_TOO_LARGE"


@contextmanager
def workflow_errors() -> Iterator[None]:
    """The services' refusals as the API's errors."""
    try:
        yield
    except services.DocumentTooLarge as error:
        raise PayloadTooLarge(
            error.message, errors=[{"field": error.field, "message": error.message}]
        ) from error
    except services.InvalidInput as error:
        raise BadRequest(error.message, errors=[{"field": error.field, "message": error.message}]) from error
    except services.NotAllowed as error:
        raise Forbidden(error.message) from error
    except services.NotFound as error:
        raise NotFound(error.message) from error
    except services.StatusConflict as error:
        raise Conflict(error.message, code=error.code) from error
    except services.RuleRefused as error:
        raise Refused(error.message, code=error.code, failing=error.failing) from error
