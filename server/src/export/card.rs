//! The printable 一户一策 明白卡 of one household: what may be posted in the village — the household code, the head's
//! name, the 组, the size of the family, the helper's name and unit, the year's plan (needs, target, measures) and
//! the year's income summary against the standard. Never ID numbers, phone numbers, bank accounts or health
//! details (no members' conditions, no 致贫原因 such as 因病/因残). A4 portrait, print CSS, no script.

use time::Date;
use zoufang_domain::income::IncomeReport;
use zoufang_domain::labels::{Labelled, Locale};
use zoufang_domain::model::{Household, Plan, Relation};
use zoufang_domain::money::Fen;

use super::html_escape;

/// What goes on the card.
#[derive(Debug, Clone, Copy)]
pub struct CardData<'a> {
    pub household: &'a Household,
    pub plan: Option<&'a Plan>,
    /// The income accounting of the plan's year (or the latest year), with the standard it is compared with.
    pub income: Option<&'a IncomeReport>,
    pub standard: Option<Fen>,
    /// The date printed on the card (China time).
    pub printed_on: Date,
}

const STYLE: &str = "\
@page { size: A4 portrait; margin: 15mm; }
body { font-family: 'Noto Sans CJK SC', 'Source Han Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif;
  font-size: 11pt; color: #000; margin: 0 auto; max-width: 180mm; }
h1 { font-size: 18pt; text-align: center; margin: 0 0 4mm; }
h2 { font-size: 13pt; margin: 6mm 0 2mm; border-bottom: 1px solid #000; }
table { width: 100%; border-collapse: collapse; }
th, td { border: 1px solid #000; padding: 1.5mm 2mm; text-align: left; vertical-align: top; }
th { background: #eee; white-space: nowrap; }
td.money { text-align: right; white-space: nowrap; }
.footer { margin-top: 8mm; font-size: 9pt; }
@media screen { body { padding: 4mm; } }
@media print { h2, tr { break-inside: avoid; } }
";

fn yuan(amount: Fen) -> String {
    format!("{amount} 元")
}

fn row(label: &str, value: &str) -> String {
    format!(
        "<tr><th>{}</th><td>{}</td></tr>",
        html_escape(label),
        html_escape(value)
    )
}

/// The card as a complete HTML document.
pub fn household_card(data: &CardData<'_>) -> String {
    let household = data.household;
    let head = household
        .members
        .iter()
        .find(|member| member.relation == Relation::Head)
        .map(|member| member.name.as_str())
        .unwrap_or_default();
    let helper = household
        .current_helper()
        .map(|helper| {
            if helper.unit.trim().is_empty() {
                helper.name.clone()
            } else {
                format!("{}（{}）", helper.name, helper.unit)
            }
        })
        .unwrap_or_default();
    let address = &household.address;
    let mut body = String::new();
    body.push_str("<h1>一户一策 明白卡</h1>");
    body.push_str("<h2>基本情况</h2><table>");
    body.push_str(&row("户编号", &household.household_code));
    body.push_str(&row("户主", head));
    body.push_str(&row(
        "住址",
        &format!("{}{}{}", address.township, address.village, address.group),
    ));
    body.push_str(&row("家庭人口", &format!("{} 人", household.members.len())));
    body.push_str(&row("户类型", household.attribute.label(Locale::ZhCn)));
    body.push_str(&row("帮扶责任人", &helper));
    body.push_str("</table>");
    if let Some(income) = data.income {
        body.push_str(&format!("<h2>{} 年收入核算</h2><table>", income.year));
        body.push_str(&row("家庭年收入", &yuan(income.gross)));
        body.push_str(&row("家庭纯收入", &yuan(income.net)));
        body.push_str(&row("人均纯收入", &yuan(income.per_capita)));
        if let Some(standard) = data.standard {
            body.push_str(&row("当年标准（人均）", &yuan(standard)));
        }
        body.push_str("</table>");
    }
    if let Some(plan) = data.plan {
        body.push_str(&plan_section(plan));
    }
    body.push_str(&format!(
        "<p class=\"footer\">打印日期：{}。本卡不含身份证号、电话、银行账户和健康信息。</p>",
        data.printed_on
    ));
    format!(
        "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>一户一策 明白卡 {}</title><style>{STYLE}</style></head><body>{body}</body></html>",
        html_escape(&household.household_code)
    )
}

fn plan_section(plan: &Plan) -> String {
    let mut out = format!("<h2>{} 年帮扶计划</h2><table>", plan.year);
    if !plan.needs.is_empty() {
        out.push_str(&row("需求和问题", &plan.needs.join("；")));
    }
    if let Some(target) = plan.target_per_capita_income {
        out.push_str(&row("目标人均纯收入", &yuan(target)));
    }
    out.push_str("</table>");
    if plan.measures.is_empty() {
        return out;
    }
    out.push_str(
        "<table><tr><th>类别</th><th>措施</th><th>规模</th><th>扶持资金</th><th>责任单位</th>\
         <th>完成时限</th><th>预期增收</th></tr>",
    );
    for measure in &plan.measures {
        out.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"money\">{}</td><td>{}</td><td>{}</td>\
             <td class=\"money\">{}</td></tr>",
            html_escape(measure.category.label(Locale::ZhCn)),
            html_escape(&measure.content),
            html_escape(&measure.scale),
            yuan(measure.funds),
            html_escape(&measure.responsible_unit),
            measure
                .deadline
                .map(|date| date.to_string())
                .unwrap_or_default(),
            yuan(measure.expected_extra_income),
        ));
    }
    out.push_str("</table>");
    out
}
