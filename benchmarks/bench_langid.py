"""Language identification accuracy and cost against the size of the sample given to langdetect.

Reads ``<eval-dir>/langid/<code>.txt`` (one sentence a line, 500 per language; see ``../shared/eval/README.md``)
for the languages langdetect knows, joins consecutive sentences into article-length texts (``--text-chars``,
default 3,000 characters: a short news article), and runs :func:`pipelines.language.detect_language` on each
with ``max_chars`` = every sample size of ``--sizes`` (the window the crawl takes from the middle of the body).
Reports accuracy (macro over languages, and over all texts), the worst languages, and milliseconds per text, so
``NEWSHARVEST_LANGDETECT_CHARS`` can be chosen where the curve flattens. A second table varies the number of
random trials langdetect averages (``NEWSHARVEST_LANGDETECT_TRIALS``) at a short and at the crawl's sample size.

Usage: ``python -m benchmarks.bench_langid [--eval-dir ../shared/eval] [--sizes 100,200,...] [--trials 1,3,7]``
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipelines.language import SUPPORTED_LANGUAGES, detect_language, normalise_code
from pipelines.page import PageOptions

#: The eval files are named by ISO 639-1; langdetect says "no" for Norwegian Bokmål.
CODE_MAP = {"nb": "no"}
DEFAULT_SIZES = (100, 200, 300, 400, 600, 800, 1200, 2000, 0)  # 0 = the whole text
DEFAULT_TRIALS = (1, 2, 3, 5, 7)  # langdetect's own default is 7


def load_texts(langid_dir: Path, text_chars: int) -> dict[str, list[str]]:
    """Article-length texts per language code (langdetect's codes), from consecutive sentences."""
    texts: dict[str, list[str]] = {}
    for path in sorted(langid_dir.glob("*.txt")):
        code = CODE_MAP.get(path.stem, path.stem)
        if code not in SUPPORTED_LANGUAGES:
            continue
        sentences = [s.strip() for s in path.read_text(encoding="utf-8").splitlines() if s.strip()]
        out, current = [], []
        for sentence in sentences:
            current.append(sentence)
            if sum(len(s) + 1 for s in current) >= text_chars:
                out.append(" ".join(current))
                current = []
        texts[normalise_code(code)] = out
    return texts


def measure(texts: dict[str, list[str]], size: int, trials: int) -> dict[str, object]:
    per_lang: dict[str, float] = {}
    right = total = 0
    confusions: dict[str, int] = defaultdict(int)
    start = time.process_time()
    for code, items in texts.items():
        ok = 0
        for text in items:
            found = detect_language(text, max_chars=size or len(text) + 1, trials=trials)
            ok += found == code
            if found != code:
                confusions[f"{code}->{found}"] += 1
        per_lang[code] = ok / len(items) if items else 0.0
        right, total = right + ok, total + len(items)
    seconds = time.process_time() - start
    worst = sorted(per_lang.items(), key=lambda kv: kv[1])[:4]
    return {
        "size": size,
        "macro": sum(per_lang.values()) / len(per_lang),
        "micro": right / total,
        "ms": 1000 * seconds / total,
        "worst": worst,
        "confusions": sorted(confusions.items(), key=lambda kv: -kv[1])[:4],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--eval-dir", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "eval"
    )
    parser.add_argument("--text-chars", type=int, default=3000)
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)), help="0 = the whole text")
    parser.add_argument("--trials", default=",".join(map(str, DEFAULT_TRIALS)))
    args = parser.parse_args(argv)
    langid_dir = args.eval_dir / "langid"
    if not langid_dir.is_dir():
        print(
            f"No language-identification eval data: {langid_dir} does not exist (see the README's ../shared/eval)."
        )
        print("Nothing measured.")
        return 0
    texts = load_texts(langid_dir, args.text_chars)
    n = sum(len(v) for v in texts.values())
    print(
        f"{len(texts)} languages known to langdetect, {n} texts of ~{args.text_chars} characters ({langid_dir})"
    )
    defaults = PageOptions()
    print()
    print(f"Sample size ({defaults.langdetect_trials} trials, the crawl's default):")
    print()
    _print_header("sample chars")
    for size in (int(s) for s in args.sizes.split(",")):
        _print_row("whole text" if size == 0 else str(size), measure(texts, size, defaults.langdetect_trials))
    for size in (150, defaults.langdetect_chars):
        print()
        print(f"Random trials averaged, sample of {size} characters:")
        print()
        _print_header("trials")
        for trials in (int(t) for t in args.trials.split(",")):
            _print_row(str(trials), measure(texts, size, trials))
    return 0


def _print_header(first: str) -> None:
    print(f"| {first} | macro accuracy | accuracy (all texts) | ms/text | worst languages | top confusions |")
    print("|---|---|---|---|---|---|")


def _print_row(label: str, r: dict[str, object]) -> None:
    worst = ", ".join(f"{c} {a:.0%}" for c, a in r["worst"])  # type: ignore[attr-defined]
    conf = ", ".join(f"{c} x{k}" for c, k in r["confusions"])  # type: ignore[attr-defined]
    print(f"| {label} | {r['macro']:.4f} | {r['micro']:.4f} | {r['ms']:.2f} | {worst} | {conf} |", flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
