"""Write a benchmark's figures into its section of ``docs/BENCHMARKS.md`` without losing what people wrote.

A section holds figures that a program writes (date, machine, command, tables) and notes that people write
under them (what changed, what was tried, why a figure moved). Only the part between the two markers below
is the program's; the heading, the notes after the end marker and every other section are left as they are.
A section without markers (a new file, or one written before the markers) is created or replaced whole,
with the markers, so the next run finds them.
"""

from __future__ import annotations

from pathlib import Path

BEGIN = "<!-- figures written by {program}: edit the notes after the end marker, not this part -->"
END = "<!-- end of {program}'s figures -->"


def replace_generated(text: str, heading: str, program: str, figures: str) -> str:
    """``text`` with the figures of ``heading``'s section replaced by ``figures`` (see the module doc)."""
    begin, end = BEGIN.format(program=program), END.format(program=program)
    block = f"{begin}\n\n{figures.strip()}\n\n{end}\n"
    start = text.find(heading + "\n")
    if start == -1:
        return text.rstrip("\n") + f"\n\n{heading}\n\n{block}"
    next_section = text.find("\n## ", start + len(heading))
    section_end = len(text) if next_section == -1 else next_section + 1
    section = text[start:section_end]
    b, e = section.find(begin), section.find(end)
    notes = section[e + len(end) :].strip("\n") if b != -1 and e > b else ""
    head = section[:b] if b != -1 and e > b else f"{heading}\n\n"
    section = head + block + (f"\n{notes}\n" if notes else "")
    return text[:start] + section + ("\n" + text[section_end:] if next_section != -1 else "")


def write_generated(path: Path, heading: str, program: str, figures: str) -> None:
    """Replace the figures of ``heading``'s section of ``path`` (created when missing)."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(replace_generated(text, heading, program, figures), encoding="utf-8")
