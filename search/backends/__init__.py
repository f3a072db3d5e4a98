from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .base import SearchBackend, SearchUnavailable

__all__ = ["SearchBackend", "SearchUnavailable", "get_backend", "reset_backend"]


@lru_cache(maxsize=1)
def _backend(name: str, url: str, index: str) -> SearchBackend:
    if name == "embedded":
        from .embedded import EmbeddedBackend

        return EmbeddedBackend()
    if name == "elasticsearch":
        from .elastic import ElasticsearchBackend

        if not url:
            raise ImproperlyConfigured("KB_SEARCH_BACKEND=elasticsearch needs KB_ELASTICSEARCH_URL")
        return ElasticsearchBackend(url, index)
    raise ImproperlyConfigured(f"Unknown KB_SEARCH_BACKEND {name!r}: use embedded or elasticsearch")


def get_backend() -> SearchBackend:
    return _backend(
        settings.KB_SEARCH_BACKEND, settings.KB_ELASTICSEARCH_URL, settings.KB_ELASTICSEARCH_INDEX
    )


def reset_backend() -> None:
    _backend.cache_clear()
