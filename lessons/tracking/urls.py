from django.urls import path

from . import views, views_dashboard

app_name = "tracker"

urlpatterns = [
    path("actions/", views.my_actions, name="my_actions"),
    path("actions/all/", views.action_list, name="action_list"),
    path("actions/bulk/", views.bulk_update, name="bulk_update"),
    path("actions/<int:pk>/", views.action_detail, name="action_detail"),
    path("actions/<int:pk>/transition/", views.action_transition, name="action_transition"),
    path(
        "actions/<int:pk>/evidence/<int:update_pk>/",
        views.evidence_download,
        name="evidence_download",
    ),
    path(
        "recommendations/<int:recommendation_pk>/actions/new/",
        views.action_create,
        name="action_create",
    ),
    path("dashboard/", views_dashboard.committee_dashboard, name="dashboard"),
    path("report/", views_dashboard.committee_report, name="report"),
    path("report.pdf", views_dashboard.committee_report_pdf, name="report_pdf"),
    path("improvement-plan.csv", views_dashboard.export_csv, name="export_csv"),
    path("improvement-plan.xlsx", views_dashboard.export_xlsx, name="export_xlsx"),
    path("import/", views_dashboard.import_view, name="import"),
]
