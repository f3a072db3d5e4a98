"""Synthetic corpora for benchmarks and load tests (`manage.py generate_corpus`)."""

from .generate import CorpusStats, generate

__all__ = ["CorpusStats", "generate"]
