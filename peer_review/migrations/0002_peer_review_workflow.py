"""Create the "City-to-city peer review" workflow with its peer review task, and assign it
to the home page: every debrief and lesson of every city, present and future, sits below
it, so none needs per-city setup (a nearer assignment in the admin still overrides it)."""

from django.db import migrations

WORKFLOW_NAME = "City-to-city peer review"
TASK_NAME = "Peer review"


def create_workflow(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    PeerReviewTask = apps.get_model("peer_review", "PeerReviewTask")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    HomePage = apps.get_model("kb", "HomePage")

    content_type, _ = ContentType.objects.get_or_create(
        app_label="peer_review", model="peerreviewtask"
    )
    task = PeerReviewTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = PeerReviewTask.objects.create(name=TASK_NAME, content_type=content_type)
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    home = HomePage.objects.first()
    if home is not None:
        WorkflowPage.objects.update_or_create(page_id=home.pk, defaults={"workflow": workflow})


def remove_workflow(apps, schema_editor):
    Workflow = apps.get_model("wagtailcore", "Workflow")
    Workflow.objects.filter(name=WORKFLOW_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("peer_review", "0001_initial"),
        ("kb", "0002_seed_vocabularies_and_home"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_workflow, remove_workflow)]
