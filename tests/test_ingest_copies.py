"""Copies: exact and near duplicates, earliest-published head, re-ingesting is a no-op."""
from __future__ import annotations

from dataclasses import replace

from sitrep.config import Config
from sitrep.ingest import RawInput, iter_inputs, mark_copies, to_document
from sitrep.records import Published

STORY = ("Government forces shelled the villages of Kansafra and Fleifel in Jabal al-Zawiya on Saturday, "
         "wounding four civilians, rescuers said. The shelling came a day after drones were seen over the area. "
         "Local councils said dozens of families had left for camps near the Turkish border, and schools in the "
         "area suspended classes until further notice. A monitoring group said it had counted more than thirty "
         "shells in the space of two hours, most of them landing on farmland at the edge of Kansafra.")
OTHER = ("Heavy rain flooded dozens of tents in camps near Atmeh on Monday, aid groups said, forcing families "
         "to move to mosques and schools. The groups appealed for fuel and blankets as temperatures dropped.")


def _doc(path, text, date=None):
    d = to_document(RawInput(path, text, "text", {}), Config())
    if date:
        d = replace(d, published=Published(date, "day", "stated", "test"))
    return d


def test_exact_and_near_duplicates():
    a = _doc("a.txt", "Villages shelled in Jabal al-Zawiya\n\n" + STORY, "2021-05-02")
    b = _doc("b.txt", "Villages shelled in Jabal al-Zawiya\n\n" + STORY.upper(), "2021-05-01")   # same words
    near = STORY.replace("Saturday", "Saturday morning").replace("four civilians", "four civilians, including a child")
    c = _doc("c.txt", "Jabal al-Zawiya villages shelled\n\n" + near, "2021-05-03")
    d = _doc("d.txt", "Floods in Atmeh camps\n\n" + OTHER, "2021-05-01")
    out = mark_copies([a, b, c, d], Config())
    assert a.id == b.id and a.id != c.id
    # the earliest published copy is the original
    assert out[1].duplicate_of is None
    assert out[0].duplicate_of == b.id and out[2].duplicate_of == b.id
    assert out[3].duplicate_of is None


def test_threshold_is_respected():
    a = _doc("a.txt", "Villages shelled\n\n" + STORY)
    half = STORY.split(". ")
    c = _doc("c.txt", "Villages shelled\n\n" + ". ".join(half[:2]) + ". " + OTHER)
    out = mark_copies([a, c], Config())
    assert out[1].duplicate_of is None
    out = mark_copies([a, c], Config(near_duplicate_threshold=0.1))
    assert out[1].duplicate_of == a.id


def test_undated_copies_point_to_first():
    a = _doc("a.txt", "T\n\n" + STORY)
    b = _doc("b.txt", "T\n\n" + STORY)
    out = mark_copies([a, b], Config())
    assert out[0].duplicate_of is None and out[1].duplicate_of == a.id


def test_reingest_same_file_is_noop(tmp_path):
    f = tmp_path / "s.txt"
    f.write_text("Villages shelled in Jabal al-Zawiya\n\n" + STORY)
    cfg = Config()
    first = [to_document(r, cfg) for r in iter_inputs([f], cfg)]
    again = [to_document(r, cfg) for r in iter_inputs([f], cfg)]
    assert first == again and first[0].raw_hash == again[0].raw_hash
    once = mark_copies(first, cfg)
    twice = mark_copies(once + again, cfg)
    assert twice[0] == once[0] and twice[0].duplicate_of is None
    assert twice[1].id == once[0].id and twice[1].duplicate_of == once[0].id
    assert mark_copies(twice, cfg) == twice
