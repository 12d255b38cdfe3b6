"""Days that fit share a message; none grows past the size limit; nothing is lost or reordered."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.notices import Html
from plugins.agenda.store import Location, Slot
from plugins.agenda.view import MAX_MESSAGE_BYTES, Cell, Words, day_messages, packed


def day(name: str, size: int) -> Html:
    """A day's message of about `size` bytes (body and HTML together)."""
    return Html(body=f"Agenda {name}\n" + "x" * (size // 2), html=f"<h4>Agenda {name}</h4>" + "y" * (size // 2))


def size(message: Html) -> int:
    return len(message.body.encode()) + len(message.html.encode())


def test_small_days_share_one_message_in_order():
    (message,) = packed([day("1", 1000), day("2", 1000), day("3", 1000)])
    assert [line for line in message.body.splitlines() if line.startswith("Agenda")] == [
        "Agenda 1", "Agenda 2", "Agenda 3",
    ]
    assert message.html.index("Agenda 1") < message.html.index("Agenda 2") < message.html.index("Agenda 3")


def test_days_are_packed_without_passing_the_limit():
    days = [day(str(n), s) for n, s in enumerate([15_000, 8_000, 8_000, 20_000, 3_000, 23_000])]
    messages = packed(days)
    assert all(size(m) <= MAX_MESSAGE_BYTES for m in messages)
    assert [m.body.count("Agenda ") for m in messages] == [2, 1, 2, 1]  # 15k+8k, 8k, 20k+3k, 23k
    # Everything is there, once and in order.
    assert "".join(m.html for m in messages) == "".join(d.html for d in days)


def test_a_day_at_the_limit_stays_alone():
    big = day("big", MAX_MESSAGE_BYTES - 100)
    assert packed([big, day("small", 200)]) == [big, day("small", 200)]
    assert packed([]) == []


TZ = ZoneInfo("UTC")
WORDS = Words(heading="Agenda 2026-12-01", continued="(continued)", time="Time", free="no session yet")


def slot(number: int, label: str | None = None) -> Slot:
    starts = datetime(2026, 12, 1, 9, tzinfo=UTC) + timedelta(hours=number)
    return Slot(number, f"S{number}", label, starts, starts + timedelta(minutes=45))


def test_a_row_escapes_the_text_of_its_cells_and_a_day_without_locations_has_no_column():
    locations = [Location(1, "Hall", 8), Location(2, "Yard & Co", None)]
    cells = {(1, 2): Cell(7, 'Maps "&" <tiles>', 3, 8)}
    (message,) = day_messages([slot(1, "Morning <b>")], locations, cells, TZ, WORDS)
    assert message.html == (
        "<h4>Agenda 2026-12-01</h4><table><thead><tr><th>Time</th><th>Hall</th><th>Yard &amp; Co</th></tr>"
        "</thead><tbody><tr><td><b>S1</b> 10:00–10:45<br>Morning &lt;b&gt;</td><td></td>"
        "<td>#7 Maps &quot;&amp;&quot; &lt;tiles&gt; (3/8)</td></tr></tbody></table>"
    )
    assert message.body == 'Agenda 2026-12-01\nS1 10:00–10:45 Morning <b> · Yard & Co · #7 Maps "&" <tiles> (3/8)'
    (bare,) = day_messages([slot(1)], [], {}, TZ, WORDS)
    assert "<tbody><tr><td><b>S1</b> 10:00–10:45</td></tr></tbody>" in bare.html
    assert bare.body == "Agenda 2026-12-01\nS1 10:00–10:45 · no session yet"


def test_a_big_day_is_continued_in_messages_that_stay_under_the_limit_with_every_session_once():
    slots = [slot(n) for n in range(1, 13)]
    locations = [Location(n, f"Room {n}", 8) for n in range(1, 51)]
    # Long titles, some with characters to escape and most of several bytes: the sizes count bytes.
    cells = {
        (s.id, loc.id): Cell(s.id * 100 + loc.id, f"議題 {s.id}-{loc.id} " + "討論 & <說明> " * 3, 1, 8)
        for s in slots
        for loc in locations
    }
    messages = day_messages(slots, locations, cells, TZ, WORDS)
    assert len(messages) > 1
    assert all(len(m.body.encode()) + len(m.html.encode()) <= MAX_MESSAGE_BYTES for m in messages)
    shown = [line for m in messages for line in m.body.splitlines()[1:]]
    assert len(shown) == len(cells) and len(set(shown)) == len(cells)
    assert sum(m.html.count("<td>#") for m in messages) == len(cells)
