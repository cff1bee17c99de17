"""Seed payers and funding streams (see zio/costs/reference_data.py)."""

from django.db import migrations

from zio.costs.reference_data import seed_payers_and_streams


def seed(apps, schema_editor):
    seed_payers_and_streams(apps.get_model("costs", "Payer"), apps.get_model("costs", "FundingStream"))


class Migration(migrations.Migration):
    dependencies = [("costs", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
