"""The time-expression tagger on sentences written for these tests (news style, fixed anchors)."""
import pytest

from sitrep.annotate.timex import tag

FRI = "2020-03-06"   # a Friday


def one(text: str, anchor: str | None, phrase: str):
    """The single expression whose text is ``phrase``."""
    found = [t for t in tag(text, anchor) if t.text == phrase]
    assert len(found) == 1, [(t.text, t.value) for t in tag(text, anchor)]
    return found[0]


def values(text: str, anchor: str | None) -> dict[str, str]:
    return {t.text: t.value for t in tag(text, anchor)}


@pytest.mark.parametrize("text,phrase,value", [
    ("Government forces shelled the town yesterday, residents said.", "yesterday", "2020-03-05"),
    ("Talks were held on Thursday in the capital.", "Thursday", "2020-03-05"),
    ("The strike hit a market on February 27, killing four.", "February 27", "2020-02-27"),
    ("Clashes erupted on Sunday near the highway.", "Sunday", "2020-03-01"),
    ("The truce was agreed today in Moscow.", "today", "2020-03-06"),
    ("A convoy was hit two days ago.", "two days ago", "2020-03-04"),
    ("Aid deliveries resumed earlier this month.", "earlier this month", "2020-03"),
    ("Last March the front barely moved.", "Last March", "2019-03"),
    ("This year has been the worst so far.", "This year", "2020"),
    ("The situation is now critical.", "now", "PRESENT_REF"),
    ("Shelling recently intensified.", "recently", "PAST_REF"),
])
def test_relative_and_partial_dates_against_a_friday(text, phrase, value):
    assert one(text, FRI, phrase).value == value


def test_last_week_is_the_iso_week_before_the_anchor_week():
    t = one("Last week the talks collapsed.", FRI, "Last week")
    assert t.value == "2020-W09"
    assert (t.interval.start, t.interval.end, t.interval.precision) == ("2020-02-24", "2020-03-01", "week")


def test_weekday_in_future_sentence_is_the_next_one():
    assert one("The ministers will meet on Thursday in Geneva.", FRI, "Thursday").value == "2020-03-12"
    assert one("The ministers met on Thursday in Geneva.", FRI, "Thursday").value == "2020-03-05"


def test_interval_and_basis():
    t = one("The strike hit a market on February 27.", FRI, "February 27")
    assert (t.interval.start, t.interval.end, t.interval.precision, t.interval.basis) == \
        ("2020-02-27", "2020-02-27", "day", "relative")
    t = one("The strike hit a market on 27 February 2020.", FRI, "27 February 2020")
    assert t.value == "2020-02-27" and t.interval.basis == "explicit"


@pytest.mark.parametrize("text,phrase,start,end,precision", [
    ("Fighting resumed at the beginning of February.", "the beginning of February", "2020-02-01", "2020-02-10", "week"),
    ("Fighting resumed in mid-March.", "mid-March", "2020-03-11", "2020-03-20", "week"),
    ("The offensive began in early January.", "early January", "2020-01-01", "2020-01-10", "week"),
    ("The offensive began in late 2019.", "late 2019", "2019-09-01", "2019-12-31", "month"),
])
def test_fuzzy_parts_narrow_the_interval(text, phrase, start, end, precision):
    t = one(text, FRI, phrase)
    assert (t.interval.start, t.interval.end, t.interval.precision) == (start, end, precision)
    assert t.type == "DATE"


@pytest.mark.parametrize("text", [
    "They held a six-hour meeting on the crisis.",
    "The nine-year conflict has displaced millions.",
    "He scored 36 in a strike-shortened season.",
    "There were a million people in the camps; one said so.",
    "May God protect the children, he said.",
    "Rebels may retreat from the hills.",
    "The march on the capital was stopped.",
    "About 2000 people fled the town.",
])
def test_not_time(text):
    assert tag(text, FRI) == []


def test_durations():
    assert one("The bombardment lasted six hours.", FRI, "six hours").value == "PT6H"
    assert one("The war has lasted nine years.", FRI, "nine years").value == "P9Y"
    t = one("Displacement rose over the past month.", FRI, "the past month")
    assert (t.type, t.value, t.interval) == ("DURATION", "P1M", None)


def test_year_unknown_without_anchor():
    t = one("The attack came on March 5, officials said.", None, "March 5")
    assert t.value == "XXXX-03-05" and t.interval is None
    assert one("Talks were held on Thursday.", None, "Thursday").value == "XXXX-WXX-4"


def test_partial_date_takes_the_year_before_publication():
    assert one("Aid arrived on December 24.", "2020-01-10", "December 24").value == "2019-12-24"


def test_day_of_last_month():
    assert one("On 5 of last March, an agreement was signed.", "2020-09-25", "5 of last March").value == "2020-03-05"


def test_lists_and_ranges_cover_the_span():
    t = one("Protests took place on 17, 18,19 September.", "2020-09-25", "17, 18,19 September")
    assert (t.interval.start, t.interval.end) == ("2020-09-17", "2020-09-19")
    t = one("Shelling was reported between December 12 and 25.", "2020-01-10", "between December 12 and 25")
    assert (t.interval.start, t.interval.end) == ("2019-12-12", "2019-12-25")
    t = one("From 5 March to 18 August, 900,000 people fled.", "2020-09-25", "From 5 March to 18 August")
    assert (t.interval.start, t.interval.end) == ("2020-03-05", "2020-08-18")
    t = one("The war raged from 2011-2014 in the north.", FRI, "from 2011-2014")
    assert (t.value, t.interval.start, t.interval.end) == ("201", "2011-01-01", "2014-12-31")


def test_ranges_split_the_timeml_way():
    parts = tag("Shelling was reported between December 12 and 25.", "2020-01-10", split_ranges=True)
    assert [(p.text, p.value) for p in parts] == [("December 12", "2019-12-12"), ("25", "2019-12-25")]


def test_since_and_until():
    t = one("Displacement has continued since the beginning of February.", FRI, "since the beginning of February")
    assert (t.interval.start, t.interval.end) == ("2020-02-01", FRI)
    t = one("The ceasefire holds until 18 August.", "2020-08-01", "until 18 August")
    assert t.value == "2020-08-18" and t.interval.end == "2020-08-18"


def test_times_of_day():
    v = values("It happened late Friday. On Thursday night a blast shook the city.", FRI)
    assert v["late Friday"] == "2020-03-06"
    assert v["Thursday night"] == "2020-03-05TNI"
    v = values("The truce began at midnight and at 00:01 all guns fell silent.", FRI)
    assert v["midnight"] == "2020-03-06T24:00"
    assert v["00:01"] == "2020-03-06T00:01"
    t = one("The strike came at 6 a.m. Thursday.", FRI, "6 a.m. Thursday")
    assert (t.type, t.value) == ("TIME", "2020-03-05T06:00")


def test_absolute_formats():
    v = values("Reports dated 2019-11-03, 03/05/2020, 5 March 2020, Aug. 7, 1998 and March 2020.", FRI)
    assert v["2019-11-03"] == "2019-11-03"
    assert v["03/05/2020"] == "2020-03-05"
    assert v["5 March 2020"] == "2020-03-05"
    assert v["Aug. 7, 1998"] == "1998-08-07"
    assert v["March 2020"] == "2020-03"


def test_weekday_with_date_fixes_the_year():
    assert one("The vote is on Monday, Oct. 26.", "1998-10-25", "Monday, Oct. 26").value == "1998-10-26"


def test_sets_and_seasons():
    assert one("Convoys cross daily.", FRI, "daily").type == "SET"
    assert one("Rebels attack every Friday.", FRI, "every Friday").value == "XXXX-WXX-5"
    assert one("The offensive began last summer.", FRI, "last summer").value == "2019-SU"


def test_bad_anchor_is_a_clear_error():
    with pytest.raises(ValueError, match="anchor"):
        tag("yesterday", "06/03/2020")
    with pytest.raises(TypeError):
        tag(None, FRI)


def test_offsets_point_into_the_text():
    text = "On Thursday night, after two days of talks, the truce of 5 March collapsed."
    for t in tag(text, FRI):
        assert text[t.start:t.end] == t.text


def test_anaphoric_days_follow_the_last_date():
    text = "Jets struck the town on 27 February. The next day, Turkish drones hit back. That same day, talks failed."
    v = values(text, FRI)
    assert v["The next day"] == "2020-02-28"
    assert v["That same day"] == "2020-02-28"
    t = one("The convoy left at dawn and the next morning it was shelled.", FRI, "the next morning")
    assert (t.type, t.value) == ("TIME", "2020-03-07TMO")


def test_numeric_dates_take_the_reading_nearest_before_the_anchor():
    assert one("Reports dated 03/05/2020 were released.", FRI, "03/05/2020").value == "2020-03-05"
    assert one("Reports dated 03/05/2020 were released.", "2020-05-10", "03/05/2020").value == "2020-05-03"
    assert one("Reports dated 25/02/2020 were released.", FRI, "25/02/2020").value == "2020-02-25"


# ---------------------------------------------------------------- rules added for TimeML conformance (round 3)
@pytest.mark.parametrize("text", [
    "Talks had previously collapsed in the capital.",
    "So far no group has claimed the attack.",
    "Future talks will decide the fate of the corridor.",
    "He was formerly a commander of the brigade.",
])
def test_aspectual_adverbs_are_no_time_references(text):
    assert tag(text, FRI) == []


def test_references_that_stay():
    assert one("Nobody can predict the future of the truce.", FRI, "the future").value == "FUTURE_REF"
    assert one("More recently the militia withdrew.", FRI, "More recently").value == "PAST_REF"


def test_adjectival_durations_only_in_timeml_mode():
    text = "After a 16-hour flight she began a two-day visit; a 57-year-old man met her."
    assert tag(text, FRI) == []
    v = {t.text: (t.type, t.value) for t in tag(text, FRI, adjectival_durations=True)}
    assert v == {"16-hour": ("DURATION", "PT16H"), "two-day": ("DURATION", "P2D")}
    t = tag("They held a six hour meeting.", FRI, adjectival_durations=True)
    assert [(x.text, x.value) for x in t] == [("six hour", "PT6H")]


def test_a_year_earlier_compares_with_the_quarter_under_discussion():
    text = "Net income rose to $5 million in the third quarter from $3 million a year earlier."
    v = values(text, "1989-10-26")
    assert v["the third quarter"] == "1989-Q3"
    assert v["a year earlier"] == "1988-Q3"
    # without a period named before, "a year ago" is the year before publication
    assert one("Prices were higher a year ago.", "1989-10-26", "a year ago").value == "1988"


def test_reporting_periods():
    text = ("The firm lost $2 million in the latest quarter, against a profit of $1 million in the "
            "year-ago quarter. Sales fell in the quarter.")
    v = values(text, "1989-10-26")
    assert v["the latest quarter"] == "1989-Q3"
    assert v["the year-ago quarter"] == "1988-Q3"
    assert v["the quarter"] == "1989-Q3"
    v = values("Car sales rose in January compared with the same month a year ago.", "2020-02-10")
    assert v["January"] == "2020-01"
    assert v["the same month a year ago"] == "2019-01"
    assert tag("The truce ended the period of calm.", FRI) == []
    # a city quarter is no reporting period
    assert tag("Shelling hit the quarter overnight.", FRI) == []
    assert tag("Rebels held the Christian quarter of the old city.", FRI) == []


def test_abbreviation_periods_do_not_end_the_clause():
    t = one("Rebels were given until 9 a.m. Tuesday to leave the town.", FRI, "9 a.m. Tuesday")
    assert t.value == "2020-03-10T09:00"
    assert one("Until Thursday, they had not named a suspect.", FRI, "Until Thursday").value == "2020-03-05"
    assert one("Aid may arrive as early as Tuesday.", FRI, "Tuesday").value == "2020-03-10"


def test_bare_clock_time_takes_its_sentence_day_or_the_last_full_date():
    text = "The shelling began on 2 March 2019. At 10 p.m. a second wave hit the town."
    assert one(text, FRI, "10 p.m.").value == "2019-03-02T22:00"
    text = "The convoy left Tuesday from the depot near the border at 22:30 GMT with 40 trucks."
    assert one(text, FRI, "22:30 GMT").value == "2020-03-03T22:30Z"
    assert one("The convoy left at 10 p.m. with 40 trucks.", FRI, "10 p.m.").value == "2020-03-06T22:00"
    # a weekday in an earlier sentence does not move a clock time off the publication date
    text = "Rebels attacked on Sunday. The deal signed in Lima sets a truce from midnight."
    assert one(text, FRI, "midnight").value == "2020-03-06T24:00"


def test_quarters_as_durations_and_fractions():
    assert one("Losses grew over the past two quarters.", FRI, "the past two quarters").value == "P2Q"
    assert tag("A quarter of the houses were destroyed.", FRI) == []
    assert tag("Three quarters of the voters stayed home.", FRI) == []
    assert one("Stocks fell for five trading days.", FRI, "five trading days").value == "P5D"


def test_over_as_quantifier_or_preposition():
    assert one("The siege lasted over a week.", FRI, "over a week").value == "P1W"
    assert one("The front line moved over three years.", FRI, "three years").value == "P3Y"


def test_spelled_out_years():
    assert one("In nineteen ninety-one the war ended.", FRI, "nineteen ninety-one").value == "1991"
    assert one("January nineteen ninety-seven was cold.", FRI, "January nineteen ninety-seven").value == "1997-01"
    assert tag("Nineteen ninety people fled the camp.", FRI) == []


def test_short_decades_but_not_ages():
    v = values("Rebels recalled the militias of the 80s and 90s and the chaos of the nineties.", "2020-03-06")
    assert (v["the 80s"], v["90s"], v["the nineties"]) == ("198", "199", "199")
    assert tag("The commander, in his 70s, fled with men in their forties.", FRI) == []


def test_term_references():
    assert one("Aid will be scarce in the near term.", FRI, "the near term").value == "FUTURE_REF"
    assert one("The crossing stays shut for the time being.", FRI, "the time being").value == "PRESENT_REF"
    assert one("The army posted two consecutive quarters of losses.", FRI, "two consecutive quarters").value == "P2Q"
