"""The agenda plugin's texts (English and Traditional Chinese). Templates are Markdown, except the
grid_* ones: they are plain text, filled in by the grid itself (no Markdown in them)."""

from bot.i18n import Plural, Template

MESSAGES: dict[str, dict[str, Template]] = {
    "agenda.title": {"en": "Agenda", "zh-TW": "議程"},
    "agenda.help.slot_add": {
        "en": "Add a time slot (in the event's time zone); an end before the start is on the next day "
        "(22:30-00:30); a label may follow.",
        "zh-TW": "新增時段（以活動時區為準）；結束時間早於開始時間表示隔天結束（22:30-00:30）；"
        "可在後面加上名稱。",
    },
    "agenda.help.slot_remove": {
        "en": "Remove an empty time slot (by `S1` or its label).",
        "zh-TW": "移除沒有議程的時段（用 `S1` 或其名稱）。",
    },
    "agenda.help.slots": {"en": "List the time slots.", "zh-TW": "列出所有時段。"},
    "agenda.help.location_add": {
        "en": "Add a location (a room, a table, a video call) with an optional capacity.",
        "zh-TW": "新增地點（會議室、桌次、視訊會議），可設定人數上限。",
    },
    "agenda.help.location_remove": {
        "en": "Remove a location without sessions.",
        "zh-TW": "移除沒有議程的地點。",
    },
    "agenda.help.locations": {"en": "List the locations.", "zh-TW": "列出所有地點。"},
    "agenda.help.schedule": {
        "en": "Put a topic into a slot (and a location): proposers into a free cell, organizers anywhere.",
        "zh-TW": "把議題排進時段（與地點）：提案人只能排入空位，主辦人可排到任何位置。",
    },
    "agenda.help.unschedule": {
        "en": "Take a topic off the agenda.",
        "zh-TW": "將議題移出議程。",
    },
    "agenda.help.agenda": {
        "en": "The agenda as a grid: `today`, a date (YYYY-MM-DD) or `all`; by default today and later.",
        "zh-TW": "以表格顯示議程：`today`、日期（YYYY-MM-DD）或 `all`；預設為今天起的議程。",
    },
    "agenda.help.ics": {
        "en": "The agenda (or, with `mine`, my sessions) as a calendar file.",
        "zh-TW": "下載議程行事曆檔（加 `mine`：只含我的場次）。",
    },
    "agenda.no_such_time": {
        "en": "{day} {time} does not exist in {zone} (the clocks skip it). Pick another time.",
        "zh-TW": "{day} {time} 在 {zone} 並不存在（時鐘會跳過這段時間）。請選擇其他時間。",
    },
    "agenda.year_out_of_range": {
        "en": "{day} is not a plausible event date; slots must be between the years {first} and {last}.",
        "zh-TW": "{day} 不像是活動日期；時段必須在 {first} 年到 {last} 年之間。",
    },
    "agenda.no_length": {
        "en": "{value} starts and ends at the same time. Give the slot an end, e.g. 10:00-10:45 "
        "(an end before the start is on the next day: 22:30-00:30).",
        "zh-TW": "{value} 的開始與結束時間相同。請給時段一個結束時間，例如 10:00-10:45"
        "（結束時間早於開始時間表示隔天結束：22:30-00:30）。",
    },
    "agenda.overnight_too_long": {
        "en": "{value} would end on the next day, and a slot past midnight may last at most {maximum} "
        "hours. If you swapped the times, type `{swapped}`; for a longer night, add two slots.",
        "zh-TW": "{value} 會在隔天結束，而跨過午夜的時段最長 {maximum} 小時。"
        "若是把時間打反了，請輸入 `{swapped}`；需要更長的夜間時段，請分成兩個時段新增。",
    },
    "agenda.label_like_code": {
        "en": "The label `{label}` looks like a slot number; pick a label with a word in it, e.g. Morning.",
        "zh-TW": "名稱 `{label}` 看起來像時段編號；請使用包含文字的名稱，例如「上午」。",
    },
    "agenda.label_taken": {
        "en": "Another slot is already labelled {label}. Pick another label.",
        "zh-TW": "已有其他時段叫做 {label}。請換一個名稱。",
    },
    "agenda.name_too_long": {
        "en": "That name is too long ({length} characters; at most {maximum}).",
        "zh-TW": "名稱太長了（{length} 個字元，上限 {maximum}）。",
    },
    "agenda.slot_overlaps": {
        "en": "That slot overlaps {slots}. Slots may not overlap: parallel sessions share one slot in "
        "different locations.",
        "zh-TW": "這個時段與 {slots} 重疊。時段不能重疊：同時進行的場次請用同一時段的不同地點。",
    },
    "agenda.slot_added": {"en": "Slot added: **{slot}**", "zh-TW": "已新增時段：**{slot}**"},
    "agenda.slot_removed": {"en": "Slot removed: {slot}", "zh-TW": "已移除時段：{slot}"},
    "agenda.slot_in_use": {
        "en": "{slot} still holds {topics}. Move or unschedule them first.",
        "zh-TW": "{slot} 仍有 {topics}。請先移動或移出這些議題。",
    },
    "agenda.no_such_slot": {
        "en": "There is no slot {ref}. Type {slots} to see them.",
        "zh-TW": "沒有 {ref} 這個時段。輸入 {slots} 查看所有時段。",
    },
    "agenda.no_slots": {
        "en": "There are no time slots yet. Organizers add them with {slot_add}.",
        "zh-TW": "目前還沒有時段。主辦人可以用 {slot_add} 新增。",
    },
    "agenda.slots_header": {"en": "**Time slots** ({count}):", "zh-TW": "**時段**（{count} 個）："},
    "agenda.slot_line": {
        "en": Plural("sessions", one="{slot} — {sessions} session", other="{slot} — {sessions} sessions"),
        "zh-TW": "{slot} — {sessions} 場",
    },
    "agenda.location_exists": {
        "en": "There is already a location called {name}.",
        "zh-TW": "已經有叫做 {name} 的地點了。",
    },
    "agenda.location_added": {
        "en": "Location added: {location}",
        "zh-TW": "已新增地點：{location}",
    },
    "agenda.location_removed": {"en": "Location removed: {name}", "zh-TW": "已移除地點：{name}"},
    "agenda.location_in_use": {
        "en": "{name} still holds {topics}. Move or unschedule them first.",
        "zh-TW": "{name} 仍有 {topics}。請先移動或移出這些議題。",
    },
    "agenda.location_line": {"en": "**{name}**", "zh-TW": "**{name}**"},
    "agenda.location_line_cap": {
        "en": Plural("cap", one="**{name}** (up to {cap} person)", other="**{name}** (up to {cap} people)"),
        "zh-TW": "**{name}**（最多 {cap} 人）",
    },
    "agenda.locations_header": {
        "en": "**Locations** ({count}):",
        "zh-TW": "**地點**（{count} 個）：",
    },
    "agenda.no_locations": {
        "en": "There are no locations yet. Organizers add them with {location_add}.",
        "zh-TW": "目前還沒有地點。主辦人可以用 {location_add} 新增。",
    },
    "agenda.no_such_location": {
        "en": "There is no location {name}. Locations: {locations}.",
        "zh-TW": "沒有 {name} 這個地點。現有地點：{locations}。",
    },
    "agenda.none_free": {"en": "none", "zh-TW": "無"},
    "agenda.state.merged": {"en": "merged", "zh-TW": "已合併"},
    "agenda.state.withdrawn": {"en": "withdrawn", "zh-TW": "已撤回"},
    "agenda.not_schedulable": {
        "en": "#{id} is {state}, so it cannot be scheduled.",
        "zh-TW": "#{id} {state}，無法排入議程。",
    },
    "agenda.schedule_not_yours": {
        "en": "You may schedule only your own topics; #{id} is someone else's. Ask an organizer.",
        "zh-TW": "您只能排自己提出的議題；#{id} 是別人的。請洽詢主辦人。",
    },
    "agenda.move_is_for_organizers": {
        "en": "#{id} is already on the agenda; only an organizer may move it.",
        "zh-TW": "#{id} 已經在議程上；只有主辦人可以移動它。",
    },
    "agenda.slot_full": {
        "en": "Every location of {slot} is taken. Pick another slot.",
        "zh-TW": "{slot} 的所有地點都已排滿。請選擇其他時段。",
    },
    "agenda.already_there": {
        "en": "#{id} is already in {slot}, {location}.",
        "zh-TW": "#{id} 已經在 {slot}、{location}。",
    },
    "agenda.cell_taken": {
        "en": "{location} in {slot} is taken by #{id}. Free in {slot}: {free}.",
        "zh-TW": "{slot} 的 {location} 已排了 #{id}。{slot} 還有空的地點：{free}。",
    },
    "agenda.scheduled": {
        "en": "**#{id} {title}** is on the agenda: {slot}, {location}.",
        "zh-TW": "**#{id} {title}** 已排入議程：{slot}，{location}。",
    },
    "agenda.moved": {
        "en": "**#{id} {title}** moved to {slot}, {location}.",
        "zh-TW": "**#{id} {title}** 已移到 {slot}，{location}。",
    },
    "agenda.not_scheduled": {"en": "#{id} is not on the agenda.", "zh-TW": "#{id} 不在議程上。"},
    "agenda.unscheduled": {
        "en": "#{id} {title} is off the agenda.",
        "zh-TW": "#{id} {title} 已移出議程。",
    },
    "agenda.no_slots_on": {
        "en": "There are no slots on {day}. Days with slots: {days}.",
        "zh-TW": "{day} 沒有時段。有時段的日期：{days}。",
    },
    "agenda.grid_heading": {
        "en": "Agenda {day} — times in {zone}",
        "zh-TW": "議程 {day} — 時間為 {zone}",
    },
    "agenda.grid_continued": {"en": "(continued)", "zh-TW": "（續）"},
    "agenda.grid_time": {"en": "Time", "zh-TW": "時間"},
    "agenda.grid_free": {"en": "no session yet", "zh-TW": "尚無場次"},
    "agenda.ics_empty": {
        "en": "Nothing is on the agenda yet, so there is no calendar to send.",
        "zh-TW": "議程上還沒有任何場次，所以沒有行事曆可以傳送。",
    },
    "agenda.ics_empty_mine": {
        "en": "You have no sessions on the agenda yet. Join one, then ask again.",
        "zh-TW": "您在議程上還沒有任何場次。報名後再試一次。",
    },
}
