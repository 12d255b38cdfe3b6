"""Every message in every language, with the same placeholders; rendering escapes user values."""

from __future__ import annotations

from bot.app import discover_plugins
from bot.i18n import Catalogue, T
from bot.messages import MESSAGES
from bot.render import markdown


def full_catalogue() -> Catalogue:
    catalogue = Catalogue()
    catalogue.add("core", MESSAGES)
    for cls in discover_plugins().values():
        catalogue.add(cls.name, cls.messages)
    return catalogue


def test_every_key_has_english_and_traditional_chinese():
    assert full_catalogue().missing() == []


def test_translations_use_the_same_placeholders():
    assert full_catalogue().placeholders_mismatch() == []


def test_every_command_help_is_in_the_catalogue():
    catalogue = full_catalogue()
    for cls in discover_plugins().values():
        for attr in dir(cls):
            spec = getattr(getattr(cls, attr), "__flipchart_command__", None)
            if spec is not None:
                assert catalogue.has(spec.help), f"{cls.name}: {spec.name} help key {spec.help} missing"


def test_a_missing_language_is_detected():
    catalogue = Catalogue()
    catalogue.add("x", {"x.only_en": {"en": "hello"}})
    assert catalogue.missing() == [("x.only_en", "zh-TW")]


def test_values_of_every_kind_render_and_a_missing_one_is_named():
    import pytest

    from bot.i18n import Raw

    catalogue = Catalogue()
    catalogue.add("x", {"x.t": {"en": "{n} {flag} {text} {raw} {items} {ratio}", "zh-TW": "{n} {flag} {text} {raw} {items} {ratio}"}})
    catalogue.add("core", {k: {"en": v, "zh-TW": v} for k, v in (("core.yes", "yes"), ("core.no", "no"), ("core.list_separator", ", "))})
    out = catalogue.render(T("x.t", n=3, flag=True, text="a*b", raw=Raw("**b**"), items=["x", 2], ratio=0.5), "en")
    assert out == "3 yes a\\*b **b** x, 2 0.5"
    with pytest.raises(KeyError, match="message 'x.t' needs a value for {ratio}"):
        catalogue.render(T("x.t", n=3, flag=False, text="", raw=Raw(""), items=[]), "en")


def test_user_values_cannot_inject_markdown_or_html():
    catalogue = Catalogue()
    catalogue.add("x", {"x.t": {"en": "Title: {title}", "zh-TW": "標題：{title}"}})
    md = catalogue.render(T("x.t", title="[click](javascript:alert(1)) <img src=x> *bold* @room"), "en")
    out = markdown(md)
    html = out.html or ""  # a plain line needs no HTML at all
    assert "<a" not in html and "<img" not in html and "<em>" not in html
    assert "javascript:" not in html or "&lt;" in html
    assert "@room" not in out.body
    assert out.body.startswith("Title: [click](javascript:alert(1)) <img src=x> *bold* @")


def test_values_inside_backticks_are_shown_literally_without_backslashes():
    catalogue = Catalogue()
    catalogue.add("x", {"x.t": {"en": "`{value}` is not a time.", "zh-TW": "`{value}` 不是時間。"}})
    out = markdown(catalogue.render(T("x.t", value="25:00 `x` @room\n<b>"), "en"))
    assert out.body.startswith("25:00 ʼxʼ @\u2060room <b> is not a time.")
    assert "\\" not in out.body
    assert "<code>" in out.html and "<b>" not in out.html


def test_the_catalogue_test_sees_every_plugin():
    from bot.app import plugin_names

    assert sorted(discover_plugins()) == plugin_names() and len(plugin_names()) >= 7


def test_every_template_renders_alike_with_the_rules_the_renderer_leaves_out():
    """The renderer skips Markdown rules no template needs (speed); a template that needs one shows here."""
    import string

    from markdown_it import MarkdownIt

    from bot.i18n import _forms
    from bot.render import _MD

    every_rule = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])
    catalogue = full_catalogue()
    for key in catalogue.keys():
        for lang in ("en", "zh-TW"):
            for template in _forms(catalogue.template(key, lang)):  # each wording of a Plural
                names = {name for _, name, _, _ in string.Formatter().parse(template) if name}
                source = template.format_map({name: "x" for name in names})
                assert _MD.render(source) == every_rule.render(source), (key, lang)


def test_rendering_from_the_prepared_templates_answers_as_the_templates_themselves():
    """`render` looks templates and their code fields up once, when added, and writes str and int values
    inline: the same text as the template `template` gives, with every value written by _code_safe/_value."""
    from bot.i18n import _code_fields, _code_safe, _fields

    catalogue = full_catalogue()
    values = ["a_b `c` @room\nnext *x*", 7, True, ["x_1", 2], T("core.yes"), 2.5, "plain"]
    checked = 0
    for key in catalogue.keys():
        for lang in ("en", "zh-TW", "fr"):  # "fr": no catalogue of its own, English
            template = catalogue.template(key, lang)
            names = sorted(_fields(template))
            for shift in range(len(values)):
                args = {name: values[(i + shift) % len(values)] for i, name in enumerate(names)}
                literal = _code_fields(template)
                expected = template.format_map({
                    k: _code_safe(v) if k in literal and isinstance(v, (str, int)) else catalogue._value(v, lang)
                    for k, v in args.items()
                })
                assert catalogue.render(T(key, **args), lang) == expected, (key, lang, args)
                checked += 1
    assert checked > 1000


def plural_catalogue() -> Catalogue:
    from bot.i18n import Plural

    catalogue = Catalogue()
    catalogue.add("x", {"x.seats": {
        "en": Plural("count", one="{count} seat for `{name}`", other="{count} seats for `{name}`"),
        "zh-TW": "`{name}` 有 {count} 個座位",
    }})
    return catalogue


def test_english_chooses_the_singular_for_a_count_of_one_only():
    catalogue = plural_catalogue()
    assert catalogue.render(T("x.seats", count=1, name="a*b"), "en") == "1 seat for `a*b`"
    assert catalogue.render(T("x.seats", count=2, name="a*b"), "en") == "2 seats for `a*b`"
    assert catalogue.render(T("x.seats", count=0, name="a*b"), "en") == "0 seats for `a*b`"
    assert catalogue.render(T("x.seats", count=1, name="x"), "fr") == "1 seat for `x`"  # falls back to English


def test_chinese_has_one_wording_for_every_count():
    catalogue = plural_catalogue()
    assert catalogue.render(T("x.seats", count=1, name="a"), "zh-TW") == "`a` 有 1 個座位"
    assert catalogue.render(T("x.seats", count=2, name="a"), "zh-TW") == "`a` 有 2 個座位"


def test_a_plural_without_its_count_is_named_like_any_missing_value():
    import pytest

    with pytest.raises(KeyError, match="message 'x.seats' needs a value for {count}"):
        plural_catalogue().render(T("x.seats", name="a"), "en")


def test_the_catalogue_checks_read_every_wording_of_a_plural():
    from bot.i18n import Plural

    catalogue = Catalogue()
    catalogue.add("x", {
        "x.dropped": {"en": Plural("n", one="{n} seat", other="{n} seats in {room}"), "zh-TW": "{n} 個座位"},
        "x.uncounted": {"en": Plural("n", one="one seat", other="seats"), "zh-TW": "座位"},
        "x.empty": {"en": Plural("n", one="", other="{n} seats"), "zh-TW": "{n} 個座位"},
        "x.fine": {"en": Plural("n", one="{n} seat", other="{n} seats"), "zh-TW": "{n} 個座位"},
    })
    assert catalogue.placeholders_mismatch() == ["x.dropped", "x.uncounted", "x.empty"]
    assert catalogue.missing() == [("x.empty", "en")]


def test_no_english_text_leaves_a_count_to_read_as_one_or_more():
    """'1 vote(s)' reads badly; a Plural says '1 vote'."""
    import re

    from bot.i18n import _forms

    catalogue = full_catalogue()
    clumsy = [
        key
        for key in catalogue.keys()
        for form in _forms(catalogue.template(key, "en"))
        if re.search(r"\}\W* \w+\(s\)", form)  # "{count} vote(s)", "{n}) topic(s)"
    ]
    assert clumsy == []


def test_the_catalogue_writes_a_count_of_one_in_the_singular():
    catalogue = full_catalogue()
    assert catalogue.render(T("sessions.cap_set", id=3, title="Bikes", cap=1, joined=0), "en") == (
        "#3 Bikes now has 1 seat (0 taken)."
    )
    assert catalogue.render(T("topics.votes_held", count=1), "en") == "You vote for 1 topic."
    assert catalogue.render(T("topics.votes_held", count=1), "zh-TW") == "您目前投票給 1 個議題。"
