"""How two policy templates differ, in the words a clerk reads: shown before a campaign made here
adopts the office's 任务包 (whose template then applies). Pure: no I/O, no Qt."""

from __future__ import annotations

from collections.abc import Iterator

from qingqing_desktop.domain.campaign import template_snapshot
from qingqing_desktop.domain.policy import PolicyTemplate
from qingqing_desktop.domain.text import shortened

# The snapshot's keys as the template editor and the printed forms call them.
_LABELS = {
    "name": "模板名称", "issuer": "发文单位", "document_number": "文号",
    "submission": "报送要求", "recipient": "报送对象", "deadline_wording": "报送时限", "default_deadline": "默认截止日期",
    "lists": "清单", "key": "编号", "intro": "说明", "notes": "注",
    "pledge": "承诺书", "attachment_label": "附件标号", "title": "标题", "scope": "适用范围", "content": "正文",
    "preamble": "开头", "items": "条目", "closing": "结尾", "unit_post_label": "单位职务栏", "signer_label": "签名栏",
    "signing_rule": "须签订规则", "all_middle_cadres": "全体中层干部须签订", "key_posts": "重点岗位",
    "all_staff": "全体人员须签订", "synonyms": "重点岗位的别称",
    "summary_table": "附件2 汇总表", "columns": "栏目", "unit_label": "单位栏", "instructions": "填报说明",
    "self_check": "附件3 自查表", "leader_label": "负责人栏", "rows": "行",
}
# Bookkeeping, not wording: a template's id and version number say nothing a clerk prints.
_IGNORED = {"id", "version", "extends", "source"}
MAX_DIFFERENCES = 60
# What a unit prints and who must sign come first; the lists and the template's own header after.
_ORDER = ("pledge", "signing_rule", "summary_table", "self_check", "lists", "submission")


def _short(value: object, limit: int = 40) -> str:
    if value in (None, "", [], {}):
        return "（无）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (list, tuple)):
        value = "、".join(str(v) for v in value)
    return shortened(str(value).replace("\n", " "), limit)


def _walk(old: object, new: object, path: str) -> Iterator[str]:
    if old == new:
        return
    if isinstance(old, dict) and isinstance(new, dict):
        for key in dict.fromkeys([*old, *new]):
            if key not in _IGNORED:
                label = _LABELS.get(key, key)
                yield from _walk(old.get(key), new.get(key), f"{path}·{label}" if path else label)
        return
    if isinstance(old, list) and isinstance(new, list) and (
        any(isinstance(v, dict) for v in [*old, *new]) or len(old) != len(new) or len(old) > 1
    ):
        for index in range(max(len(old), len(new))):
            before = old[index] if index < len(old) else None
            after = new[index] if index < len(new) else None
            where = f"第{index + 1}张清单" if path == _LABELS["lists"] else f"{path}第{index + 1}条"
            yield from _walk(before, after, where)
        return
    yield f"{path}：{_short(old)} → {_short(new)}"


def template_differences(current: PolicyTemplate, incoming: PolicyTemplate) -> list[str]:
    """One line per wording that differs (“承诺书·条目第3条：… → …”), at most MAX_DIFFERENCES and a count of the rest."""
    old, new = template_snapshot(current), template_snapshot(incoming)
    keys = [*_ORDER, *(k for k in dict.fromkeys([*old, *new]) if k not in _ORDER)]
    lines = [line for key in keys if key not in _IGNORED
             for line in _walk(old.get(key), new.get(key), _LABELS.get(key, key))]
    if len(lines) > MAX_DIFFERENCES:
        rest = len(lines) - MAX_DIFFERENCES
        lines = [*lines[:MAX_DIFFERENCES], f"……另有 {rest} 处不同"]
    return lines
