"""Uploads held between an import's dry run and its confirmation.

The file is kept in storage under a random token remembered in the user's session, so the
user confirms without uploading again, and the import validates the file once more on
confirmation (the data may have changed in between). A token works once."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpRequest

from felles.core.tabular import ImportFileError


def read_upload(upload: Any) -> bytes:
    """An import file's content, refused before it is read if it is larger than
    FELLES_IMPORT_MAX_BYTES (every import reads its upload here, on pages and in the API)."""
    limit = settings.FELLES_IMPORT_MAX_BYTES
    size = upload.size
    content = b""
    if size is None or size <= limit:
        content = upload.read(limit + 1)
        size = len(content)
    if size > limit:
        message = (
            f"Filen er for stor ({size / 2**20:.1f} MB; høyst {limit / 2**20:.0f} MB). "
            "Del den opp i flere filer."
        ).replace(".", ",", 1)
        raise ImportFileError(message, {"file": [message]})
    return content


def stash(request: HttpRequest, key: str, content: bytes, **meta: Any) -> str:
    token = uuid.uuid4().hex
    path = default_storage.save(f"imports/{token}.bin", ContentFile(content))
    pending = request.session.get(key, {})
    pending[token] = {"path": path, **meta}
    request.session[key] = pending
    return token


def take(request: HttpRequest, key: str, token: str) -> tuple[bytes, dict[str, Any]] | None:
    """The stashed file and its metadata, removed from session and storage; None if the
    token is unknown, used or expired."""
    pending = request.session.get(key, {})
    entry = pending.pop(token, None)
    request.session[key] = pending
    if entry is None:
        return None
    path = entry.pop("path")
    try:
        with default_storage.open(path, "rb") as handle:
            content = handle.read()
    except FileNotFoundError:
        return None
    default_storage.delete(path)
    return content, entry
