from django.db import migrations


def create_terms_table(apps, schema_editor):
    # Each lesson's key-term counts, stored when it is indexed so that similar cases no longer
    # analyse their candidates' text at each request (search/similar_terms.py). Until a lesson
    # is indexed again its counts are computed from its stored text, as before: every lesson
    # is queued in the outbox, so the next sync (`search_index sync`, run by the periodic
    # job) stores them; `search_index rebuild` does it at once (no lesson is embedded again).
    if schema_editor.connection.vendor != "sqlite":
        return
    from search.backends.embedded_schema import create_schema

    create_schema(schema_editor.connection)
    lessons = apps.get_model("lessons", "LessonPage").objects.values_list("pk", flat=True)
    outbox = apps.get_model("kb_search", "OutboxEntry")
    outbox.objects.bulk_create([outbox(lesson_id=pk) for pk in lessons], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [("kb_search", "0005_embedded_languages")]
    operations = [migrations.RunPython(create_terms_table, migrations.RunPython.noop)]
