"""Supporting documents of applications: PDFs stored under MEDIA_ROOT by checksum."""

from __future__ import annotations

import hashlib
import io
import re
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from pypdf import PdfReader

from cepa.designation import clock
from cepa.designation.models import (
    Application,
    ApplicationDocument,
    ApplicationStatus,
    document_path,
)
from cepa.designation.services.applications import (
    _expect,
    find_application,
)
from cepa.designation.services.base import (
    DEFAULT_MAX_DOCUMENT_BYTES,
    DOCUMENTS,
    PDF_MAGIC,
    _history,
    _text,
    _who,
)
from cepa.errors import InvalidInput, PayloadTooLarge

# --- supporting documents -----------------------------------------------------------------------------

DOCUMENT_STATUSES = (
    ApplicationStatus.DRAFT,
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.INFORMATION_REQUESTED,
)


def max_document_bytes() -> int:
    return int(getattr(settings, "CEPA_MAX_DOCUMENT_BYTES", DEFAULT_MAX_DOCUMENT_BYTES))


def _filename(value: Any) -> str:
    name = _text(value or "document.pdf", "filename", required=True, max_length=1000)
    name = re.sub(r"[\x00-\x1f\x7f/\\]", "_", name).strip(". ") or "document.pdf"
    return name[-255:]


def check_document(*, filename: Any, content_type: str, data: bytes) -> str:
    """The checks of an upload: PDF by content type and by its first bytes, within the size limit."""
    limit = max_document_bytes()
    if len(data) > limit:
        raise PayloadTooLarge("file", f"is {len(data)} bytes; the limit is {limit} bytes")
    if not data:
        raise InvalidInput("file", "is empty")
    if content_type.split(";")[0].strip().lower() != "application/pdf":
        raise InvalidInput(
            "file", f"must be a PDF (content type application/pdf), not {content_type or 'unknown'}"
        )
    if not data.startswith(PDF_MAGIC):
        raise InvalidInput("file", "is not a PDF: it does not start with %PDF-")
    _check_parses(data)
    return _filename(filename)


def _check_parses(data: bytes) -> None:
    """The file is a PDF that a maintained parser (pypdf) reads, with at least one page, not
    encrypted: a file that merely starts with %PDF- is not one (issue 12, finding 13)."""
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        encrypted = reader.is_encrypted
        pages = 0 if encrypted else len(reader.pages)
        if not encrypted:
            for page in reader.pages:
                page.mediabox  # noqa: B018 - reading each page's box parses its dictionary
    except Exception as error:  # pypdf raises many kinds on a broken file; any of them refuses it
        raise InvalidInput("file", f"is not a PDF that can be read ({type(error).__name__})") from None
    if encrypted:
        raise InvalidInput("file", "is an encrypted PDF: upload it without a password")
    if pages < 1:
        raise InvalidInput("file", "is a PDF without pages")


def add_document(
    *,
    actor: str,
    user: Any,
    application_id: Any,
    filename: str,
    content_type: str,
    data: bytes,
    channel: str = "api",
) -> ApplicationDocument:
    """Stores a supporting PDF under MEDIA_ROOT, named by its sha256 checksum."""
    application = find_application(
        user=user,
        application_id=application_id,
        permission="applications.apply",
        what="add documents to this application",
    )
    name = check_document(filename=filename, content_type=content_type, data=data)
    _expect(application, DOCUMENT_STATUSES, "adding a document")
    digest = hashlib.sha256(data).hexdigest()
    with transaction.atomic():
        # Lock the application so a document never lands on one that is being decided.
        current = Application.objects.select_for_update().get(pk=application.pk)
        _expect(current, DOCUMENT_STATUSES, "adding a document")
        document = ApplicationDocument(
            application=application,
            filename=name,
            size=len(data),
            sha256=digest,
            uploaded=clock.now(),
            uploaded_by=_who(user, actor),
        )
        path = document_path(document, name)
        # Content-addressed: the same bytes are one file; a rolled-back upload leaves at most a
        # file that a later upload of the same bytes reuses.
        storage = document.file.storage
        if not storage.exists(path):
            stored = storage.save(path, ContentFile(data))
            if stored != path:  # pragma: no cover - the storage renamed it
                path = stored
        document.file.name = path
        document.save()
        _history(
            current,
            actor=actor,
            user=user,
            channel=channel,
            old=current.status,
            note=f"document {name} ({digest[:12]})",
            reason="supporting document",
            record_type=DOCUMENTS,
            record_id=str(document.pk),
            action="create",
            before=None,
            after={"application": application.pk, "filename": name, "size": len(data), "sha256": digest},
            event="document_added",
        )
    return document
