"""The benchmarks rewrite their figures in docs/BENCHMARKS.md and leave people's notes alone."""

from benchmarks.mdsection import BEGIN, END, replace_generated, write_generated

HEADING = "## Throughput (`make bench`)"
PROGRAM = "benchmarks.bench_crawl"


def _doc(figures: str, notes: str = "") -> str:
    begin, end = BEGIN.format(program=PROGRAM), END.format(program=PROGRAM)
    text = f"# Benchmarks\n\n## Before\n\nkept above\n\n{HEADING}\n\nintro kept\n\n{begin}\n\n{figures}\n\n{end}\n"
    return text + (f"\n{notes}\n" if notes else "") + "\n## After\n\nkept below\n"


def test_figures_are_replaced_and_the_notes_under_them_kept():
    old = _doc("| 1x | 150 p/s |", "### Fifth round\nwhat we changed and why")
    new = replace_generated(old, HEADING, PROGRAM, "| 1x | 161 p/s |\n")
    assert new == _doc("| 1x | 161 p/s |", "### Fifth round\nwhat we changed and why")


def test_a_second_run_changes_nothing_more():
    once = replace_generated(_doc("a", "notes"), HEADING, PROGRAM, "b")
    assert replace_generated(once, HEADING, PROGRAM, "b") == once


def test_a_section_without_notes_is_still_followed_by_the_next_section():
    new = replace_generated(_doc("a"), HEADING, PROGRAM, "b")
    assert new == _doc("b")
    assert "\n\n## After\n" in new


def test_a_section_without_markers_is_replaced_whole_and_gets_them():
    old = f"# Benchmarks\n\n{HEADING}\n\nold figures\n\n## After\n\nkept below\n"
    new = replace_generated(old, HEADING, PROGRAM, "new figures")
    assert "old figures" not in new
    assert new.endswith("## After\n\nkept below\n")
    assert replace_generated(new, HEADING, PROGRAM, "newer") == new.replace("new figures", "newer")


def test_a_missing_section_or_file_is_created(tmp_path):
    path = tmp_path / "docs" / "BENCHMARKS.md"
    write_generated(path, HEADING, PROGRAM, "figures")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Benchmarks\n\n" + HEADING + "\n\n" + BEGIN.format(program=PROGRAM))
    write_generated(path, "## Other", "benchmarks.other", "more")
    again = path.read_text(encoding="utf-8")
    assert again.startswith(text.rstrip("\n")) and again.endswith(
        END.format(program="benchmarks.other") + "\n"
    )


def test_the_last_section_of_the_file_keeps_its_notes():
    old = _doc("a", "notes").split("\n## After")[0] + "\n"
    new = replace_generated(old, HEADING, PROGRAM, "b")
    assert new.endswith(END.format(program=PROGRAM) + "\n\nnotes\n")
