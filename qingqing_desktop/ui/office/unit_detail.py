"""One unit's filing at the office: where it stands, the files it delivered, its pledges and 自查表
as filed, every delivery and every 退回/确认 — and the two decisions, 退回修改 and 确认无误."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from qingqing_desktop.domain.dates import chinese_date, chinese_date_time, local_time, to_local
from qingqing_desktop.domain.errors import QingqingError
from qingqing_desktop.domain.office import DeliverySource, ReviewState, clock_note
from qingqing_desktop.domain.pledge import PledgeRow
from qingqing_desktop.domain.selfcheck import Finding
from qingqing_desktop.exchange.return_file import return_file_name
from qingqing_desktop.services import office_service
from qingqing_desktop.services.office_service import UnitDetail
from qingqing_desktop.ui.common import messages
from qingqing_desktop.ui.common.file_dialogs import RETURN_FILTER, ask_save_file
from qingqing_desktop.ui.common.forms import ReasonDialog
from qingqing_desktop.ui.common.record_table import Column, RecordTableModel, number_text
from qingqing_desktop.ui.common.resources import set_style_property
from qingqing_desktop.ui.common.settings import LAST_EXCHANGE_DIR, remember_geometry
from qingqing_desktop.ui.common.tables import WrappedRows, setup_table, size_columns_from_sample
from qingqing_desktop.ui.common.workspace import Workspace
from qingqing_desktop.ui.office.board_model import source_text, state_text
from qingqing_desktop.ui.office.delivery_documents import DeliveredDocuments
from qingqing_desktop.ui.office.office_commands import BOARD_CHANGED
from qingqing_desktop.ui.office.package_import import FILE_COLUMN_MAX


def _yes_no(value: bool) -> str:
    return "是" if value else "否"


PLEDGE_COLUMNS = (
    Column("姓名", lambda r: r.name),
    Column("职务类别", lambda r: r.rank.value),
    Column("工作岗位/分管工作", lambda r: r.post),
    Column("是否党员", lambda r: _yes_no(r.party_member), centred=True),
    Column("须签订", lambda r: _yes_no(r.required), centred=True, tooltip=lambda r: r.reason),
    Column("签订情况", lambda r: r.status.value),
    Column("签订日期", lambda r: chinese_date(r.signed_on), sort=lambda r: r.signed_on),
    Column("扫描件", lambda r: "有" if r.scan_sha256 else "", centred=True),
    Column("说明", lambda r: r.status_reason or r.override_reason),
)


def _rectification(finding: Finding) -> str:
    if finding.done_on:
        return f"已完成（{chinese_date(finding.done_on)}）" + (f"：{finding.done_note}" if finding.done_note else "")
    return finding.state(dt.date.today()).value


FINDING_COLUMNS = (
    Column("行", lambda f: f"第{f.row}行", sort=lambda f: f.row, centred=True),
    Column("存在问题", lambda f: f.problem),
    Column("整改措施", lambda f: f.measure),
    Column("责任人", lambda f: f.owner_name),
    Column("整改时限", lambda f: chinese_date(f.due), sort=lambda f: f.due),
    Column("整改情况", _rectification),
)

SUMMARY_COLUMNS = (  # records: (序号, SummaryRow)
    Column("序号", lambda r: str(r[0]), sort=lambda r: r[0], centred=True),
    Column("姓名", lambda r: r[1].name),
    Column("职务", lambda r: r[1].rank),
    Column("工作岗位", lambda r: r[1].post),
    Column("是否党员", lambda r: _yes_no(r[1].party_member), centred=True),
)

DELIVERY_COLUMNS = (
    Column("文件", lambda d: d.file_name),
    Column("来源", lambda d: d.source.label),
    Column("版次", lambda d: f"第{d.revision}版", sort=lambda d: d.revision, centred=True),
    Column("生成时间", lambda d: local_time(d.created_at), sort=lambda d: d.created_at),
    Column("导入时间", lambda d: local_time(d.imported_at), sort=lambda d: d.imported_at),
    Column("处理结果", lambda d: d.outcome.label),
    Column("变化", lambda d: "" if d.changes.empty else d.changes.summary()),
)

REVIEW_COLUMNS = (  # 意见 last: it takes the room left and wraps, a 退回 is read in full
    Column("时间", lambda r: local_time(r.at), sort=lambda r: r.at),
    Column("版次", lambda r: f"第{r.revision}版", sort=lambda r: r.revision, centred=True),
    Column("结果", lambda r: r.state.value),
    Column("经办人", lambda r: r.operator),
    Column("意见", lambda r: r.comment),
)


class ReadOnlyTable(QTableView):
    """A table of records as filed: nothing to edit, columns sized from what is in them.

    A text longer than its column (a 退回 意见, a 存在问题, a 说明) wraps onto more lines of its row
    rather than being cut short; the last column takes the room left. Each cell's tooltip has it whole."""

    def __init__(self, columns, parent: QWidget | None = None, *, widest: int = 300):
        super().__init__(parent)
        self.records_model = RecordTableModel(columns, self)
        self.setModel(self.records_model)
        self.widest = widest
        setup_table(self)
        self.setWordWrap(True)
        # fitted again when a column's width changes (the dialog resized, the last column stretched)
        self.rows = WrappedRows(self, lambda row: [
            self.records_model.text(row, column) for column in range(self.records_model.columnCount())])

    def set_records(self, records) -> None:
        self.records_model.set_rows(records)
        size_columns_from_sample(self, maximum=self.widest, last_fills=True)
        self.rows.fit()

    def texts(self) -> list[tuple[str, ...]]:
        model = self.records_model
        return [tuple(model.text(r, c) for c in range(model.columnCount())) for r in range(model.rowCount())]


def _tab(widgets: list[QWidget]) -> QWidget:
    page = QWidget()
    layout = QVBoxLayout(page)
    layout.setContentsMargins(8, 8, 8, 8)
    for widget in widgets:
        layout.addWidget(widget, 1 if isinstance(widget, QTableView) else 0)
    return page


def _note(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setObjectName("hint")
    label.setWordWrap(True)
    return label


def facts_text(detail: UnitDetail) -> str:
    row = detail.row
    if not row.delivered:
        return "尚未报送。" + ("截止日期已过。" if row.overdue else "")
    parts = [f"第{row.revision}版", source_text(row), f"报送于 {chinese_date_time(to_local(row.delivered_at))}", row.on_time_label]
    if row.pledges_required is not None:
        parts.append(f"承诺书应签 {row.pledges_required} 人，已签 {row.signed_text}，"
                     f"未签 {number_text(row.pledges_outstanding)} 人")
    else:
        parts.append(f"汇总表 {row.pledges_signed} 人")
    if row.findings_open is not None:
        parts.append(f"自查问题 {row.findings_open + row.findings_done} 条（未整改 {row.findings_open}）")
    return "　·　".join(p for p in parts if p)


def notes_text(detail: UnitDetail) -> str:
    row, unit = detail.row, detail.unit
    notes = []
    if row.changes:
        notes.append(f"本版与上一版相比：{row.changes}")
    if row.returned:
        notes.append(f"第{row.revision}版已退回，等待该单位报送更正后的新版本。")
    if row.conflicts:
        notes.append(f"另有 {row.conflicts} 个同一版次、内容不同的报送包没有采用（冲突），见“报送与审核记录”。")
    if unit.reported_name and unit.reported_name != unit.name:
        notes.append(f"该单位在报送包中的名称为“{unit.reported_name}”。")
    if row.signed is False:
        notes.append("数据来自Excel汇总表，没有签名，也没有自查表。")
    if row.stated_at:
        notes.append(clock_note(row.stated_at, row.delivered_at))
    if unit.fingerprint:
        notes.append(f"签名密钥指纹：{unit.fingerprint}（应与该单位盖章的汇总表页脚一致）")
    if not row.expected:
        notes.append("该单位不在应报单位名单中；如应当报送，请在菜单“纪委 → 应报单位名单…”中添加。")
    return "\n".join(notes)


def rekey_tooltip(detail: UnitDetail) -> str:
    if detail.unit.fingerprint:
        return "该单位换了电脑或重装了程序：电话核对新的密钥指纹后登记，此后只接受新密钥签名的报送包"
    if detail.row.delivered:  # Excel only: signed by nobody
        return "该单位只交来Excel汇总表（没有签名），还没有登记密钥；它第一次交来报送包时，密钥自动登记。"
    return "该单位还没有交来报送包，还没有登记密钥；第一次导入它的报送包时，密钥自动登记。"


class UnitDetailDialog(QDialog):
    def __init__(self, workspace: Workspace, office_unit_id: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.resize(1160, 760)
        self._ws = workspace
        self.office_unit_id = office_unit_id
        self.detail: UnitDetail | None = None
        layout = QVBoxLayout(self)
        layout.addLayout(self._heading())
        layout.addWidget(self.facts)
        layout.addWidget(self.notes)
        layout.addWidget(self._tabs(), 1)
        layout.addWidget(self._buttons())
        workspace.changed.connect(self._on_changed)
        self.load()
        remember_geometry(self, workspace.settings)

    def _heading(self) -> QHBoxLayout:
        self.title = QLabel()
        self.title.setObjectName("detailTitle")
        self.state = QLabel()
        self.state.setObjectName("reviewState")
        self.facts = QLabel()
        self.facts.setObjectName("progressText")
        self.facts.setWordWrap(True)
        self.notes = _note()
        self.notes.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        top = QHBoxLayout()
        top.setSpacing(12)
        top.addWidget(self.title)
        top.addWidget(self.state, 0, Qt.AlignmentFlag.AlignVCenter)
        top.addStretch(1)
        return top

    def _tabs(self) -> QTabWidget:
        self.documents = DeliveredDocuments(self._ws)
        self.pledges = ReadOnlyTable(PLEDGE_COLUMNS)
        self.self_check_header = _note()
        self.findings = ReadOnlyTable(FINDING_COLUMNS)
        self.summary = ReadOnlyTable(SUMMARY_COLUMNS)
        self.deliveries = ReadOnlyTable(DELIVERY_COLUMNS, widest=FILE_COLUMN_MAX)  # a file name whole, 版次 and all
        self.reviews = ReadOnlyTable(REVIEW_COLUMNS)
        self.reviews_title = QLabel("退回与确认：")
        self.tabs = QTabWidget()
        self.tabs.addTab(self.documents, "报送材料")
        self.tabs.addTab(_tab([self.pledges]), "承诺书签订")
        self.tabs.addTab(_tab([self.self_check_header, self.findings]), "自查表")
        self.tabs.addTab(_tab([_note("附件2《承诺书签订情况汇总表》，按报送的数据列出（已签订的人员）。"), self.summary]),
                         "汇总表（附件2）")
        self.tabs.addTab(_tab([QLabel("收到的文件（最新的在前）："), self.deliveries, self.reviews_title, self.reviews]),
                         "报送与审核记录")
        return self.tabs

    def _buttons(self) -> QDialogButtonBox:
        self.return_button = QPushButton("退回修改…")
        self.return_button.setToolTip("写明要修改的地方，生成退回文件交给该单位")
        self.return_button.clicked.connect(self.return_filing)
        self.confirm_button = QPushButton("确认无误")
        self.confirm_button.setObjectName("primary")
        self.confirm_button.clicked.connect(self.confirm_filing)
        self.rekey_button = QPushButton("重新登记密钥…")
        self.rekey_button.clicked.connect(self.register_new_key)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.rekey_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.return_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.confirm_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        return buttons

    def _on_changed(self, changes) -> None:
        if changes.filing:
            self.load()

    def load(self) -> None:
        try:
            detail = office_service.unit_detail(self._ws.session, self.office_unit_id)
        except QingqingError as exc:
            messages.show_error(self, exc)
            return
        self.detail = detail
        row = detail.row
        self.setWindowTitle(f"{detail.unit.name} — 报送详情")
        self.title.setText(detail.unit.name)
        self.state.setText(state_text(row))
        state = "confirmed" if row.confirmed else "returned" if row.returned else "overdue" if row.overdue else \
            "pending" if row.delivered else ""
        set_style_property(self.state, "state", state)
        self.facts.setText(facts_text(detail))
        notes = notes_text(detail)
        self.notes.setText(notes)
        self.notes.setVisible(bool(notes))

        self.documents.load(detail)
        self._load_pledges(detail.pledges)
        self._load_self_check(detail)
        self.summary.set_records(list(enumerate(detail.summary_rows, start=1)))
        self.tabs.setTabText(3, f"汇总表（附件2，{len(detail.summary_rows)}人）")
        self.deliveries.set_records(detail.deliveries)
        self.reviews.set_records(detail.reviews)
        self.reviews_title.setText("退回与确认：" if detail.reviews else "退回与确认：（还没有）")
        self.return_button.setEnabled(row.delivered and not row.returned)
        self.confirm_button.setEnabled(row.state is ReviewState.PENDING)
        # Only a key once registered can be replaced: a unit's first 报送包 registers its key by itself.
        self.rekey_button.setEnabled(bool(detail.unit.fingerprint))
        self.rekey_button.setToolTip(rekey_tooltip(detail))

    def _load_pledges(self, pledges: tuple[PledgeRow, ...]) -> None:
        self.pledges.set_records(pledges)
        self.tabs.setTabEnabled(1, bool(pledges))
        self.tabs.setTabText(1, f"承诺书签订（{len(pledges)}人）" if pledges else "承诺书签订")

    def _load_self_check(self, detail: UnitDetail) -> None:
        check = detail.self_check
        self.tabs.setTabEnabled(2, check is not None)
        if check is None:
            self.findings.set_records([])
            self.self_check_header.clear()
            self.tabs.setTabText(2, "自查表")
            return
        rows = "；".join(
            f"第{row.number}行：{len(row.findings)}条问题" if row.findings else f"第{row.number}行：无"
            for row in check.rows
        )
        filled = chinese_date(check.filled_on, "未填")
        self.self_check_header.setText(f"填报单位：{check.unit_name}　单位负责人：{check.leader}　填报日期：{filled}\n{rows}")
        self.findings.set_records(check.findings)
        self.tabs.setTabText(2, f"自查表（{len(check.findings)}条问题）")

    # ---------------------------------------------------------------- decisions

    def return_filing(self) -> ReasonDialog | None:
        detail = self.detail
        if detail is None or detail.current is None:
            return None
        unit, revision = detail.unit, detail.current.revision
        with_file = detail.current.source is DeliverySource.PACKAGE
        intro = (f"退回“{unit.name}”报送的第{revision}版。请逐条写明需要修改的地方。"
                 + ("确定后保存一个退回文件，请拷贝到U盘交给该单位；该单位导入后看到这些意见，"
                    f"其报送重新打开为第{revision + 1}版，修改后重新报送。" if with_file else
                    "该单位用Excel报送，没有退回文件：意见只记录在本机，请另行通知该单位。"))
        draft = office_service.return_draft(detail)
        if draft:
            intro += "\n\n下面已按报送的数据列出未签订承诺书的人员和逾期未整改的问题，请核对并补充。"
        dialog = ReasonDialog("退回修改", intro, "退回意见", "退回并保存退回文件…" if with_file else "退回",
                              placeholder="如：1. 张伟（竣工验收岗位）未签订承诺书，请补签；\n2. 自查表第二行的整改时限晚于行动截止日期。",
                              multiline=True, lines=6, parent=self)
        # What the filing itself shows is missing, written out for the reviewer to check and add to.
        dialog.reason.setPlainText(draft)
        dialog.reason.moveCursor(QTextCursor.MoveOperation.End)

        def submit():
            target = None
            if with_file:
                target = self._ask_return_path(detail)
                if target is None:
                    return False  # the dialog stays open with the comment typed
            result = office_service.return_filing(self._ws.session, unit.id, dialog.text(), target)
            self._ws.notify(BOARD_CHANGED)
            if result.path is not None:
                # once the dialog has closed (``accepted`` follows its hiding), not over it
                dialog.accepted.connect(lambda: messages.file_saved(
                    self, result.path, f"已退回“{unit.name}”第{revision}版。\n\n退回文件：{result.path.name}\n"
                    "请拷贝到U盘交给该单位，由其在“报送与接收”页点“导入退回意见…”。"))
            return True

        dialog.on_submit(submit)
        dialog.open()
        return dialog

    def _ask_return_path(self, detail: UnitDetail) -> Path | None:
        campaign = self._ws.campaign()
        name = return_file_name(detail.unit.reported_name or detail.unit.name, campaign.title,
                                detail.current.revision, campaign.template.issuer)
        return ask_save_file(self, self._ws.settings, LAST_EXCHANGE_DIR, "保存退回文件", name, RETURN_FILTER)

    def register_new_key(self) -> ReasonDialog | None:
        """A unit that really changed computers: the office checks the new fingerprint by phone (or on
        the stamped 汇总表) and registers it; packages signed by the old key are refused from then on."""
        if self.detail is None:
            return None
        unit = self.detail.unit
        current = f"现在登记的指纹是 {unit.fingerprint}。" if unit.fingerprint else "该单位还没有登记密钥。"
        intro = (f"“{unit.name}”换了电脑或重装了程序时，它的报送包由新的密钥签名。{current}\n\n"
                 "请先打电话向该单位核对新的密钥指纹（也印在其盖章的汇总表页脚），再填写在下面。"
                 "登记后，本室只接受新密钥签名的报送包。")
        dialog = ReasonDialog("重新登记密钥", intro, "密钥指纹", "登记",
                              placeholder="如 3F2A9C1B-0D4E5F60-…（40位，可不加短横线）", parent=self)

        def submit():
            office_service.register_unit_key(self._ws.session, unit.id, dialog.text())
            self._ws.notify(BOARD_CHANGED)
            return True

        dialog.on_submit(submit)
        dialog.open()
        return dialog

    def confirm_filing(self) -> bool:
        detail = self.detail
        if detail is None or detail.current is None:
            return False
        unit, revision = detail.unit, detail.current.revision
        outstanding, overdue = detail.row.pledges_outstanding, len(office_service.overdue_findings(detail))
        # The header above says so in bold; the question a reviewer answers says it again, with the
        # rectifications past their due date (what a 退回 draft would name).
        open_points = [*([f"{outstanding} 人未签订承诺书（见“承诺书签订”页）"] if outstanding else []),
                       *([f"{overdue} 个问题已过整改时限（见“自查表”页）"] if overdue else [])]
        unsigned = f"注意：该单位仍有 {'，'.join(open_points)}。\n\n" if open_points else ""
        question = (f"确认“{unit.name}”报送的第{revision}版无误？\n\n{unsigned}"
                    "确认后，报送情况中该单位显示为“已确认”。该单位以后如报送新版本，需要重新审核。")
        if not messages.confirm(self, "确认无误", question, "确认无误"):
            return False
        try:
            office_service.confirm_filing(self._ws.session, unit.id)
        except QingqingError as exc:
            messages.show_error(self, exc)
            return False
        self._ws.notify(BOARD_CHANGED)
        return True


def open_unit_detail(workspace: Workspace, office_unit_id: str, parent: QWidget) -> UnitDetailDialog:
    dialog = UnitDetailDialog(workspace, office_unit_id, parent)
    dialog.open()
    return dialog
