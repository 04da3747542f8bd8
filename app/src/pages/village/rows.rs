//! One household as a row of the village view: colour, head's name, 户编号 · 组 · helper, the status badge, the
//! reasons of its colour and one line the list adds (days since the visit, waiting since …). It opens the household.
//!
//! A row is plain HTML with no signal or closure of its own (a village has hundreds): the list is drawn again as a
//! whole when the language or what it lists changes. Long lists show [`PAGE`] rows and a 显示更多 button for the next.

use super::model::VillageRow;
use crate::i18n::*;
use crate::ui::badge::HouseholdStatus;
use crate::ui::form::domain_locale;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use zoufang_domain::locale::Locale as DomainLocale;
use zoufang_domain::risk::RiskColour;

/// Rows shown at first, and added by each 显示更多.
pub const PAGE: usize = 10;

/// The extra line each row carries in a list.
pub type Extra = fn(I18nContext<Locale>, &VillageRow) -> String;

/// A list of rows (at most `limit` of them, then 显示更多), or a sentence when it is empty. Reads the language, so a
/// reactive caller draws it again when the language changes.
pub fn row_list(
    i18n: I18nContext<Locale>,
    rows: &[&VillageRow],
    extra: Option<Extra>,
    with_reasons: bool,
    testid: &'static str,
    limit: usize,
    more: Option<Callback<()>>,
) -> AnyView {
    if rows.is_empty() {
        return view! { <p class="empty" data-testid=testid>{t_string!(i18n, village.none).to_string()}</p> }
            .into_any();
    }
    let english = domain_locale(i18n.get_locale()) == DomainLocale::En;
    let labels = Labels::new(i18n);
    let lines = rows
        .iter()
        .take(limit)
        .map(|row| household_line(i18n, &labels, row, extra, with_reasons, english))
        .collect_view();
    let left = rows.len().saturating_sub(limit);
    let more = more.filter(|_| left > 0).map(|more| {
        view! {
            <button type="button" class="button button-secondary village-more" data-testid="village-more"
                on:click=move |_| more.run(())>
                {t_string!(i18n, village.show_more, count = left).to_string()}
            </button>
        }
    });
    view! {
        <ul class="village-list" data-testid=testid>{lines}</ul>
        {more}
    }
    .into_any()
}

/// The risk and status words, looked up once per list rather than once per row.
struct Labels {
    colours: [String; 5],
    statuses: [String; 5],
}

impl Labels {
    fn new(i18n: I18nContext<Locale>) -> Labels {
        Labels {
            colours: [
                t_string!(i18n, households.colour.red).to_string(),
                t_string!(i18n, households.colour.yellow).to_string(),
                t_string!(i18n, households.colour.green).to_string(),
                t_string!(i18n, households.colour.not_accounted).to_string(),
                t_string!(i18n, households.colour.not_configured).to_string(),
            ],
            statuses: HouseholdStatus::ALL.map(|status| status.label(i18n)),
        }
    }

    fn colour(&self, colour: RiskColour) -> (&'static str, &str) {
        let (class, index) = match colour {
            RiskColour::Red => ("risk risk-red", 0),
            RiskColour::Yellow => ("risk risk-yellow", 1),
            RiskColour::Green => ("risk risk-green", 2),
            RiskColour::NotAccounted => ("risk risk-not-accounted", 3),
            RiskColour::NotConfigured => ("risk risk-not-configured", 4),
        };
        (class, &self.colours[index])
    }

    fn status(&self, status: HouseholdStatus) -> &str {
        HouseholdStatus::ALL
            .iter()
            .position(|known| *known == status)
            .map_or("", |index| &self.statuses[index])
    }
}

fn household_line(
    i18n: I18nContext<Locale>,
    labels: &Labels,
    row: &VillageRow,
    extra: Option<Extra>,
    with_reasons: bool,
    english: bool,
) -> impl IntoView + use<> {
    let reasons = with_reasons.then(|| {
        let items = row
            .reasons
            .iter()
            .map(|reason| {
                let text = if english { &reason.en } else { &reason.zh };
                view! { <li>{text.clone()}</li> }
            })
            .collect_view();
        view! { <ul class="reason-list village-reasons">{items}</ul> }
    });
    let extra_line = extra.map(|extra| {
        view! { <span class="household-meta village-extra">{extra(i18n, row)}</span> }
    });
    let helper = (!row.helper.is_empty()).then(|| format!(" · {}", row.helper));
    let (risk_class, risk_label) = labels.colour(row.colour);
    let status = row.status.map(|status| {
        view! {
            <span class=format!("mark status {}", status.mark_class()) data-testid="status-badge" data-status=status.code()>
                {labels.status(status).to_owned()}
            </span>
        }
    });
    // A plain link: the router takes over clicks on links inside the app, with no per-row component.
    view! {
        <li>
            <a
                href=format!("/households/{}", row.id)
                class="household-row village-row"
                data-testid="village-row"
                data-colour=format!("{:?}", row.colour)
            >
                <span class=risk_class data-testid="risk">{risk_label.to_owned()}</span>
                <span class="household-main">
                    <span class="household-name">{row.head_name.clone()}</span>
                    <span class="household-meta">
                        {format!("{} · {}", row.code, row.group)}
                        {helper}
                    </span>
                    {extra_line}
                    {reasons}
                </span>
                <span class="household-marks">{status}</span>
            </a>
        </li>
    }
}
