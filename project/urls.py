from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from kb import views as kb_views
from kb.i18n import set_member_language
from lessons import views as lesson_views
from lessons.tracking.evidence import public_media_urlpatterns
from project import views as project_views
from project.api import api
from search.views import search_view

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/two-factor/", include("kb.security.urls")),
    path("i18n/setlang/", set_member_language, name="set_language"),
    path("api/v1/", api.urls),
    path("lessons/", lesson_views.lesson_index, name="lesson_index"),
    path("lessons/feed/", lesson_views.LatestLessonsFeed(), name="lesson_feed"),
    path("search/", search_view, name="search"),
    path("reviews/", include("peer_review.urls")),
    path("notifications/", kb_views.notification_list, name="notifications"),
    path("notifications/<int:pk>/read/", kb_views.notification_read, name="notification_read"),
    path("tracker/", project_views.tracker_start, name="tracker_start"),
    path("tracker/", include("lessons.tracking.urls")),
    path("sitemap.xml", sitemap),
]

if settings.DEBUG:
    # Uploads in development, except evidence files (served only through access checks).
    urlpatterns += public_media_urlpatterns()

urlpatterns += [path("", include(wagtail_urls))]

handler404 = "kb.views.page_not_found"
