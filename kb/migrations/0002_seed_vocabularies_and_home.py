from django.db import migrations


def seed(apps, schema_editor):
    from kb.choices import ATTACK_TYPES, THEMES

    AttackType = apps.get_model("kb", "AttackType")
    Theme = apps.get_model("kb", "Theme")
    for model, vocabulary in ((AttackType, ATTACK_TYPES), (Theme, THEMES)):
        for slug, name in vocabulary.items():
            model.objects.update_or_create(slug=slug, defaults={"name": name})

    # Wagtail's default groups may edit the whole tree; ours grant page permissions per
    # city only (kb.directory), so strip theirs and drop the unused moderators group.
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupPagePermission.objects.filter(group__name__in=["Editors", "Moderators"]).delete()
    apps.get_model("auth", "Group").objects.filter(name="Moderators").delete()

    # Replace Wagtail's welcome page with our home page as the site root.
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    HomePage = apps.get_model("kb", "HomePage")
    if HomePage.objects.exists():
        return
    Page.objects.filter(depth=2, slug="home").delete()
    content_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="kb")
    home = HomePage.objects.create(
        title="Lessons Knowledge Base",
        draft_title="Lessons Knowledge Base",
        slug="home",
        content_type=content_type,
        path="00010001",
        depth=2,
        numchild=0,
        url_path="/home/",
        live=True,
        locale_id=Page.objects.get(depth=1).locale_id,
    )
    Page.objects.filter(depth=1).update(numchild=1)
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page_id": home.id,
                  "site_name": "Lessons Knowledge Base"},
    )


class Migration(migrations.Migration):
    dependencies = [
        ("kb", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]
    run_before = []

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
