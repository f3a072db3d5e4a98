"""Let the current review coordinators into the Wagtail admin for their listings: the
"Review coordinators" group (with wagtailadmin.access_admin), kept in step afterwards by
peer_review.admin_access when a membership changes."""

from django.db import migrations

GROUP = "Review coordinators"


def add_coordinators(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Membership = apps.get_model("kb", "Membership")
    coordinators = Membership.objects.filter(
        is_coordinator=True, ended_on__isnull=True, user__is_active=True
    )
    if not coordinators.exists():
        return  # a fresh database: the group is made with the first coordinator
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    for membership in coordinators.select_related("user"):
        membership.user.groups.add(group)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("peer_review", "0002_peer_review_workflow"),
        ("kb", "0003_notifications"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(add_coordinators, remove_group)]
