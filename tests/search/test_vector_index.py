"""The in-process vector index (search.vector_index): the access rule applied before ranking
keeps up with the token lists that lessons gain and lose."""

import datetime

import numpy as np

from search.backends.base import Audience
from search.vector_index import VectorIndex

QUERY = np.array([1.0, 0.0, 0.0, 0.0], dtype=np.float32)


def _row(lesson_id: int, vector: list[float], own: list[str], parent: list[str]) -> dict:
    return {
        "lesson_id": lesson_id,
        "vector": np.array(vector, dtype=np.float16).tobytes(),
        "lesson_tokens": own,
        "debrief_tokens": parent,
        "updated": datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
    }


def test_a_reader_keeps_seeing_only_what_the_token_lists_allow_as_they_change():
    index = VectorIndex(4)
    index.load([_row(1, [1, 0, 0, 0], ["a"], ["a"]), _row(2, [0.9, 0.1, 0, 0], ["b"], ["b"])])
    reader_a, reader_b = Audience(tokens=("a",)), Audience(tokens=("b",))
    assert index.nearest_rows(QUERY, reader_a, 5) == [1]
    assert index.nearest_rows(QUERY, reader_b, 5) == [2]
    # Lesson 1 is now restricted to b and lesson 3 arrives for a and b: pairs of token lists
    # the readers' kept decisions have never seen.
    index.load(
        [_row(1, [1, 0, 0, 0], ["b"], ["b"]), _row(3, [0.8, 0.2, 0, 0], ["a", "b"], ["a", "b"])]
    )
    assert index.nearest_rows(QUERY, reader_a, 5) == [3]
    assert index.nearest_rows(QUERY, reader_b, 5) == [1, 2, 3]
    assert index.nearest_rows(QUERY, Audience(tokens=("a",), granted_ids=frozenset({2})), 5) == [
        2,
        3,
    ]
    assert index.nearest_rows(QUERY, Audience(tokens=None), 5, exclude=1) == [2, 3]
