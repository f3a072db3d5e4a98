from .base import *  # noqa: F401,F403
from .base import VAR_DIR, os

DEBUG = True
SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-insecure-key-do-not-use-in-production"
# Mail lands as files in var/mail/ so a developer can read what users would receive.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
# The demo logins work with a password alone; production requires 2FA for coordinators.
KB_REQUIRE_2FA = os.environ.get("KB_REQUIRE_2FA", "").lower() in {"1", "true", "yes", "on"}
