from django.db import migrations


def create_embedded_index(apps, schema_editor):
    # The embedded backend's FTS5 tables exist on SQLite only; PostgreSQL deployments
    # use the Elasticsearch backend.
    if schema_editor.connection.vendor != "sqlite":
        return
    from search.backends.embedded_schema import create_schema

    create_schema(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("kb_search", "0001_outbox")]
    operations = [migrations.RunPython(create_embedded_index, migrations.RunPython.noop)]
