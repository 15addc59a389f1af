"""The SQLite store's in-memory key -> rows index answers like a plain dict of lists, across merges."""

from __future__ import annotations

import random

from pipelines.state.memindex import MultiIndex


def test_multiindex_matches_a_dict_of_lists_through_merges_and_discards() -> None:
    rng = random.Random(11)
    index, model = MultiIndex(merge_at=50), {}
    keys = [rng.randrange(-(2**63), 2**63) for _ in range(300)]  # few keys: many share several rows
    for row in range(400):
        chosen = rng.sample(keys, rng.randint(1, 5))
        index.add(chosen, row)
        for key in chosen:
            model.setdefault(key, []).append(row)
        if row and row % 97 == 0:
            gone = set(rng.sample(range(row + 1), 10))
            index.discard_rows(gone)
            model = {k: [r for r in v if r not in gone] for k, v in model.items()}
            model = {k: v for k, v in model.items() if v}
        probe = rng.sample(keys, 3)
        for key in probe:
            assert sorted(index.get(key)) == sorted(model.get(key, []))
        assert sorted(index.get_many(probe)) == sorted(r for k in probe for r in model.get(k, []))
    assert len(index) == sum(len(v) for v in model.values())
    assert len(index.keys) > 0  # merges happened: most entries live in the sorted arrays


def test_a_key_with_one_row_is_stored_as_a_plain_int_until_it_gets_a_second() -> None:
    index = MultiIndex()
    index.add([7, 8], 1)
    assert index.recent == {7: 1, 8: 1}
    index.add([7], 2)
    assert index.recent[7] == [1, 2] and index.get(7) == [1, 2] and index.get(8) == [1]
    index.discard_rows({1})
    assert index.recent == {7: 2} and len(index) == 1
