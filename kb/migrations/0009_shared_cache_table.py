"""The table of the "shared" cache (settings.CACHES): made by Django's createcachetable,
here so that `migrate` alone readies a database. Nothing to undo: the command creates the
tables of the database caches the settings name, and skips those already there."""

from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("kb", "0008_datachange_city")]

    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop)]
