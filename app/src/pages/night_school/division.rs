//! 农户分到教学点: the first secretary of a village with two teaching points or more chooses each household's point.
//! The rows come from the rosters on the phone (`zoufang_domain::night_school_division`), grouped by 组; 保存 sends
//! one request per point, online, and the rosters are fetched again.

use crate::api;
use crate::i18n::*;
use crate::session::AppContext;
use leptos::prelude::*;
use zoufang_domain::model::{HouseholdId, TeachingPointId};
use zoufang_domain::night_school_division::{HouseholdPlace, places, requests};
use zoufang_domain::protocol::TeachingPointSheet;

/// What the last 保存 did; kept by the night-school page, so the answer survives the rosters being drawn again.
#[derive(Debug, Clone, PartialEq)]
pub enum Saving {
    Idle,
    Saved,
    Failed { point: String, reason: String },
}

/// One household's row: its head and a choice of point.
#[derive(Clone)]
struct Row {
    id: HouseholdId,
    head: String,
    group: String,
    point: RwSignal<Option<TeachingPointId>>,
}

/// `open` and `saving` belong to the page: saving fetches the rosters again, which draws this panel anew.
#[component]
pub fn PointsDivision(
    points: Vec<TeachingPointSheet>,
    refresh: Callback<()>,
    open: RwSignal<bool>,
    saving: RwSignal<Saving>,
) -> impl IntoView {
    let i18n = use_i18n();
    let context = expect_context::<AppContext>();
    let rows: Vec<Row> = places(&points)
        .into_iter()
        .map(|HouseholdPlace { household, point }| Row {
            id: household.household_id,
            head: household.head_name,
            group: household.group_name,
            point: RwSignal::new(point),
        })
        .collect();
    let rows = StoredValue::new(rows);
    let choices = StoredValue::new(
        points
            .iter()
            .map(|point| (point.id, point.name.clone()))
            .collect::<Vec<_>>(),
    );
    let points = StoredValue::new(points);
    let save = Action::new_local(move |_: &()| async move {
        let Some(session) = context.current() else {
            return;
        };
        let chosen: Vec<(HouseholdId, Option<TeachingPointId>)> = rows.with_value(|rows| {
            rows.iter()
                .map(|row| (row.id, row.point.get_untracked()))
                .collect()
        });
        let sent = points.with_value(|points| requests(points, &chosen));
        for (point, request) in sent {
            if let Err(error) = api::assign_point_households(&session.token, point, &request).await
            {
                if matches!(error, api::ApiError::Unauthorized(_)) {
                    context.needs_reauth.set(true);
                }
                let name = choices.with_value(|choices| {
                    choices
                        .iter()
                        .find(|(id, _)| *id == point)
                        .map(|(_, name)| name.clone())
                });
                saving.set(Saving::Failed {
                    point: name.unwrap_or_default(),
                    reason: super::reason_text(i18n, &error),
                });
                return;
            }
        }
        saving.set(Saving::Saved);
        refresh.run(());
    });
    let busy = save.pending();
    let count = move |point: Option<TeachingPointId>| {
        rows.with_value(|rows| rows.iter().filter(|row| row.point.get() == point).count())
    };
    let counts = move || {
        let mut lines: Vec<String> = choices.with_value(|choices| {
            choices
                .iter()
                .map(|(id, name)| {
                    t_string!(
                        i18n,
                        night_school.division_count,
                        name = name.clone(),
                        count = count(Some(*id))
                    )
                    .to_string()
                })
                .collect()
        });
        lines.push(
            t_string!(
                i18n,
                night_school.division_count,
                name = t_string!(i18n, night_school.division_none).to_string(),
                count = count(None)
            )
            .to_string(),
        );
        lines
            .into_iter()
            .map(|line| view! { <li>{line}</li> })
            .collect_view()
    };
    let status = move || {
        match saving.get() {
        Saving::Idle => None,
        Saving::Saved => Some(view! {
            <p class="status status-online" role="status" data-testid="division-status">{t!(i18n, night_school.division_saved)}</p>
        }.into_any()),
        Saving::Failed { point, reason } => Some(view! {
            <p class="form-error" role="alert" data-testid="division-status">
                {t_string!(i18n, night_school.division_failed, point = point, reason = reason).to_string()}
            </p>
        }.into_any()),
    }
    };
    let row_view = move |row: Row| {
        let label = t_string!(i18n, night_school.division_for, head = row.head.clone()).to_string();
        let point = row.point;
        view! {
            <li class="division-row" data-testid="division-row">
                <span class="division-head">{row.head.clone()}</span>
                <select
                    aria-label=label
                    on:change=move |event| {
                        let value = event_target_value(&event);
                        let chosen = choices.with_value(|choices| {
                            choices.iter().map(|(id, _)| *id).find(|id| id.to_string() == value)
                        });
                        point.set(chosen);
                        saving.set(Saving::Idle);
                    }
                >
                    <option value="" selected=move || point.get().is_none()>
                        {t!(i18n, night_school.division_none)}
                    </option>
                    {choices.with_value(|choices| choices.iter().map(|(id, name)| {
                        let id = *id;
                        view! {
                            <option value=id.to_string() selected=move || point.get() == Some(id)>{name.clone()}</option>
                        }
                    }).collect_view())}
                </select>
            </li>
        }
    };
    let groups = move || {
        let mut groups: Vec<(String, Vec<Row>)> = Vec::new();
        rows.with_value(|rows| {
            for row in rows {
                match groups.last_mut() {
                    Some((group, members)) if *group == row.group => members.push(row.clone()),
                    _ => groups.push((row.group.clone(), vec![row.clone()])),
                }
            }
        });
        groups
            .into_iter()
            .map(|(group, members)| view! {
                <h3 class="division-group">{group}</h3>
                <ul class="division-list">{members.into_iter().map(row_view).collect_view()}</ul>
            })
            .collect_view()
    };
    view! {
        <section class="card" data-testid="points-division">
            <Show
                when=move || open.get()
                fallback=move || view! {
                    <button class="button" data-testid="division-open" on:click=move |_| open.set(true)>
                        {t!(i18n, night_school.division_open)}
                    </button>
                }
            >
                <h2>{t!(i18n, night_school.division_title)}</h2>
                <p class="lead">{t!(i18n, night_school.division_intro)}</p>
                <ul class="division-counts" data-testid="division-counts">{counts}</ul>
                {groups}
                {status}
                <div class="division-actions">
                    <button
                        class="button primary"
                        data-testid="division-save"
                        disabled=move || busy.get()
                        on:click=move |_| {
                            saving.set(Saving::Idle);
                            save.dispatch_local(());
                        }
                    >
                        {move || if busy.get() {
                            t_string!(i18n, night_school.division_saving).to_string()
                        } else {
                            t_string!(i18n, night_school.division_save).to_string()
                        }}
                    </button>
                    <button class="button" on:click=move |_| open.set(false)>{t!(i18n, night_school.division_close)}</button>
                </div>
            </Show>
        </section>
    }
}
