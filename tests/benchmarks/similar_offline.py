"""Similar cases replayed offline: the API's ranking (search.engine._rank_fused with the
model's vectors) rebuilt in numpy over the judged sets, so that a variant is measured in
seconds instead of the five minutes of test_relevance_multilingual.py (issue 15).

The fields of every item are embedded once (whole, and sentence by sentence) and cached in
CACHE; a lesson vector, its language's centring (search.vector_index), the CANDIDATES
nearest, the diffusion (search.diffusion), the shared-facet tie and "other cities first"
(search.engine._ordered) are then replayed as the API does them. What is left out: the key
terms, which only hide a weak match (z <= 0 and fewer than two shared terms; here every
z <= 0 is hidden), and the int8 scan, which reorders near ties only.

    .venv/bin/python -m tests.benchmarks.similar_offline            # today's figures
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import django
import numpy as np

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kb.settings.test")
django.setup()

from kb.choices import ATTACK_TYPES, THEMES  # noqa: E402
from search import diffusion, semantic  # noqa: E402
from search.engine import CANDIDATES, SHARED_FACET_TIE  # noqa: E402
from search.vector_index import LANGUAGE_PRIOR, OVERALL_PRIOR, quantised  # noqa: E402
from tests.benchmarks.eval_multilingual import load  # noqa: E402
from tests.benchmarks.test_relevance_multilingual import SETS  # noqa: E402

CACHE = Path(os.environ.get("SIMILAR_OFFLINE_CACHE", "/tmp/similar-offline"))
K, ASKED = 4, 10
SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[A-ZÀ-ÖØ-Þ«\"'(¿¡])")


def sentences(text: str) -> list[str]:
    return [part for part in SENTENCE_END.split(" ".join(text.split())) if part] or [""]


@dataclass
class JudgedSet:
    name: str
    items: list[dict]
    fields: dict[str, np.ndarray]  # field -> (n, 512), each text embedded whole
    parts: dict[str, tuple[np.ndarray, np.ndarray]]  # field -> (rows, owner) by sentence
    extra: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def languages(self) -> np.ndarray:
        return np.array([it["language"] for it in self.items])


def _embedded(texts: list[str], tag: str) -> np.ndarray:
    digest = hashlib.sha256("\x1f".join([semantic.MODEL_NAME, *texts]).encode()).hexdigest()[:16]
    path = CACHE / f"{tag}-{digest}.npy"
    if path.exists():
        return np.load(path)
    CACHE.mkdir(parents=True, exist_ok=True)
    rows = semantic.embed(texts) if texts else np.zeros((0, semantic.DIMENSIONS), np.float32)
    np.save(path, rows)
    return rows


def judged(name: str) -> JudgedSet:
    """The set as test_relevance_multilingual.py writes it (items with unknown slugs left
    out), its fields embedded (cached)."""
    items = [
        it
        for it in load(SETS[name])
        if set(it["attack_types"]) <= set(ATTACK_TYPES) and set(it["themes"]) <= set(THEMES)
    ]
    fields, parts = {}, {}
    for name_ in semantic.FIELDS:
        texts = [" ".join(str(it.get(name_) or "").split()) for it in items]
        fields[name_] = _embedded(texts, f"{name}-{name_}")
        split = [sentences(text) for text in texts]
        owner = np.repeat(np.arange(len(items)), [len(s) for s in split])
        rows = _embedded([s for group in split for s in group], f"{name}-{name_}-sentences")
        parts[name_] = (rows, owner)
    return JudgedSet(name, items, fields, parts)


def unit(rows: np.ndarray) -> np.ndarray:
    return rows / np.maximum(np.linalg.norm(rows, axis=-1, keepdims=True), 1e-12)


def lesson_vectors(data: JudgedSet, weights=None, by_sentence: bool = False) -> np.ndarray:
    """search.semantic.lesson_vectors: the weighted sum of the field vectors, unit length,
    stored as float16. by_sentence: each field the mean of its sentences' vectors."""
    weights = weights or semantic.FIELD_WEIGHTS
    total = np.zeros((len(data.items), semantic.DIMENSIONS))
    for name, weight in weights.items():
        if by_sentence:
            rows, owner = data.parts[name]
            sums = np.zeros_like(total)
            np.add.at(sums, owner, rows)
            vectors = unit(sums)
        else:
            vectors = data.fields[name]
        present = np.array([bool(it.get(name)) for it in data.items])
        total += weight * vectors * present[:, None]
    return unit(total).astype(np.float16).astype(np.float32)


def centred(vectors: np.ndarray, languages: np.ndarray) -> np.ndarray:
    """search.vector_index: each vector less its language's shrunk mean (of the int8 rows)."""
    held = np.stack([row * scale for row, scale in map(quantised, vectors)]).astype(np.float64)
    overall = held.sum(axis=0) / (len(held) + OVERALL_PRIOR)
    out = np.empty_like(vectors)
    for language in set(languages):
        mine = languages == language
        mean = (held[mine].sum(axis=0) + LANGUAGE_PRIOR * overall) / (mine.sum() + LANGUAGE_PRIOR)
        out[mine] = vectors[mine] - mean
    return unit(out)


def facets(items: list[dict]) -> np.ndarray:
    return np.array(
        [
            [
                len(set(a["attack_types"]) & set(b["attack_types"]))
                + len(set(a["themes"]) & set(b["themes"]))
                for b in items
            ]
            for a in items
        ]
    )


def rankings(data: JudgedSet, vectors: np.ndarray, score=None, candidates: int = CANDIDATES):
    """{query: the ASKED ids the API would return}: the `candidates` nearest by the centred
    cosine, scored by `score(query, candidate ids)` (default: the diffusion), z, the facet
    tie, other cities first."""
    score = score or (lambda q, ids: diffusion.scores(vectors[q], vectors[ids]))
    shared = facets(data.items)
    cities = [it["city"] for it in data.items]
    out = {}
    for q, it in enumerate(data.items):
        if not it["cluster"]:
            continue
        cosine = vectors @ vectors[q]
        cosine[q] = -np.inf
        near = np.lexsort((np.arange(len(cosine)), -cosine))[:candidates]
        reached = np.asarray(score(q, near), dtype=np.float64)
        spread = reached.std()
        z = (reached - reached.mean()) / spread if spread > 1e-9 else np.zeros_like(reached)
        tied = np.round(z + SHARED_FACET_TIE * shared[q, near], 4)
        total = dict(zip(near.tolist(), tied, strict=True))
        shown = [pk for pk, above in zip(near.tolist(), z > 0, strict=True) if above]
        order = sorted(shown, key=lambda pk: (cities[pk] == cities[q], -total[pk], pk))
        out[q] = order[:ASKED]
    return out


def figures(data: JudgedSet, ranked: dict[int, list[int]]) -> dict[str, float]:
    """test_relevance_multilingual._evaluate_rankings."""
    p_at, rr, xl = [], [], []
    for q, ids in ranked.items():
        cluster, language = data.items[q]["cluster"], data.items[q]["language"]
        relevant = [data.items[pk]["cluster"] == cluster for pk in ids]
        p_at.append(sum(relevant[:K]) / K)
        first = next((rank for rank, hit in enumerate(relevant, 1) if hit), None)
        rr.append(1 / first if first else 0.0)
        xl.append(
            any(
                rel and data.items[pk]["language"] != language
                for pk, rel in zip(ids[:K], relevant[:K], strict=True)
            )
        )
    return {"P@4": float(np.mean(p_at)), "MRR": float(np.mean(rr)), "XL-R@4": float(np.mean(xl))}


def table(variants: dict, sets: list[str] | None = None) -> str:
    """variants: name -> function(JudgedSet) -> rankings. One row per variant, P@4/MRR/XL-R@4
    per set."""
    names = sets or list(SETS)
    data = {name: judged(name) for name in names}
    head = f"{'variant':<44}" + "".join(f"{name:>20}" for name in names)
    lines = [head]
    for label, variant in variants.items():
        cells = []
        for name in names:
            got = figures(data[name], variant(data[name]))
            cells.append(f"{got['P@4']:.3f}/{got['MRR']:.2f}/{got['XL-R@4']:.2f}".rjust(20))
        lines.append(f"{label:<44}" + "".join(cells))
    return "\n".join(lines)


def today_vectors(data: JudgedSet) -> np.ndarray:
    """The lessons' vectors as similar cases compare them: centred on their language's mean."""
    return centred(lesson_vectors(data), data.languages)


def today(data: JudgedSet):
    return rankings(data, today_vectors(data))


if __name__ == "__main__":
    print(table({"today (API replayed)": today}))
