"""nio events → the kinds plugins see: replies, threads, edits, reactions, redactions, mentions."""

from __future__ import annotations

from nio import Event

from bot.events import Edit, Message, Reaction, Redaction, normalise


def nio_event(content: dict, event_type: str = "m.room.message", **extra) -> Event:
    source = {"type": event_type, "event_id": "$e", "sender": "@a:test", "origin_server_ts": 1, "content": content, **extra}
    return Event.parse_event(source)


def test_a_reply_fallback_is_cut_off_the_body_and_kept_as_the_quote():
    ev = nio_event({"msgtype": "m.text", "body": "> <@bob:test> transit data\n> should be open\n\n!note",
                    "m.relates_to": {"m.in_reply_to": {"event_id": "$orig"}}})
    msg = normalise("!r:test", ev)
    assert isinstance(msg, Message)
    assert msg.body == "!note" and msg.reply_to == "$orig"
    assert msg.quoted == "> <@bob:test> transit data\n> should be open"


def test_a_quote_without_a_reply_stays_in_the_body():
    msg = normalise("!r:test", nio_event({"msgtype": "m.text", "body": "> quoting\n\n!ping"}))
    assert msg.body.startswith("> quoting") and msg.quoted is None


def test_thread_fallback_is_not_a_reply_and_pills_become_mentions():
    ev = nio_event({"msgtype": "m.text", "body": "!badge Bob", "format": "org.matrix.custom.html",
                    "formatted_body": '!badge <a href="https://matrix.to/#/@bob:test">Bob</a>',
                    "m.relates_to": {"rel_type": "m.thread", "event_id": "$root", "is_falling_back": True,
                                     "m.in_reply_to": {"event_id": "$root"}}})
    msg = normalise("!r:test", ev)
    assert msg.thread_root == "$root" and msg.reply_to is None and msg.mentions == ("@bob:test",)


def test_edits_reactions_redactions_and_notices():
    edit = normalise("!r:test", nio_event({"msgtype": "m.text", "body": "* !propose X",
                                           "m.new_content": {"msgtype": "m.text", "body": "!propose X"},
                                           "m.relates_to": {"rel_type": "m.replace", "event_id": "$orig"}}))
    assert isinstance(edit, Edit) and edit.target == "$orig" and edit.new_body == "!propose X"
    reaction = normalise("!r:test", nio_event({"m.relates_to": {"rel_type": "m.annotation", "event_id": "$t", "key": "👍"}},
                                              "m.reaction"))
    assert isinstance(reaction, Reaction) and reaction.target == "$t" and reaction.key == "👍"
    redaction = normalise("!r:test", nio_event({}, "m.room.redaction", redacts="$t"))
    assert isinstance(redaction, Redaction) and redaction.target == "$t"
    assert normalise("!r:test", nio_event({"msgtype": "m.notice", "body": "!ping"})) is None
