"""三张清单: the active template's lists as readable text, who must sign and the pledge — read-only;
for a campaign from a 任务包, as the discipline office wrote them."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QTextBrowser

from qingqing_desktop.services import campaign_service
from qingqing_desktop.services.changes import Changes
from qingqing_desktop.ui.common.pages import Page


def lists_html(template, origin: str = "") -> str:
    """The lists as the issuing document numbers them: a heading, the intro, （1）（2）…, then the notes;
    who must sign, and the pledge. ``origin`` says where the template came from (a 任务包)."""
    parts = [f"<p class='source'>{escape(template.name)}　{escape(template.document_number)}</p>"]
    if origin:
        parts.append(f"<p class='source'>{escape(origin)}</p>")
    for number, policy_list in enumerate(template.lists, start=1):
        parts.append(f"<h2>{number}．{escape(policy_list.title)}</h2>")
        if policy_list.intro:
            parts.append(f"<p>{escape(policy_list.intro)}</p>")
        for item_number, item in enumerate(policy_list.items, start=1):
            parts.append(f"<p class='item'>（{item_number}）{escape(item)}</p>")
        parts.extend(f"<p class='note'>{escape(note)}</p>" for note in policy_list.notes)
    rule = template.signing_rule
    parts.append("<h2>承诺书签订范围</h2>")
    parts.append(f"<p>{escape(rule.who_must_sign() or '（模板未规定）')}须签订承诺书。</p>")
    if rule.key_posts:
        posts = "、".join(
            post + (f"（也作：{'、'.join(rule.synonyms_of(post))}）" if rule.synonyms_of(post) else "") for post in rule.key_posts
        )
        parts.append(f"<p>重点岗位：{escape(posts)}</p>")
    pledge = template.pledge
    parts.append(f"<h2>{escape(template.pledge_attachment_label)}　{escape(pledge.title)}</h2>")
    parts.append(f"<p>{escape(pledge.preamble)}</p>")
    parts.extend(f"<p class='item'>{number}．{escape(item)}</p>" for number, item in enumerate(pledge.items, start=1))
    if pledge.closing:
        parts.append(f"<p>{escape(pledge.closing)}</p>")
    return "".join(parts)


def origin_text(workspace) -> str:
    """Where the current campaign's template came from, when the discipline office sent it."""
    campaign = workspace.campaign()
    received = campaign_service.received_campaign(workspace.session, campaign.id) if campaign else None
    if received is None:
        return ""
    return (f"政策模板第{campaign.template_version}版，由{received.office_name}随任务包“{received.file_name}”发来；"
            "本单位只能查看，不能修改。")


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
    explanation = "现行政策模板规定的政商交往清单、承诺书的签订范围和正文，供学习对照（只读）。"

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
        if changes.template or changes.filing:  # a 任务包 imported is a filing change
            self._show()

    def _show(self) -> None:
        self.browser.setHtml(lists_html(self.ws.template(), origin_text(self.ws)))
