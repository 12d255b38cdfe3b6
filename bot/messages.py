"""The core's message catalogue (English and Traditional Chinese). Templates are Markdown."""

from .i18n import Plural, Template

MESSAGES: dict[str, dict[str, Template]] = {
    "core.list_separator": {"en": ", ", "zh-TW": "、"},
    "core.yes": {"en": "yes", "zh-TW": "是"},
    "core.no": {"en": "no", "zh-TW": "否"},
    "core.role.everyone": {"en": "everyone", "zh-TW": "所有人"},
    "core.role.organizer": {"en": "organizers", "zh-TW": "主辦人"},
    "core.role.moderator": {"en": "moderators", "zh-TW": "審閱人"},
    "core.role.safety": {"en": "the safety team", "zh-TW": "安心小組"},
    "core.bad_argument": {"en": "`{value}` is not a valid {name}.", "zh-TW": "`{value}` 不是有效的 {name}。"},
    "core.bad_number": {
        "en": "{name} must be a whole number from {minimum} to {maximum}, not `{value}`.",
        "zh-TW": "{name} 必須是 {minimum} 到 {maximum} 之間的整數，而不是 `{value}`。",
    },
    "core.bad_id": {
        "en": "{name} must be a number such as `12` or `#12`, not `{value}`.",
        "zh-TW": "{name} 必須是像 `12` 或 `#12` 的編號，而不是 `{value}`。",
    },
    "core.no_such_id": {
        "en": "There is no {name} #{value}.",
        "zh-TW": "沒有 {name} #{value}。",
    },
    "core.bad_choice": {
        "en": "{name} must be one of: {choices} (not `{value}`).",
        "zh-TW": "{name} 必須是以下之一：{choices}（而不是 `{value}`）。",
    },
    "core.too_long": {
        "en": "The {name} is too long ({length} characters; at most {maximum}). Please shorten it.",
        "zh-TW": "{name} 太長了（{length} 個字元，上限 {maximum}）。請縮短。",
    },
    "core.bad_user": {
        "en": "`{value}` is not a Matrix ID. Write it as @name:server or mention the person.",
        "zh-TW": "`{value}` 不是 Matrix ID。請寫成 @name:server，或直接提及對方。",
    },
    "core.bad_date": {
        "en": "`{value}` is not a date. Write it as YYYY-MM-DD, e.g. 2026-11-28.",
        "zh-TW": "`{value}` 不是日期。請寫成 YYYY-MM-DD，例如 2026-11-28。",
    },
    "core.bad_time": {
        "en": "`{value}` is not a time. Write it as HH:MM (24-hour), e.g. 14:30.",
        "zh-TW": "`{value}` 不是時間。請寫成 HH:MM（24 小時制），例如 14:30。",
    },
    "core.bad_time_range": {
        "en": "`{value}` is not a time range. Write it as HH:MM-HH:MM, e.g. 10:00-10:45.",
        "zh-TW": "`{value}` 不是時段。請寫成 HH:MM-HH:MM，例如 10:00-10:45。",
    },
    "core.end_before_start": {
        "en": "In `{value}` the end is not after the start.",
        "zh-TW": "`{value}` 的結束時間沒有晚於開始時間。",
    },
    "core.bad_timezone": {
        "en": "`{value}` is not a time zone. Use a name such as Asia/Taipei or Europe/Berlin.",
        "zh-TW": "`{value}` 不是時區。請使用像 Asia/Taipei 或 Europe/Berlin 的名稱。",
    },
    "core.slow_down": {
        "en": Plural(
            "seconds",
            one="You are sending commands very fast; I will ignore yours for up to {seconds} second. Please slow down.",
            other="You are sending commands very fast; I will ignore yours for up to {seconds} seconds. Please slow down.",
        ),
        "zh-TW": "您送出指令的速度太快了；接下來最多 {seconds} 秒內我會略過您的指令。請放慢一點。",
    },
    "core.usage": {"en": "Usage: {usage}", "zh-TW": "用法：{usage}"},
    "core.example": {"en": "Example: {example}", "zh-TW": "範例：{example}"},
    "core.crashed": {
        "en": "Sorry, something went wrong (ref {ref}). Nothing was changed; the organizers can look it up with this ref.",
        "zh-TW": "抱歉，發生錯誤（代碼 {ref}）。沒有任何資料被更動；主辦人可以用這個代碼查詢。",
    },
    "core.command_too_long": {
        "en": "That command is too long ({length} characters; at most {maximum}).",
        "zh-TW": "這個指令太長了（{length} 個字元，上限 {maximum}）。",
    },
    "core.not_allowed": {
        "en": "Only {role} may use {command}.",
        "zh-TW": "只有{role}可以使用 {command}。",
    },
    "core.direct_only": {
        "en": "{command} works only in a direct chat with me. Start one and try again there.",
        "zh-TW": "{command} 只能在與我的私訊中使用。請開啟私訊後再試一次。",
    },
    "core.missing_argument": {"en": "Missing: {name}.", "zh-TW": "缺少：{name}。"},
    "core.extra_arguments": {"en": "I did not understand `{extra}`.", "zh-TW": "我看不懂 `{extra}`。"},
    "core.command_family": {
        "en": "Commands that start with {command}: {commands}.",
        "zh-TW": "以 {command} 開頭的指令：{commands}。",
    },
    "core.help_family_hint": {
        "en": "For one of them: {help}",
        "zh-TW": "查看其中一個的說明：{help}",
    },
    "core.one_line_only": {
        "en": "This command takes one line only.",
        "zh-TW": "這個指令只接受一行。",
    },
    "core.unknown_command": {
        "en": "There is no command {command}. Type {help} to see what I can do.",
        "zh-TW": "沒有 {command} 這個指令。輸入 {help} 看看我能做什麼。",
    },
    "core.unknown_command_suggest": {
        "en": "There is no command {command}. Did you mean {suggestion}?",
        "zh-TW": "沒有 {command} 這個指令。您是不是要輸入 {suggestion}？",
    },
    "core.undecryptable": {
        "en": "I could not decrypt your message, so I cannot answer it. Please send it again. If your client "
        "only shares keys with verified devices, allow unverified devices in this room or talk to me in an "
        "unencrypted room.",
        "zh-TW": "我無法解密您的訊息，所以無法回應。請再傳一次。如果您的用戶端只與已驗證的裝置分享金鑰，"
        "請在這個聊天室允許未驗證的裝置，或在未加密的聊天室與我對話。",
    },
    "core.title": {"en": "Basics", "zh-TW": "基本"},
    "core.help.help": {
        "en": "List the commands you may use, or explain one.",
        "zh-TW": "列出您可以使用的指令，或說明其中一個。",
    },
    "core.help.ping": {"en": "Check that the bot is alive.", "zh-TW": "確認機器人是否正常運作。"},
    "core.help.status": {
        "en": "Uptime, last sync, messages waiting to be sent, version.",
        "zh-TW": "運作時間、最後同步、待送訊息數、版本。",
    },
    "core.help.roomlang": {
        "en": "Set the language of this room's announcements.",
        "zh-TW": "設定這個聊天室公告的語言。",
    },
    "core.pong": {"en": "pong", "zh-TW": "pong"},
    "core.help.forget": {"en": "what erasing me would remove", "zh-TW": "說明刪除我的資料會移除哪些內容"},
    "core.help.forget_confirm": {"en": "erase my data now", "zh-TW": "立即刪除我的資料"},
    "core.forget_intro": {"en": "{confirm} erases:", "zh-TW": "{confirm} 會刪除："},
    "core.forgets": {
        "en": "your language and time zone, and which room is your direct chat with the bot",
        "zh-TW": "您的語言與時區設定，以及哪個房間是您與機器人的私訊",
    },
    "core.forget_final": {"en": "This cannot be undone.", "zh-TW": "此動作無法復原。"},
    "core.forgotten": {
        "en": "Done: your data has been erased. Goodbye, and thank you for taking part.",
        "zh-TW": "完成：您的資料已刪除。謝謝您的參與。",
    },
    "core.help_header": {
        "en": "**Commands you can use** (type {help_command} for details):",
        "zh-TW": "**您可以使用的指令**（輸入 {help_command} 查看說明）：",
    },
    "core.help_group": {"en": "**{title}**", "zh-TW": "**{title}**"},
    "core.help_line": {"en": "{usage} — {help}", "zh-TW": "{usage} — {help}"},
    "core.help_footer": {
        "en": "Arguments in <angle brackets> are needed, those in [square brackets] are optional.",
        "zh-TW": "<尖括號> 內的參數為必填，[方括號] 內的為選填。",
    },
    "core.help_unknown": {
        "en": "There is no command {command} that you may use. Type {help} for the list.",
        "zh-TW": "沒有您可以使用的 {command} 指令。輸入 {help} 查看清單。",
    },
    "core.help_aliases": {"en": "Also: {aliases}", "zh-TW": "也可以用：{aliases}"},
    "core.help_role": {"en": "For: {role}", "zh-TW": "適用：{role}"},
    "core.help_direct": {"en": "Only in a direct chat with me.", "zh-TW": "只能在私訊中使用。"},
    "core.status": {
        "en": Plural(
            "pending",
            one="**Status** — version {version}, up {uptime}, last sync {last_sync}, {pending} message waiting to be sent, {sent} sent since start.",
            other="**Status** — version {version}, up {uptime}, last sync {last_sync}, {pending} messages waiting to be sent, {sent} sent since start.",
        ),
        "zh-TW": "**狀態** — 版本 {version}，已運作 {uptime}，最後同步 {last_sync}，待送訊息 {pending} 則，啟動後已送出 {sent} 則。",
    },
    "core.never": {"en": "never", "zh-TW": "尚未"},
    "core.seconds_ago": {"en": "{seconds} s ago", "zh-TW": "{seconds} 秒前"},
    "core.roomlang_set": {
        "en": "This room's announcements will be in {lang}.",
        "zh-TW": "這個聊天室的公告將使用 {lang}。",
    },
    "core.lang.en": {"en": "English", "zh-TW": "英文"},
    "core.lang.zh-TW": {"en": "Traditional Chinese", "zh-TW": "繁體中文"},
    "core.arg.command": {"en": "command", "zh-TW": "指令"},
}
