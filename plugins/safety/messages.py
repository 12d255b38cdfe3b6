"""Every text of the safety plugin, in English and Traditional Chinese (same placeholders in both)."""

from bot.i18n import Plural, Template

MESSAGES: dict[str, dict[str, Template]] = {
    "safety.forgets": {
        "en": "your name on the reports you sent (the safety team keeps the reports themselves)",
        "zh-TW": "您送出的回報上的名字（安心小組保留回報內容）",
    },
    "safety.title": {"en": "Safety and code of conduct", "zh-TW": "行為準則與安心小組"},
    "safety.help.coc": {
        "en": "the code of conduct and whom to contact",
        "zh-TW": "查看行為準則與聯絡人",
    },
    "safety.help.report": {
        "en": "only in a direct chat with me: tell the safety team something confidentially "
        "(anonymous unless you add `--named`)",
        "zh-TW": "僅限與我的私訊：私下告訴安心小組發生的事（預設匿名，加上 `--named` 才會具名）",
    },
    "safety.help.answer": {
        "en": "answer a report; I pass it on without saying who answered (`--close` closes it)",
        "zh-TW": "回覆一則回報；我會轉達，但不透露是誰回覆（加上 `--close` 即結案）",
    },
    "safety.help.reports": {"en": "the open reports", "zh-TW": "列出尚未結案的回報"},
    "safety.help_pointer": {
        "en": "Code of conduct and whom to contact: {coc}",
        "zh-TW": "行為準則與聯絡人：{coc}",
    },
    # --- !coc ---
    "safety.coc_default": {
        "en": "## Code of conduct\n\n"
        "We want this event to be a good experience for everyone, whoever they are.\n\n"
        "- Be kind and respectful; assume good intent and listen before you answer.\n"
        "- No harassment, in person or online: no insults, no unwelcome contact, no sexual attention, "
        "no intimidation, no discrimination.\n"
        "- Respect the badges: pronouns, the approach marker (🟢 come and talk, 🟡 ask first, "
        "🔴 please don't approach) and the photo choice. Ask before you take a picture or quote someone.\n"
        "- What is said in a session is quoted in the notes only with the speaker's consent.\n"
        "- If you see or experience something that is not OK, tell the safety team. "
        "You will be heard, and you may stay anonymous.\n\n"
        "People who break these rules may be asked to leave the event.",
        "zh-TW": "## 行為準則\n\n"
        "我們希望每一位參與者，不論身分背景，都能在這裡有美好的經驗。\n\n"
        "- 友善、尊重；先假設對方出於善意，先聆聽再回應。\n"
        "- 不論線上或現場，禁止任何騷擾：不辱罵、不做對方不歡迎的接觸、不做性暗示、不威嚇、不歧視。\n"
        "- 尊重名牌上的選擇：代名詞、社交距離標示（🟢 歡迎來聊、🟡 請先詢問、🔴 請勿主動接近）"
        "以及肖像權意願。拍照或引用別人的話之前，請先詢問。\n"
        "- 議程中的發言，只有在發言者同意時才會被記錄進共同筆記。\n"
        "- 如果您看到或遇到讓人不舒服的事，請告訴安心小組。我們會認真聆聽，您也可以匿名。\n\n"
        "違反準則的人可能會被請離活動。",
    },
    "safety.contacts": {
        "en": "**Whom to contact** — the safety team: {people}",
        "zh-TW": "**聯絡人**：安心小組成員 {people}",
    },
    "safety.contacts_room": {
        "en": "The safety team's room: {room}",
        "zh-TW": "安心小組的聊天室：{room}",
    },
    "safety.no_contacts": {
        "en": "No safety team is named for this event yet; please talk to an organizer.",
        "zh-TW": "本活動尚未指定安心小組成員；請直接與主辦人聯絡。",
    },
    "safety.how_to_report": {
        "en": "To tell the safety team something confidentially, open a direct chat with me and write "
        "`{report}` followed by what happened. It is anonymous unless you write `{report} --named`.",
        "zh-TW": "若想私下告訴安心小組，請開啟與我的私訊，輸入 `{report}` 並接著說明發生的事。"
        "預設為匿名；若想具名，請輸入 `{report} --named`。",
    },
    # --- !report ---
    "safety.report_in_public": {
        "en": "Reports must not be made in a public room, so I removed your `{report}` message there "
        "(if I had the power to) and passed nothing on. Please write it here, in our direct chat: "
        "`{report}` followed by what happened (anonymous unless you add `--named`).",
        "zh-TW": "回報不應該在公開聊天室中送出，所以我已刪除您在那裡的 `{report}` 訊息（若我有權限），"
        "而且沒有轉達任何內容。請在這裡，也就是我們的私訊中，輸入 `{report}` 並接著說明發生的事"
        "（預設匿名，加上 `--named` 才會具名）。",
    },
    "safety.report_empty": {
        "en": "Tell me what happened after `{report}`; you can use several lines.",
        "zh-TW": "請在 `{report}` 後面說明發生的事；可以寫很多行。",
    },
    "safety.report_too_long": {
        "en": "Your report is too long ({length} characters; at most {maximum}). "
        "Please shorten it or send it in two parts.",
        "zh-TW": "您的回報太長了（{length} 個字元，上限 {maximum}）。請縮短，或分成兩則送出。",
    },
    "safety.report_too_many": {
        "en": Plural(
            "count",
            one="You have sent {count} report in the last hour, the most I accept. "
            "If it is urgent, contact the safety team directly: {people}",
            other="You have sent {count} reports in the last hour, the most I accept. "
            "If it is urgent, contact the safety team directly: {people}",
        ),
        "zh-TW": "您在一小時內已送出 {count} 則回報，已達上限。若情況緊急，請直接聯絡安心小組：{people}",
    },
    "safety.no_safety_room": {
        "en": "I cannot pass reports on: no safety room is set up. "
        "Please contact the safety team directly: {people}",
        "zh-TW": "目前無法轉達回報：尚未設定安心小組的聊天室。請直接聯絡安心小組：{people}",
    },
    "safety.nobody": {"en": "an organizer", "zh-TW": "主辦人"},
    "safety.received_anonymous": {
        "en": "Thank you. Your report **#{number}** went to the safety team **anonymously**: "
        "they do not see who you are. When they answer, I will pass it on here.",
        "zh-TW": "謝謝您。您的回報 **#{number}** 已**匿名**轉達給安心小組：他們看不到您是誰。"
        "他們回覆時，我會在這裡轉告您。",
    },
    "safety.received_named": {
        "en": "Thank you. Your report **#{number}** went to the safety team **with your name**. "
        "When they answer, I will pass it on here.",
        "zh-TW": "謝謝您。您的回報 **#{number}** 已**具名**轉達給安心小組。他們回覆時，我會在這裡轉告您。",
    },
    "safety.forwarded_anonymous": {
        "en": "**Report #{number}** (anonymous):\n\n{text}\n\nAnswer with `{answer}` — "
        "I pass it on without your name.",
        "zh-TW": "**回報 #{number}**（匿名）：\n\n{text}\n\n請用 `{answer}` 回覆，我轉達時不會透露您的名字。",
    },
    "safety.forwarded_named": {
        "en": "**Report #{number}** from {person}:\n\n{text}\n\nAnswer with `{answer}` — "
        "I pass it on without your name.",
        "zh-TW": "**回報 #{number}**，來自 {person}：\n\n{text}\n\n請用 `{answer}` 回覆，我轉達時不會透露您的名字。",
    },
    # --- !answer ---
    "safety.relayed": {
        "en": "The safety team answered your report **#{number}**:\n\n{text}",
        "zh-TW": "安心小組回覆了您的回報 **#{number}**：\n\n{text}",
    },
    "safety.relayed_follow_up": {
        "en": "To add something, send `{report}` again here (you may mention #{number}).",
        "zh-TW": "如需補充，請在這裡再送出一次 `{report}`（可註明 #{number}）。",
    },
    "safety.relayed_closed": {
        "en": "The safety team closed report **#{number}**. Thank you for telling them. "
        "If anything else happens, send a new `{report}` here.",
        "zh-TW": "安心小組已將回報 **#{number}** 結案。謝謝您告訴他們。若又發生任何事，請在這裡送出新的 `{report}`。",
    },
    "safety.answer_sent": {
        "en": "Passed on to the person who sent report #{number} (without your name).",
        "zh-TW": "已轉達給回報 #{number} 的回報人（未透露您的名字）。",
    },
    "safety.answer_closed": {
        "en": "Report #{number} is closed. I no longer know who sent it, so nothing more can be passed on.",
        "zh-TW": "回報 #{number} 已結案。我已不再保存回報人是誰，因此之後無法再轉達任何訊息。",
    },
    "safety.answer_empty": {
        "en": "Write the answer after the number, or add `--close` to close the report.",
        "zh-TW": "請在編號後寫下回覆內容，或加上 `--close` 結案。",
    },
    "safety.answer_too_long": {
        "en": "The answer is too long ({length} characters; at most {maximum}). Please shorten it.",
        "zh-TW": "回覆太長了（{length} 個字元，上限 {maximum}）。請縮短。",
    },
    "safety.answer_wrong_room": {
        "en": "Answer reports only in the safety room or in a direct chat with me. I passed nothing on "
        "and removed your message here (if I had the power to), so that it stays confidential.",
        "zh-TW": "請只在安心小組的聊天室或與我的私訊中回覆回報。我沒有轉達任何內容，"
        "並已刪除您在這裡的訊息（若我有權限），以維持保密。",
    },
    "safety.not_found": {
        "en": "There is no report #{number}. `{reports}` lists the open ones.",
        "zh-TW": "沒有編號 #{number} 的回報。`{reports}` 會列出尚未結案的回報。",
    },
    "safety.is_closed": {
        "en": "Report #{number} is closed; I no longer know who sent it, so I cannot pass anything on.",
        "zh-TW": "回報 #{number} 已結案；我已不再保存回報人是誰，因此無法轉達。",
    },
    "safety.unreachable": {
        "en": "The person who sent report #{number} asked to be forgotten; I cannot pass anything on.",
        "zh-TW": "回報 #{number} 的回報人已要求刪除個人資料；我無法再轉達任何訊息。",
    },
    # --- !reports ---
    "safety.reports_wrong_room": {
        "en": "Use `{reports}` only in the safety room or in a direct chat with me.",
        "zh-TW": "請只在安心小組的聊天室或與我的私訊中使用 `{reports}`。",
    },
    "safety.reports_none": {"en": "No open reports.", "zh-TW": "目前沒有尚未結案的回報。"},
    "safety.reports_header": {
        "en": "**Open reports** ({count}):",
        "zh-TW": "**尚未結案的回報**（{count} 則）：",
    },
    "safety.reports_line_anonymous": {
        "en": "#{number} — {when}, anonymous",
        "zh-TW": "#{number} — {when}，匿名",
    },
    "safety.reports_line_named": {
        "en": "#{number} — {when}, from {person}",
        "zh-TW": "#{number} — {when}，來自 {person}",
    },
    "safety.reports_line_forgotten": {
        "en": "#{number} — {when}, the reporter asked to be forgotten",
        "zh-TW": "#{number} — {when}，回報人已要求刪除個人資料",
    },
    "safety.report_deleted": {
        "en": "Report #{number} was deleted by the person who sent it, so I removed it here too. "
        "Answers to #{number} still reach them.",
        "zh-TW": "回報 #{number} 已被送出者刪除，所以我也把這裡的副本移除了。對 #{number} 的回覆仍會送達對方。",
    },
}
