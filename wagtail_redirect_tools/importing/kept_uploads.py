"""The file of a refused upload, kept for the editor's next try.

When the upload form is refused (a format or encoding that does not fit, an option
missing), the editor fixes the form on the same screen; the file they chose is kept in
the imports' storage and named in the form by a signed token, so they do not choose it
again. A token is good for its editor only, for ``UPLOAD_MAX_AGE``; a kept file is
deleted when an import takes its place, or at an upload after that time.
"""

from __future__ import annotations

import contextlib
import datetime
import os
import uuid
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.utils import timezone

from ..models import RedirectImport

KEPT_FOLDER = "wagtail_redirect_tools/imports/kept"
SALT = "wagtail_redirect_tools.import.kept_file"
MAX_AGE = datetime.timedelta(days=7)  # as long as an upload waits to be imported


@dataclass(frozen=True)
class KeptFile:
    token: str
    name: str  # the file's name as the editor chose it
    content: bytes


def _storage() -> Storage:
    return RedirectImport._meta.get_field("file").storage


def keep(content: bytes, filename: str, user: Any) -> KeptFile:
    """Keep ``content`` for ``user``'s next try at the upload."""
    name = os.path.basename(filename.replace("\\", "/"))[:200] or "upload"
    path = _storage().save(f"{KEPT_FOLDER}/{uuid.uuid4().hex}/{name}", ContentFile(content))
    token = signing.dumps({"path": path, "name": name, "user": user.pk}, salt=SALT)
    return KeptFile(token=token, name=name, content=content)


def take(token: str, user: Any) -> KeptFile | None:
    """The file ``token`` names, if it is ``user``'s and still kept."""
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    path = str(data.get("path", ""))
    if data.get("user") != user.pk or not path.startswith(f"{KEPT_FOLDER}/"):
        return None
    storage = _storage()
    try:
        with storage.open(path, "rb") as stored:
            content = stored.read()
    except (FileNotFoundError, OSError):
        return None
    return KeptFile(token=token, name=str(data.get("name") or "upload"), content=content)


def forget(kept: KeptFile | None) -> None:
    """Delete a kept file (an import now holds its own copy, or another file replaced it)."""
    if kept is None:
        return
    data = signing.loads(kept.token, salt=SALT)
    _storage().delete(data["path"])


def forget_stale() -> int:
    """Delete the kept files older than ``MAX_AGE``; how many. A storage that cannot
    list its folders or give their times keeps them."""
    storage = _storage()
    oldest = timezone.now() - MAX_AGE
    deleted = 0
    with contextlib.suppress(NotImplementedError, OSError):
        folders, _files = storage.listdir(KEPT_FOLDER)
        for folder in folders:
            for name in storage.listdir(f"{KEPT_FOLDER}/{folder}")[1]:
                path = f"{KEPT_FOLDER}/{folder}/{name}"
                if storage.get_modified_time(path) < oldest:
                    storage.delete(path)
                    deleted += 1
    return deleted
