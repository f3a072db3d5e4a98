"""Editors lose the image and document libraries: those files carry no TLP marking."""

from django.db import migrations

CODENAMES = [
    "add_image",
    "change_image",
    "choose_image",
    "add_document",
    "change_document",
    "choose_document",
]


def drop_library_permissions(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    permissions = Permission.objects.filter(codename__in=CODENAMES)
    for group in Group.objects.filter(name="Editors"):
        group.permissions.remove(*permissions)
    # Wagtail's own default groups hold the same rights through collections.
    GroupCollectionPermission.objects.filter(
        group__name__in=["Editors", "Moderators"], permission__in=permissions
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("kb", "0003_notifications"),
        ("wagtailcore", "0001_initial"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(drop_library_permissions, migrations.RunPython.noop)]
