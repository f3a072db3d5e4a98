from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "kb.security"
    label = "kb_security"
    verbose_name = _("Security")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .idle import start_the_clock

        user_logged_in.connect(start_the_clock, dispatch_uid="kb.security.idle")
