"""Every text of the notes plugin, in English and Traditional Chinese (Markdown templates)."""

from bot.i18n import Plural, Template

MESSAGES: dict[str, dict[str, Template]] = {
    "notes.forgets": {
        "en": "your notes; digests, published ones included, lose your words, and other people's notes lose your names (badge name, display name, Matrix ID): they say \"a participant\" instead",
        "zh-TW": "您的筆記；摘要（包括已公開的）會移除您的發言，其他人的筆記中您的名字（名牌名字、顯示名稱、Matrix ID）會改為「一位參與者」",
    },
    "notes.title": {"en": "Shared notes and digests", "zh-TW": "共同筆記與摘要"},
    # help
    "notes.help.note": {
        "en": "add to the session's shared notes (in its room; elsewhere `!note <id> <text>`; `!note @user: <text>` for what someone else said)",
        "zh-TW": "新增到議程的共同筆記（在議程房間中；其他地方請用 `!note <編號> <內容>`；記錄他人的發言請用 `!note @user: <內容>`）",
    },
    "notes.help.expect": {"en": "add an expectation for the session", "zh-TW": "新增對議程的期待"},
    "notes.help.action": {
        "en": "add an action item; end it with @owner to say who does it",
        "zh-TW": "新增待辦事項；結尾加上 @負責人 可指定由誰負責",
    },
    "notes.help.notes": {
        "en": "the notes as they would be published now",
        "zh-TW": "以目前會公開的樣子顯示筆記",
    },
    "notes.help.reporter": {
        "en": "draw the reporter again (organizer or proposer)",
        "zh-TW": "重新抽出報告人（主辦人或提案人）",
    },
    "notes.help.digest_list": {
        "en": "digests: drafts, published, rejected",
        "zh-TW": "摘要列表：草稿、已公開、已退回",
    },
    "notes.help.digest_show": {
        "en": "a digest as it would be published",
        "zh-TW": "以公開後的樣子顯示摘要",
    },
    "notes.help.digest_approve": {
        "en": "approve a draft (or ✅ on it)",
        "zh-TW": "核准草稿（或在草稿按 ✅）",
    },
    "notes.help.digest_reject": {
        "en": "reject a draft; the proposer is told the reason (or ❌ on it)",
        "zh-TW": "退回草稿，並告知提案人原因（或在草稿按 ❌）",
    },
    "notes.help.digest_edit": {
        "en": "replace a draft's text with the Markdown on the following lines",
        "zh-TW": "以下一行起的 Markdown 取代草稿內容",
    },
    # capture
    "notes.which_session": {
        "en": "Which session? Outside a session's room, start with its number: `!note 12 <text>`.",
        "zh-TW": "是哪個議程？在議程房間以外，請先寫議程編號：`!note 12 <內容>`。",
    },
    "notes.no_session": {
        "en": "There is no scheduled session #{id}. See `!sessions`.",
        "zh-TW": "沒有已排定的議程 #{id}。請看 `!sessions`。",
    },
    "notes.not_started": {
        "en": "Session #{id} has not started yet; notes open at its start.",
        "zh-TW": "議程 #{id} 尚未開始；筆記會在開始時開放。",
    },
    "notes.closed": {
        "en": "The digest of session #{id} is already decided; its notes are closed.",
        "zh-TW": "議程 #{id} 的摘要已經審閱完成，筆記已關閉。",
    },
    "notes.empty_text": {
        "en": "What should I note? Write the text after the command.",
        "zh-TW": "要記下什麼呢？請在指令後面寫上內容。",
    },
    "notes.too_long": {
        "en": "That is too long ({length} characters; at most {maximum}). Please split it into shorter notes.",
        "zh-TW": "內容太長了（{length} 個字元，上限 {maximum}）。請拆成幾則較短的筆記。",
    },
    "notes.slow_down": {
        "en": Plural(
            "limit",
            one="You added {limit} note within a minute; please wait a moment before adding more.",
            other="You added {limit} notes within a minute; please wait a moment before adding more.",
        ),
        "zh-TW": "您在一分鐘內已新增 {limit} 則筆記，請稍候再新增。",
    },
    "notes.reply_unseen": {
        "en": "I cannot see the message you replied to (your app did not quote it, and I do not keep copies of messages). Write it out instead: `!note @user: <what they said>`.",
        "zh-TW": "我看不到您回覆的訊息（您的應用程式沒有引用它，而我不保留訊息副本）。請改用：`!note @user: <對方說的話>`。",
    },
    "notes.reply_outside_session": {
        "en": "Capturing a message works in a session's room only. Elsewhere: `!note <id> @user: <text>`.",
        "zh-TW": "擷取訊息只能在議程房間中使用。其他地方請用：`!note <編號> @user: <內容>`。",
    },
    "notes.added.note": {"en": "Noted for session #{id}.", "zh-TW": "已記入議程 #{id} 的筆記。"},
    "notes.added.expectation": {
        "en": "Expectation added to session #{id}.",
        "zh-TW": "已新增議程 #{id} 的期待。",
    },
    "notes.added.action": {
        "en": "Action item added to session #{id}.",
        "zh-TW": "已新增議程 #{id} 的待辦事項。",
    },
    "notes.added_other": {
        "en": "Noted for session #{id} as said by {user}. Their consent decides whether and how it is published.",
        "zh-TW": "已記入議程 #{id}，發言者為 {user}。是否公開以及如何公開，由對方的同意設定決定。",
    },
    "notes.how.attributed": {
        "en": "It will be published with your name.",
        "zh-TW": "公開時會具名。",
    },
    "notes.how.anonymous": {
        "en": 'It will be published as said by "a participant".',
        "zh-TW": "公開時會標示為「一位參與者」。",
    },
    "notes.how.none": {
        "en": "It will not be published: you have not agreed to be quoted. Answer the session's consent prompt or use `!consent`.",
        "zh-TW": "這則不會公開：您尚未同意被引用。請回應議程的同意詢問，或使用 `!consent`。",
    },
    # reporter
    "notes.reporter": {
        "en": "🎤 Reporter for session #{id} {title}: {name}. Please share a short summary with everyone.",
        "zh-TW": "🎤 議程 #{id} {title} 的隨機報告人：{name}。請向大家簡短分享討論內容。",
    },
    "notes.reporter_anonymous": {
        "en": "🎤 A reporter for session #{id} {title} has been drawn among its participants.",
        "zh-TW": "🎤 已從議程 #{id} {title} 的參與者中抽出報告人。",
    },
    "notes.no_reporter": {
        "en": "No reporter for session #{id} {title}: no participant agreed to be quoted.",
        "zh-TW": "議程 #{id} {title} 沒有報告人：沒有參與者同意被引用。",
    },
    "notes.reporter_not_allowed": {
        "en": "Only an organizer or the session's proposer may draw the reporter again.",
        "zh-TW": "只有主辦人或議程提案人可以重新抽出報告人。",
    },
    "notes.redrawn": {
        "en": "Reporter of session #{id} drawn again.",
        "zh-TW": "已重新抽出議程 #{id} 的報告人。",
    },
    # digest text
    "notes.digest.title": {"en": "#{id} {title}", "zh-TW": "#{id} {title}"},
    "notes.digest.facts": {
        "en": "**When:** {when} · **Where:** {location} · **Participants:** {count}",
        "zh-TW": "**時間：** {when} · **地點：** {location} · **參與人數：** {count}",
    },
    "notes.digest.expectations": {"en": "Expectations", "zh-TW": "期待"},
    "notes.digest.notes": {"en": "Notes", "zh-TW": "筆記"},
    "notes.digest.actions": {"en": "Action items", "zh-TW": "待辦事項"},
    "notes.digest.reporter": {"en": "Reporter", "zh-TW": "報告人"},
    "notes.digest.none": {"en": "(none)", "zh-TW": "（無）"},
    "notes.digest.owner": {"en": "(owner: {owner})", "zh-TW": "（負責人：{owner}）"},
    "notes.digest.a_participant": {"en": "a participant", "zh-TW": "一位參與者"},
    "notes.digest.no_reporter_line": {"en": "(no reporter)", "zh-TW": "（無報告人）"},
    "notes.digest.removed_line": {
        "en": "*(removed: consent withdrawn)*",
        "zh-TW": "*（已移除：當事人撤回同意）*",
    },
    "notes.index_title": {"en": "Published digests", "zh-TW": "已公開的摘要"},
    "notes.preview_header": {
        "en": "**Notes of session #{id}, as they would be published now:**",
        "zh-TW": "**議程 #{id} 的筆記（目前會公開的樣子）：**",
    },
    # review
    "notes.draft_header": {
        "en": Plural(
            "required",
            one="**Draft digest of session #{id} {title}** — {required} moderator approval publishes it: ✅ or `!digest approve {id}`; ❌ or `!digest reject {id} <reason>`; `!digest edit {id}` with new Markdown below.",
            other="**Draft digest of session #{id} {title}** — {required} moderator approvals publish it: ✅ or `!digest approve {id}`; ❌ or `!digest reject {id} <reason>`; `!digest edit {id}` with new Markdown below.",
        ),
        "zh-TW": "**議程 #{id} {title} 的摘要草稿** — 需 {required} 位審閱人核准後公開：按 ✅ 或 `!digest approve {id}`；按 ❌ 或 `!digest reject {id} <原因>`；`!digest edit {id}` 並在下一行起寫新的 Markdown。",
    },
    "notes.draft_changed": {
        "en": "*Changed (notes or consent): earlier approvals no longer count.*",
        "zh-TW": "*已變更（筆記或同意設定）：先前的核准不再計算。*",
    },
    "notes.state.draft": {"en": "draft", "zh-TW": "草稿"},
    "notes.state.published": {"en": "published", "zh-TW": "已公開"},
    "notes.state.rejected": {"en": "rejected", "zh-TW": "已退回"},
    "notes.list_header": {"en": "**Digests**", "zh-TW": "**摘要**"},
    "notes.list_line": {
        "en": "#{id} {title} — {state} ({approvals}/{required} approvals)",
        "zh-TW": "#{id} {title} — {state}（{approvals}/{required} 位核准）",
    },
    "notes.list_empty": {
        "en": "No digests yet: they are drafted when sessions end.",
        "zh-TW": "目前沒有摘要：議程結束時會產生草稿。",
    },
    "notes.show_header": {
        "en": "**Digest of session #{id}** ({state})",
        "zh-TW": "**議程 #{id} 的摘要**（{state}）",
    },
    "notes.no_digest": {
        "en": "Session #{id} has no digest (it is drafted when the session ends). See `!digest list`.",
        "zh-TW": "議程 #{id} 沒有摘要（議程結束時才會產生）。請看 `!digest list`。",
    },
    "notes.not_draft": {
        "en": "The digest of session #{id} is {state}, not a draft any more.",
        "zh-TW": "議程 #{id} 的摘要已是{state}狀態，不再是草稿。",
    },
    "notes.approved": {
        "en": "Approval recorded for #{id}: {count} of {required}.",
        "zh-TW": "已記錄對 #{id} 的核准：{count}／{required}。",
    },
    "notes.approval_withdrawn": {
        "en": "Approval of #{id} taken back: {count} of {required}.",
        "zh-TW": "已撤回對 #{id} 的核准：{count}／{required}。",
    },
    "notes.published_announcements": {
        "en": "The digest of session #{id} is published in the announcements room.",
        "zh-TW": "議程 #{id} 的摘要已在公告房間公開。",
    },
    "notes.published_lobby": {
        "en": "The digest of session #{id} is published in the lobby (there is no announcements room).",
        "zh-TW": "議程 #{id} 的摘要已在大廳公開（沒有設定公告房間）。",
    },
    "notes.published_nowhere": {
        "en": "The digest of session #{id} is published, but only to the digest files: neither an announcements room nor a lobby is set up.",
        "zh-TW": "議程 #{id} 的摘要已公開，但只寫入摘要檔案：沒有設定公告房間或大廳。",
    },
    "notes.rejected": {
        "en": "The digest of session #{id} is rejected; the proposer has been told.",
        "zh-TW": "議程 #{id} 的摘要已退回，並已通知提案人。",
    },
    "notes.rejected_dm": {
        "en": "The moderators did not publish the digest of your session #{id} {title}. Reason: {reason}",
        "zh-TW": "審閱人未公開您的議程 #{id} {title} 的摘要。原因：{reason}",
    },
    "notes.rejected_dm_no_reason": {
        "en": "The moderators did not publish the digest of your session #{id} {title}. Ask them in the moderation room if you want to know why.",
        "zh-TW": "審閱人未公開您的議程 #{id} {title} 的摘要。如想了解原因，請詢問審閱人。",
    },
    "notes.edit_empty": {
        "en": "Put the new Markdown on the lines after `!digest edit <id>`.",
        "zh-TW": "請把新的 Markdown 寫在 `!digest edit <編號>` 的下一行起。",
    },
    "notes.edit_refused_withheld": {
        "en": "Not saved: the text contains words of people who did not agree to be quoted (notes {notes}). Remove them and try again.",
        "zh-TW": "未儲存：內容包含未同意被引用者的發言（筆記 {notes}）。請移除後再試一次。",
    },
    "notes.edit_refused_names": {
        "en": 'Not saved: the text names someone who may be quoted only as "a participant" (or not at all). Replace the name and try again.',
        "zh-TW": "未儲存：內容提到了只能以「一位參與者」引用（或不可引用）的人。請替換名字後再試一次。",
    },
    "notes.edited": {
        "en": Plural(
            "required",
            one="Draft #{id} replaced; it needs {required} approval again.",
            other="Draft #{id} replaced; it needs {required} approvals again.",
        ),
        "zh-TW": "草稿 #{id} 已更新；需要重新取得 {required} 位核准。",
    },
    "notes.corrected": {
        "en": "The published digest of session #{id} {title} was corrected: someone withdrew their consent. The message and the file were updated.",
        "zh-TW": "議程 #{id} {title} 已公開的摘要已更正：有人撤回了同意。訊息與檔案皆已更新。",
    },
}
