from django.db import migrations


def recreate_embedded_index(apps, schema_editor):
    # Access tokens and facets moved into one narrow table (search/backends/embedded.py):
    # the old tables go, and every lesson is queued in the outbox so that the next sync
    # (`search_index sync`, run by the periodic job) indexes it again.
    if schema_editor.connection.vendor != "sqlite":
        return
    from search.backends.embedded_schema import DROP, create_schema

    with schema_editor.connection.cursor() as cursor:
        for statement in DROP:
            cursor.execute(statement)
    create_schema(schema_editor.connection)
    lessons = apps.get_model("lessons", "LessonPage").objects.values_list("pk", flat=True)
    outbox = apps.get_model("kb_search", "OutboxEntry")
    outbox.objects.bulk_create([outbox(lesson_id=pk) for pk in lessons], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [("kb_search", "0002_embedded_index"), ("lessons", "0002_action_progressupdate")]
    operations = [migrations.RunPython(recreate_embedded_index, migrations.RunPython.noop)]
