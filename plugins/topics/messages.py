"""The topics plugin's texts (English and Traditional Chinese). Templates are Markdown."""

from bot.i18n import Plural, Template

MESSAGES: dict[str, dict[str, Template]] = {
    "topics.forgets": {
        "en": "your votes (the counts stay, anonymised) and your name on the topics you proposed",
        "zh-TW": "您的投票（票數保留但匿名化），以及您提案的議題上的名字",
    },
    "topics.title": {"en": "Topics", "zh-TW": "議題"},
    "topics.help.propose": {
        "en": "Propose a topic; a description may follow on the next lines.",
        "zh-TW": "提出議題；可在下一行起加上說明。",
    },
    "topics.help.topics": {
        "en": "Open topics, most votes first (`all`: withdrawn and merged ones too).",
        "zh-TW": "列出開放中的議題，票數多的在前（加 `all`：連同已撤回與已合併的）。",
    },
    "topics.help.vote": {
        "en": "Vote for one or more topics (a 👍 on the topic's announcement does the same).",
        "zh-TW": "為一個或多個議題投票（在議題公告按 👍 也算）。",
    },
    "topics.help.unvote": {
        "en": "Take back your vote for a topic.",
        "zh-TW": "收回您對某議題的投票。",
    },
    "topics.help.withdraw": {
        "en": "Withdraw a topic (its proposer or an organizer).",
        "zh-TW": "撤回議題（限提案人或主辦人）。",
    },
    "topics.help.retitle": {
        "en": "Change a topic's title (its proposer or an organizer).",
        "zh-TW": "修改議題標題（限提案人或主辦人）。",
    },
    "topics.help.merge": {
        "en": "Merge a topic into another: votes and sign-ups move along.",
        "zh-TW": "將一個議題合併到另一個：票數與報名一併移過去。",
    },
    "topics.not_found": {
        "en": "There is no topic #{id}. Type {topics} to see them all.",
        "zh-TW": "沒有 #{id} 這個議題。輸入 {topics} 查看所有議題。",
    },
    "topics.former_participant": {"en": "a former participant", "zh-TW": "一位前參與者"},
    "topics.too_many_open": {
        "en": Plural(
            "limit",
            one="You already have {limit} open topic, the most one person may have. Withdraw it "
            "({withdraw}) or ask an organizer.",
            other="You already have {limit} open topics, the most one person may have. Withdraw one "
            "({withdraw}) or ask an organizer.",
        ),
        "zh-TW": "您已有 {limit} 個開放中的議題，這是每人的上限。請先撤回一個（{withdraw}），或洽詢主辦人。",
    },
    "topics.title_too_long": {
        "en": "The title is too long ({length} characters; at most {maximum}). Put the details on the next "
        "lines as a description.",
        "zh-TW": "標題太長了（{length} 個字元，上限 {maximum}）。請把細節寫在下一行作為說明。",
    },
    "topics.announced": {
        "en": "**#{id} {title}** — proposed by {proposer}",
        "zh-TW": "**#{id} {title}** — 由 {proposer} 提出",
    },
    "topics.vote_hint": {
        "en": "React with 👍 to this message to vote (or type {vote}).",
        "zh-TW": "在這則訊息按 👍 即可投票（或輸入 {vote}）。",
    },
    "topics.none_yet": {
        "en": "No topics yet. Propose one with {propose}.",
        "zh-TW": "目前還沒有議題。用 {propose} 提出一個吧。",
    },
    "topics.none_open": {
        "en": "No open topics right now; {topics} shows the withdrawn and merged ones.",
        "zh-TW": "目前沒有開放中的議題；{topics} 可查看已撤回與已合併的議題。",
    },
    "topics.list_header": {
        "en": "**Open topics** ({count}), most votes first:",
        "zh-TW": "**開放中的議題**（{count} 個），票數多的在前：",
    },
    "topics.list_all_header": {
        "en": "**All topics** ({count}), most votes first:",
        "zh-TW": "**所有議題**（{count} 個），票數多的在前：",
    },
    "topics.line": {
        "en": "**#{id}** {title} — {proposer} · 👍 {votes} · {state}",
        "zh-TW": "**#{id}** {title} — {proposer} · 👍 {votes} · {state}",
    },
    "topics.ref": {"en": "#{id} {title}", "zh-TW": "#{id} {title}"},
    "topics.state.proposed": {"en": "proposed", "zh-TW": "已提案"},
    "topics.state.scheduled": {"en": "scheduled", "zh-TW": "已排入議程"},
    "topics.state.merged": {"en": "merged", "zh-TW": "已合併"},
    "topics.state.withdrawn": {"en": "withdrawn", "zh-TW": "已撤回"},
    "topics.state.merged_into": {"en": "merged into #{id}", "zh-TW": "已合併至 #{id}"},
    "topics.closed": {
        "en": "{topic} is {state}; it cannot take votes or changes any more.",
        "zh-TW": "{topic} {state}，無法再投票或修改。",
    },
    "topics.not_yours": {
        "en": "Only the proposer of #{id} or an organizer may use {command} on it.",
        "zh-TW": "只有 #{id} 的提案人或主辦人可以對它使用 {command}。",
    },
    "topics.voted": {"en": "Voted for {topics}.", "zh-TW": "已投票給 {topics}。"},
    "topics.already_voted": {
        "en": "You already vote for {topics}.",
        "zh-TW": "您已經投票給 {topics}。",
    },
    "topics.not_voted": {"en": "You do not vote for {topic}.", "zh-TW": "您沒有投票給 {topic}。"},
    "topics.unvoted": {"en": "Vote for {topic} taken back.", "zh-TW": "已收回對 {topic} 的投票。"},
    "topics.votes_held": {
        "en": Plural("count", one="You vote for {count} topic.", other="You vote for {count} topics."),
        "zh-TW": "您目前投票給 {count} 個議題。",
    },
    "topics.votes_held_of": {
        "en": Plural("limit", one="You use {count} of your {limit} vote.", other="You use {count} of your {limit} votes."),
        "zh-TW": "您已使用 {limit} 票中的 {count} 票。",
    },
    "topics.out_of_votes": {
        "en": Plural(
            "limit",
            one="You have used your {limit} vote: {held}. Take it back with {unvote} first.",
            other="You have used all your {limit} votes: {held}. Take one back with {unvote} first.",
        ),
        "zh-TW": "您的 {limit} 票都用完了：{held}。請先用 {unvote} 收回一票。",
    },
    "topics.no_votes": {"en": "none", "zh-TW": "無"},
    "topics.reaction_refused": {
        "en": "{who}, your 👍 was not counted.",
        "zh-TW": "{who}，您的 👍 沒有計入。",
    },
    "topics.withdrawn": {"en": "{topic} is withdrawn.", "zh-TW": "{topic} 已撤回。"},
    "topics.edit_not_applied": {
        "en": "Editing your message does not change topic #{id}. To change its title: {retitle}",
        "zh-TW": "編輯訊息不會更改議題 #{id}。要修改標題請用：{retitle}",
    },
    "topics.retitled": {
        "en": "#{id} is now titled **{title}** (was: {old}).",
        "zh-TW": "#{id} 的標題已改為 **{title}**（原為：{old}）。",
    },
    "topics.retitle_unchanged": {
        "en": "#{id} is already titled **{title}**; nothing changed.",
        "zh-TW": "#{id} 的標題已經是 **{title}**，沒有變更。",
    },
    "topics.merge_same": {
        "en": "#{id} cannot be merged into itself. Name two different topics.",
        "zh-TW": "#{id} 不能合併到自己。請指定兩個不同的議題。",
    },
    "topics.merged": {
        "en": Plural(
            "votes",
            one="{source} is merged into {target}, which now has {votes} vote.",
            other="{source} is merged into {target}, which now has {votes} votes.",
        ),
        "zh-TW": "{source} 已合併至 {target}，目前共 {votes} 票。",
    },
    "topics.removed_title": {"en": "(proposal removed)", "zh-TW": "（提案訊息已刪除）"},
}
