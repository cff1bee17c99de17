"""What a backup holds and how it is read back: shared by `manage.py backup` and `restore`.

A backup is one ZIP file:

    manifest.json        format version, when, Django version, database vendor, the applied
                         migrations and the number of rows per model
    database.json        every row of our data, as Django's serializers write it (dumpdata)
    files/private/...    the private files (PRIVATE_UPLOAD_ROOT: waiting uploads, made exports)
    files/media/...      MEDIA_ROOT, when it holds anything

Primary keys are kept as they are: screenings refer to signals by id inside JSON
(`signal_ids`), so natural keys would not be enough. Natural keys are used only for the rows
Django creates itself on `migrate` (content types, permissions), which are not in the backup.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import CommandError
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.recorder import MigrationRecorder

FORMAT = "zio-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE = "database.json"
FILES = "files/"

# Rows that `migrate` makes itself (content types, permissions), or that are only worth
# something while the server runs: sessions (everyone logs in again), queued background tasks
# and the log-in attempts that axes counts.
EXCLUDE = ["contenttypes", "auth.permission", "sessions", "django_tasks_database", "axes"]


def file_roots() -> dict[str, Path]:
    """The folders whose files a backup holds, by their name inside the ZIP."""
    return {
        "private": Path(settings.PRIVATE_UPLOAD_ROOT),
        "media": Path(settings.MEDIA_ROOT),
    }


def _excluded(model: type[models.Model]) -> bool:
    meta = model._meta
    return meta.app_label in EXCLUDE or meta.label_lower in EXCLUDE


def backed_up_models(*, include_auto_created: bool = False) -> list[type[models.Model]]:
    """The models whose rows are in a backup (with `include_auto_created`: also the tables of
    many-to-many fields, which dumpdata writes inside their model's rows)."""
    return [
        model
        for model in apps.get_models(include_auto_created=include_auto_created)
        if model._meta.managed and not model._meta.proxy and not _excluded(model)
    ]


def row_counts() -> dict[str, int]:
    return {model._meta.label_lower: model._base_manager.count() for model in backed_up_models()}


def applied_migrations(connection: BaseDatabaseWrapper) -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app_label, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app_label, []).append(name)
    return applied


def member_target(name: str) -> tuple[str, PurePosixPath] | None:
    """For a file in the ZIP below `files/`: (root name, relative path), or None when the name
    could write outside its folder (absolute, `..`, a drive letter or backslashes)."""
    if not name.startswith(FILES) or "\\" in name or ":" in name:
        return None
    path = PurePosixPath(name[len(FILES) :])
    parts = path.parts
    if len(parts) < 2 or path.is_absolute() or any(p in ("", ".", "..") for p in parts):
        return None
    if parts[0] not in file_roots():
        return None
    return parts[0], PurePosixPath(*parts[1:])


def manifest(
    connection: BaseDatabaseWrapper, counts: dict[str, int], created_at: str
) -> dict[str, Any]:
    import django

    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created_at": created_at,
        "django_version": django.get_version(),
        "database_vendor": connection.vendor,
        "migrations": applied_migrations(connection),
        "counts": counts,
    }


@contextlib.contextmanager
def new_private_zip(target: Path, what: str) -> Iterator[IO[bytes]]:
    """Open a new ZIP file at `target` for writing, for `backup` and `export_organisation`.

    Refused (CommandError) when the name does not end in .zip, the file exists or its folder
    does not. The file is written beside the target and renamed at the end, so a half-written
    archive never carries the name; it holds (pseudonymised) pupil data, so it is owner-only
    (0600, from mkstemp) from the first byte. `what` names the archive in messages.
    """
    if target.suffix.lower() != ".zip":
        raise CommandError(f"The {what} file's name must end in .zip.")
    if target.exists():
        raise CommandError(f"{target} already exists; choose a new name.")
    if not target.parent.is_dir():
        raise CommandError(f"The folder {target.parent} does not exist.")
    descriptor, partial = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".partial"
    )
    try:
        with os.fdopen(descriptor, "wb") as out:
            yield out
        if target.exists():
            raise CommandError(f"{target} appeared while the {what} was made; not replaced.")
        Path(partial).replace(target)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
