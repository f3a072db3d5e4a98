"""What similar cases read from the embedded backend: the more-like-this candidates, the
document frequencies that weigh a lesson's key terms, and the candidates' key-term counts.

A mixin of EmbeddedBackend (search/backends/embedded.py), which gives it `_execute`,
`_visible`, `_analyses_used`, `generation` and `get_many`.

Figures that only change with the index (the lesson count, document frequencies) are kept
per process under the index's generation: at 100,000 lessons counting takes ~10 ms and the
document frequencies of a lesson's words ~25 ms (the vocabulary counts each word's postings),
paid again only after a write."""

from __future__ import annotations

import json

from django.db import connection

from search import similar_terms
from search.backends.embedded_schema import DOC, FTS, META, TERMS, VOCAB, placeholders
from search.backends.embedded_text import match_expression
from search.documents import TEXT_FIELDS

WEIGHTS = ", ".join([*(str(weight) for weight in TEXT_FIELDS.values()), "0"])
PROBE = 8  # similar cases: candidates ranked by text alone, per candidate wanted
MAX_CACHED_TERMS = 200_000  # document frequencies kept per database (then started afresh)
_CACHED: dict[tuple[str, str], tuple[int, object]] = {}  # (database, figure): (generation, it)


class EmbeddedSimilar:
    def _cached(self, figure: str, compute):
        """The figure computed once per index generation (compute() when it changed)."""
        generation = self.generation()
        key = (connection.alias, figure)
        known = _CACHED.get(key)
        if generation is not None and known and known[0] == generation:
            return known[1]
        value = compute()
        if generation is not None:
            _CACHED[key] = (generation, value)
        return value

    def doc_freq(self, stems: list[str], language: str | None = None) -> dict[str, int]:
        # The vocabulary counts across languages: one lookup per stem, whatever the language.
        if not stems:
            return {}
        known = self._cached("doc_freq", dict)
        wanted = [s for s in dict.fromkeys(stems) if s not in known]
        if wanted:
            if len(known) + len(wanted) > MAX_CACHED_TERMS:
                known.clear()
            found = dict(
                self._execute(
                    f"SELECT term, doc FROM {VOCAB} WHERE term IN ({placeholders(wanted)})",
                    wanted,
                )
            )
            known.update({s: found.get(s, 0) for s in wanted})
        return {s: known[s] for s in stems if known.get(s)}

    def total(self) -> int:
        # The narrow table: counting DOC would read every stored body.
        return self._cached("total", lambda: self._execute(f"SELECT count(*) FROM {META}")[0][0])

    def term_counts(self, lesson_ids) -> dict[int, dict[str, int]]:
        ids = list(dict.fromkeys(lesson_ids))
        if not ids:
            return {}
        rows = self._execute(
            f"SELECT lesson_id, counts FROM {TERMS} WHERE lesson_id IN ({placeholders(ids)})",
            ids,
        )
        counts = {pk: similar_terms.decoded(stored) for pk, stored in rows}
        missing = [pk for pk in ids if pk not in counts]  # indexed before the table existed
        for pk, doc in self.get_many(missing).items():
            counts[pk] = similar_terms.term_counts(doc)
        return counts

    def similar_candidates(self, doc, terms, audience, limit):
        if not terms:
            return []
        visible, visible_params = self._visible(audience)
        match = match_expression(" ".join(terms), self._analyses_used())
        if match is None:
            return []
        exclude = doc.id if doc.id is not None else -1
        ranked = self._similar_ranked(match, exclude, visible, visible_params, limit)
        if not ranked:
            return []
        ids = [pk for pk, _ in ranked]
        rows = self._execute(
            f"SELECT lesson_id, body FROM {DOC} WHERE lesson_id IN ({placeholders(ids)})", ids
        )
        stored_by_id = {lesson_id: json.loads(body) for lesson_id, body in rows}
        return [(pk, -rank, stored_by_id[pk]) for pk, rank in ranked if pk in stored_by_id]

    def _similar_ranked(self, match, exclude, visible, visible_params, limit) -> list:
        """The `limit` best visible matches as (id, bm25), best first.

        First the best PROBE * limit matches by text alone, then the access rule on those
        few rows: when enough of them are visible they are exactly the best visible ones
        (every other visible match ranks below them). Otherwise the rule is applied to
        every match."""
        best = self._execute(
            f"SELECT rowid, bm25({FTS}, {WEIGHTS}) AS score FROM {FTS} "
            f"WHERE {FTS} MATCH ? ORDER BY score LIMIT ?",
            [match, PROBE * limit + 1],
        )
        score = {pk: value for pk, value in best if pk != exclude}
        if score:
            shown = self._execute(
                f"SELECT m.lesson_id FROM {META} m "
                f"WHERE m.lesson_id IN ({placeholders(score)}) AND {visible}",
                [*score, *visible_params],
            )
            ranked = sorted(((pk, score[pk]) for (pk,) in shown), key=lambda r: (r[1], r[0]))
            if len(ranked) >= limit or len(best) <= PROBE * limit:
                return ranked[:limit]
        return self._execute(
            f"SELECT m.lesson_id, bm25({FTS}, {WEIGHTS}) AS score FROM {FTS} "
            f"JOIN {META} m ON m.lesson_id = {FTS}.rowid "
            f"WHERE {FTS} MATCH ? AND m.lesson_id != ? AND {visible} "
            "ORDER BY score, m.lesson_id LIMIT ?",
            [match, exclude, *visible_params, limit],
        )
