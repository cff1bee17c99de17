from django.db import migrations, models

from zio.costs import calculations


def price_lines(apps, schema_editor):
    # The historical model has neither price() nor our queryset: work the figure out here.
    CostLine = apps.get_model("costs", "CostLine")
    lines = list(CostLine.objects.all())
    for line in lines:
        line.unit_amount_cents = calculations.unit_amount_cents(
            line.unit, line.rate, line.quantity, line.hours_per_week, line.weeks
        )
    CostLine.objects.bulk_update(lines, ["unit_amount_cents"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("costs", "0002_seed_streams_and_payers")]

    operations = [
        migrations.AddField(
            model_name="costline",
            name="unit_amount_cents",
            field=models.BigIntegerField(blank=True, default=0, editable=False),
            preserve_default=False,
        ),
        migrations.RunPython(price_lines, migrations.RunPython.noop),
    ]
