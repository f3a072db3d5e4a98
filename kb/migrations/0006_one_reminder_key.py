"""Reminders already sent keep counting as sent: the keys the tracker and the peer review
each wrote in their own way become kb.reminders' one key, "<reminder>:<item>:<threshold>"
(otherwise the first tick after the upgrade would send every current reminder again)."""

import re

from django.db import migrations

DAY = r"(?P<day>\d{4}-\d{2}-\d{2})"
# (old key, new key) pairs; each old pattern names its parts for the new one.
RENAMES = [
    (
        re.compile(rf"^action:(?P<pk>\d+):(?P<what>due-soon|overdue|stale):{DAY}$"),
        lambda m: f"action_{m['what'].replace('-', '_')}:action:{m['pk']}:{m['day']}",
    ),
    (
        re.compile(rf"^peer_review:(?P<pk>\d+):(?P<state>\w+):{DAY}:before$"),
        lambda m: f"review_due_soon:assignment:{m['pk']}:{m['state']}:{m['day']}",
    ),
    (
        re.compile(rf"^peer_review:(?P<pk>\d+):(?P<state>\w+):{DAY}:after$"),
        lambda m: f"review_overdue:assignment:{m['pk']}:{m['state']}:{m['day']}",
    ),
    (
        re.compile(rf"^peer_review:(?P<pk>\d+):(?P<state>\w+):{DAY}:after:coordinator:\d+$"),
        lambda m: f"review_overdue_coordinator:assignment:{m['pk']}:{m['state']}:{m['day']}",
    ),
]


def one_reminder_key(apps, schema_editor):
    Notification = apps.get_model("kb", "Notification")
    reminders = Notification.objects.filter(dedupe_key__regex=r"^(action|peer_review):")
    for notification in reminders.only("pk", "dedupe_key").iterator():
        for old, new in RENAMES:
            match = old.match(notification.dedupe_key)
            if match:
                notification.dedupe_key = new(match)
                notification.save(update_fields=["dedupe_key"])
                break


class Migration(migrations.Migration):
    dependencies = [("kb", "0005_datachange")]

    operations = [migrations.RunPython(one_reminder_key, migrations.RunPython.noop)]
