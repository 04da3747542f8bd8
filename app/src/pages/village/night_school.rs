//! Night school in the village view: each teaching point's 参学率 by month (the last six months, computed on the phone
//! with `domain::night_school`) and the households to follow up (absent N of the last M sessions).

use super::charts::{MonthRate, TrendChart};
use super::model::{Village, VillageRow};
use super::rows::RowList;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use time::{Date, Month};
use zoufang_domain::model::HouseholdId;
use zoufang_domain::night_school::month_participation;
use zoufang_domain::protocol::{NightSchoolResponse, TeachingPointSheet};

/// How many months the trend shows.
const TREND_MONTHS: u8 = 6;

/// The `count` months up to and including `today`'s, oldest first.
pub fn last_months(today: Date, count: u8) -> Vec<(i32, Month)> {
    let mut months = Vec::new();
    let (mut year, mut month) = (today.year(), today.month());
    for _ in 0..count {
        months.push((year, month));
        if month == Month::January {
            year -= 1;
        }
        month = month.previous();
    }
    months.reverse();
    months
}

/// A point's monthly rates over the last months.
pub fn point_trend(point: &TeachingPointSheet, today: Date) -> Vec<MonthRate> {
    let roster: Vec<HouseholdId> = point
        .roster
        .iter()
        .map(|household| household.household_id)
        .collect();
    let sessions: Vec<_> = point
        .sessions
        .iter()
        .map(|record| record.session.clone())
        .collect();
    last_months(today, TREND_MONTHS)
        .into_iter()
        .map(|(year, month)| {
            let total = month_participation(&sessions, &roster, year, month);
            MonthRate {
                year,
                month: month as u8,
                per_mille: (total.sessions > 0)
                    .then(|| total.rate.per_mille())
                    .flatten(),
            }
        })
        .collect()
}

fn absences_line(i18n: I18nContext<Locale>, row: &VillageRow) -> String {
    row.follow_up
        .map(|follow_up| {
            t_string!(
                i18n,
                night_school.follow_up,
                absences = follow_up.absences,
                of = follow_up.of_sessions
            )
            .to_string()
        })
        .unwrap_or_default()
}

#[component]
pub fn VillageNightSchool(
    village: Village,
    sheets: Option<NightSchoolResponse>,
    today: Date,
) -> impl IntoView {
    let i18n = use_i18n();
    let follow_ups: Vec<VillageRow> = village
        .night_school_follow_ups()
        .into_iter()
        .cloned()
        .collect();
    let points = sheets.map(|sheets| sheets.points).unwrap_or_default();
    let trends = if points.is_empty() {
        view! { <p class="empty">{t!(i18n, village.night_school_none)}</p> }.into_any()
    } else {
        points
            .iter()
            .map(|point| {
                let months = point_trend(point, today);
                let name = point.name.clone();
                let label = t_string!(i18n, village.trend_label, point = name.clone()).to_string();
                view! {
                    <div class="village-trend">
                        <h3>{name}</h3>
                        <TrendChart months=months label=label />
                    </div>
                }
            })
            .collect_view()
            .into_any()
    };
    view! {
        <p class="lead">{t!(i18n, village.trend_intro)}</p>
        {trends}
        <h3>{t!(i18n, village.follow_ups)}</h3>
        <RowList rows=follow_ups extra=absences_line testid="village-follow-ups" />
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn the_trend_covers_six_months_across_a_new_year() {
        assert_eq!(
            last_months(date!(2027 - 02 - 10), 6),
            vec![
                (2026, Month::September),
                (2026, Month::October),
                (2026, Month::November),
                (2026, Month::December),
                (2027, Month::January),
                (2027, Month::February),
            ]
        );
    }
}
