from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "kb.security"
    label = "kb_security"
    verbose_name = "Security"
