"""Policy templates written by the discipline office, kept in the database with their versions.

Each version's content is the template-file-shaped JSON (``domain.campaign.template_snapshot``)
that campaigns and 任务包 carry too, read back through the same validation. Every
write is audited (table ``office_template``, record = the template id) with what changed
field by field (``domain.template_draft.describe_changes``). Callers hold the transaction.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from qingqing_desktop.domain.campaign import template_snapshot
from qingqing_desktop.domain.policy import PolicyTemplate, template_from_dict
from qingqing_desktop.domain.template_draft import describe_changes
from qingqing_desktop.store import audit
from qingqing_desktop.store.database import Store, utc_now

AUDIT_TABLE = "office_template"


@dataclass(frozen=True)
class StoredTemplate:
    """One version of an office-made template."""

    template: PolicyTemplate
    based_on: str  # what it was started from (services.template_service.based_on_label); older ones by id
    published_at: str | None  # None: still a draft version, edited in place
    published_as: str  # what published it: “行动“……”” or “导出文件 ……toml”
    created_at: str
    updated_at: str

    @property
    def published(self) -> bool:
        return self.published_at is not None


def source_label(name: str, version: int) -> str:
    return f"本室制定的政策模板“{name}”（第{version}版）"


def _from_row(row: dict) -> StoredTemplate:
    template = template_from_dict(json.loads(row["content_json"]), source_label(row["name"], row["version"]))
    return StoredTemplate(template, row["based_on"], row["published_at"], row["published_as"], row["created_at"],
                          row["updated_at"])


_SELECT = """
    SELECT v.*, t.based_on FROM office_template_version v JOIN office_template t ON t.id = v.template_id
    WHERE t.deleted_at IS NULL
"""


def latest(store: Store, template_id: str) -> StoredTemplate | None:
    rows = list(store.query(_SELECT + " AND v.template_id = ? ORDER BY v.version DESC LIMIT 1", [template_id]))
    return _from_row(rows[0]) if rows else None


def get_version(store: Store, template_id: str, version: int) -> StoredTemplate | None:
    rows = list(store.query(_SELECT + " AND v.template_id = ? AND v.version = ?", [template_id, version]))
    return _from_row(rows[0]) if rows else None


def list_latest(store: Store) -> list[StoredTemplate]:
    """The newest version of every template, in the order they were made."""
    rows = store.query(
        _SELECT + " AND v.version = (SELECT MAX(version) FROM office_template_version w"
        " WHERE w.template_id = v.template_id) ORDER BY t.created_at, t.id"
    )
    return [_from_row(row) for row in rows]


def versions(store: Store, template_id: str) -> list[StoredTemplate]:
    """Every version of a template, the newest first."""
    rows = store.query(_SELECT + " AND v.template_id = ? ORDER BY v.version DESC", [template_id])
    return [_from_row(row) for row in rows]


def all_ids(store: Store) -> set[str]:
    """Ids ever used here, deleted templates included: an id is never given to another template."""
    return {row["id"] for row in store.query("SELECT id FROM office_template")}


def _content(template: PolicyTemplate) -> str:
    return json.dumps(template_snapshot(template), ensure_ascii=False, sort_keys=True)


def insert_template(store: Store, template: PolicyTemplate, *, based_on: str, operator: str, reason: str = "") -> None:
    """A new template with its first stored version (``template.version``, 1 unless imported)."""
    now = utc_now()
    store.db["office_template"].insert({"id": template.id, "based_on": based_on, "created_at": now,
                                        "updated_at": now})
    _insert_version(store, template, now)
    audit.record(store, operator=operator, table=AUDIT_TABLE, record_id=template.id, action="insert",
                 changes={"模板名称": (None, template.name), "版本": (None, template.version)},
                 reason=reason or (f"以{based_on}为底稿" if based_on else ""))


def _insert_version(store: Store, template: PolicyTemplate, now: str) -> None:
    store.db["office_template_version"].insert({
        "template_id": template.id, "version": template.version, "name": template.name,
        "content_json": _content(template), "published_at": None, "published_as": "", "created_at": now,
        "updated_at": now,
    })


def add_version(store: Store, template: PolicyTemplate, previous: PolicyTemplate, *, operator: str,
                reason: str = "") -> None:
    """Store ``template`` as a new version (its ``version`` is the new number) after ``previous``."""
    now = utc_now()
    _insert_version(store, template, now)
    store.db["office_template"].update(template.id, {"updated_at": now})
    changes = describe_changes(template_snapshot(previous), template_snapshot(template))
    audit.record(store, operator=operator, table=AUDIT_TABLE, record_id=template.id, action="update",
                 changes=changes, reason=reason or f"第{previous.version}版已发布，修改另存为第{template.version}版")


def update_draft(store: Store, template: PolicyTemplate, previous: PolicyTemplate, *, operator: str,
                 reason: str = "") -> dict:
    """Change a version not yet published, in place; returns what changed (nothing written when nothing did)."""
    changes = describe_changes(template_snapshot(previous), template_snapshot(template))
    if not changes:
        return changes
    now = utc_now()
    store.execute(
        "UPDATE office_template_version SET name = ?, content_json = ?, updated_at = ?"
        " WHERE template_id = ? AND version = ? AND published_at IS NULL",
        [template.name, _content(template), now, template.id, template.version],
    )
    store.db["office_template"].update(template.id, {"updated_at": now})
    audit.record(store, operator=operator, table=AUDIT_TABLE, record_id=template.id, action="update",
                 changes=changes, reason=reason)
    return changes


def mark_published(store: Store, template_id: str, version: int, published_as: str, *, operator: str) -> bool:
    """Freeze a version (from now on an edit makes a new one); False when it was published before."""
    cursor = store.execute(
        "UPDATE office_template_version SET published_at = ?, published_as = ?"
        " WHERE template_id = ? AND version = ? AND published_at IS NULL",
        [utc_now(), published_as, template_id, version],
    )
    if cursor.rowcount:
        audit.record(store, operator=operator, table=AUDIT_TABLE, record_id=template_id, action="update",
                     changes={f"第{version}版": ("草稿", "已发布")}, reason=published_as)
    return bool(cursor.rowcount)


def delete(store: Store, template_id: str, *, operator: str, reason: str = "") -> None:
    """Soft delete: campaigns made from it keep their own copy; its id is never reused."""
    now = utc_now()
    store.db["office_template"].update(template_id, {"deleted_at": now, "updated_at": now})
    audit.record(store, operator=operator, table=AUDIT_TABLE, record_id=template_id, action="delete", reason=reason)


def restore(store: Store, template_id: str, *, operator: str, reason: str = "") -> None:
    """Undo ``delete`` (a deleted template's file imported again)."""
    store.db["office_template"].update(template_id, {"deleted_at": None, "updated_at": utc_now()})
    audit.record(store, operator=operator, table=AUDIT_TABLE, record_id=template_id, action="update",
                 changes={"已删除": (True, False)}, reason=reason)
