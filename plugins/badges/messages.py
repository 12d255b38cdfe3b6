"""Every text of the badges plugin, in English and Traditional Chinese (Markdown templates)."""

MESSAGES: dict[str, dict[str, str]] = {
    "badges.title": {"en": "Badge and consent", "zh-TW": "名牌與同意"},
    # help
    "badges.help.me": {"en": "show my badge and settings", "zh-TW": "顯示我的名牌與設定"},
    "badges.help.me_name": {"en": "the name on my badge", "zh-TW": "設定名牌上的名字"},
    "badges.help.me_pronouns": {
        "en": "my pronouns (how to address me)",
        "zh-TW": "設定我的代名詞（希望被稱呼的方式）",
    },
    "badges.help.me_photo": {
        "en": "whether I may be photographed",
        "zh-TW": "設定是否同意被拍照（肖像權）",
    },
    "badges.help.me_approach": {
        "en": "green: come and talk to me; yellow: ask first / only people I know; red: please don't approach, I'll come to you",
        "zh-TW": "綠色：歡迎來聊；黃色：請先詢問／只和認識的人互動；紅色：請勿主動接近，我會去找您",
    },
    "badges.help.me_lang": {"en": "the language I answer you in", "zh-TW": "設定我回覆您的語言"},
    "badges.help.me_tz": {
        "en": "my time zone for times shown to me",
        "zh-TW": "設定顯示時間用的時區",
    },
    "badges.help.me_clear": {
        "en": "remove one field of my badge or settings",
        "zh-TW": "清除名牌或設定中的一個欄位",
    },
    "badges.help.badge": {
        "en": "someone's badge (only what they set)",
        "zh-TW": "查看某人的名牌（只顯示對方填寫的內容）",
    },
    "badges.help.consent": {
        "en": 'my default for notes: quoted with my name / as "a participant" / not at all',
        "zh-TW": "我在共同筆記中的預設：具名引用／以「一位參與者」引用／不引用",
    },
    "badges.forgets": {
        "en": "your badge (name, pronouns, photo, approach), and your consent answers and their history",
        "zh-TW": "您的名牌（名字、代名詞、拍照、社交距離），以及您的同意設定及其紀錄",
    },
    "badges.help.export": {
        "en": "the whole event's data as a zip archive (direct chat)",
        "zh-TW": "將整個活動的資料匯出為 zip 壓縮檔（私訊）",
    },
    # badge card
    "badges.me_header": {"en": "**Your badge**", "zh-TW": "**您的名牌**"},
    "badges.me_hint": {
        "en": "Change a field with `!me name <text>`, `!me pronouns <text>`, `!me photo yes|no`, `!me approach green|yellow|red`, `!me lang en|zh-TW`, `!me tz <Area/City>`; remove one with `!me clear <field>` (deleting the message that set it does the same).",
        "zh-TW": "修改欄位：`!me name <文字>`、`!me pronouns <文字>`、`!me photo yes|no`、`!me approach green|yellow|red`、`!me lang en|zh-TW`、`!me tz <地區/城市>`；清除欄位：`!me clear <欄位>`（刪除當初設定它的訊息亦同）。",
    },
    "badges.other_header": {"en": "**Badge of {user}**", "zh-TW": "**{user} 的名牌**"},
    "badges.other_empty": {
        "en": "{user} has not filled in a badge.",
        "zh-TW": "{user} 尚未填寫名牌。",
    },
    "badges.line.name": {"en": "Name: {value}", "zh-TW": "名字：{value}"},
    "badges.line.pronouns": {"en": "Pronouns: {value}", "zh-TW": "代名詞：{value}"},
    "badges.line.photo": {"en": "Photos: {value}", "zh-TW": "拍照：{value}"},
    "badges.line.approach": {"en": "Approach: {value}", "zh-TW": "社交距離：{value}"},
    "badges.line.lang": {"en": "Language: {value}", "zh-TW": "語言：{value}"},
    "badges.line.tz": {"en": "Time zone: {value}", "zh-TW": "時區：{value}"},
    "badges.line.consent": {"en": "Notes (default): {value}", "zh-TW": "共同筆記（預設）：{value}"},
    "badges.unset": {"en": "(not set)", "zh-TW": "（未設定）"},
    "badges.photo.yes": {"en": "OK to photograph", "zh-TW": "可以拍照"},
    "badges.photo.no": {"en": "please do not photograph", "zh-TW": "請勿拍照"},
    "badges.approach.green": {
        "en": "{marker} green: come and talk to me",
        "zh-TW": "{marker} 綠色：歡迎來聊",
    },
    "badges.approach.yellow": {
        "en": "{marker} yellow: ask first / only people I know",
        "zh-TW": "{marker} 黃色：請先詢問／只和認識的人互動",
    },
    "badges.approach.red": {
        "en": "{marker} red: please don't approach, I'll come to you",
        "zh-TW": "{marker} 紅色：請勿主動接近，我會去找您",
    },
    "badges.field.name": {"en": "name", "zh-TW": "名字"},
    "badges.field.pronouns": {"en": "pronouns", "zh-TW": "代名詞"},
    "badges.field.photo": {"en": "photos", "zh-TW": "拍照"},
    "badges.field.approach": {"en": "approach", "zh-TW": "社交距離"},
    "badges.field.lang": {"en": "language", "zh-TW": "語言"},
    "badges.field.tz": {"en": "time zone", "zh-TW": "時區"},
    "badges.saved": {"en": "Saved. {field}: {value}", "zh-TW": "已儲存。{field}：{value}"},
    "badges.cleared": {"en": "Cleared: {field}.", "zh-TW": "已清除：{field}。"},
    "badges.lang_set": {
        "en": "From now on I answer you in {lang}.",
        "zh-TW": "從現在起我會用{lang}回覆您。",
    },
    "badges.tz_set": {"en": "Your time zone is now {tz}.", "zh-TW": "您的時區已設為 {tz}。"},
    "badges.unknown_field": {
        "en": "`{value}` is not a badge field. Fields: {fields}.",
        "zh-TW": "`{value}` 不是名牌欄位。可用欄位：{fields}。",
    },
    "badges.name_not_id": {
        "en": "A badge name cannot start with @ or look like a Matrix ID. Please use the name people call you.",
        "zh-TW": "名牌上的名字不能以 @ 開頭或看起來像 Matrix ID。請填寫大家稱呼您的名字。",
    },
    # consent
    "badges.consent.attributed": {"en": "quote me with my name", "zh-TW": "具名引用我的發言"},
    "badges.consent.anonymous": {
        "en": 'quote me as "a participant"',
        "zh-TW": "以「一位參與者」引用我的發言",
    },
    "badges.consent.none": {"en": "do not quote me at all", "zh-TW": "完全不引用我的發言"},
    "badges.consent_set": {
        "en": "Your default for notes is now: {meaning}. A session's consent prompt can override it for that session.",
        "zh-TW": "您在共同筆記中的預設已改為：{meaning}。每個議程開始時的同意詢問可以只針對該議程另外設定。",
    },
    "badges.consent_current": {
        "en": "Your default for notes: {meaning}.",
        "zh-TW": "您在共同筆記中的預設：{meaning}。",
    },
    "badges.consent_hint": {
        "en": "Change it with `!consent attributed`, `!consent anonymous` or `!consent none`. Until you answer, you are not quoted. Deleting your `!consent` message takes that answer back.",
        "zh-TW": "可用 `!consent attributed`（具名）、`!consent anonymous`（匿名）或 `!consent none`（不引用）修改。在您回答之前，您的發言不會被引用。刪除您的 `!consent` 訊息即撤回該回答。",
    },
    "badges.prompt": {
        "en": '**Notes of session #{id} {title}: may we quote you?**\n\nReact with ✅ to be quoted with your name, 👤 as "a participant", 🚫 not at all. This answer counts for this session only and overrides your default (`!consent`); remove your reaction to go back to your default. Without any answer you are not quoted.',
        "zh-TW": "**議程 #{id} {title} 的共同筆記：可以引用您的發言嗎？**\n\n請按表情回應：✅ 具名引用、👤 以「一位參與者」引用、🚫 不引用。這個回答只適用於本議程，並優先於您的預設（`!consent`）；收回表情即回到預設。沒有回答就不會引用您的發言。",
    },
    # export
    "badges.export_ready": {
        "en": "The event's data (from: {plugins}) as a zip of JSON and Markdown. It holds personal data: keep it safe.",
        "zh-TW": "活動資料（來源：{plugins}），為 JSON 與 Markdown 的 zip 壓縮檔。內含個人資料，請妥善保管。",
    },
}
