"""The supporting documents (PDFs) of a designation application."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, HttpRequest
from ninja import Router, Status

from cepa.api.auth import current_user
from cepa.api.designation.schemas import DocumentOut
from cepa.api.errors import BadRequestOut, ErrorOut
from cepa.api.imports import actor_of
from cepa.api.routes import PRIVATE, WRITE_ERRORS
from cepa.designation import selectors, services
from cepa.errors import InvalidInput, NotFound, PayloadTooLarge

router = Router(tags=["Designation applications"])


def _visible_documents(request: HttpRequest, application_id: str) -> Any:
    number = services.parse_id(application_id)
    documents = selectors.documents(current_user(request), number) if number else None
    if documents is None:
        raise NotFound(f"no application with id {application_id!r}")
    return documents


@router.get(
    "/applications/{application_id}/documents",
    response={200: list[DocumentOut], 401: ErrorOut, 404: ErrorOut},
    **PRIVATE,
)
def list_documents(request: HttpRequest, application_id: str) -> list[dict[str, Any]]:
    """The supporting documents: for the applicant's organisation, officers and administrators."""
    return [selectors.document_record(d) for d in _visible_documents(request, application_id)]


@router.post(
    "/applications/{application_id}/documents",
    response={201: DocumentOut, 413: BadRequestOut, **WRITE_ERRORS},
    summary="Upload a supporting document (PDF; applicant)",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "file": {"type": "string", "format": "binary", "description": "A PDF"}
                        },
                        "required": ["file"],
                    }
                }
            },
        }
    },
    **PRIVATE,
)
def upload_document(request: HttpRequest, application_id: str) -> Any:
    """A PDF (content type application/pdf, starting with %PDF-) up to the size limit (10 MB unless
    the settings say otherwise; 413 above it), while the application is draft, submitted or
    information_requested. Stored with its sha256 checksum."""
    user = current_user(request)
    services.find_application(
        user=user,
        application_id=application_id,
        permission="applications.apply",
        what="add documents to this application",
    )
    upload = request.FILES.get("file") if request.content_type == "multipart/form-data" else None
    if upload is None:
        raise InvalidInput("file", "required: send the PDF as multipart/form-data field 'file'")
    if upload.size is not None and upload.size > services.max_document_bytes():
        raise PayloadTooLarge(
            "file", f"is {upload.size} bytes; the limit is {services.max_document_bytes()} bytes"
        )
    document = services.add_document(
        actor=actor_of(request),
        user=user,
        application_id=application_id,
        filename=upload.name or "",
        content_type=upload.content_type or "",
        data=upload.read(),
    )
    return Status(201, selectors.document_record(document))


@router.get(
    "/applications/{application_id}/documents/{document_id}",
    response={200: None, 401: ErrorOut, 404: ErrorOut},
    openapi_extra={
        "responses": {
            200: {
                "description": "The PDF",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
    **PRIVATE,
)
def download_document(request: HttpRequest, application_id: str, document_id: str) -> FileResponse:
    """The PDF as uploaded, with its checksum in the `Digest`-like header `X-Checksum-SHA256`."""
    number = services.parse_id(document_id)
    document = _visible_documents(request, application_id).filter(pk=number).first() if number else None
    if document is None:
        raise NotFound(f"no document with id {document_id!r} on application {application_id!r}")
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise NotFound(f"the file of document {document_id!r} is missing from storage") from None
    response = FileResponse(
        handle, content_type="application/pdf", as_attachment=True, filename=document.filename
    )
    response["X-Checksum-SHA256"] = document.sha256
    return response
