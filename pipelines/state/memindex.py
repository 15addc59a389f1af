"""An in-memory int64 → row multimap: the lookup indexes of the SQLite store.

Why not SQLite indexes: each LSH band key, article id and text hash is a random key, and a random insert into
a B-tree bigger than the cache writes one 4 KiB page to the WAL (and again at checkpoint). With 25 bands an
article cost ~600 µs and grew with the store. Here the table rows are plain appends and the keys live in
sorted numpy arrays (12 bytes an entry, rebuilt at open by one sequential scan), plus a small dict of the
latest additions that is merged into the arrays every ``merge_at`` entries.

The dict holds a key's row as a plain int (a list only for the rare key with several rows): an article adds
27 keys (25 LSH bands, its id, its text hash), and a one-element list per key made the dict ~220 bytes an
entry, 58 MB of the crawl process before the first merge at 262,144 entries. Now ~100 bytes an entry, and
merged every 65,536 (~2,400 articles; a merge is one linear pass over the arrays).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import numpy.typing as npt


class MultiIndex:
    """Sorted ``keys``/``rows`` arrays for the bulk, a dict for recent additions."""

    def __init__(self, merge_at: int = 1 << 16) -> None:
        self.keys: npt.NDArray[np.int64] = np.empty(0, dtype=np.int64)
        self.rows: npt.NDArray[np.uint32] = np.empty(0, dtype=np.uint32)
        self.recent: dict[int, int | list[int]] = {}  # key -> its row, or its rows when several
        self.n_recent = 0
        self.merge_at = merge_at

    def __len__(self) -> int:
        return len(self.keys) + self.n_recent

    def load(self, keys: npt.NDArray[np.int64], rows: npt.NDArray[np.integer]) -> None:
        """Replace the content (at open, after a recovery)."""
        order = np.argsort(keys, kind="stable")
        self.keys = np.ascontiguousarray(keys[order], dtype=np.int64)
        self.rows = np.ascontiguousarray(rows[order], dtype=np.uint32)
        self.recent.clear()
        self.n_recent = 0

    def add(self, keys: Iterable[int], row: int) -> None:
        recent = self.recent
        for key in keys:
            found = recent.get(key)
            if found is None:
                recent[key] = row
            elif isinstance(found, list):
                found.append(row)
            else:
                recent[key] = [found, row]
            self.n_recent += 1
        if self.n_recent >= self.merge_at:
            self.merge()

    def merge(self) -> None:
        """Fold the recent dict into the sorted arrays (one sort of the recent part, one linear insert)."""
        if not self.recent:
            return
        pairs = [(k, r) for k, found in self.recent.items() for r in _rows(found)]
        keys = np.fromiter((k for k, _ in pairs), np.int64, self.n_recent)
        rows = np.fromiter((r for _, r in pairs), np.uint32, self.n_recent)
        order = np.argsort(keys, kind="stable")
        keys, rows = keys[order], rows[order]
        at = np.searchsorted(self.keys, keys, side="right")
        self.keys = np.insert(self.keys, at, keys)
        self.rows = np.insert(self.rows, at, rows)
        self.recent.clear()
        self.n_recent = 0

    def get(self, key: int) -> list[int]:
        lo = int(np.searchsorted(self.keys, key, side="left"))
        hi = int(np.searchsorted(self.keys, key, side="right"))
        found = self.rows[lo:hi].tolist() if hi > lo else []
        return found + _rows(self.recent.get(key))

    def get_many(self, keys: list[int]) -> list[int]:
        """Rows of all the keys, with repetitions (a row sharing two keys appears twice)."""
        query = np.asarray(keys, dtype=np.int64)
        lo = np.searchsorted(self.keys, query, side="left")
        hi = np.searchsorted(self.keys, query, side="right")
        found: list[int] = []
        for a, b in zip(lo.tolist(), hi.tolist(), strict=True):
            if b > a:
                found.extend(self.rows[a:b].tolist())
        for key in keys:
            found.extend(_rows(self.recent.get(key)))
        return found

    def discard_rows(self, rows: set[int]) -> None:
        """Forget every entry of these rows (after a recovery deleted them)."""
        if not rows:
            return
        keep = ~np.isin(self.rows, np.fromiter(rows, np.uint32, len(rows)))
        self.keys, self.rows = self.keys[keep], self.rows[keep]
        for key in list(self.recent):
            before = _rows(self.recent[key])
            kept = [r for r in before if r not in rows]
            self.n_recent -= len(before) - len(kept)
            if len(kept) > 1:
                self.recent[key] = kept
            elif kept:
                self.recent[key] = kept[0]
            else:
                del self.recent[key]


def _rows(found: int | list[int] | None) -> list[int]:
    """The rows a ``recent`` value stands for."""
    if found is None:
        return []
    return found if isinstance(found, list) else [found]
