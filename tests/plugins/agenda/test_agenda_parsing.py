"""Reading dates, times, ranges, slot references and `<name> cap <n>` from what people type."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.arguments import ArgScanner, Date, TimeRange
from bot.errors import UsageError, UserError
from plugins.agenda.grid import (
    NameAndCap,
    check_label,
    local_to_utc,
    slot_code_number,
    slot_span,
    split_name_cap,
)

TAIPEI = ZoneInfo("Asia/Taipei")
BERLIN = ZoneInfo("Europe/Berlin")


def test_local_time_becomes_utc_in_the_event_zone():
    assert local_to_utc(date(2026, 11, 28), time(10, 0), TAIPEI) == datetime(
        2026, 11, 28, 2, 0, tzinfo=UTC
    )


def test_a_time_skipped_by_daylight_saving_is_refused():
    with pytest.raises(UserError) as err:
        local_to_utc(date(2026, 3, 29), time(2, 30), BERLIN)
    assert err.value.text.key == "agenda.no_such_time"


def test_an_ambiguous_autumn_time_takes_the_first_occurrence():
    assert local_to_utc(date(2026, 10, 25), time(2, 30), BERLIN) == datetime(
        2026, 10, 25, 0, 30, tzinfo=UTC
    )


def test_slot_span_is_start_and_end_in_utc_and_refuses_a_swapped_range():
    start, end = slot_span(date(2026, 11, 28), time(10, 0), time(10, 45), TAIPEI)
    assert (end - start).total_seconds() == 45 * 60
    with pytest.raises(UserError):  # 23 hours into the next day: more likely a typo
        slot_span(date(2026, 11, 28), time(11, 0), time(10, 0), TAIPEI)


@pytest.mark.parametrize(
    "token", ["2026-02-30", "2026-13-01", "28.11.2026", "2026-11-28T10:00", "tomorrow"]
)
def test_dates_that_do_not_exist_or_are_misspelt_are_refused(token):
    with pytest.raises(UsageError):
        Date("date").convert(token)


@pytest.mark.parametrize(
    ("token", "expected"),
    [("10:00-10:45", (time(10, 0), time(10, 45))), ("9:05–9:50", (time(9, 5), time(9, 50)))],
)
def test_time_ranges_are_read(token, expected):
    assert TimeRange("time").convert(token) == expected


@pytest.mark.parametrize(
    "token", ["10:45-10:00", "10:00-10:00", "25:00-26:00", "10:00", "10-11", "10:60-11:00"]
)
def test_bad_time_ranges_are_refused(token):
    with pytest.raises(UsageError):
        TimeRange("time").convert(token)


@pytest.mark.parametrize(
    ("ref", "number"),
    [("S1", 1), ("s12", 12), ("3", 3), (" S4 ", 4), ("Morning", None), ("S", None)],
)
def test_slot_references(ref, number):
    assert slot_code_number(ref) == number


def test_a_label_that_looks_like_a_slot_code_is_refused():
    with pytest.raises(UserError):
        check_label("s7")
    assert check_label("  After   lunch ") == "After lunch"


def test_location_name_with_spaces_and_optional_cap():
    assert split_name_cap("Room A cap 20") == ("Room A", 20)
    assert split_name_cap("Room A") == ("Room A", None)
    assert split_name_cap("Capitol  Hall CAP 5") == ("Capitol Hall", 5)
    assert NameAndCap("name").parse(ArgScanner(" Jitsi call cap 100")) == ("Jitsi call", 100)
    assert NameAndCap("name").usage() == "<name> [cap <n>]"


def test_a_cap_without_a_name_is_a_missing_name_not_a_location_called_cap():
    with pytest.raises(UsageError) as refused:
        split_name_cap("cap 5")
    assert refused.value.text.key == "core.missing_argument"
    assert split_name_cap("Cap Town cap 5") == ("Cap Town", 5)


@pytest.mark.parametrize("text", ["Room A cap lots", "Room A cap 0", "Room A cap -3"])
def test_a_bad_cap_is_refused(text):
    with pytest.raises(UsageError):
        split_name_cap(text)


def test_a_too_long_location_name_is_refused():
    with pytest.raises(UserError) as err:
        split_name_cap("x" * 61)
    assert err.value.text.key == "agenda.name_too_long"


@pytest.mark.parametrize("day", [date(1, 1, 1), date(1999, 12, 31), date(9999, 12, 31)])
def test_implausible_years_are_refused(day):
    with pytest.raises(UserError) as err:
        slot_span(day, time(10, 0), time(11, 0), ZoneInfo("America/Adak"))
    assert err.value.text.key == "agenda.year_out_of_range"
