"""帮助 → 使用说明: the few steps a clerk needs, in plain words."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

HELP_HTML = """
<h3>使用步骤</h3>
<ol>
<li><b>核对单位信息。</b>在左侧点“单位信息”，确认单位名称、单位负责人、联系人和电话，修改后点“保存”。</li>
<li><b>录入人员名单。</b>点左侧“人员名单”：
  <ul>
  <li>已有 Excel 名单的，点菜单“文件 → 导入人员名单…”，或把 Excel 文件直接拖到窗口上。导入前会列出每一行的结果，确认后才写入。</li>
  <li>没有现成名单的，可先点“文件 → 下载导入模板…”，在 Excel 中填好后再导入；也可以点“新增人员…”逐个录入。</li>
  </ul></li>
<li><b>填好职务类别和岗位。</b>中层干部填写“分管工作”；一般工作人员填写“工作岗位”，从列表中选择重点岗位。全体中层干部和重点岗位的一般工作人员须签订承诺书，窗口底部随时显示这几类人数。</li>
<li><b>人员离开本单位时</b>，选中此人后点“标记调离”，不要删除，以保留记录。“删除”只用于录入错误的人员。</li>
<li><b>新建行动。</b>收到上级的行动通知后，点菜单“行动 → 新建行动…”，选择政策模板，核对文号、截止日期和报送对象。窗口上方随时显示距截止还有几天。</li>
<li><b>登记承诺书签订情况。</b>点左侧“承诺书签订”：收回签好字的承诺书后，选中这些人（按住 Ctrl 或 Shift 可多选），点“标记已签订…”填签订日期。
  此前已上交过的人员选“登记 → 此前已上交”；因病假等原因不签订的选“不适用…”并写明理由。签字页的扫描件或照片可以用“扫描件 → 附加扫描件…”保存在程序中。</li>
<li><b>填写自查表。</b>点左侧“自查表”：每一行发现问题的，点“添加问题…”写明问题、整改措施、责任人和整改时限；没有问题的，勾选“本行经自查无问题（无）”。
  右侧可以对照正面清单、负面清单逐条检查，发现问题直接点“记录问题…”。</li>
<li><b>定稿。</b>三行都填好后点“定稿…”。定稿后承诺书签订和自查表不能再改（整改进度仍可登记）；如需修改，点“重新打开修改…”并说明原因，修改后成为新的一版。
  所有修改都记在“报送 → 修改记录…”中。</li>
</ol>
<h3>小窍门</h3>
<ul>
<li>搜索框可输入姓名、拼音首字母或岗位，例如输入 <b>zs</b> 可找到“张三”。快捷键 Ctrl+F。</li>
<li>任何修改都可以用“编辑 → 撤销”（Ctrl+Z）撤回。</li>
<li>承诺书签订列表中，选中人员后按<b>空格键</b>即登记为今天已签订，再按一次恢复未签订；按<b>回车键</b>打开详细登记。</li>
<li>自查表可以只用键盘填写：Tab 键依次经过表头和各行的按钮，Ctrl+N 在当前行添加问题。</li>
<li>姓名前标有“示例”的是虚构的示例人员，正式填报前点名单上方的“删除示例数据”即可。</li>
</ul>
<h3>数据安全</h3>
<p>每次修改都立即保存在本机，不需要联网。程序会在导入前和有修改时定时自动备份；如数据有误，可在“文件 → 备份与恢复…”中选一份备份恢复。</p>
"""


class HelpDialog(QDialog):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # opened per use
        self.setWindowTitle("使用说明")
        self.resize(640, 560)
        browser = QTextBrowser()
        browser.document().setDefaultStyleSheet("li { margin-bottom: 4px; } p { line-height: 140%; }")
        browser.setHtml(HELP_HTML)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(browser)
        layout.addWidget(buttons)
