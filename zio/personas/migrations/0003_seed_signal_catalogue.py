"""Seed the shared signal catalogue (see zio/personas/catalogue.py)."""

from django.db import migrations

from zio.personas.catalogue import seed_catalogue


def seed(apps, schema_editor):
    seed_catalogue(apps.get_model("personas", "SignalDomain"), apps.get_model("personas", "Signal"))


class Migration(migrations.Migration):
    dependencies = [("personas", "0002_editor_catalogue_history")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
