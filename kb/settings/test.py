from .base import *  # noqa: F401,F403
from .base import BASE_DIR, os

DEBUG = False
SECRET_KEY = "test-only-key"
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = BASE_DIR / "test-artifacts" / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
KB_SEARCH_BACKEND = os.environ.get("KB_SEARCH_BACKEND", "embedded")
KB_ELASTICSEARCH_REFRESH = True
# Tests log in with client.login() (no request); tests/security turn these on themselves.
AXES_ENABLED = False
KB_REQUIRE_2FA = False
KB_LANGUAGE_FROM_CITY = False  # existing tests read English whatever the city speaks
