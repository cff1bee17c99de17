"""`manage.py backup PATH.zip`: the database and the private files in one ZIP (see archive.py)."""

from __future__ import annotations

import json
import os
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, transaction
from django.utils import timezone

from zio.common.management import archive, exact_json


class Command(BaseCommand):
    help = "Write the database and the private files to one ZIP file (restore it with restore)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="the ZIP file to write; it must not exist yet")

    def handle(self, *args: Any, **options: Any) -> None:
        target = Path(options["path"])
        with (
            archive.new_private_zip(target, "backup") as raw,
            zipfile.ZipFile(raw, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as zf,
        ):
            counts, file_count = self._write(zf)
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written to {target}: {sum(counts.values())} rows in "
                f"{sum(1 for n in counts.values() if n)} tables, {file_count} files."
            )
        )

    def _write(self, zf: zipfile.ZipFile) -> tuple[dict[str, int], int]:
        exact_json.register()
        with tempfile.TemporaryDirectory() as work:
            dump = Path(work) / archive.DATABASE
            # One snapshot for the rows and their counts. On PostgreSQL that needs REPEATABLE
            # READ, which can only be set as the transaction's first statement (not possible
            # inside an outer transaction, e.g. a test's).
            outermost = not connection.in_atomic_block
            with transaction.atomic():
                if connection.vendor == "postgresql" and outermost:
                    with connection.cursor() as cursor:
                        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
                call_command(
                    "dumpdata",
                    exclude=archive.EXCLUDE,
                    natural_foreign=True,
                    use_base_manager=True,
                    format=exact_json.FORMAT,
                    output=str(dump),
                    verbosity=0,
                )
                counts = archive.row_counts()
                created_at = timezone.now().isoformat()
            zf.write(dump, archive.DATABASE)

        file_count = 0
        for root_name, root in archive.file_roots().items():
            if not root.is_dir():
                continue
            # Symbolic links are not followed: a backup holds what the app itself wrote.
            for folder, _dirs, names in os.walk(root):
                for name in sorted(names):
                    path = Path(folder) / name
                    if path.is_symlink() or not path.is_file():
                        continue
                    relative = path.relative_to(root).as_posix()
                    zf.write(path, f"{archive.FILES}{root_name}/{relative}")
                    file_count += 1

        # Written last, so its presence also says the ZIP was finished.
        zf.writestr(
            archive.MANIFEST,
            json.dumps(archive.manifest(connection, counts, created_at), indent=2),
        )
        return counts, file_count
