//! One household as a row of the village view: colour, head's name, 户编号 · 组 · helper, the status badge, the
//! reasons of its colour and one line the list adds (days since the visit, waiting since …). It opens the household.

use super::model::VillageRow;
use crate::components::RiskBadge;
use crate::i18n::*;
use crate::ui::badge::StatusBadge;
use crate::ui::form::domain_locale;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_router::components::A;
use zoufang_domain::locale::Locale as DomainLocale;

/// A list of rows, or a sentence when it is empty.
#[component]
pub fn RowList(
    rows: Vec<VillageRow>,
    /// The extra line each row carries in this list.
    #[prop(optional)]
    extra: Option<fn(I18nContext<Locale>, &VillageRow) -> String>,
    /// Whether the colour's reasons are listed under each row.
    #[prop(optional)]
    with_reasons: bool,
    testid: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    if rows.is_empty() {
        return view! { <p class="empty" data-testid=testid>{t!(i18n, village.none)}</p> }
            .into_any();
    }
    view! {
        <ul class="village-list" data-testid=testid>
            {rows
                .into_iter()
                .map(|row| view! { <HouseholdLine row=row extra=extra with_reasons=with_reasons /> })
                .collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn HouseholdLine(
    row: VillageRow,
    extra: Option<fn(I18nContext<Locale>, &VillageRow) -> String>,
    with_reasons: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let status = row.status;
    let english = move || domain_locale(i18n.get_locale()) == DomainLocale::En;
    let reasons = with_reasons.then(|| {
        let rules = row.reasons.clone();
        move || {
            let english = english();
            rules
                .iter()
                .map(|rule| {
                    let text = if english {
                        &rule.reason_en
                    } else {
                        &rule.reason_zh
                    };
                    view! { <li>{text.clone()}</li> }
                })
                .collect_view()
        }
    });
    let extra_line = extra.map(|extra| {
        let row = row.clone();
        view! { <span class="household-meta village-extra">{move || extra(i18n, &row)}</span> }
    });
    let helper = row.helper.clone();
    view! {
        <li>
            <A
                href=format!("/households/{}", row.id)
                attr:class="household-row village-row"
                attr:data-testid="village-row"
                attr:data-colour=format!("{:?}", row.colour)
            >
                <RiskBadge colour=row.colour />
                <span class="household-main">
                    <span class="household-name">{row.head_name.clone()}</span>
                    <span class="household-meta">
                        {row.code.clone()}" · "{row.group.clone()}
                        {(!helper.is_empty()).then(|| format!(" · {helper}"))}
                    </span>
                    {extra_line}
                    {reasons.map(|reasons| view! { <ul class="reason-list village-reasons">{reasons}</ul> })}
                </span>
                <span class="household-marks">
                    <StatusBadge status=Signal::derive(move || status) />
                </span>
            </A>
        </li>
    }
}
