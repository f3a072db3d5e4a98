from django.urls import path

from . import views, workspaces

app_name = "peer_review"

urlpatterns = [
    path("", workspaces.workspace, name="workspace"),
    path("coordinator/", workspaces.coordinator, name="coordinator"),
    path("submit/<int:page_id>/", views.submit, name="submit"),
    path("rounds/<int:round_id>/", views.round_detail, name="round"),
    path("rounds/<int:round_id>/invite/", views.invite, name="invite"),
    path("rounds/<int:round_id>/decide/", views.decide, name="decide"),
    path("rounds/<int:round_id>/resubmit/", views.resubmit, name="resubmit"),
    path("rounds/<int:round_id>/comments/", views.comment, name="comment"),
    path("comments/<int:comment_id>/edit/", views.edit_comment, name="edit_comment"),
    path("comments/<int:comment_id>/resolve/", views.resolve_comment, name="resolve_comment"),
    path("assignments/<int:assignment_id>/<str:action>/", views.assignment, name="assignment"),
]
