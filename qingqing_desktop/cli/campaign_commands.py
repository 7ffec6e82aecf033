"""qingqing-cli campaign create|list|use|show"""

from __future__ import annotations

import datetime as dt

from qingqing_desktop.cli.output import print_json, print_table
from qingqing_desktop.domain.errors import InputRejected, Location
from qingqing_desktop.services import campaign_service
from qingqing_desktop.store.policy_templates import DEFAULT_TEMPLATE_ID


def register(commands) -> None:
    create = commands.add_parser("create", help="按政策模板新建行动，并设为当前行动")
    create.add_argument("--template", default=DEFAULT_TEMPLATE_ID, help=f"政策模板编号（默认 {DEFAULT_TEMPLATE_ID}）")
    create.add_argument("--title", help="行动名称（默认：模板名称）")
    create.add_argument("--deadline", help="截止日期 YYYY-MM-DD（默认：模板规定的日期）")
    create.add_argument("--doc-number", help="文号，如 平住建发〔2019〕27号（默认：模板的文号）")
    create.add_argument("--recipient", help="报送对象（默认：模板规定的，如 局机关纪委（监察室））")
    create.set_defaults(handler=create_campaign)

    listing = commands.add_parser("list", help="列出所有行动")
    listing.add_argument("--json", action="store_true", help="以 JSON 输出")
    listing.set_defaults(handler=list_campaigns)

    use = commands.add_parser("use", help="切换当前行动")
    use.add_argument("id", help="行动编号（可只写开头几位）")
    use.set_defaults(handler=use_campaign)

    show = commands.add_parser("show", help="显示当前行动")
    show.add_argument("--json", action="store_true", help="以 JSON 输出")
    show.set_defaults(handler=show_campaign)


def campaign_dict(campaign, current_id: str | None, today: dt.date) -> dict:
    return {
        "id": campaign.id,
        "title": campaign.title,
        "document_number": campaign.document_number,
        "deadline": campaign.deadline.isoformat(),
        "days_left": campaign.days_left(today),
        "recipient": campaign.recipient,
        "template_id": campaign.template_id,
        "template_version": campaign.template_version,
        "current": campaign.id == current_id,
    }


def _current_id(session) -> str | None:
    current = campaign_service.current_campaign(session)
    return current.id if current else None


def create_campaign(args, session) -> int:
    campaign = campaign_service.create_campaign(
        session,
        template_id=args.template,
        title=args.title,
        deadline=args.deadline,
        document_number=args.doc_number,
        recipient=args.recipient,
    )
    print(campaign.id)  # only the id: scripts capture it
    return 0


def list_campaigns(args, session) -> int:
    today = dt.date.today()
    current_id = _current_id(session)
    found = campaign_service.list_campaigns(session)
    if args.json:
        print_json([campaign_dict(c, current_id, today) for c in found])
        return 0
    rows = [
        ["*" if c.id == current_id else "", c.id, c.title, c.document_number, c.deadline.isoformat(),
         c.deadline_text(today), f"{c.template_id} v{c.template_version}"]
        for c in found
    ]
    print_table(["当前", "编号", "行动名称", "文号", "截止日期", "期限", "政策模板"], rows)
    return 0


def _resolve(session, text: str):
    """A full id, or the only campaign whose id starts with ``text`` (at least 4 characters)."""
    found = campaign_service.list_campaigns(session)
    for campaign in found:
        if campaign.id == text:
            return campaign
    matches = [c for c in found if c.id.startswith(text)] if len(text) >= 4 else []
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise InputRejected(f"找不到编号为 {text} 的行动（可用 campaign list 查看）。", Location(field="行动编号"))
    raise InputRejected(f"有{len(matches)}个行动的编号以 {text} 开头，请写得更完整些。", Location(field="行动编号"))


def use_campaign(args, session) -> int:
    campaign = campaign_service.use_campaign(session, _resolve(session, args.id).id)
    print(f"当前行动：{campaign.title}（截止 {campaign.deadline.isoformat()}）")
    return 0


def show_campaign(args, session) -> int:
    today = dt.date.today()
    campaign = campaign_service.require_campaign(session)
    data = campaign_dict(campaign, campaign.id, today)
    if args.json:
        print_json(data)
        return 0
    print(f"行动名称：{campaign.title}")
    print(f"文号：{campaign.document_number or '（无）'}")
    print(f"截止日期：{campaign.deadline.isoformat()}（{campaign.deadline_text(today)}）")
    print(f"报送对象：{campaign.recipient}")
    print(f"政策模板：{campaign.template.name}（{campaign.template_id}，第{campaign.template_version}版）")
    print(f"编号：{campaign.id}")
    return 0
