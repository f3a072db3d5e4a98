"""The in-process index of the lessons' vectors (search.vectors keeps them in the database).

Each vector is held as int8 with a per-row scale: 512 bytes a lesson, half of float16, and
the scan converts a block of BLOCK visible rows at a time to float32, so no copy of the
matrix is ever made. Int8 ranks close to the exact cosine but not exactly, so `nearest` takes a few
more rows than asked and search.vectors rereads their exact cosines from the database.

The access rule is applied before anything is ranked. Lessons share few token lists (one
per marking and city, roughly), so each row holds the number of its pair of token lists; a
search decides each pair once and masks the rows by a table lookup. At 100,000 lessons there
are ~15,000 pairs (recipients and shared cities vary), so each audience's decisions are kept
(pairs are only ever added, never changed) and only the pairs added since are decided.

Similar cases compare lessons centred on their language's mean vector (`centred`, the
`offsets` of `approximate`): a multilingual model puts every text of one language a little
apart from the others, and that part of a cosine says "same language", not "same lesson"
(issue 15). P@4 / MRR of the API on tests/benchmarks' judged sets, without -> with: five
languages paraphrased 0.62/0.84 -> 0.68/0.86 (a sibling in another language among the top 4:
0.97 -> 0.99), English paraphrases 0.73/0.94 -> 0.77/0.94, five languages 0.87/0.99 ->
0.92/1.00, judged_set.json 0.52/0.79 -> 0.50/0.79 (in one language, the centring takes
out what every lesson of the index shares). Removing the top principal components as well,
CSLS or matching field with field did not add to it (the sweep: the commit that brought
this). The sum of each language's vectors is kept as rows come and go, so the means cost
nothing at request time."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from search.backends.base import Audience

BLOCK = 256  # rows converted and scored at a time: the float32 block stays in the cache
AUDIENCES_KEPT = 256  # audiences whose decisions on the pairs are kept (then started afresh)
INT8_MAX = 127
# The means are shrunk, a language's towards the mean of all lessons and that one towards
# zero, as if this many lessons at the shrunk value were added: a language with few lessons
# is centred on the whole index's mean, and a small index (a new site, a test) hardly at all.
# Two lessons only, each centred on their exact mean, would point in opposite directions.
LANGUAGE_PRIOR = 5
OVERALL_PRIOR = 20


def quantised(vector: np.ndarray) -> tuple[np.ndarray, float]:
    """The int8 row and its scale: row * scale is the vector, within half a step."""
    peak = float(np.abs(vector).max()) if len(vector) else 0.0
    scale = peak / INT8_MAX if peak > 0 else 1.0
    return np.round(vector / scale).astype(np.int8), scale


class VectorIndex:
    """Every stored vector of this process as one int8 matrix and its row scales."""

    def __init__(self, dimensions: int) -> None:
        self.dimensions = dimensions
        self.generation = ""
        self.last = None  # the latest `updated` read
        self.pos: dict[int, int] = {}
        self.ids = np.zeros(0, dtype=np.int64)
        self.matrix = np.zeros((0, dimensions), dtype=np.int8)
        self.scale = np.zeros(0, dtype=np.float32)
        self.has_vector = np.zeros(0, dtype=bool)
        self.pair = np.zeros(0, dtype=np.int32)  # the row's pair of token lists, numbered
        self.pairs: list[tuple[frozenset[str], frozenset[str]]] = []
        self._pair_numbers: dict[tuple[frozenset[str], frozenset[str]], int] = {}
        self._allowed: dict[frozenset[str], np.ndarray] = {}  # by audience tokens, per pair
        self.language = np.zeros(0, dtype=np.int16)  # the row's language, numbered
        self.languages: list[str] = []
        self._sums = np.zeros((0, dimensions), dtype=np.float64)  # by language number
        self._counts = np.zeros(0, dtype=np.int64)
        self._means: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.pos)

    def load(self, rows: Iterable[dict]) -> None:
        """Rows of lesson_id, vector (float16 bytes or None), both token lists, updated and
        language (optional)."""
        for row in rows:
            at = self.pos.get(row["lesson_id"])
            if at is None:
                at = self._append(row["lesson_id"])
            else:
                self._count(at, -1)
            blob = row["vector"]
            self.has_vector[at] = blob is not None
            self.language[at] = self._language_number(row.get("language") or "")
            if blob is not None:
                vector = np.frombuffer(bytes(blob), dtype=np.float16).astype(np.float32)
                self.matrix[at], self.scale[at] = quantised(vector)
            self._count(at, +1)
            self.pair[at] = self._pair_number(row["lesson_tokens"], row["debrief_tokens"])
            if self.last is None or row["updated"] > self.last:
                self.last = row["updated"]

    def _pair_number(self, own: Iterable[str], parent: Iterable[str]) -> int:
        key = (frozenset(own), frozenset(parent))
        number = self._pair_numbers.get(key)
        if number is None:
            number = self._pair_numbers[key] = len(self.pairs)
            self.pairs.append(key)
        return number

    def _language_number(self, language: str) -> int:
        if language not in self.languages:
            self.languages.append(language)
            self._sums = _grown(self._sums, (len(self.languages), self.dimensions))
            self._counts = _grown(self._counts, (len(self.languages),))
        return self.languages.index(language)

    def _count(self, at: int, sign: int) -> None:
        """Add the row's vector to its language's sum (sign -1: take it out). The int8 row is
        what is added and taken out, so the sums never drift from the rows held."""
        if not self.has_vector[at]:
            return
        number = self.language[at]
        self._sums[number] += sign * self.matrix[at].astype(np.float64) * float(self.scale[at])
        self._counts[number] += sign
        self._means = None

    def language_means(self) -> np.ndarray:
        """(languages + 1, dimensions): each language's mean vector, shrunk (LANGUAGE_PRIOR),
        by language number; the last row is the one of a language without lessons."""
        if self._means is None:
            overall = self._sums.sum(axis=0) / (self._counts.sum() + OVERALL_PRIOR)
            means = (self._sums + LANGUAGE_PRIOR * overall) / (
                self._counts[:, None] + LANGUAGE_PRIOR
            )
            self._means = np.vstack([means, overall]).astype(np.float32)
        return self._means

    def language_mean(self, language: str) -> np.ndarray:
        means = self.language_means()
        if language in self.languages:
            return means[self.languages.index(language)]
        return means[-1]

    def centred(self, vector: np.ndarray, language: str) -> np.ndarray:
        """The vector less its language's mean, unit length."""
        moved = vector.astype(np.float32) - self.language_mean(language)
        return moved / max(float(np.linalg.norm(moved)), 1e-12)

    def centred_rows(self, lesson_ids: list[int], rows: np.ndarray) -> np.ndarray:
        """These lessons' vectors (rows, in order) each less its language's mean, unit
        length. A lesson this index has not read yet is centred on the overall mean."""
        means = self.language_means()
        numbers = [self.language[self.pos[pk]] if pk in self.pos else -1 for pk in lesson_ids]
        moved = rows.astype(np.float32) - means[numbers]
        return moved / np.maximum(np.linalg.norm(moved, axis=1, keepdims=True), 1e-12)

    def offsets(self, query: np.ndarray) -> np.ndarray:
        """query . mean, by language number: the int8 score of a row less its language's
        offset is the query's cosine to the centred row, but for the row's length."""
        return self.language_means()[:-1] @ query.astype(np.float32)

    def _append(self, lesson_id: int) -> int:
        at = len(self.pos)
        if at >= len(self.ids):  # grow by doubling: loading row by row stays linear
            size = max(64, 2 * len(self.ids))
            self.matrix = _grown(self.matrix, (size, self.dimensions))
            self.scale = _grown(self.scale, (size,))
            self.has_vector = _grown(self.has_vector, (size,))
            self.pair = _grown(self.pair, (size,))
            self.ids = _grown(self.ids, (size,))
            self.language = _grown(self.language, (size,))
        self.pos[lesson_id] = at
        self.ids[at] = lesson_id
        return at

    def visible(self, audience: Audience) -> np.ndarray:
        """Rows with a vector that this audience may read: the mask applied before ranking.
        The rule of search/backends/embedded.py `_visible`: both the lesson's and its
        debrief's tokens meet the viewer's, or the lesson is one of the viewer's grants."""
        n = len(self)
        mask = self.has_vector[:n].copy()
        if audience.tokens is None:
            return mask
        allowed_pairs = self._allowed_pairs(frozenset(audience.tokens))
        allowed = allowed_pairs[self.pair[:n]]
        for lesson_id in audience.granted_ids:
            at = self.pos.get(lesson_id)
            if at is not None:
                allowed[at] = True
        return mask & allowed

    def _allowed_pairs(self, tokens: frozenset[str]) -> np.ndarray:
        """Whether these tokens may read each pair of token lists, by pair number."""
        known = self._allowed.get(tokens, np.zeros(0, dtype=bool))
        if len(known) < len(self.pairs):
            fresh = [
                bool(own & tokens) and bool(parent & tokens)
                for own, parent in self.pairs[len(known) :]
            ]
            known = np.concatenate([known, np.array(fresh, dtype=bool)])
            if len(self._allowed) >= AUDIENCES_KEPT:
                self._allowed.clear()
            self._allowed[tokens] = known
        return known if len(known) else np.zeros(1, dtype=bool)

    def approximate(
        self, query: np.ndarray, mask: np.ndarray, offsets: np.ndarray | None = None
    ) -> np.ndarray:
        """Int8 cosines of every row to `query` (-inf where the mask is False), less the
        offset of the row's language if given. Only the visible rows are converted and
        scored, BLOCK at a time: converting int8 to float32 is most of the cost, and a
        member reads about half of the lessons. Several queries (rows of `query`, with
        `offsets` one column each) are scored in the same pass, as (rows, queries)."""
        query = query.astype(np.float32)
        out = np.full((len(mask), *query.shape[:-1]), -np.inf, dtype=np.float32)
        rows = np.flatnonzero(mask)
        scale = self.scale[:, None] if query.ndim == 2 else self.scale
        for start in range(0, len(rows), BLOCK):
            at = rows[start : start + BLOCK]
            out[at] = (self.matrix[at].astype(np.float32) @ query.T) * scale[at]
        if offsets is not None:
            out[rows] -= offsets[self.language[rows]]
        return out

    def nearest_rows(
        self,
        query: np.ndarray,
        audience: Audience,
        limit: int,
        exclude: int | None = None,
        centred: bool = False,
    ) -> list[int]:
        """The ids of the `limit` visible lessons nearest to `query` by the int8 cosine, best
        first (the caller rereads their exact cosines). With `centred` the query is centred
        already (`centred`) and the rows are too, bar their length: a candidate near its
        language's mean, a generic text, scores a little less than its exact centred cosine."""
        excluded = [] if exclude is None else [exclude]
        return self.nearest_rows_many(query[None, :], audience, limit, excluded, centred)[0]

    def nearest_rows_many(
        self,
        queries: np.ndarray,
        audience: Audience,
        limit: int,
        exclude: Iterable[int] = (),
        centred: bool = False,
    ) -> list[list[int]]:
        """`nearest_rows` of each row of `queries`, in one pass over the visible rows: the
        int8 rows are converted once for all of them."""
        mask = self.visible(audience)
        for lesson_id in exclude:
            if lesson_id in self.pos:
                mask[self.pos[lesson_id]] = False
        count = int(mask.sum())
        if not count or limit <= 0:
            return [[] for _ in queries]
        offsets = np.stack([self.offsets(q) for q in queries], axis=1) if centred else None
        scores = self.approximate(queries, mask, offsets)
        limit = min(limit, count)
        found = []
        for column in scores.T:
            top = np.argpartition(-column, limit - 1)[:limit]
            top = top[np.lexsort((self.ids[top], -column[top]))]
            found.append([int(self.ids[at]) for at in top])
        return found

    def pending(self) -> bool:
        """Whether some row waits for its vector (the model failed on it)."""
        return not self.has_vector[: len(self)].all()

    def has(self, lesson_id: int) -> bool:
        at = self.pos.get(lesson_id)
        return at is not None and bool(self.has_vector[at])


def _grown(array: np.ndarray, shape: tuple) -> np.ndarray:
    out = np.zeros(shape, dtype=array.dtype)
    out[: len(array)] = array
    return out
