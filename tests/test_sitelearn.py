"""Site-level learning: recurring blocks of a site go within the first crawl; story text stays."""

from __future__ import annotations

import json

from pipelines.extract import Extracted
from pipelines.sitelearn import SiteCleaner

SITE = "www.example.com"
BIO = "Gerald writes about politics and has lived in the valley for twenty years with his two dogs."
PROMPT = "Tell the newsroom what you think about this story"
QUOTE = "“We will not allow that to happen, and we will not allow there to be a lifeline,” the adviser said."


def _story(n: int, *extra: str) -> Extracted:
    body = [
        f"Story {n} opens with a lede about the harbour works number {n} that residents discussed on Monday.",
        f"The second paragraph of story {n} gives figures: {n * 17} homes and {n * 3} streets are affected.",
        f"Officials said story {n} would be followed by a public meeting in the town hall next month.",
    ]
    return Extracted(text="\n".join([*body, *extra]), title=f"Story {n}")


def _run(cleaner: SiteCleaner, stories: list[Extracted]) -> dict[int, Extracted]:
    out: dict[int, Extracted] = {}
    for i, story in enumerate(stories):
        out.update(cleaner.submit(SITE, i, story))
    out.update(cleaner.flush())
    return out


def test_bio_recurring_under_three_stories_removed_in_first_crawl() -> None:
    out = _run(SiteCleaner(warmup_pages=4), [_story(i, BIO, PROMPT) for i in range(4)])
    assert len(out) == 4
    for cleaned in out.values():
        assert BIO not in cleaned.text
        assert PROMPT not in cleaned.text
        assert cleaned.text.count("\n") == 2  # the three story paragraphs remain


def test_small_site_flushed_at_end_of_crawl() -> None:
    cleaner = SiteCleaner(warmup_pages=8)
    ready = [cleaner.submit(SITE, i, _story(i, BIO)) for i in range(3)]
    assert ready == [[], [], []]  # still learning
    out = dict(cleaner.flush())
    assert all(BIO not in e.text for e in out.values())


def test_quote_repeated_in_two_stories_kept() -> None:
    out = _run(SiteCleaner(warmup_pages=3), [_story(0, QUOTE), _story(1, QUOTE), _story(2), _story(3)])
    assert QUOTE in out[0].text and QUOTE in out[1].text


def test_lede_kept_although_its_teaser_appears_elsewhere() -> None:
    lede = _story(0).text.split("\n")[0]
    teaser = " ".join(lede.split()[:10]) + "..."
    stories = [_story(0)] + [_story(i, "Related articles", "Story 0", teaser) for i in range(1, 5)]
    stories += [_story(i, lede) for i in range(5, 9)]  # the full lede quoted as a teaser on other pages
    out = _run(SiteCleaner(warmup_pages=4), stories)
    assert out[0].text.split("\n")[0] == lede
    for i in range(1, 5):
        assert teaser not in out[i].text
    for i in range(6, 9):  # once the copy is on 3 pages it is boilerplate there (page 5 saw it on only 2)
        assert lede not in out[i].text


def test_teaser_cut_short_removed_on_first_sighting() -> None:
    lede = _story(0).text.split("\n")[0]
    teaser = " ".join(lede.split()[:12]) + " …"
    out = _run(SiteCleaner(warmup_pages=2), [_story(0), _story(1, teaser)])
    assert teaser not in out[1].text
    assert out[0].text.startswith(lede)


def test_knowledge_persists_bounded_and_starts_next_run_warm() -> None:
    first = SiteCleaner(warmup_pages=3, max_blocks=50)
    _run(first, [_story(i, BIO) for i in range(30)])
    knowledge = json.loads(json.dumps(first.export_knowledge()))  # what the state store keeps
    assert len(knowledge[SITE]["blocks"]) <= 50
    second = SiteCleaner(knowledge, warmup_pages=3)
    ready = second.submit(SITE, "new", _story(99, BIO))
    assert len(ready) == 1 and BIO not in ready[0][1].text  # cleaned at once, no warm-up needed


def test_observed_section_front_teaches_teasers() -> None:
    teaser = "Mayor opens the new ferry terminal after years of delays"
    front = f"<html><body><ul><li><a href='/a'>{teaser}</a></li></ul></body></html>"
    cleaner = SiteCleaner(warmup_pages=1)
    cleaner.observe(SITE, front)
    out = _run(cleaner, [_story(0, teaser)])
    assert teaser not in out[0].text
