"""Spam protection for enquiries, with no outside service. The web form and the API call the same
functions, and everything they count lives in the shared cache (settings.CACHES: Redis or a database
table), so every worker and every machine sees the same counts.

- a honeypot field that people never see and bots fill in (the web form's own);
- a form token issued with the form: a signed start time and a random nonce. A form sent back sooner
  than MIN_FILL_SECONDS, later than MAX_AGE_SECONDS, or with a token not signed here is refused
  (`token_problem`), and so is a second use of one token (`use_token`);
- at most LIMIT_PER_HOUR enquiries from one address within any hour (`admit_submission`).

The rate limit keeps LIMIT_PER_HOUR slots per address; a submission takes a free slot with the cache's
atomic `add`, and each slot frees itself an hour after it was taken. `add` is atomic on Redis (SET NX)
and on the database cache (an insert on the key's primary key), where a counter's get-then-set is not:
two workers can never both take the last slot.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from typing import Any

from django.core import signing
from django.core.cache import cache

SALT = "cepa.enquiries.form-started"
MIN_FILL_SECONDS = 3
MAX_AGE_SECONDS = 24 * 3600
LIMIT_PER_HOUR = 5
WINDOW_SECONDS = 3600


def issue_token(now: float | None = None) -> str:
    """A new form token: the signed start time and a nonce that makes every token unique."""
    started = int(time.time() if now is None else now)
    return signing.dumps({"t": started, "n": secrets.token_urlsafe(12)}, salt=SALT)


def _read(token: str) -> tuple[int, str] | None:
    try:
        value: Any = signing.loads(token or "", salt=SALT)
        started, nonce = int(value["t"]), str(value["n"])
    except (signing.BadSignature, TypeError, ValueError, KeyError):
        return None
    return (started, nonce) if nonce else None


def _used_key(nonce: str) -> str:
    return "enquiry-token:" + hashlib.sha256(f"{SALT}:{nonce}".encode()).hexdigest()[:32]


def token_problem(token: str, now: float | None = None) -> str | None:
    """None when the form was filled in plausibly; else `invalid`, `too_fast` or `expired`. Whether it
    was used before is `use_token`'s to say (it asks the shared cache, once)."""
    read = _read(token)
    if read is None:
        return "invalid"
    elapsed = (time.time() if now is None else now) - read[0]
    if elapsed < MIN_FILL_SECONDS:
        return "too_fast"
    if elapsed > MAX_AGE_SECONDS:
        return "expired"
    return None


def use_token(token: str) -> bool:
    """Marks a (valid) token as used, once for all workers; False when it already was (or is not a
    token). Kept until the token would have expired anyway."""
    read = _read(token)
    if read is None:
        return False
    return bool(cache.add(_used_key(read[1]), 1, timeout=MAX_AGE_SECONDS + 60))


def _slot_keys(address: str) -> list[str]:
    digest = hashlib.sha256(f"{SALT}:{address}".encode()).hexdigest()[:32]
    return [f"enquiry-rate:{digest}:{slot}" for slot in range(LIMIT_PER_HOUR)]


def rate_limited(address: str) -> bool:
    """The address has sent LIMIT_PER_HOUR enquiries within the last hour (a read; counts nothing)."""
    keys = _slot_keys(address)
    return len(cache.get_many(keys)) >= len(keys)


def admit_submission(address: str) -> bool:
    """Counts one enquiry from `address` (an IP address) and says whether it may be sent: False, and
    nothing counted, when LIMIT_PER_HOUR were already counted within the hour. Call it once per
    enquiry about to be stored, from every face that takes enquiries."""
    keys = _slot_keys(address)
    taken = cache.get_many(keys)
    free = [key for key in keys if key not in taken]
    # The first free slot that no other worker takes meanwhile (any() stops there).
    return any(cache.add(key, int(time.time()), timeout=WINDOW_SECONDS) for key in free)


def count_submission(address: str) -> None:
    """Counts one enquiry from `address` (admit_submission, its answer ignored)."""
    admit_submission(address)
