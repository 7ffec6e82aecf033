"""三张清单: the active template's lists as readable text, and the key posts."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QTextBrowser

from qingqing_desktop.services.changes import Changes
from qingqing_desktop.ui.common.pages import Page


def lists_html(template) -> str:
    """The lists as the issuing document numbers them: a heading, the intro, （1）（2）…, then the notes."""
    parts = [f"<p class='source'>{escape(template.name)}　{escape(template.document_number)}</p>"]
    for number, policy_list in enumerate(template.lists, start=1):
        parts.append(f"<h2>{number}．{escape(policy_list.title)}</h2>")
        if policy_list.intro:
            parts.append(f"<p>{escape(policy_list.intro)}</p>")
        for item_number, item in enumerate(policy_list.items, start=1):
            parts.append(f"<p class='item'>（{item_number}）{escape(item)}</p>")
        parts.extend(f"<p class='note'>{escape(note)}</p>" for note in policy_list.notes)
    rule = template.signing_rule
    parts.append("<h2>承诺书签订范围</h2>")
    who = [rank for rank, everyone in (("全体中层干部", rule.all_middle_cadres), ("全体一般工作人员", rule.all_staff))
           if everyone]
    if rule.key_posts:
        who.append("重点岗位的一般工作人员" if not rule.all_staff else "")
    parts.append(f"<p>{escape('、'.join(w for w in who if w))}须签订承诺书。</p>")
    if rule.key_posts:
        posts = "、".join(
            post + (f"（含{'、'.join(rule.synonyms_of(post))}）" if rule.synonyms_of(post) else "") for post in rule.key_posts
        )
        parts.append(f"<p>重点岗位：{escape(posts)}</p>")
    return "".join(parts)


_DOCUMENT_CSS = """
h2 { font-size: 15pt; margin-top: 18px; margin-bottom: 6px; color: #1f3b63; }
p { margin-top: 4px; margin-bottom: 4px; line-height: 150%; }
p.item { margin-left: 12px; }
p.note { color: #5b6470; margin-left: 12px; }
p.source { color: #5b6470; }
"""


class ListsPage(Page):
    title = "三张清单"
    icon_name = "lists"
    explanation = "现行政策模板规定的政商交往清单，供学习对照；如需改用其他地方的模板，请到“单位信息”页选择。"

    def __init__(self, workspace, parent=None):
        super().__init__(workspace, parent)
        self.browser = QTextBrowser()
        self.browser.setObjectName("document")
        self.browser.setOpenLinks(False)
        self.browser.document().setDefaultStyleSheet(_DOCUMENT_CSS)
        self.browser.document().setDocumentMargin(18)
        self.body.addWidget(self.browser, 1)
        self.ws.changed.connect(self._on_changed)
        self._show()

    def _on_changed(self, changes: Changes) -> None:
        if changes.template:
            self._show()

    def _show(self) -> None:
        self.browser.setHtml(lists_html(self.ws.template()))
