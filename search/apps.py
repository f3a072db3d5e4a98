from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    label = "kb_search"
    verbose_name = "Search"

    def ready(self) -> None:
        from . import jobs, signals  # noqa: F401
