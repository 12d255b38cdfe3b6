"""Every text of the meetups plugin, in English and Traditional Chinese (same placeholders in both)."""

from bot.i18n import Plural, Template

MESSAGES: dict[str, dict[str, Template]] = {
    "meetups.forgets": {
        "en": "your sign-ups (the next person waiting gets them) and your name on the sheets you opened",
        "zh-TW": "您的報名（由候補的下一位遞補），以及您開設的報名表上的名字",
    },
    "meetups.title": {
        "en": "Meetups (dinner and other sign-up sheets)",
        "zh-TW": "揪團（晚餐等報名表）",
    },
    "meetups.help.open": {
        "en": "open a sign-up sheet; optionally end the title with `at HH:MM` and `cap <n>`",
        "zh-TW": "開一張報名表；標題結尾可加上 `at HH:MM`（時間）與 `cap <n>`（人數上限）",
    },
    "meetups.help.list": {"en": "the open sign-up sheets", "zh-TW": "列出開放中的報名表"},
    "meetups.help.join": {"en": "sign up (waitlist when full)", "zh-TW": "報名（額滿時排入候補）"},
    "meetups.help.leave": {
        "en": "take your name off (the first person waiting gets the place)",
        "zh-TW": "取消報名（候補第一位會遞補）",
    },
    "meetups.help.cancel": {
        "en": "cancel a meetup you opened (organizers: any)",
        "zh-TW": "取消您開的揪團（主辦人可取消任何揪團）",
    },
    # --- pieces ---
    "meetups.at": {"en": "at {time}", "zh-TW": "時間 {time}"},
    "meetups.no_time": {"en": "no time set", "zh-TW": "未定時間"},
    "meetups.occupancy_cap": {"en": "{joined}/{cap}", "zh-TW": "{joined}/{cap}"},
    "meetups.occupancy_open": {"en": "{joined} signed up", "zh-TW": "{joined} 人報名"},
    "meetups.full": {"en": "full", "zh-TW": "額滿"},
    "meetups.waiting": {"en": "{count} waiting", "zh-TW": "{count} 人候補"},
    "meetups.cap_of": {"en": Plural("cap", one="up to {cap} person", other="up to {cap} people"), "zh-TW": "上限 {cap} 人"},
    "meetups.no_cap": {"en": "no limit", "zh-TW": "不限人數"},
    # --- !meetup ---
    "meetups.opened": {
        "en": "Meetup **#{id}** “{title}” is open — {when}, {size}. You are signed up. "
        "Others join with `{join}`.",
        "zh-TW": "揪團 **#{id}**「{title}」開放報名了——{when}，{size}。您已報名。其他人可以用 `{join}` 加入。",
    },
    "meetups.title_missing": {
        "en": "Give the meetup a title, e.g. `{example}`.",
        "zh-TW": "請為揪團取個標題，例如 `{example}`。",
    },
    "meetups.title_too_long": {
        "en": "The title is too long ({length} characters; at most {maximum}). Please shorten it.",
        "zh-TW": "標題太長了（{length} 個字元，上限 {maximum}）。請縮短。",
    },
    "meetups.bad_cap": {
        "en": "The cap must be a number from 1 to {maximum}; you wrote {value}.",
        "zh-TW": "人數上限必須是 1 到 {maximum} 之間的數字；您輸入的是 {value}。",
    },
    "meetups.too_many_open": {
        "en": Plural(
            "count",
            one="You already have {count} meetup open, the most one person may have. Cancel it first with `{cancel}`.",
            other="You already have {count} meetups open, the most one person may have. "
            "Cancel one first with `{cancel}`.",
        ),
        "zh-TW": "您已經開了 {count} 個揪團，已達每人上限。請先用 `{cancel}` 取消其中一個。",
    },
    "meetups.not_in_direct": {
        "en": "Open meetups in a shared room (like the lobby), so that others see them and the reminder reaches them.",
        "zh-TW": "請在大家都在的聊天室（例如大廳）開揪團，這樣其他人才看得到，提醒也才會通知到大家。",
    },
    # --- !meetups ---
    "meetups.none": {
        "en": "No meetups are open. Open one with `{example}`.",
        "zh-TW": "目前沒有開放中的揪團。可以用 `{example}` 開一個。",
    },
    "meetups.list_header": {"en": "**Meetups** ({count}):", "zh-TW": "**揪團**（{count} 個）："},
    "meetups.list_line": {
        "en": "#{id} {title} — {when} — {occupancy}",
        "zh-TW": "#{id} {title} — {when} — {occupancy}",
    },
    # --- join / leave / cancel ---
    "meetups.joined": {
        "en": "You are signed up for meetup #{id} “{title}” ({occupancy}).",
        "zh-TW": "您已報名揪團 #{id}「{title}」（{occupancy}）。",
    },
    "meetups.waitlisted": {
        "en": "Meetup #{id} “{title}” is full; you are number {position} on the waitlist. "
        "I will tell you when a place frees up.",
        "zh-TW": "揪團 #{id}「{title}」已額滿；您是候補第 {position} 位。有空位時我會通知您。",
    },
    "meetups.already_joined": {
        "en": "You are already signed up for meetup #{id} “{title}”.",
        "zh-TW": "您已經報名揪團 #{id}「{title}」了。",
    },
    "meetups.already_waiting": {
        "en": "You are already on the waitlist of meetup #{id} “{title}” (number {position}).",
        "zh-TW": "您已在揪團 #{id}「{title}」的候補名單上（第 {position} 位）。",
    },
    "meetups.left": {
        "en": "You left meetup #{id} “{title}”.",
        "zh-TW": "您已取消報名揪團 #{id}「{title}」。",
    },
    "meetups.not_signed_up": {
        "en": "You are not signed up for meetup #{id}.",
        "zh-TW": "您沒有報名揪團 #{id}。",
    },
    "meetups.promoted": {
        "en": "A place freed up: you are now signed up for meetup #{id} “{title}” ({when}).",
        "zh-TW": "有空位了：您已從候補遞補為揪團 #{id}「{title}」的正式報名者（{when}）。",
    },
    "meetups.not_found": {
        "en": "There is no meetup #{id}. `{list}` shows the open ones.",
        "zh-TW": "沒有編號 #{id} 的揪團。`{list}` 會列出開放中的揪團。",
    },
    "meetups.not_open": {
        "en": "Meetup #{id} “{title}” is no longer open (cancelled, or its time has passed).",
        "zh-TW": "揪團 #{id}「{title}」已不再開放（已取消或時間已過）。",
    },
    "meetups.cancel_not_allowed": {
        "en": "Only the person who opened meetup #{id} or an organizer may cancel it.",
        "zh-TW": "只有開這個揪團（#{id}）的人或主辦人可以取消它。",
    },
    "meetups.cancelled": {
        "en": "Meetup #{id} “{title}” is cancelled.",
        "zh-TW": "揪團 #{id}「{title}」已取消。",
    },
    "meetups.cancelled_notice": {
        "en": "Meetup #{id} “{title}” was cancelled. {people}",
        "zh-TW": "揪團 #{id}「{title}」已取消。{people}",
    },
    # --- the reminder ---
    "meetups.reminder": {
        "en": "⏰ Meetup **#{id}** “{title}” — {when}: {people}",
        "zh-TW": "⏰ 揪團 **#{id}**「{title}」——{when}：{people}",
    },
}
