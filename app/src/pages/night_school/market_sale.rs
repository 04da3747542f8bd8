//! 夜校集市 sales after the lesson: seller household, product, and the amount typed in 元, parsed by the domain's
//! money rules into integer 分 and checked by the session rules, each wrong field named at the field.

use crate::i18n::*;
use crate::storage::night_school::AttendanceDraft;
use leptos::prelude::*;
use uuid::Uuid;
use zoufang_domain::model::{HouseholdId, MarketSale, Session};
use zoufang_domain::money::Fen;
use zoufang_domain::protocol::RosterHousehold;
use zoufang_domain::validation::{FieldPath, Finding, validate_money_field, validate_session};

use super::after_lesson::{Edit, HouseholdSelect, household_label};
use super::roster::domain_locale;

/// Why a sale could not be added, field by field (`None`: that field is fine).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SaleProblems {
    pub seller_missing: bool,
    pub product: Option<Finding>,
    pub amount: Option<Finding>,
}

/// A sale from what was typed: the amount in 元 through the domain's money parsing, then the session rules on the
/// sale alone (amount above 0 and within range, a product named).
pub fn parse_sale(
    session: &Session,
    seller: Option<HouseholdId>,
    product: &str,
    amount: &str,
) -> Result<MarketSale, Box<SaleProblems>> {
    let sales = FieldPath::root().field("market_sales").index(0);
    let mut problems = SaleProblems {
        seller_missing: seller.is_none(),
        ..SaleProblems::default()
    };
    let parsed = validate_money_field(amount.trim(), sales.field("amount"));
    let candidate = MarketSale {
        seller_household_id: seller.unwrap_or(HouseholdId(Uuid::nil())),
        product: product.trim().to_owned(),
        amount: parsed.as_ref().copied().unwrap_or(Fen::from_fen(1)),
    };
    let mut probe = session.clone();
    probe.attendance.clear();
    probe.market_sales = vec![candidate.clone()];
    for finding in validate_session(&probe).findings {
        if finding.path == sales.field("product") {
            problems.product.get_or_insert(finding);
        } else if finding.path == sales.field("amount") {
            problems.amount.get_or_insert(finding);
        }
    }
    if let Err(finding) = parsed {
        problems.amount = Some(finding);
    }
    if problems == SaleProblems::default() {
        Ok(candidate)
    } else {
        Err(Box::new(problems))
    }
}

#[component]
pub(super) fn Sales(
    draft: RwSignal<AttendanceDraft>,
    roster: StoredValue<Vec<RosterHousehold>>,
    edit: Callback<Edit>,
) -> impl IntoView {
    let i18n = use_i18n();
    let seller = RwSignal::new(None::<HouseholdId>);
    let product = RwSignal::new(String::new());
    let amount = RwSignal::new(String::new());
    let problems = RwSignal::new(SaleProblems::default());
    let message = move |finding: Option<Finding>| {
        let locale = domain_locale(i18n.get_locale());
        finding.map(|finding| finding.message(locale).to_owned())
    };
    let add = move |_| {
        let parsed = draft.with_untracked(|draft| {
            parse_sale(
                &draft.session,
                seller.get_untracked(),
                &product.get_untracked(),
                &amount.get_untracked(),
            )
        });
        match parsed {
            Ok(sale) => {
                problems.set(SaleProblems::default());
                edit.run(Edit::AddSale(sale));
                seller.set(None);
                product.set(String::new());
                amount.set(String::new());
            }
            Err(found) => problems.set(*found),
        }
    };
    let total = move || {
        draft.with(|draft| {
            Fen::checked_sum(draft.session.market_sales.iter().map(|sale| sale.amount))
                .map(|fen| fen.to_string())
                .unwrap_or_default()
        })
    };
    view! {
        <section class="card ns-after-part" data-testid="after-sale">
            <h2 class="section-title">{t!(i18n, night_school_after.sales)}</h2>
            <p class="sync-line">{t!(i18n, night_school_after.sales_hint)}</p>
            <ul class="ns-after-items">
                {move || {
                    let sales = draft.with(|draft| draft.session.market_sales.clone());
                    sales.into_iter().enumerate().map(|(index, sale)| {
                        let seller = roster.with_value(|roster| household_label(roster, sale.seller_household_id));
                        let yuan = sale.amount.to_string();
                        view! {
                            <li class="ns-after-item" data-testid="after-sale-item">
                                <span class="ns-after-text"><strong>{seller}</strong>" · "{sale.product.clone()}" · "
                                    {move || t_string!(i18n, night_school_after.yuan, amount = yuan.clone()).to_string()}</span>
                                <button class="button" on:click=move |_| edit.run(Edit::RemoveSale(index))>{t!(i18n, night_school_after.remove)}</button>
                            </li>
                        }
                    }).collect_view()
                }}
            </ul>
            <p class="sync-line" data-testid="after-sale-total">
                {move || t_string!(i18n, night_school_after.sales_total, amount = total()).to_string()}
            </p>
            <HouseholdSelect id="after-sale-seller".to_owned() roster=roster value=seller room=false
                invalid=Signal::derive(move || problems.with(|found| found.seller_missing)) />
            <Show when=move || problems.with(|found| found.seller_missing)>
                <p class="field-error" data-testid="after-sale-seller-error">{t!(i18n, night_school_after.seller_missing)}</p>
            </Show>
            <div class="field">
                <label class="field-label" for="after-sale-product">{t!(i18n, night_school_after.product)}</label>
                <input id="after-sale-product" type="text" data-testid="after-sale-product"
                    aria-invalid=move || problems.with(|found| found.product.is_some()).to_string()
                    prop:value=move || product.get() on:input=move |event| product.set(event_target_value(&event)) />
                {move || message(problems.get().product).map(|text| view! { <p class="field-error" data-testid="after-sale-product-error">{text}</p> })}
            </div>
            <div class="field">
                <label class="field-label" for="after-sale-amount">{t!(i18n, night_school_after.amount)}</label>
                <input id="after-sale-amount" type="text" inputmode="decimal" data-testid="after-sale-amount"
                    aria-invalid=move || problems.with(|found| found.amount.is_some()).to_string()
                    prop:value=move || amount.get() on:input=move |event| amount.set(event_target_value(&event)) />
                {move || message(problems.get().amount).map(|text| view! { <p class="field-error" data-testid="after-sale-amount-error">{text}</p> })}
            </div>
            <button class="button" data-testid="after-sale-add" on:click=add>{t!(i18n, night_school_after.add_sale)}</button>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;
    use zoufang_domain::model::{CURRENT_SCHEMA_VERSION, SessionId, TeachingPointId};

    fn session() -> Session {
        Session {
            schema_version: CURRENT_SCHEMA_VERSION,
            id: SessionId(Uuid::from_u128(1)),
            teaching_point_id: TeachingPointId(Uuid::from_u128(2)),
            date: date!(2026 - 11 - 30),
            episode: Some(12),
            topic: "冬季瓜菜".into(),
            discussion_notes: String::new(),
            attendance: Vec::new(),
            confirmed_by: None,
            training_requests: Vec::new(),
            hotline_referrals: Vec::new(),
            market_sales: Vec::new(),
        }
    }

    const SELLER: HouseholdId = HouseholdId(Uuid::from_u128(7));

    fn problems(result: Result<MarketSale, Box<SaleProblems>>) -> SaleProblems {
        match result {
            Ok(sale) => panic!("accepted {sale:?}"),
            Err(problems) => *problems,
        }
    }

    fn amount_message(problems: &SaleProblems) -> String {
        problems
            .amount
            .as_ref()
            .map(|finding| finding.message_zh.clone())
            .unwrap_or_default()
    }

    #[test]
    fn a_sale_typed_in_yuan_is_kept_in_fen() {
        let Ok(sale) = parse_sale(&session(), Some(SELLER), " 土鸡蛋 ", "45.5") else {
            panic!("refused");
        };
        assert_eq!(sale.amount, Fen::from_fen(4_550));
        assert_eq!(sale.product, "土鸡蛋");
        assert_eq!(sale.seller_household_id, SELLER);
    }

    #[test]
    fn each_wrong_field_of_a_sale_gets_its_own_problem() {
        let problems = problems(parse_sale(&session(), None, "  ", "12.345"));
        assert!(problems.seller_missing);
        assert_eq!(
            problems
                .product
                .as_ref()
                .map(|finding| finding.message_zh.as_str()),
            Some("请填写销售的产品")
        );
        assert_eq!(amount_message(&problems), "金额最多保留两位小数(精确到分)");
    }

    #[test]
    fn a_sale_of_nothing_is_refused_by_the_session_rule() {
        let zero = problems(parse_sale(&session(), Some(SELLER), "地瓜", "0"));
        assert!(!zero.seller_missing && zero.product.is_none());
        assert!(
            amount_message(&zero).starts_with("销售金额应大于 0 元"),
            "{}",
            amount_message(&zero)
        );
        let words = problems(parse_sale(&session(), Some(SELLER), "地瓜", "十元"));
        assert!(
            amount_message(&words).contains("无效字符"),
            "{}",
            amount_message(&words)
        );
    }
}
