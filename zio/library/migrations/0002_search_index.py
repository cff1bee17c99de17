"""A GIN index for the Dutch full-text search, on PostgreSQL only.

It indexes exactly the expression that `selectors._search` queries
(`SearchVector("search_text", config="dutch")`), so that PostgreSQL uses it. SQLite has no
such index and searches the stemmed column instead; the index is not part of the model state,
so `makemigrations` sees nothing to do on either database.
"""

from django.db import migrations

INDEX = "library_publication_search_dutch"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON library_publication USING gin "
            "(to_tsvector('dutch'::regconfig, COALESCE(search_text, '')))"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("library", "0001_initial")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
