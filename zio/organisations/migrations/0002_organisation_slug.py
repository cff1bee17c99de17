from django.db import migrations, models
from django.utils.text import slugify


def fill_slugs(apps, schema_editor):
    Organisation = apps.get_model("organisations", "Organisation")
    taken = set()
    for organisation in Organisation.objects.order_by("pk"):
        base = slugify(organisation.name)[:50] or "organisatie"
        slug, number = base, 1
        while slug in taken:
            number += 1
            slug = f"{base}-{number}"
        taken.add(slug)
        organisation.slug = slug
        organisation.save(update_fields=["slug"])


class Migration(migrations.Migration):
    dependencies = [("organisations", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="organisation",
            name="slug",
            # No index yet: the unique index comes with the AlterField below (PostgreSQL
            # would otherwise build the same "_like" index twice).
            field=models.SlugField(
                default="", max_length=60, db_index=False, verbose_name="korte naam"
            ),
            preserve_default=False,
        ),
        migrations.RunPython(fill_slugs, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="organisation",
            name="slug",
            field=models.SlugField(
                help_text="Voor de opdrachtregel en koppelingen, bijvoorbeeld sbo-de-regenboog.",
                max_length=60,
                unique=True,
                verbose_name="korte naam",
            ),
        ),
    ]
