"""The scoring that `make eval` reports, as the eval README defines it (no eval data needed)."""

import pytest

from benchmarks.eval_extraction import names_headline, page_counts, score


def test_shingles_are_counted_as_a_multiset_and_normalised_by_their_sum():
    truth = "one two three four five"  # shingles: (1,2,3,4), (2,3,4,5)
    assert page_counts(truth, truth) == (1.0, 0.0, 0.0)
    tp, fp, fn = page_counts(truth, "one two three four six")  # shares (1,2,3,4) only
    assert (tp, fp, fn) == pytest.approx((1 / 3, 1 / 3, 1 / 3))
    # a repeated paragraph is counted twice: a second copy in the prediction is a false positive
    tp, fp, fn = page_counts(truth, truth + "\n" + truth)
    assert fn == 0 and fp > 0
    assert page_counts("Short text", "Short text") == (1.0, 0.0, 0.0)  # under 4 tokens: one shingle


def test_precision_is_averaged_over_non_empty_predictions_only():
    result = score(
        [("alpha beta gamma delta", "alpha beta gamma delta"), ("alpha beta gamma delta", "")], 0.0
    )
    assert result.precision == 1.0 and result.recall == 0.5 and result.empty == 1
    assert result.f1 == pytest.approx(2 * 1.0 * 0.5 / 1.5)
    assert result.low_share == 0.5


def test_a_title_names_the_headline_with_or_without_the_site_name():
    truth = "How to Build a Terrarium | eHow"
    assert names_headline("How to Build a Terrarium", truth)
    assert names_headline("How to Build a Terrarium | eHow", truth)
    assert not names_headline("eHow", truth)
    assert not names_headline("Garden Center", truth)
    assert not names_headline(None, truth)
    assert names_headline("DeepMind新电脑已可利用记忆自学", "DeepMind新电脑已可利用记忆自学_科技_腾讯网")
