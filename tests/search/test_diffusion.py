"""Similar cases rescored by diffusion over the candidates (search.diffusion): another
version of the lesson, near its siblings, passes a distractor that is near the lesson alone,
and no vector outside the candidates (trimmed to what the user may read) is ever read."""

import numpy as np

from search import diffusion
from search.engine import _diffused


def _unit(*values):
    vector = np.array(values, dtype=np.float32)
    return vector / np.linalg.norm(vector)


class FakeIndex:
    def __init__(self, vectors):
        self.stored, self.read = vectors, []

    def vectors(self, lesson_ids, centred=False):
        self.read.extend(lesson_ids)
        return {pk: self.stored[pk] for pk in lesson_ids if pk in self.stored}

    def centred(self, vector, language):
        return vector  # the means are zero here: tests/search/test_similar_centring.py centres


def test_a_version_near_its_siblings_passes_a_distractor_near_the_lesson_alone():
    lesson = _unit(1, 0, 0, 0)
    siblings = {
        1: _unit(1, 1, 0, 0),
        2: _unit(1, 1, 0.1, 0),
        3: _unit(1, 1, -0.1, 0),
        4: _unit(1, 1, 0.2, 0),
    }
    others = {pk: _unit(0, 0, 0.1 * pk, 1) for pk in range(10, 16)}
    index = FakeIndex({**siblings, 5: _unit(1, -0.9, 0, 0), **others})
    meaning = {pk: float(vector @ lesson) for pk, vector in index.stored.items()}
    assert max(meaning, key=meaning.get) == 5  # the distractor is the nearest by cosine alone

    rescored = _diffused(lesson, "en", index, meaning)

    assert min(rescored[pk] for pk in siblings) > rescored[5]


def test_only_the_candidates_vectors_are_read():
    lesson = _unit(1, 0, 0)
    index = FakeIndex({1: _unit(1, 1, 0), 2: _unit(1, 0, 1), 99: _unit(1, 0, 0)})  # 99: restricted

    rescored = _diffused(lesson, "en", index, {1: 0.7, 2: 0.7})

    assert set(rescored) == {1, 2}
    assert 99 not in index.read


def test_a_version_reached_through_its_siblings_passes_a_distractor_the_first_walk_put_above_it(
    monkeypatch,
):
    lesson = _unit(1, 0, 0, 0)
    close = [_unit(1, 1, 0, 0), _unit(1, 1, 0.1, 0)]  # two versions near the lesson
    far = _unit(0.4, 1, -0.1, 0)  # a version in other words: near its siblings, far from it
    distractor = _unit(1, -1.3, 0, 0)  # near the lesson alone
    others = [_unit(0, 0, 0.1 * k, 1) for k in range(1, 7)]
    candidates = np.stack([*close, far, distractor, *others])
    monkeypatch.setattr(diffusion, "FEEDBACK", 0)
    one_walk = diffusion.scores(lesson, candidates)
    assert one_walk[2] < one_walk[3]  # one walk alone ranks the distractor first

    monkeypatch.undo()
    reached = diffusion.scores(lesson, candidates)

    assert reached[2] > reached[3]
