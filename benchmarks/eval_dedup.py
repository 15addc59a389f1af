"""Accuracy of deduplication on a labelled set built from real article texts.

Reads the 152 real article bodies of ``../shared/eval/extraction/*/truth.jsonl`` (and the two seed texts of
``../shared/seeds``: two different stories on one event) and builds, deterministically:

- positive pairs (one story, must be matched): exact copy elsewhere, URL variants (tracking, AMP, mobile,
  print), syndicated copies (other headline, dateline, byline and copyright line), a paragraph removed or
  added, light edits (typos, a sentence rewritten), an all-in-one wire reprint, and an update at the same
  URL (a new paragraph: expected ``update``, i.e. the same article, new version);
- hard negatives (different stories, must not be merged): the two seed texts; a story carrying a 40-60-word
  quote of another; a follow-up story that recaps another's lead paragraph; different articles of one site;
- a corpus run: every real article inserted into one store, where any match is a merge of two different
  articles (all ~11,000 pairs at once, through LSH as in production).

Each pair is checked against a fresh in-memory store holding only the first member, so a negative is never
masked by a better match elsewhere. Precision = matched positives / all matches; recall = matched positives /
positives; "merges" = matches on negatives (target: 0).

Usage: ``python benchmarks/eval_dedup.py [--eval-dir ../shared/eval] [--threshold 0.5] [--sweep]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import itertools

from pipelines.dedup import (
    DEFAULT_CONTAINMENT,
    DEFAULT_CONTAINMENT_FLOOR,
    DEFAULT_NUM_PERM,
    DEFAULT_SHINGLE,
    DEFAULT_THRESHOLD,
    Deduplicator,
    Verdict,
    containment,
    jaccard,
)
from pipelines.records import Article
from pipelines.state.sqlite import SQLiteStore
from pipelines.textnorm import normalize_text
from pipelines.urls import canonicalize

REPO = Path(__file__).resolve().parents[1]
DEFAULT_EVAL_DIR = REPO.parent / "shared" / "eval"
MIN_WORDS = 50  # bodies shorter than this in the truth files are stubs (cookie walls, captions), not stories
# readability's test fixtures include several pages of the same Lorem ipsum: copies of one text, not stories.
FILLER = re.compile(r"lorem ipsum|tempor incididunt", re.IGNORECASE)
NOW = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)


@dataclass(slots=True)
class Doc:
    url: str
    text: str
    title: str


@dataclass(slots=True)
class Case:
    kind: str  # the construction, e.g. "dateline"
    same: bool  # one story (positive) or two (negative)
    stored: Doc
    incoming: Doc
    expect_update: bool = False


def load_docs(eval_dir: Path) -> list[Doc]:
    docs = []
    for path in sorted(eval_dir.glob("extraction/*/truth.jsonl")):
        for n, line in enumerate(path.read_text(encoding="utf-8").split("\n")):
            if not line.strip():
                continue
            row = json.loads(line)
            body = (row.get("body") or "").strip()
            if len(body.split()) < MIN_WORDS or FILLER.search(body):
                continue
            url = (
                row.get("url")
                or f"https://www.{path.parent.name}-{n % 7}.example/news/2024/story-{row['id']}"
            )
            docs.append(Doc(url=url, text=body, title=row.get("title") or ""))
    return docs


def paragraphs(text: str) -> list[str]:
    return [p for p in (x.strip() for x in text.split("\n")) if p]


def join(paras: list[str]) -> str:
    return "\n\n".join(paras)


def other_outlet(url: str, n: int) -> str:
    path = urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1] or "story"
    return f"https://www.outlet{n}.example/wire/{path}-{n}"


def typos(text: str, rng: random.Random, count: int) -> str:
    words = text.split(" ")
    long_idx = [i for i, w in enumerate(words) if len(w) > 5 and w.isalpha()]
    for i in rng.sample(long_idx, min(count, len(long_idx))):
        w = words[i]
        j = rng.randrange(1, len(w) - 2)
        words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
    return " ".join(words)


def rewrite_sentence(text: str, rng: random.Random, donor: str) -> str:
    sentences = re.split(r"(?<=[.!?])\s+", text)
    donor_sentences = [s for s in re.split(r"(?<=[.!?])\s+", donor) if 8 <= len(s.split()) <= 30]
    candidates = [i for i, s in enumerate(sentences) if len(s.split()) >= 8]
    if not candidates or not donor_sentences:
        return text + " " + "This story has been updated."
    sentences[rng.choice(candidates)] = rng.choice(donor_sentences)
    return " ".join(sentences)


def quote_from(text: str, rng: random.Random) -> str:
    words = text.split()
    size = rng.randint(40, 60)
    start = rng.randrange(0, max(1, len(words) - size))
    return " ".join(words[start : start + size])


def build_cases(docs: list[Doc], seeds: list[Doc], rng: random.Random) -> list[Case]:
    cases: list[Case] = []
    for i, doc in enumerate(docs):
        donor = docs[(i + 1) % len(docs)]
        paras = paragraphs(doc.text)
        donor_paras = [p for p in paragraphs(donor.text) if 25 <= len(p.split()) <= 90] or [
            " ".join(donor.text.split()[:50])
        ]
        out = other_outlet(doc.url, i)
        add = cases.append
        add(Case("exact copy", True, doc, Doc(out, doc.text, doc.title)))
        for variant in ("?utm_source=twitter&utm_medium=social&fbclid=x1", "?amp=1", "?print=1"):
            add(Case("url variant", True, doc, Doc(doc.url + variant, doc.text, doc.title)))
        parts = urlsplit(doc.url)
        add(Case("url variant", True, doc, Doc(f"{parts.scheme}://m.{parts.netloc.removeprefix('www.')}"
                                                f"{parts.path}", doc.text, doc.title)))  # fmt: skip
        add(Case("other headline", True, doc, Doc(out, join([f"{doc.title} - Wire report", doc.text]), "")))
        add(Case("dateline", True, doc, Doc(out, "WASHINGTON (AP) — " + doc.text, doc.title)))
        add(Case("byline", True, doc, Doc(out, join([
            "By Jane Doe and John Roe, Associated Press", doc.text,
            "Copyright 2024 The Associated Press. All rights reserved. This material may not be published, "
            "broadcast, rewritten or redistributed."]), doc.title)))  # fmt: skip
        if len(paras) >= 3:
            k = rng.randrange(1, len(paras))
            add(Case("paragraph removed", True, doc, Doc(out, join(paras[:k] + paras[k + 1 :]), doc.title)))
        k = rng.randrange(0, len(paras) + 1)
        extra = rng.choice(donor_paras)
        add(Case("paragraph added", True, doc, Doc(out, join([*paras[:k], extra, *paras[k:]]), doc.title)))
        add(Case("typo fixes", True, doc, Doc(out, typos(doc.text, rng, 3), doc.title)))
        if len(re.split(r"(?<=[.!?])\s+", doc.text)) >= 4:  # else "a sentence" would be most of the text
            changed = rewrite_sentence(doc.text, rng, donor.text)
            add(Case("sentence changed", True, doc, Doc(out, changed, doc.title)))
        wire = paras[:-1] if len(paras) >= 4 else paras
        wire_text = typos("LONDON (Reuters) - " + join(wire), rng, 1)
        add(Case("wire reprint (all edits)", True, doc, Doc(out, join([f"{doc.title}!", wire_text]), "")))
        update = join([*paras, "UPDATE: " + rng.choice(donor_paras)])
        add(Case("update, same URL", True, doc, Doc(doc.url, update, doc.title), expect_update=True))
        # hard negatives
        quote = quote_from(doc.text, rng)
        donor_p = paragraphs(donor.text)
        k = rng.randrange(0, len(donor_p) + 1)
        quoted = join([*donor_p[:k], f'As was said at the time, "{quote}"', *donor_p[k:]])
        add(Case("shares a long quote", False, doc, Doc(donor.url, quoted, donor.title)))
        third = docs[(i + 2) % len(docs)]
        # counted in normalised words (what the shingles see): mojibake "words" split into many
        own = " ".join(normalize_text(third.text).split()[:400])  # its own reporting, >= 3x the recap
        lead = " ".join(normalize_text(doc.text).split()[: min(70, len(own.split()) // 3)])
        recap = join([own, "Background: " + lead])
        add(Case("follow-up recaps lead", False, doc, Doc(third.url, recap, third.title)))
    by_site: dict[str, list[Doc]] = defaultdict(list)
    for doc in docs:
        by_site[urlsplit(doc.url).netloc].append(doc)
    for site_docs in by_site.values():
        for a, b in itertools.pairwise(site_docs):
            cases.append(Case("same site, other article", False, a, b))
    if len(seeds) == 2:
        cases.append(Case("one event, two stories (seeds)", False, seeds[0], seeds[1]))
        cases.append(Case("one event, two stories (seeds)", False, seeds[1], seeds[0]))
    return cases


def article(doc: Doc) -> Article:
    canonical, rule = canonicalize(doc.url)
    return Article(
        url=doc.url,
        canonical_url=canonical,
        canonical_rule=rule,
        title=doc.title,
        text=doc.text,
        language="en",
        published=None,
        authors=[],
        source="eval",
        fetched_at=NOW,
        content_hash="",
    )


def run_pair(case: Case, settings: dict[str, float]) -> tuple[Verdict, float, float]:
    """The verdict, and the estimated Jaccard and containment of the pair whether or not LSH found it."""
    store = SQLiteStore(":memory:")
    dedup = Deduplicator(store, **settings)  # type: ignore[arg-type]
    first = article(case.stored)
    dedup.remember(first, dedup.check(first), file_id="f0")
    first_feats = dedup.features(first)
    incoming = article(case.incoming)
    verdict = dedup.check(incoming)
    feats = dedup.features(incoming)
    store.close()
    similarity = jaccard(first_feats.signature, feats.signature)
    return verdict, similarity, containment(similarity, first_feats.n_shingles, feats.n_shingles)


def run_corpus(docs: list[Doc], settings: dict[str, float]) -> list[tuple[str, str, float | None]]:
    """Insert every real article into one store; each match is a merge of two different articles."""
    store = SQLiteStore(":memory:")
    dedup = Deduplicator(store, **settings)  # type: ignore[arg-type]
    merges = []
    for doc in docs:
        art = article(doc)
        verdict = dedup.check(art)
        if verdict.kind != "new":
            merges.append((doc.url, verdict.duplicate_of or "", verdict.similarity))
        dedup.remember(art, verdict, file_id="f0")
    store.close()
    return merges


def evaluate(cases: list[Case], docs: list[Doc], settings: dict[str, float], *, verbose: bool) -> dict:
    per_kind: dict[str, Counter[str]] = defaultdict(Counter)
    sims: dict[str, list[float]] = defaultdict(list)
    by_label: dict[bool, list[tuple[float, float]]] = {True: [], False: []}
    tp = fp = fn = wrong_update = 0
    failures: list[str] = []
    for case in cases:
        verdict, similarity, contained = run_pair(case, settings)
        if case.kind != "url variant" and not case.expect_update:
            by_label[case.same].append((similarity, contained))
            if case.same and similarity < 0.5:
                failures.append(f"low similarity {similarity:.2f} ({case.kind}): {case.incoming.url}")
        matched = verdict.kind != "new"
        per_kind[case.kind]["n"] += 1
        per_kind[case.kind]["matched"] += matched
        if verdict.similarity is not None:
            sims[case.kind].append(verdict.similarity)
        if case.same:
            tp += matched
            fn += not matched
            if case.expect_update and verdict.kind != "update":
                wrong_update += 1
            if not matched:
                failures.append(f"MISSED {case.kind}: {case.incoming.url}")
        else:
            fp += matched
            if matched:
                failures.append(f"MERGED {case.kind}: {case.stored.url} <- {case.incoming.url} {verdict}")
    corpus_merges = run_corpus(docs, settings)
    fp_total = fp + len(corpus_merges)
    positives = tp + fn
    result = {
        "positives": positives,
        "negative_pairs": sum(1 for c in cases if not c.same),
        "corpus_pairs": len(docs) * (len(docs) - 1) // 2,
        "true_positives": tp,
        "precision": tp / (tp + fp_total) if tp + fp_total else 1.0,
        "recall": tp / positives if positives else 0.0,
        "merges_of_different_stories": fp_total,
        "updates_not_recognised": wrong_update,
        "per_kind": {k: dict(v) for k, v in per_kind.items()},
        "failures": failures + [f"MERGED corpus: {a} <- {b} sim={s}" for a, b, s in corpus_merges],
    }
    pos = sorted(s for s, _ in by_label[True])
    neg = sorted(by_label[False])
    result["separation"] = {
        "positives_jaccard_min": pos[0] if pos else None,
        "positives_jaccard_p1": pos[len(pos) // 100] if pos else None,
        "positives_jaccard_p5": pos[len(pos) // 20] if pos else None,
        "negatives_jaccard_max": neg[-1][0] if neg else None,
        "negatives_containment_max": max(c for _, c in neg) if neg else None,
    }
    if verbose:
        result["similarity"] = {k: (min(v), sorted(v)[len(v) // 2], max(v)) for k, v in sims.items() if v}
    return result


def print_report(result: dict, settings: dict[str, float], n_docs: int, elapsed: float) -> None:
    print(f"settings: {settings}")
    print(f"articles: {n_docs} real bodies (>= {MIN_WORDS} words, no Lorem ipsum); positives: {result['positives']}, "
          f"hard-negative pairs: {result['negative_pairs']}, corpus pairs: {result['corpus_pairs']}")  # fmt: skip
    print(f"{'construction':34} {'pairs':>6} {'matched':>8}")
    for kind, c in result["per_kind"].items():
        print(f"{kind:34} {c['n']:>6} {c.get('matched', 0):>8}")
    print(f"precision {result['precision']:.4f}  recall {result['recall']:.4f}  "
          f"merges of different stories {result['merges_of_different_stories']}  "
          f"updates not recognised {result['updates_not_recognised']}  ({elapsed:.1f} s)")  # fmt: skip
    for line in result["failures"][:20]:
        print("  " + line[:220])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--eval-dir", type=Path, default=DEFAULT_EVAL_DIR)
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
    parser.add_argument("--containment", type=float, default=DEFAULT_CONTAINMENT)
    parser.add_argument("--containment-floor", type=float, default=DEFAULT_CONTAINMENT_FLOOR)
    parser.add_argument("--num-perm", type=int, default=DEFAULT_NUM_PERM)
    parser.add_argument("--shingle", type=int, default=DEFAULT_SHINGLE)
    parser.add_argument("--sweep", action="store_true", help="also try other thresholds and shingle sizes")
    parser.add_argument("--json", type=Path, help="write the result here")
    args = parser.parse_args(argv)
    if not args.eval_dir.is_dir() or not list(args.eval_dir.glob("extraction/*/truth.jsonl")):
        print(f"eval_dedup: {args.eval_dir} is absent (no extraction/*/truth.jsonl): no accuracy figures.")
        return 0
    docs = load_docs(args.eval_dir)
    seed_dir = args.eval_dir.parent / "seeds"
    seeds = [Doc(f"https://seed{n}.example/{p.stem}", p.read_text(encoding="utf-8"), "")
             for n, p in enumerate(sorted(seed_dir.glob("*.txt")))]  # fmt: skip
    if len(seeds) != 2:
        print(f"eval_dedup: {seed_dir} does not hold the two seed texts: that negative is skipped.")
    cases = build_cases(docs, seeds, random.Random(20240611))
    settings = {
        "threshold": args.threshold,
        "containment_threshold": args.containment,
        "containment_floor": args.containment_floor,
        "num_perm": args.num_perm,
        "shingle": args.shingle,
    }
    grid = [settings]
    if args.sweep:
        grid += [{**settings, "threshold": t} for t in (0.3, 0.4, 0.6, 0.7, 0.8)]
        grid += [{**settings, "containment_threshold": 1.01}]  # Jaccard alone
        grid += [{**settings, "shingle": s} for s in (3, 4, 7)]
        grid += [{**settings, "num_perm": 64}, {**settings, "num_perm": 256}]
    results = []
    for current in grid:
        start = time.perf_counter()
        result = evaluate(cases, docs, current, verbose=True)
        print_report(result, current, len(docs), time.perf_counter() - start)
        print(
            "separation (text copies vs different stories, estimated from the signatures):",
            result["separation"],
        )
        if "similarity" in result and current is settings:
            print("similarity (min, median, max) by construction:")
            for kind, (lo, med, hi) in result["similarity"].items():
                print(f"  {kind:34} {lo:.3f} {med:.3f} {hi:.3f}")
        print()
        results.append({"settings": current, **result})
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
