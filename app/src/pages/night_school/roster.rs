//! Recording attendance: the roster as one list grouped by 组, searchable by name. Each household row owns its own
//! signal, so a tap re-renders that row and the counts, never the list.

use crate::i18n::*;
use leptos::prelude::*;
use zoufang_domain::labels::{Labelled, Locale as DomainLocale};
use zoufang_domain::model::{AbsenceReason, AttendanceStatus, MemberId};
use zoufang_domain::protocol::RosterHousehold;

/// What the cadre marked for one household.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Mark {
    pub status: Option<AttendanceStatus>,
    pub members: Vec<MemberId>,
    pub reason: Option<AbsenceReason>,
    pub note: String,
}

/// One roster row and its mark.
#[derive(Clone)]
pub struct RowState {
    pub household: RosterHousehold,
    pub mark: RwSignal<Mark>,
    /// The name, all members' names and the 组, for search.
    pub search_text: String,
}

const REASONS: [AbsenceReason; 5] = [
    AbsenceReason::MigrantWork,
    AbsenceReason::Illness,
    AbsenceReason::FarmWork,
    AbsenceReason::CaringForFamily,
    AbsenceReason::Other,
];

pub fn domain_locale(locale: Locale) -> DomainLocale {
    match locale {
        Locale::zh_CN => DomainLocale::ZhCn,
        Locale::en => DomainLocale::En,
    }
}

/// The counts line: 出席 x / 请假 y / 缺席 z / 未记 n.
#[component]
pub fn Counts(rows: StoredValue<Vec<RowState>>) -> impl IntoView {
    let i18n = use_i18n();
    let counts = Memo::new(move |_| {
        rows.with_value(|rows| {
            let mut counts = [0usize; 4];
            for row in rows {
                let index = match row.mark.with(|mark| mark.status) {
                    Some(AttendanceStatus::Present) => 0,
                    Some(AttendanceStatus::Excused) => 1,
                    Some(AttendanceStatus::Absent) => 2,
                    None => 3,
                };
                counts[index] += 1;
            }
            counts
        })
    });
    view! {
        <p class="ns-counts" data-testid="ns-counts">
            {move || {
                let [present, excused, absent, unrecorded] = counts.get();
                t_string!(i18n, night_school.counts, present = present, excused = excused, absent = absent, unrecorded = unrecorded).to_string()
            }}
        </p>
    }
}

/// The roster, grouped by 组 in roster order; `changed` is called after every mark.
#[component]
pub fn Roster(rows: StoredValue<Vec<RowState>>, changed: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let query = RwSignal::new(String::new());
    let groups: Vec<(String, Vec<RowState>)> = rows.with_value(|rows| {
        let mut groups: Vec<(String, Vec<RowState>)> = Vec::new();
        for row in rows {
            match groups.last_mut() {
                Some((group, members)) if *group == row.household.group_name => {
                    members.push(row.clone())
                }
                _ => groups.push((row.household.group_name.clone(), vec![row.clone()])),
            }
        }
        groups
    });
    let rest_absent = move |_| {
        rows.with_value(|rows| {
            for row in rows {
                if row.mark.with_untracked(|mark| mark.status.is_none()) {
                    row.mark
                        .update(|mark| mark.status = Some(AttendanceStatus::Absent));
                }
            }
        });
        changed.run(());
    };
    view! {
        <label class="search">
            <span class="visually-hidden">{t!(i18n, night_school.search)}</span>
            <input
                type="search"
                data-testid="ns-search"
                placeholder=move || t_string!(i18n, night_school.search)
                on:input=move |event| query.set(event_target_value(&event))
            />
        </label>
        <div class="ns-roster" data-testid="ns-roster">
            {groups
                .into_iter()
                .map(|(group, members)| {
                    view! {
                        <h3 class="ns-group">{group}</h3>
                        <ul class="ns-list">
                            <For each=move || members.clone() key=|row| row.household.household_id let:row>
                                <RosterRow row=row query=query changed=changed />
                            </For>
                        </ul>
                    }
                })
                .collect_view()}
        </div>
        <button class="button button-add" data-testid="ns-rest-absent" on:click=rest_absent>
            {t!(i18n, night_school.rest_absent)}
        </button>
    }
}

#[component]
fn RosterRow(row: RowState, query: RwSignal<String>, changed: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let mark = row.mark;
    let open = RwSignal::new(false);
    let search_text = row.search_text.clone();
    let hidden = move || {
        let query = query.get();
        let query = query.trim();
        !query.is_empty() && !search_text.contains(query)
    };
    let status = move || mark.with(|mark| mark.status);
    let toggle_present = move |_| {
        mark.update(|mark| {
            if mark.status == Some(AttendanceStatus::Present) {
                *mark = Mark::default();
            } else {
                *mark = Mark {
                    status: Some(AttendanceStatus::Present),
                    ..Mark::default()
                };
            }
        });
        changed.run(());
    };
    let set_status = move |status: AttendanceStatus| {
        mark.update(|mark| {
            mark.status = Some(status);
            mark.members.clear();
        });
        changed.run(());
    };
    let members = StoredValue::new(row.household.members.clone());
    let locale = move || domain_locale(i18n.get_locale());
    view! {
        <li class="ns-row" data-testid="ns-row" data-status=move || status().map(|s| format!("{s:?}").to_lowercase()) style:display=move || if hidden() { "none" } else { "" }>
            <div class="ns-row-main">
                <div class="ns-row-who">
                    <span class="household-name">{row.household.head_name.clone()}</span>
                    <span class="ns-row-status">
                        {move || status().map(|status| status.label(locale()))}
                        {move || mark.with(|mark| mark.reason).map(|reason| format!(" · {}", reason.label(locale())))}
                    </span>
                </div>
                <button
                    class="button button-inline"
                    data-testid="ns-present"
                    aria-pressed=move || (status() == Some(AttendanceStatus::Present)).to_string()
                    on:click=toggle_present
                >
                    {t!(i18n, night_school.present)}
                </button>
                <button class="button button-inline button-quiet" data-testid="ns-more" on:click=move |_| open.update(|open| *open = !*open)>
                    {t!(i18n, night_school.not_present)}
                </button>
            </div>
            <Show when=move || open.get()>
                <div class="ns-row-detail">
                    <Show when=move || status() == Some(AttendanceStatus::Present)>
                        <p class="field-label">{t!(i18n, night_school.members_present)}</p>
                        {members.get_value().into_iter().map(|member| {
                            let id = member.id;
                            view! {
                                <label class="ns-member">
                                    <input type="checkbox"
                                        prop:checked=move || mark.with(|mark| mark.members.contains(&id))
                                        on:change=move |_| {
                                            mark.update(|mark| {
                                                if let Some(at) = mark.members.iter().position(|m| *m == id) {
                                                    mark.members.remove(at);
                                                } else {
                                                    mark.members.push(id);
                                                }
                                            });
                                            changed.run(());
                                        }
                                    />
                                    {member.name}
                                </label>
                            }
                        }).collect_view()}
                    </Show>
                    <div class="ns-choice">
                        <button class="button button-inline" data-testid="ns-excused"
                            aria-pressed=move || (status() == Some(AttendanceStatus::Excused)).to_string()
                            on:click=move |_| set_status(AttendanceStatus::Excused)>
                            {t!(i18n, night_school.excused)}
                        </button>
                        <button class="button button-inline" data-testid="ns-absent"
                            aria-pressed=move || (status() == Some(AttendanceStatus::Absent)).to_string()
                            on:click=move |_| set_status(AttendanceStatus::Absent)>
                            {t!(i18n, night_school.absent)}
                        </button>
                    </div>
                    <Show when=move || matches!(status(), Some(AttendanceStatus::Excused | AttendanceStatus::Absent))>
                        <div class="ns-choice" role="group" aria-label=move || t_string!(i18n, night_school.reason)>
                            {REASONS.into_iter().map(|reason| view! {
                                <button class="button button-inline" data-testid="ns-reason"
                                    aria-pressed=move || (mark.with(|mark| mark.reason) == Some(reason)).to_string()
                                    on:click=move |_| {
                                        mark.update(|mark| mark.reason = Some(reason));
                                        changed.run(());
                                    }>
                                    {move || reason.label(locale())}
                                </button>
                            }).collect_view()}
                        </div>
                        <label class="field">
                            <span class="field-label">{t!(i18n, night_school.note)}</span>
                            <input type="text" data-testid="ns-note"
                                prop:value=move || mark.with(|mark| mark.note.clone())
                                on:input=move |event| {
                                    mark.update(|mark| mark.note = event_target_value(&event));
                                    changed.run(());
                                }
                            />
                        </label>
                    </Show>
                </div>
            </Show>
        </li>
    }
}
