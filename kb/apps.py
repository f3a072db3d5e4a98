from django.apps import AppConfig


class KbConfig(AppConfig):
    name = "kb"
    verbose_name = "Knowledge base"

    def ready(self) -> None:
        from . import dataversion, jobs, signals  # noqa: F401

        dataversion.connect()
