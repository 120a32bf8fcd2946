"""The site's secret key when the environment gives none: made once, at random, kept in the data folder.

Django signs with SECRET_KEY (sessions, CSRF, the enquiry form's timestamp) and the calendar feeds'
keys are derived from it, so a key written in the code would let anyone forge them. Production sets
CEPA_SECRET_KEY; otherwise the first command that loads the settings generates a random key and stores it
in DATA_DIR/secret_key, readable and writable by its owner only (0600), and every later command reads
it. This module imports nothing of Django: settings.py uses it before Django is set up.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from pathlib import Path

FILE_NAME = "secret_key"
MIN_LENGTH = 50  # Django's own check (security.W009) wants at least 50 characters


class SecretKeyError(RuntimeError):
    """The stored key cannot be used (empty, too short, unreadable)."""


def _read(path: Path) -> str:
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        # A key others may read is no secret: take it back to the owner alone.
        os.chmod(path, 0o600)
    key = path.read_text(encoding="utf-8").strip()
    if len(key) < MIN_LENGTH:
        raise SecretKeyError(
            f"{path} holds no usable secret key (fewer than {MIN_LENGTH} characters): remove it to have a "
            "new one generated, or set CEPA_SECRET_KEY"
        )
    return key


def stored_secret_key(folder: Path) -> str:
    """The key kept in `folder`, generated and stored (mode 0600) when there is none yet.

    Safe when several processes start at once: each writes its candidate to a private file and links it
    into place only if no key is there yet; whoever loses reads the winner's key.
    """
    path = folder / FILE_NAME
    if path.exists():
        return _read(path)
    folder.mkdir(parents=True, exist_ok=True)
    candidate = folder / f".{FILE_NAME}.{os.getpid()}.{secrets.token_hex(4)}"
    descriptor = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as out:
            out.write(secrets.token_urlsafe(64) + "\n")
            out.flush()
            os.fsync(out.fileno())
        # Another process may have stored its key first: then that one is used.
        with contextlib.suppress(FileExistsError):
            os.link(candidate, path)
    finally:
        candidate.unlink(missing_ok=True)
    return _read(path)
