"""`manage.py restore PATH.zip`: put a backup made by `manage.py backup` into an empty database.

Restoring into a database that already holds organisations or users is refused, with no option
to force it: mixing a backup with live rows would give neither the backup nor the live state.
Restore into a new database (`migrate` first), then switch the application over to it.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.management.color import no_style
from django.db import connection, transaction

from zio.accounts.models import User
from zio.common.management import archive, exact_json
from zio.organisations.models import Organisation

CHUNK = 1024 * 1024


class Command(BaseCommand):
    help = "Restore a backup made by `manage.py backup` into an empty, migrated database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="the backup's ZIP file")
        parser.add_argument(
            "--max-size-gb",
            type=float,
            default=20.0,
            help="refuse a backup that unpacks to more than this (default 20 GB)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        source = Path(options["path"])
        limit = int(options["max_size_gb"] * 1024**3)
        if not source.is_file():
            raise CommandError(f"{source} is not a file.")
        try:
            zf = zipfile.ZipFile(source)
        except zipfile.BadZipFile as error:
            raise CommandError(f"{source} is not a ZIP file: {error}") from error
        with zf:
            manifest = self._check_manifest(zf)
            files = self._check_members(zf, limit)
            self._check_database_empty()
            roots = archive.file_roots()
            for root_name, relative, _info in files:
                if (roots[root_name] / relative).exists():
                    raise CommandError(
                        f"{roots[root_name] / relative} already exists; restore into empty "
                        "folders (PRIVATE_UPLOAD_ROOT, MEDIA_ROOT)."
                    )
            with tempfile.TemporaryDirectory() as work:
                # loaddata takes the format from the name's extension.
                dump = Path(work) / f"database.{exact_json.FORMAT}"
                with zf.open(archive.DATABASE) as member, dump.open("wb") as out:
                    _copy(member, out, limit)
                written: list[Path] = []
                try:
                    with transaction.atomic():
                        self._load(dump, manifest["counts"])
                        # Inside the transaction: if a file cannot be written, no rows stay.
                        for root_name, relative, info in files:
                            written.append(
                                _extract(zf, info, roots[root_name] / relative, root_name)
                            )
                except BaseException:
                    for path in written:
                        path.unlink(missing_ok=True)
                    raise
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the backup of {manifest['created_at']}: "
                f"{sum(manifest['counts'].values())} rows, {len(files)} files."
            )
        )

    def _check_manifest(self, zf: zipfile.ZipFile) -> dict[str, Any]:
        try:
            manifest = json.loads(zf.read(archive.MANIFEST))
        except (KeyError, ValueError) as error:
            raise CommandError(
                "This ZIP has no readable manifest.json: it is not a (finished) backup."
            ) from error
        if manifest.get("format") != archive.FORMAT:
            raise CommandError("This ZIP is not a backup made by `manage.py backup`.")
        if manifest.get("format_version") != archive.FORMAT_VERSION:
            raise CommandError(
                f"This backup has format version {manifest.get('format_version')}; this version "
                f"of the application reads version {archive.FORMAT_VERSION}."
            )
        # The rows fit the tables only if this database has every migration the backup's had;
        # a newer application (more migrations) is fine: new columns take their defaults.
        here = archive.applied_migrations(connection)
        missing = sorted(
            f"{app}.{name}"
            for app, names in manifest.get("migrations", {}).items()
            for name in set(names) - set(here.get(app, []))
        )
        if missing:
            raise CommandError(
                "This database lacks migrations the backup was made with; run `manage.py "
                f"migrate` with the same or a newer version of the application. Missing: "
                f"{', '.join(missing[:10])}{' …' if len(missing) > 10 else ''}"
            )
        return manifest

    def _check_members(
        self, zf: zipfile.ZipFile, limit: int
    ) -> list[tuple[str, str, zipfile.ZipInfo]]:
        files = []
        total = 0
        names = set()
        for info in zf.infolist():
            if info.filename in names:
                raise CommandError(f"The backup holds {info.filename!r} twice.")
            names.add(info.filename)
            total += info.file_size
            if info.filename in (archive.MANIFEST, archive.DATABASE) or info.is_dir():
                continue
            target = archive.member_target(info.filename)
            is_link = stat.S_ISLNK(info.external_attr >> 16)
            if target is None or is_link:
                raise CommandError(
                    f"The backup holds {info.filename!r}, which would be written outside the "
                    "file folders; nothing was restored."
                )
            files.append((target[0], str(target[1]), info))
        if archive.DATABASE not in names:
            raise CommandError("The backup holds no database.json.")
        if total > limit:
            raise CommandError(
                f"The backup unpacks to {total / 1024**3:.1f} GB, more than --max-size-gb allows."
            )
        return files

    def _check_database_empty(self) -> None:
        if Organisation.objects.exists() or User.objects.exists():
            raise CommandError(
                "This database already holds organisations or users. Restore into a new, "
                "migrated database (`manage.py migrate`), then switch the application over."
            )

    def _load(self, dump: Path, counts: dict[str, int]) -> None:
        # An empty database still holds the reference data that migrations seed (payers,
        # funding streams, the signal catalogue). The backup's rows replace them, with their
        # ids: screenings refer to signals by id.
        models = archive.backed_up_models(include_auto_created=True)
        existing = set(connection.introspection.table_names())
        tables = [m._meta.db_table for m in models if m._meta.db_table in existing]
        with _checks_done_now():
            connection.ops.execute_sql_flush(connection.ops.sql_flush(no_style(), tables))

        exact_json.register()
        call_command("loaddata", str(dump), verbosity=0)

        found = archive.row_counts()
        wrong = sorted(
            f"{label}: {found.get(label, 0)} instead of {count}"
            for label, count in counts.items()
            if found.get(label, 0) != count
        )
        if wrong:
            raise CommandError(
                "After loading, the number of rows differs from the backup's manifest; nothing "
                f"was restored. {'; '.join(wrong[:10])}"
            )
        # Rows came with their ids; PostgreSQL's sequences must move past them, or the next
        # new row would get an id that is taken (loaddata does this for the models it loaded;
        # this covers every table the flush emptied).
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)


@contextmanager
def _checks_done_now() -> Iterator[None]:
    # PostgreSQL cannot TRUNCATE a table with foreign-key checks still pending in this
    # transaction (rows written earlier in it, e.g. when the restore runs inside an outer
    # transaction): check them now, then defer again, as Django's constraints are by default.
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        yield
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _copy(source: IO[bytes], target: IO[bytes], limit: int) -> int:
    # The sizes in a ZIP's directory are claims; count what really comes out.
    written = 0
    while chunk := source.read(CHUNK):
        written += len(chunk)
        if written > limit:
            raise CommandError("The backup unpacks to more than --max-size-gb allows.")
        target.write(chunk)
    return written


def _extract(zf: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path, root_name: str) -> Path:
    private = root_name == "private"
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700 if private else 0o755)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600 if private else 0o644)
    try:
        with os.fdopen(descriptor, "wb") as out, zf.open(info) as member:
            shutil.copyfileobj(member, out, CHUNK)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path
