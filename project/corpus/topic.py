"""One response topic of the synthetic corpus, with the sentences written about it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Topic:
    name: str
    keywords: tuple[str, ...]
    themes: tuple[str, ...]
    attack_types: tuple[str, ...]
    phase: str
    observations: tuple[str, ...]
    discussions: tuple[str, ...]
    lessons: tuple[str, ...]
    recommendations: tuple[tuple[str, str], ...]  # (text, capability element)
