"""Spam protection for the public enquiry form, with no outside service.

- a honeypot field that people never see and bots fill in;
- a signed timestamp issued with the form: a form sent back sooner than MIN_FILL_SECONDS, later than
  MAX_AGE_SECONDS, or with a token that was not signed here is refused;
- a limit of LIMIT_PER_HOUR enquiries per IP address per hour, counted in the cache (per process with
  the default local-memory cache; configure a shared cache when serving with several workers).
"""

from __future__ import annotations

import hashlib
import time

from django.core import signing
from django.core.cache import cache

SALT = "cepa.enquiries.form-started"
MIN_FILL_SECONDS = 3
MAX_AGE_SECONDS = 24 * 3600
LIMIT_PER_HOUR = 5
WINDOW_SECONDS = 3600


def issue_token(now: float | None = None) -> str:
    return signing.dumps(int(time.time() if now is None else now), salt=SALT)


def token_problem(token: str, now: float | None = None) -> str | None:
    """None when the form was filled in plausibly; else `invalid`, `too_fast` or `expired`."""
    try:
        started = int(signing.loads(token or "", salt=SALT))
    except (signing.BadSignature, TypeError, ValueError):
        return "invalid"
    elapsed = (time.time() if now is None else now) - started
    if elapsed < MIN_FILL_SECONDS:
        return "too_fast"
    if elapsed > MAX_AGE_SECONDS:
        return "expired"
    return None


def _key(ip: str) -> str:
    digest = hashlib.sha256(f"{SALT}:{ip}".encode()).hexdigest()[:32]
    return f"enquiry-rate:{digest}"


def rate_limited(ip: str) -> bool:
    return int(cache.get(_key(ip), 0)) >= LIMIT_PER_HOUR


def count_submission(ip: str) -> None:
    key = _key(ip)
    if not cache.add(key, 1, timeout=WINDOW_SECONDS):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=WINDOW_SECONDS)
