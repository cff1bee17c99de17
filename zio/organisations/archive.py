"""Everything that belongs to one organisation: which rows and files (for deleting it and for
the download "Alle gegevens downloaden"), and the ZIP with all of it.

Which rows belong to an organisation follows from the foreign keys themselves: every row that
deleting the organisation would delete (Django's deletion collector follows each CASCADE), so
a new model that hangs off an organisation, directly or through a persona, screening, run or
workshop, is in the export and in the deletion without a change here. `ROW_SOURCES` adds the
rows that only hold the organisation's id.

The ZIP:

    manifest.json               format, organisation, when, migrations, rows per model, files
    README.txt                  what is in it, in Dutch, for the person who opens it
    data/<app>.<model>.json     the rows, as Django's serializers write them (times exact)
    data/accounts.user.json     the members' accounts: e-mail address, name, date joined only
    files/private/...           private files of the rows (waiting uploads, made exports)
    files/media/...             files of the rows' FileFields, read through the storage API

Secrets never leave: password hashes (users are written with three safe fields only) and every
field whose name ends in `_hash` (API keys, invitation links, guests' tokens).
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import django
from django.apps import apps
from django.conf import settings
from django.contrib.admin.utils import NestedObjects
from django.db import connection, models, router, transaction
from django.db.models import Model
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zio.common.management import archive as backup_archive
from zio.common.management import exact_json

from .models import Membership, Organisation

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

    from zio.accounts.models import User

FORMAT = "zio-organisatie-export"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
README = "README.txt"
DATA = "data/"
FILES = "files/"
USER_MODEL_FIELDS = ("email", "full_name", "date_joined")
SECRET_FIELDS = frozenset({"password"})
SECRET_SUFFIX = "_hash"  # noqa: S105  (a field-name suffix, not a secret)
PK_BATCH = 500  # primary keys per query: SQLite limits the parameters of one statement
COPY_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class RowSource:
    """Rows of `model` whose `field` holds the organisation's id, beyond the cascade.
    `delete`: the rows go when the organisation is deleted (else they are only exported)."""

    model: str
    field: str
    delete: bool


ROW_SOURCES: tuple[RowSource, ...] = (
    # A member's reaction on another organisation's publication: deleting the organisation
    # would only empty its `organisation` (SET_NULL). The words are this organisation's, so
    # they are exported and deleted with it.
    RowSource("library.publicationreaction", "organisation", delete=True),
    # The audit log is in the export but stays after a deletion (it is append-only; the
    # retention command removes it in time), so the deletion itself can still be shown.
    RowSource("audit.auditevent", "organisation_id", delete=False),
)

# The kinds a beheerder asks about first, in this order, on the pages and in the command.
HEADLINE: tuple[tuple[str, _StrPromise], ...] = (
    ("personas.persona", _("Persona's")),
    ("screening.screening", _("Screenings")),
    ("grouping.groupingrun", _("Groeperingen")),
    ("workshops.workshop", _("Doen-sessies")),
    ("organisations.membership", _("Leden")),
    ("organisations.invitation", _("Uitnodigingen")),
    ("api.apitoken", _("API-sleutels")),
    ("library.publication", _("Publicaties in de bibliotheek")),
    ("exports.exportjob", _("Gemaakte exports")),
)


# --- which rows -------------------------------------------------------------------------------


def collect(organisation: Organisation, *, deleting: bool) -> NestedObjects:
    """The organisation's rows, as the deletion collector finds them. `NestedObjects` (what
    the admin's delete page uses) never fast-deletes, so every row is an instance in `.data`,
    and it records PROTECT/RESTRICT blockers in `.protected` instead of raising."""
    collector = NestedObjects(using=router.db_for_write(Organisation))
    collector.collect([organisation])
    for source in ROW_SOURCES:
        if deleting and not source.delete:
            continue
        model = apps.get_model(source.model)
        rows = list(model._base_manager.filter(**{source.field: organisation.pk}))
        if rows:
            collector.collect(rows)
    return collector


def rows_by_model(collector: NestedObjects) -> dict[type[Model], list[Model]]:
    """The collected rows per model, by primary key; without the tables of many-to-many
    fields, which the serializer writes inside their model's rows."""
    found: dict[type[Model], list[Model]] = {}
    for model, instances in collector.data.items():
        if model._meta.auto_created or not instances:
            continue
        found[model] = sorted(instances, key=lambda obj: str(obj.pk).zfill(40))
    return dict(sorted(found.items(), key=lambda item: item[0]._meta.label_lower))


def leaving_user_ids(organisation: Organisation) -> set[int]:
    """Members whose account goes with the organisation: no membership elsewhere, and not
    platform staff (they keep their account to run the platform)."""
    elsewhere = Membership.objects.exclude(organisation=organisation).values("user")
    return set(
        Membership.objects.filter(organisation=organisation)
        .exclude(user__in=elsewhere)
        .exclude(user__is_staff=True)
        .values_list("user_id", flat=True)
    )


# --- which files ------------------------------------------------------------------------------


@dataclass(frozen=True)
class StoredFile:
    """A file that belongs to a row: its name in the ZIP (below files/), how to read it and
    how to remove it."""

    name: str
    open: Callable[[], IO[bytes]]
    remove: Callable[[], None]


def _private_path_functions() -> dict[str, Callable[[Any], Path]]:
    # Imported here: every app imports this one. The file layout belongs to each app.
    from zio.exports.services import export_path
    from zio.screening.services import _private_path as screening_upload_path

    return {"exports.exportjob": export_path, "screening.screeningimport": screening_upload_path}


def _private_file(path: Path) -> StoredFile | None:
    root = Path(settings.PRIVATE_UPLOAD_ROOT)
    if path.is_symlink() or not path.is_file():
        return None
    relative = path.relative_to(root).as_posix()
    return StoredFile(
        f"private/{relative}",
        open=lambda: path.open("rb"),
        remove=lambda: path.unlink(missing_ok=True),
    )


def _field_file(field: models.FileField, name: str) -> StoredFile | None:
    storage = field.storage
    if not name or not storage.exists(name):
        return None
    return StoredFile(
        f"media/{name}",
        open=lambda: storage.open(name, "rb"),
        remove=lambda: storage.delete(name),
    )


def stored_files(rows: dict[type[Model], list[Model]]) -> list[StoredFile]:
    """The files of these rows that exist: FileFields (any storage) and private files."""
    private = _private_path_functions()
    found: dict[str, StoredFile] = {}
    for model, instances in rows.items():
        file_fields = [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
        path_of = private.get(model._meta.label_lower)
        for instance in instances:
            candidates = [_field_file(f, getattr(instance, f.attname).name) for f in file_fields]
            if path_of is not None:
                candidates.append(_private_file(path_of(instance)))
            for stored in candidates:
                if stored is not None:
                    found.setdefault(stored.name, stored)
    return [found[name] for name in sorted(found)]


# --- what a beheerder is shown ----------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    label: str
    count: int


@dataclass(frozen=True)
class Summary:
    headline: list[Line]
    other: list[Line]
    leaving_users: list[User]
    file_count: int
    protected: list[Model]


def summary(organisation: Organisation) -> Summary:
    """What deleting the organisation removes (and what the export holds), counted per kind."""
    from zio.accounts.models import User

    collector = collect(organisation, deleting=True)
    rows = rows_by_model(collector)
    counts = {model._meta.label_lower: len(instances) for model, instances in rows.items()}
    headline_labels = dict(HEADLINE)
    headline = [Line(str(label), counts.get(key, 0)) for key, label in HEADLINE]
    other = sorted(
        (
            Line(str(model._meta.verbose_name_plural), len(instances))
            for model, instances in rows.items()
            if model._meta.label_lower not in headline_labels and model is not Organisation
        ),
        key=lambda line: line.label.lower(),
    )
    return Summary(
        headline=headline,
        other=other,
        leaving_users=list(
            User.objects.filter(pk__in=leaving_user_ids(organisation)).order_by("email")
        ),
        file_count=len(stored_files(rows)),
        protected=sorted(collector.protected, key=str),
    )


# --- the ZIP ----------------------------------------------------------------------------------


def export_filename(organisation: Organisation) -> str:
    return f"zio-gegevens-{organisation.slug}-{timezone.localdate():%Y-%m-%d}.zip"


def _is_secret(field: models.Field[Any, Any]) -> bool:
    return field.name in SECRET_FIELDS or field.name.endswith(SECRET_SUFFIX)


def exported_fields(model: type[Model]) -> tuple[list[str], list[str]]:
    """The fields written for this model, and the secret ones left out."""
    meta = model._meta
    fields = [
        f for f in [*meta.local_fields, *meta.local_many_to_many] if getattr(f, "serialize", True)
    ]
    return (
        [f.name for f in fields if not _is_secret(f)],
        [f.name for f in fields if _is_secret(f)],
    )


def _fresh(model: type[Model], pks: list[Any]) -> Iterator[Model]:
    # The collector may hold rows with only their keys loaded: read every field again.
    for start in range(0, len(pks), PK_BATCH):
        batch = pks[start : start + PK_BATCH]
        yield from model._base_manager.filter(pk__in=batch).order_by("pk")


def _write_rows(
    zf: Any, name: str, objects: Iterable[Model], fields: list[str] | tuple[str, ...]
) -> None:
    with zf.open(name, "w") as raw, io.TextIOWrapper(raw, encoding="utf-8") as text:
        exact_json.Serializer().serialize(
            objects, stream=text, fields=list(fields), indent=2, ensure_ascii=False
        )


def _write_file(zf: Any, stored: StoredFile) -> dict[str, Any]:
    digest = hashlib.sha256()
    size = 0
    with stored.open() as source, zf.open(FILES + stored.name, "w", force_zip64=True) as out:
        while chunk := source.read(COPY_CHUNK):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    return {"name": FILES + stored.name, "size": size, "sha256": digest.hexdigest()}


def write_export(organisation: Organisation, target: IO[bytes]) -> dict[str, Any]:
    """Write the organisation's ZIP to `target`; returns the manifest."""
    import zipfile

    from zio.accounts.models import User

    # One snapshot for all rows: on PostgreSQL REPEATABLE READ, which can only be set as the
    # transaction's first statement (not inside an outer transaction, e.g. a test's).
    outermost = not connection.in_atomic_block
    with (
        transaction.atomic(),
        zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as zf,
    ):
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        exported_at = timezone.now()
        rows = rows_by_model(collect(organisation, deleting=False))
        counts: dict[str, int] = {}
        left_out: list[str] = []
        for model, instances in rows.items():
            label = model._meta.label_lower
            fields, secret = exported_fields(model)
            left_out.extend(f"{label}.{name}" for name in secret)
            _write_rows(zf, f"{DATA}{label}.json", _fresh(model, [o.pk for o in instances]), fields)
            counts[label] = len(instances)

        member_ids = {m.user_id for m in rows.get(Membership, [])}  # type: ignore[attr-defined]
        users = User.objects.filter(pk__in=member_ids).order_by("pk")
        user_label = User._meta.label_lower
        _write_rows(zf, f"{DATA}{user_label}.json", users, USER_MODEL_FIELDS)
        counts[user_label] = len(member_ids)

        files = [_write_file(zf, stored) for stored in stored_files(rows)]
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": exported_at.isoformat(),
            "organisation": {
                "id": organisation.pk,
                "name": organisation.name,
                "slug": organisation.slug,
                "created_at": organisation.created_at.isoformat(),
                "regions": list(
                    organisation.regions.order_by("name").values_list("name", flat=True)
                ),
            },
            "django_version": django.get_version(),
            "database_vendor": connection.vendor,
            "migrations": backup_archive.applied_migrations(connection),
            "counts": dict(sorted(counts.items())),
            "files": files,
            "left_out": {
                "fields": sorted(left_out),
                "accounts": f"{user_label}: only {', '.join(USER_MODEL_FIELDS)}",
            },
        }
        zf.writestr(
            README,
            render_to_string(
                "organisations/export_readme.txt",
                {
                    "organisation": organisation,
                    "exported_at": exported_at,
                    "counts": manifest["counts"],
                    "file_count": len(files),
                },
            ),
        )
        # Written last: its presence says the ZIP was finished.
        zf.writestr(MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False))
    return manifest
