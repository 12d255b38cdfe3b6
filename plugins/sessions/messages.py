"""Every text of the sessions plugin, in English and Traditional Chinese (same placeholders in both)."""

from bot.i18n import Plural, Template

MESSAGES: dict[str, dict[str, Template]] = {
    "sessions.forgets": {
        "en": "your seats and waitlist places (the next person waiting gets them)",
        "zh-TW": "您的座位與候補位置（由候補的下一位遞補）",
    },
    "sessions.title": {"en": "Sessions", "zh-TW": "議程場次"},
    # --- help ---
    "sessions.help.join": {
        "en": "Take a seat in a session (or a waitlist place); moves you within the same slot.",
        "zh-TW": "報名一場議程（額滿則候補）；同一時段內會幫您換場。",
    },
    "sessions.help.leave": {
        "en": "Give up your seat or waitlist place; the first person waiting gets the seat.",
        "zh-TW": "取消報名或候補；候補第一位會遞補座位。",
    },
    "sessions.help.who": {
        "en": "Who takes part in a session, and who is on its waitlist.",
        "zh-TW": "查看議程的參與者與候補名單。",
    },
    "sessions.help.sessions": {
        "en": "Scheduled sessions with seats taken, emptiest first: now, next, or one slot.",
        "zh-TW": "列出已排定的議程與報名人數（最空的在前）：現在、下一時段或指定時段。",
    },
    "sessions.help.mine": {
        "en": "My seats and waitlist places, with times in my time zone.",
        "zh-TW": "我的報名與候補，以我的時區顯示時間。",
    },
    "sessions.help.cap": {
        "en": "Set a session's number of seats; raising it seats people waiting, lowering it removes nobody.",
        "zh-TW": "設定議程座位數；調高會讓候補者遞補，調低不會請任何人離開。",
    },
    "sessions.help.start": {
        "en": "Start a session now (organizers and the proposer).",
        "zh-TW": "立即開始議程（主辦人與提案人）。",
    },
    "sessions.help.end": {
        "en": "End a session now (organizers and the proposer).",
        "zh-TW": "立即結束議程（主辦人與提案人）。",
    },
    # --- joining and leaving ---
    "sessions.joined": {
        "en": "You have a seat in **#{id} {title}** ({joined}/{cap}), {when}, {location}.",
        "zh-TW": "您已報名 **#{id} {title}**（{joined}/{cap}），{when}，{location}。",
    },
    "sessions.waitlisted": {
        "en": Plural(
            "cap",
            one="**#{id} {title}** is full ({cap} seat). You are number {position} on its waitlist; "
            "you will be told when you get a seat.",
            other="**#{id} {title}** is full ({cap} seats). You are number {position} on its waitlist; "
            "you will be told when you get a seat.",
        ),
        "zh-TW": "**#{id} {title}** 已額滿（{cap} 個座位）。您是候補第 {position} 位，有座位時會通知您。",
    },
    "sessions.try_instead": {
        "en": "Seats are still free in: {options}",
        "zh-TW": "同時段還有座位：{options}",
    },
    "sessions.option": {
        "en": "#{id} {title} ({joined}/{cap})",
        "zh-TW": "#{id} {title}（{joined}/{cap}）",
    },
    "sessions.slot_all_full": {
        "en": "Every other session of this slot is full too.",
        "zh-TW": "這個時段的其他議程也都額滿了。",
    },
    "sessions.moved_from_seat": {
        "en": "Your seat in #{id} {title} (same slot) is given up.",
        "zh-TW": "您在同時段 #{id} {title} 的座位已釋出。",
    },
    "sessions.moved_from_waitlist": {
        "en": "Your waitlist place in #{id} {title} (same slot) is given up.",
        "zh-TW": "您在同時段 #{id} {title} 的候補已取消。",
    },
    "sessions.already_seated": {
        "en": "You already have a seat in #{id} {title} ({joined}/{cap}).",
        "zh-TW": "您已經報名 #{id} {title}（{joined}/{cap}）。",
    },
    "sessions.already_waiting": {
        "en": "You are already number {position} on the waitlist of #{id} {title}.",
        "zh-TW": "您已在 #{id} {title} 的候補名單，第 {position} 位。",
    },
    "sessions.over": {
        "en": "#{id} {title} is over; pick another session with {sessions}.",
        "zh-TW": "#{id} {title} 已經結束；請用 {sessions} 找其他議程。",
    },
    "sessions.cap_ended": {
        "en": "#{id} {title} has ended, so its seats no longer change.",
        "zh-TW": "#{id} {title} 已經結束，座位數不再變更。",
    },
    "sessions.left": {"en": "You left #{id} {title}.", "zh-TW": "您已取消 #{id} {title}。"},
    "sessions.not_signed_up": {
        "en": "You are not signed up for #{id}. To join it: {join}",
        "zh-TW": "您沒有報名 #{id}。要報名請用：{join}",
    },
    "sessions.not_signed_up_merged": {
        "en": "You are not signed up for #{id}: it was merged into #{target}, and its sign-ups moved there. To leave that one: {leave}",
        "zh-TW": "您沒有報名 #{id}：它已合併到 #{target}，報名也一併移過去了。要取消那一場請用：{leave}",
    },
    "sessions.not_signed_up_withdrawn": {
        "en": "You are not signed up for #{id}; it was withdrawn.",
        "zh-TW": "您沒有報名 #{id}；它已撤回。",
    },
    "sessions.promoted": {
        "en": "Good news: a seat freed up and it is yours — **#{id} {title}**, {when}, {location}.",
        "zh-TW": "好消息：有人釋出座位，您已遞補 **#{id} {title}**，{when}，{location}。",
    },
    "sessions.promoted_lobby": {
        "en": "{person}: a seat freed up and it is yours — **#{id} {title}**, {when}, {location}.",
        "zh-TW": "{person}：有人釋出座位，您已遞補 **#{id} {title}**，{when}，{location}。",
    },
    # --- one place per slot after an organizer's action ---
    "sessions.clash_moved": {
        "en": "**#{id} {title}** now takes place {when}, at the same time as **#{other} {other_title}**. "
        "You can hold only one place per time slot: you keep your {kept} in #{kept_id}, "
        "and your {freed} in #{freed_id} is given up.",
        "zh-TW": "**#{id} {title}** 改在 {when} 舉行，與 **#{other} {other_title}** 同一時段。"
        "每個時段只能保留一個名額：您保留 #{kept_id} 的{kept}，#{freed_id} 的{freed}已釋出。",
    },
    "sessions.clash_moved_lobby": {
        "en": "{person}: **#{id} {title}** now takes place {when}, at the same time as "
        "**#{other} {other_title}**. You can hold only one place per time slot: you keep your {kept} "
        "in #{kept_id}, and your {freed} in #{freed_id} is given up.",
        "zh-TW": "{person}：**#{id} {title}** 改在 {when} 舉行，與 **#{other} {other_title}** 同一時段。"
        "每個時段只能保留一個名額：您保留 #{kept_id} 的{kept}，#{freed_id} 的{freed}已釋出。",
    },
    "sessions.clash_merged": {
        "en": "**#{source} {source_title}** was merged into **#{id} {title}**, {when}, at the same time "
        "as **#{other} {other_title}**. You can hold only one place per time slot: you keep your "
        "{kept} in #{kept_id}, and your {freed} in #{freed_id} is given up.",
        "zh-TW": "**#{source} {source_title}** 已合併到 **#{id} {title}**（{when}），與 "
        "**#{other} {other_title}** 同一時段。每個時段只能保留一個名額：您保留 #{kept_id} 的{kept}，"
        "#{freed_id} 的{freed}已釋出。",
    },
    "sessions.clash_merged_lobby": {
        "en": "{person}: **#{source} {source_title}** was merged into **#{id} {title}**, {when}, at the "
        "same time as **#{other} {other_title}**. You can hold only one place per time slot: you keep "
        "your {kept} in #{kept_id}, and your {freed} in #{freed_id} is given up.",
        "zh-TW": "{person}：**#{source} {source_title}** 已合併到 **#{id} {title}**（{when}），與 "
        "**#{other} {other_title}** 同一時段。每個時段只能保留一個名額：您保留 #{kept_id} 的{kept}，"
        "#{freed_id} 的{freed}已釋出。",
    },
    "sessions.clashes_told": {
        "en": Plural(
            "count",
            one="{count} person now held places in two sessions of {slot} because of this. They keep one "
            "(a seat before a waitlist place, else the place already in {slot}) and were told which; "
            "any freed seat went down its waitlist. {who} shows who is in #{id} now.",
            other="{count} people now held places in two sessions of {slot} because of this. Each keeps one "
            "(a seat before a waitlist place, else the place already in {slot}) and was told which; freed "
            "seats went down the waitlists. {who} shows who is in #{id} now.",
        ),
        "zh-TW": "因此有 {count} 人在 {slot} 同時持有兩場的名額。每人保留一個（座位優先於候補，否則保留原本就在 "
        "{slot} 的名額），並已收到通知；釋出的座位已由候補遞補。{who} 可查看 #{id} 目前的參加者。",
    },
    "sessions.a_seat": {"en": "seat", "zh-TW": "座位"},
    "sessions.a_waitlist_place": {"en": "waitlist place", "zh-TW": "候補名額"},
    # --- capacity ---
    "sessions.cap_set": {
        "en": Plural(
            "cap",
            one="#{id} {title} now has {cap} seat ({joined} taken).",
            other="#{id} {title} now has {cap} seats ({joined} taken).",
        ),
        "zh-TW": "#{id} {title} 現在有 {cap} 個座位（已報名 {joined} 位）。",
    },
    "sessions.cap_promoted": {
        "en": Plural(
            "count",
            one="{count} person from the waitlist got a seat and was told.",
            other="{count} people from the waitlist got a seat and were told.",
        ),
        "zh-TW": "候補名單中有 {count} 位已遞補並收到通知。",
    },
    "sessions.cap_over": {
        "en": Plural(
            "over",
            one="{over} more person is seated than the new cap; nobody loses a seat, new joins go to the waitlist.",
            other="{over} more people are seated than the new cap; nobody loses a seat, new joins go to the waitlist.",
        ),
        "zh-TW": "目前報名人數超過新上限 {over} 位；不會請任何人離開，之後報名的人會列入候補。",
    },
    # --- listings ---
    "sessions.who_header": {
        "en": "**#{id} {title}** — {joined}/{cap}, {when}, {location}",
        "zh-TW": "**#{id} {title}** — {joined}/{cap}，{when}，{location}",
    },
    "sessions.person": {"en": "{flags} {name} — {user_id}", "zh-TW": "{flags} {name} — {user_id}"},
    "sessions.person_pronouns": {
        "en": "{flags} {name} ({pronouns}) — {user_id}",
        "zh-TW": "{flags} {name}（{pronouns}）— {user_id}",
    },
    "sessions.nobody_yet": {"en": "Nobody has joined yet: {join}", "zh-TW": "還沒有人報名：{join}"},
    "sessions.waitlist_heading": {
        "en": "**Waitlist** ({count})",
        "zh-TW": "**候補名單**（{count}）",
    },
    "sessions.slot_header": {"en": "**{slot}** {when}", "zh-TW": "**{slot}** {when}"},
    "sessions.line": {
        "en": "#{id} {title} — {joined}/{cap}, {location}",
        "zh-TW": "#{id} {title} — {joined}/{cap}，{location}",
    },
    "sessions.line_full": {
        "en": "#{id} {title} — {joined}/{cap} **full** ({waiting} waiting), {location}",
        "zh-TW": "#{id} {title} — {joined}/{cap} **已額滿**（{waiting} 位候補），{location}",
    },
    "sessions.none_listed": {
        "en": "No sessions are scheduled in {slot}. See the whole agenda: {agenda}",
        "zh-TW": "{slot} 沒有已排定的議程。完整議程表：{agenda}",
    },
    "sessions.none_now_or_next": {
        "en": "No session is running now, and none is coming up. See the whole agenda: {agenda}",
        "zh-TW": "目前沒有進行中的議程，接下來也沒有。完整議程表：{agenda}",
    },
    "sessions.none_now": {
        "en": "No session is running now. What comes next: {next}",
        "zh-TW": "目前沒有進行中的議程。接下來的議程：{next}",
    },
    "sessions.none_next": {
        "en": "No session is coming up. See the whole agenda: {agenda}",
        "zh-TW": "接下來沒有議程。完整議程表：{agenda}",
    },
    "sessions.more_later": {
        "en": "Later slots not shown: {count}. Ask for one with {example} (all slots: {slots}), "
        "or see the whole agenda: {agenda}",
        "zh-TW": "之後還有 {count} 個時段未列出。查看某一時段請用 {example}（所有時段：{slots}），"
        "完整議程表：{agenda}",
    },
    "sessions.no_such_slot": {
        "en": "There is no slot `{slot}`. Try `now`, `next`, or a slot from {slots}.",
        "zh-TW": "沒有時段 `{slot}`。請用 `now`、`next`，或 {slots} 列出的時段。",
    },
    "sessions.mine_header": {
        "en": "Your sessions (times in {zone}):",
        "zh-TW": "您的議程（時間為 {zone}）：",
    },
    "sessions.mine_line": {
        "en": "{when} — #{id} {title}, {location}: {standing}",
        "zh-TW": "{when} — #{id} {title}，{location}：{standing}",
    },
    "sessions.place_seat": {"en": "seat", "zh-TW": "已報名"},
    "sessions.place_waiting": {"en": "waitlist number {position}", "zh-TW": "候補第 {position} 位"},
    "sessions.mine_empty": {
        "en": "You have no seats or waitlist places yet. See what is on: {sessions}",
        "zh-TW": "您還沒有報名或候補任何議程。看看有哪些議程：{sessions}",
    },
    # --- mistakes ---
    "sessions.not_scheduled": {
        "en": "#{id} is not on the agenda yet, so it has no seats. See {agenda}.",
        "zh-TW": "#{id} 還沒排入議程表，所以還不能報名。請看 {agenda}。",
    },
    "sessions.withdrawn": {
        "en": "#{id} was withdrawn, so it has no seats any more. See what else is on: {sessions}",
        "zh-TW": "#{id} 已撤回，所以不再有座位。看看還有哪些議程：{sessions}",
    },
    "sessions.merged": {
        "en": "#{id} was merged into #{target}; join #{target} instead.",
        "zh-TW": "#{id} 已合併到 #{target}；請改報名 #{target}。",
    },
    "sessions.which_session": {
        "en": "Which session? Give its number, e.g. {example}, or use the command in the session's room.",
        "zh-TW": "哪一場議程？請給編號，例如 {example}，或在該議程的聊天室中使用。",
    },
    "sessions.not_steerable": {
        "en": "Only organizers and the proposer of #{id} can start or end it.",
        "zh-TW": "只有主辦人和 #{id} 的提案人可以開始或結束這場議程。",
    },
    "sessions.already_start": {"en": "#{id} has already started.", "zh-TW": "#{id} 已經開始了。"},
    "sessions.already_end": {"en": "#{id} has already ended.", "zh-TW": "#{id} 已經結束了。"},
    "sessions.not_started": {
        "en": "#{id} has not started yet; start it first with {start}.",
        "zh-TW": "#{id} 還沒開始；請先用 {start} 開始。",
    },
    "sessions.by_hand_start": {
        "en": "#{id} {title} has started.",
        "zh-TW": "#{id} {title} 已開始。",
    },
    "sessions.by_hand_end": {"en": "#{id} {title} has ended.", "zh-TW": "#{id} {title} 已結束。"},
    # --- the session room and its clock ---
    "sessions.room_intro": {
        "en": "This is the room of **#{id} {title}**: {when} ({zone}), {location}. Who is in: {who}",
        "zh-TW": "這是 **#{id} {title}** 的聊天室：{when}（{zone}），{location}。參與者：{who}",
    },
    "sessions.reminder": {
        "en": "⏰ **#{id} {title}** starts soon: {when} ({zone}), {location}. See you there, {people}!",
        "zh-TW": "⏰ **#{id} {title}** 即將開始：{when}（{zone}），{location}。{people}，待會見！",
    },
    "sessions.welcome": {
        "en": "👋 Welcome to **#{id} {title}** ({when}, {location}). A few house rules:",
        "zh-TW": "👋 歡迎來到 **#{id} {title}**（{when}，{location}）。幾項場內規則：",
    },
    "sessions.rule_consent": {
        "en": "- Notes quote people only with their consent: set yours with {consent}.",
        "zh-TW": "- 共同筆記只在您同意時引用您的發言：用 {consent} 設定。",
    },
    "sessions.rule_contact": {
        "en": "- If anything feels wrong, see {coc} for the code of conduct and whom to contact.",
        "zh-TW": "- 若有任何不舒服，請用 {coc} 查看行為準則與聯絡人。",
    },
    "sessions.rule_no_photo": {
        "en": "- Please do not photograph: {people}.",
        "zh-TW": "- 請勿拍攝以下參與者（肖像權）：{people}。",
    },
    "sessions.rule_photo_ask": {
        "en": "- Ask before taking photos of anyone.",
        "zh-TW": "- 拍照前請先徵得對方同意（肖像權）。",
    },
    "sessions.rule_expect": {
        "en": "What do you expect from this session? Share it with {expect}.",
        "zh-TW": "您對這場議程有什麼期待？用 {expect} 分享。",
    },
    "sessions.wrapup": {
        "en": Plural(
            "minutes",
            one="⏳ About {minutes} minute left in #{id} {title}: time to sum up and note the next steps ({action}).",
            other="⏳ About {minutes} minutes left in #{id} {title}: time to sum up and note the next steps ({action}).",
        ),
        "zh-TW": "⏳ #{id} {title} 大約還剩 {minutes} 分鐘：請開始總結，並記下後續行動（{action}）。",
    },
    "sessions.ended": {
        "en": "🏁 #{id} {title} has ended. Thank you all!",
        "zh-TW": "🏁 #{id} {title} 已結束，謝謝大家！",
    },
}
