"""Days that fit share a message; none grows past the size limit; nothing is lost or reordered."""

from bot.notices import Html
from plugins.agenda.view import MAX_MESSAGE_BYTES, packed


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
