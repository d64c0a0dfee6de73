"""Quantities as reports state them (our own phrases)."""
import pytest

from sitrep.extract.numbers import find_quantities, parse_quantity


@pytest.mark.parametrize("text,value,lo,hi,qual", [
    ("at least 41", 41, 41, 41, "at least"),
    ("3,512", 3512, 3512, 3512, "exact"),
    ("seven children", 7, 7, 7, "exact"),
    ("a soldier", 1, 1, 1, "exact"),
    ("dozens", 24, 24, 99, "dozens"),
    ("hundreds of thousands", 200_000, 200_000, 999_999, "hundreds of thousands"),
    ("tens of millions", 20_000_000, 20_000_000, 99_999_999, "tens of millions"),
    ("close to one million", 1_000_000, 900_000, 1_000_000, "close to"),
    ("nearly a million", 1_000_000, 900_000, 1_000_000, "close to"),
    ("about 30", 30, 27, 33, "about"),
    ("more than 200", 200, 201, 201, "more than"),
    ("up to 12", 12, 1, 12, "up to"),
    ("an estimated 140,000", 140_000, 140_000, 140_000, "estimated"),
    ("twenty-three", 23, 23, 23, "exact"),
    ("2.5 million", 2_500_000, 2_500_000, 2_500_000, "exact"),
])
def test_parse_quantity(text, value, lo, hi, qual):
    c = parse_quantity(text)
    assert c is not None
    assert (c.value, c.min, c.max, c.qualifier) == (value, lo, hi, qual)


def test_parse_quantity_none():
    assert parse_quantity("the minister") is None
    assert parse_quantity("") is None
    assert parse_quantity("a") is None


def test_find_quantities_offsets_nouns_and_skips_dates():
    text = "Shelling on March 14 killed a farmer and wounded 9 others in a nine-hour barrage in 2018."
    found = find_quantities(text)
    got = [(text[s:e], c.value, noun) for s, e, c, noun in found]
    assert ("a", 1, "farmer") in got
    assert ("9", 9, "others") in got
    values = [v for _, v, _ in got]
    assert 14 not in values          # day of a date
    assert 2018 not in values        # a year
    assert 9 in values and values.count(9) == 1   # "nine-hour" is not a count


def test_find_quantities_vague_noun():
    text = "Troops killed dozens of pro-government militiamen."
    (s, e, c, noun), = find_quantities(text)
    assert text[s:e] == "dozens" and (c.min, c.max) == (24, 99)
    assert noun == "militiamen"
