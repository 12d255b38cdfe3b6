"""The router through the fake transport: parsing, roles, help, errors, replies, rate limits."""

from __future__ import annotations

import logging

import pytest

from bot.arguments import Id, Int, Text, User
from bot.commands import Context, command
from bot.config import BotConfig
from bot.errors import UserError
from bot.i18n import T
from bot.plugin import Plugin
from bot.roles import Role
from bot.testing.harness import LOBBY, ORGANIZER, Harness, make_config


class Echo(Plugin):
    """A tiny plugin that exercises every path of the router."""

    name = "echo"
    messages = {
        "echo.title": {"en": "Echo", "zh-TW": "回聲"},
        "echo.help.say": {"en": "Repeat text.", "zh-TW": "重複文字。"},
        "echo.help.add": {"en": "Add numbers.", "zh-TW": "加總。"},
        "echo.help.secret": {"en": "Organizers only.", "zh-TW": "限主辦人。"},
        "echo.help.boom": {"en": "Crash.", "zh-TW": "當機。"},
        "echo.help.refuse": {"en": "Refuse.", "zh-TW": "拒絕。"},
        "echo.help.poke": {"en": "Poke someone.", "zh-TW": "戳人。"},
        "echo.said": {"en": "You said: {text}", "zh-TW": "你說：{text}"},
        "echo.sum": {"en": "Sum: {total}", "zh-TW": "總和：{total}"},
        "echo.no": {"en": "No, because {why}.", "zh-TW": "不行，因為{why}。"},
        "echo.poked": {"en": "Poked {who}", "zh-TW": "戳了 {who}"},
    }

    @command("say", help="echo.help.say", args=[Text("text", max_length=50)], example="!say hi")
    async def say(self, ctx: Context, text: str) -> None:
        await ctx.tx.execute("CREATE TABLE IF NOT EXISTS echo_log (text TEXT)")
        await ctx.reply(T("echo.said", text=text))

    @command("add", help="echo.help.add", args=[Int("a"), Id("b")])
    async def add(self, ctx: Context, a: int, b: int) -> None:
        await ctx.reply(T("echo.sum", total=a + b))

    @command("echo secret", help="echo.help.secret", role=Role.ORGANIZER)
    async def secret(self, ctx: Context) -> None:
        await ctx.reply(T("echo.said", text="secret"))

    @command("boom", help="echo.help.boom")
    async def boom(self, ctx: Context) -> None:
        await ctx.tx.execute("CREATE TABLE boom_written (x)")
        raise RuntimeError("kaput")

    @command("refuse", help="echo.help.refuse")
    async def refuse(self, ctx: Context) -> None:
        await ctx.tx.execute("CREATE TABLE refuse_written (x)")
        raise UserError(T("echo.no", why="<b>reasons</b>"))

    @command("poke", help="echo.help.poke", args=[User("who")])
    async def poke(self, ctx: Context, who: str) -> None:
        await ctx.reply(T("echo.poked", who=who), mentions=[who])


@pytest.fixture
async def h():
    harness = await Harness.create(plugins={"echo": Echo})
    yield harness
    await harness.close()


async def test_reply_is_a_notice_replying_to_the_command_with_both_twins(h):
    sent = await h.say("@alice:test", "!say **hello** <script>x</script>", event_id="$cmd")
    (msg,) = sent
    c = msg.content
    assert c["msgtype"] == "m.notice"
    assert c["m.relates_to"] == {"m.in_reply_to": {"event_id": "$cmd"}}
    assert c["m.mentions"] == {}
    # User text is literal: no bold, no script, readable plain body.
    assert c["body"] == "You said: **hello** <script>x</script>"
    html = c.get("formatted_body")  # a plain line needs none
    assert html is None or ("<strong>" not in html and "<script>" not in html and "&lt;script&gt;" in html)


async def test_reply_stays_in_the_thread_of_the_command(h):
    (msg,) = await h.say("@alice:test", "!say hi", thread_root="$root", event_id="$cmd")
    rel = msg.content["m.relates_to"]
    assert rel["rel_type"] == "m.thread" and rel["event_id"] == "$root"
    assert rel["m.in_reply_to"] == {"event_id": "$cmd"}


async def test_typed_arguments_parse_and_refuse_with_usage(h):
    assert await h.reply_text("@alice:test", "!add 2 #40") == "Sum: 42"
    text = await h.reply_text("@alice:test", "!add two 3")
    assert "whole number" in text and "Usage: !add <a> <b>" in text
    assert "Missing: b" in await h.reply_text("@alice:test", "!add 2")
    assert "did not understand" in await h.reply_text("@alice:test", "!add 2 3 4")


async def test_ids_typed_full_width_as_chinese_input_methods_do_are_read(h):
    assert await h.reply_text("@alice:test", "!add ２ ＃４０") == "Sum: 42"


async def test_an_id_too_long_to_exist_is_not_called_not_a_number(h):
    reply = await h.reply_text("@alice:test", "!add 1 99999999999999999999")
    assert reply == "There is no b #99999999999999999999.", reply


async def test_the_full_width_exclamation_mark_of_chinese_input_methods_starts_a_command(h):
    assert await h.reply_text("@alice:test", "！add 2 40") == "Sum: 42"
    assert "Only organizers" in await h.reply_text("@alice:test", "！echo secret")
    assert await h.say("@alice:test", "！！好棒") == []  # an exclamation, not a command
    assert await h.say("@alice:test", "！sya hi") == []


async def test_zero_width_characters_and_full_width_letters_do_not_hide_a_command(h):
    # Pasted from a web page, "!add\u200b 2 3" used to get "There is no command !add. Did you mean !add?"
    for line in ("!add\u200b 2 40", "!\ufeffadd 2 40", "!add 2 40\u2060", "!ａｄｄ ２ ４０", "！ＡＤＤ 2 40"):
        assert await h.reply_text("@alice:test", line) == "Sum: 42", line
    assert "Commands that start with !ｅｃｈｏ: !echo secret" in await h.reply_text(ORGANIZER, "！ｅｃｈｏ")


async def test_text_too_long_is_refused_clearly(h):
    text = await h.reply_text("@alice:test", "!say " + "x" * 51)
    assert "too long (51 characters; at most 50)" in text


async def test_free_text_loses_controls_and_direction_overrides_and_invisible_text_is_missing(h):
    # A right-to-left override in a title would turn the rest of its listing line around.
    assert await h.reply_text("@alice:test", "!say \u202eevil\u2066 x\u0007") == "You said: evil x"
    for invisible in ("\u200b", "\u200b \u2060\ufeff", "\u202e", "\u0000"):
        assert "Missing: text" in await h.reply_text("@alice:test", f"!say {invisible}")
    assert await h.reply_text("@alice:test", "!say 👩\u200d💻") == "You said: 👩\u200d💻"


async def test_multi_word_command_and_roles(h):
    assert "Only organizers may use !echo secret" in await h.reply_text("@alice:test", "!echo secret")
    assert "secret" in await h.reply_text(ORGANIZER, "!echo secret")


async def test_help_lists_only_what_the_person_may_use_and_explains_one(h):
    mine = await h.reply_text("@alice:test", "!help")
    assert "!say <text>" in mine and "!echo secret" not in mine
    assert "!echo secret" in await h.reply_text(ORGANIZER, "!help")
    detail = await h.reply_text("@alice:test", "!help say")
    assert "Repeat text." in detail and "Example: !say hi" in detail
    assert "no command" in await h.reply_text("@alice:test", "!help echo secret")


async def test_unknown_command_suggests_the_closest_visible_one(h):
    assert "Did you mean !say?" in await h.reply_text("@alice:test", "!sya hi")
    assert "!help" in await h.reply_text("@alice:test", "!zzzzzz")


async def test_the_first_word_of_longer_commands_lists_them_instead_of_saying_there_is_none(h):
    # `!digest`, `!slot`: the person knows the command's start; "there is no command !slot" misleads.
    for line in ("!echo", "!echo what", "!help echo"):
        reply = await h.reply_text(ORGANIZER, line)
        assert "Commands that start with !echo: !echo secret" in reply and "no command" not in reply, reply
    assert "no command !echo" in await h.reply_text("@alice:test", "!echo")  # not theirs to use


async def test_crash_rolls_back_and_answers_with_a_ref_that_is_logged(h, caplog):
    with caplog.at_level(logging.ERROR):
        text = await h.reply_text("@alice:test", "!boom", event_id="$boom")
    assert "something went wrong (ref " in text
    ref = text.split("(ref ")[1].split(")")[0]
    assert ref in caplog.text
    tables = await h.bot.db.read("SELECT name FROM sqlite_master WHERE name = 'boom_written'")
    assert tables == []
    # The command is still marked seen: a redelivery is not answered again.
    assert await h.say("@alice:test", "!boom", event_id="$boom") == []


async def test_user_error_rolls_back_the_handler_writes_and_escapes_values(h):
    sent = await h.say("@alice:test", "!refuse")
    assert sent[0].content["body"] == "No, because <b>reasons</b>."
    assert "<b>" not in sent[0].content.get("formatted_body", "")
    assert await h.bot.db.read("SELECT name FROM sqlite_master WHERE name = 'refuse_written'") == []


async def test_the_same_event_is_answered_once(h):
    assert len(await h.say("@alice:test", "!say once", event_id="$dup")) == 1
    assert await h.say("@alice:test", "!say once", event_id="$dup") == []


async def test_mentions_come_from_pills_and_are_set_on_the_reply(h):
    (msg,) = await h.say("@alice:test", "!poke Bob", mentions=("@bob:test",))
    assert msg.content["m.mentions"] == {"user_ids": ["@bob:test"]}
    # A display name with a space, as the pill shows it in the body: the whole name, not "I did not understand".
    (msg,) = await h.say("@alice:test", "!poke Bob Lin", mentions=("@bob:test",))
    assert msg.content["m.mentions"] == {"user_ids": ["@bob:test"]} and "Poked @bob:test" in msg.content["body"]
    assert "@bob:test" in msg.content["body"]


async def test_room_notifications_in_user_text_are_neutralised(h):
    (msg,) = await h.say("@alice:test", "!say hey @room look")
    assert "@room" not in msg.content["body"] and "@room" not in msg.content.get("formatted_body", "")
    assert msg.content["m.mentions"] == {}


async def test_reply_language_follows_the_person(h):
    async with h.bot.db.transaction() as tx:
        await h.bot.preferences.set_language(tx, "@alice:test", "zh-TW")
    assert await h.reply_text("@alice:test", "!add 1 1") == "總和：2"
    assert await h.reply_text("@bob:test", "!add 1 1") == "Sum: 2"


async def test_flooding_gets_one_notice_then_silence_and_others_are_unaffected():
    config = make_config(bot=BotConfig(rate_limit_commands=3, rate_limit_seconds=60))
    h = await Harness.create(config, plugins={"echo": Echo})
    answers = [await h.reply_text("@flood:test", "!add 1 1") for _ in range(6)]
    assert answers[:3] == ["Sum: 2"] * 3
    assert "slow down" in answers[3]
    assert answers[4:] == ["", ""]
    assert await h.reply_text("@alice:test", "!add 1 1") == "Sum: 2"
    await h.close()


async def test_non_commands_and_notices_are_ignored(h):
    assert await h.say("@alice:test", "just chatting") == []
    assert await h.say("@alice:test", "! spaced") == []


async def test_commands_from_servers_not_allowed_are_ignored():
    config = make_config(bot=BotConfig(allowed_servers=("test",)))
    h = await Harness.create(config, plugins={"echo": Echo})
    assert await h.say("@eve:evil.example", "!say hi") == []
    assert await h.reply_text("@alice:test", "!say hi") == "You said: hi"
    await h.close()


async def test_the_bot_never_answers_itself(h):
    assert await h.say(h.transport.user_id, "!say hi") == []


def test_lobby_constant_is_a_room_id():
    assert LOBBY.startswith("!")


async def test_a_language_change_rolled_back_with_its_command_is_not_remembered(h):
    from bot.errors import UserError as _UserError

    async with h.bot.db.transaction() as tx:
        assert await h.bot.preferences.language(tx, "@alice:test") == "en"
    try:
        async with h.bot.db.transaction() as tx:
            await h.bot.preferences.set_language(tx, "@alice:test", "zh-TW")
            assert await h.bot.preferences.language(tx, "@alice:test") == "zh-TW"
            raise _UserError(T("echo.no", why="test"))
    except _UserError:
        pass
    assert await h.reply_text("@alice:test", "!add 1 1") == "Sum: 2"
    async with h.bot.db.transaction() as tx:
        await h.bot.preferences.set_language(tx, "@alice:test", "zh-TW")
    assert await h.reply_text("@alice:test", "!add 1 1") == "總和：2"


async def test_power_in_the_moderation_room_makes_a_moderator():
    from bot.config import RolesConfig, RoomsConfig
    from bot.roles import Role

    config = make_config(rooms=RoomsConfig(lobby="!lobby:test", moderation="!mods:test"),
                         roles=RolesConfig(organizers=(ORGANIZER,)))
    h = await Harness.create(config, plugins={"echo": Echo})
    h.transport.room("!mods:test", "@carol:test").power["@carol:test"] = 50
    assert Role.MODERATOR in h.bot.roles.of("@carol:test")
    assert Role.MODERATOR not in h.bot.roles.of("@alice:test")
    await h.close()
