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

/// Rows put on screen at once when the roster opens (more than a 360×740 screen holds under the fields and counts),
/// so the first screen paints without waiting for 300 rows.
const FIRST_ROWS: usize = 20;
/// The rest follow in chunks of this many, one per animation frame, so a tap is never stuck behind one long task.
const ROWS_PER_FRAME: usize = 40;

/// One chunk of rows: where a 组 starts in it, its heading comes first.
struct Chunk {
    /// `(heading, rows)`: `heading` is `None` when the group began in an earlier chunk.
    parts: Vec<(Option<String>, Vec<RowState>)>,
}

fn chunks(rows: &[RowState]) -> Vec<Chunk> {
    let mut chunks: Vec<Chunk> = Vec::new();
    let mut previous_group: Option<&str> = None;
    for (index, row) in rows.iter().enumerate() {
        if index == 0
            || (index >= FIRST_ROWS && (index - FIRST_ROWS).is_multiple_of(ROWS_PER_FRAME))
        {
            chunks.push(Chunk { parts: Vec::new() });
        }
        let Some(chunk) = chunks.last_mut() else {
            continue;
        };
        let group = row.household.group_name.as_str();
        let new_group = previous_group != Some(group);
        match chunk.parts.last_mut() {
            Some((_, members)) if !new_group => members.push(row.clone()),
            _ => chunk
                .parts
                .push((new_group.then(|| group.to_owned()), vec![row.clone()])),
        }
        previous_group = Some(group);
    }
    chunks
}

/// Shows one more chunk every animation frame until all are shown; stops when the roster is gone.
fn reveal_next(shown: RwSignal<usize>, total: usize) {
    request_animation_frame(move || {
        let Some(now) = shown.try_update(|shown| {
            *shown += 1;
            *shown
        }) else {
            return;
        };
        if now < total {
            reveal_next(shown, total);
        }
    });
}

/// The labels every row shows, worked out once for the roster rather than once per row.
#[derive(Clone, Copy)]
struct RowLabels {
    present: Memo<String>,
    not_present: Memo<String>,
    locale: Memo<DomainLocale>,
}

/// The roster, grouped by 组 in roster order; `changed` is called after every mark. The roster does not change
/// while it is open, so its rows are built once (no keyed list); each row re-renders only from its own mark.
#[component]
pub fn Roster(rows: StoredValue<Vec<RowState>>, changed: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let query = RwSignal::new(String::new());
    let labels = RowLabels {
        present: Memo::new(move |_| t_string!(i18n, night_school.present).to_string()),
        not_present: Memo::new(move |_| t_string!(i18n, night_school.not_present).to_string()),
        locale: Memo::new(move |_| domain_locale(i18n.get_locale())),
    };
    let chunks = rows.with_value(|rows| chunks(rows));
    let total = chunks.len();
    let shown = RwSignal::new(1usize);
    if total > 1 {
        reveal_next(shown, total);
    }
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
    let chunk_view = move |chunk: Chunk| {
        chunk
            .parts
            .into_iter()
            .map(|(heading, members)| {
                view! {
                    {heading.map(|group| view! { <h3 class="ns-group">{group}</h3> })}
                    <ul class="ns-list">
                        {members
                            .into_iter()
                            .map(|row| view! { <RosterRow row=row query=query changed=changed labels=labels /> })
                            .collect_view()}
                    </ul>
                }
            })
            .collect_view()
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
            {chunks
                .into_iter()
                .enumerate()
                .map(|(index, chunk)| {
                    if index == 0 {
                        chunk_view(chunk).into_any()
                    } else {
                        let chunk = StoredValue::new_local(Some(chunk));
                        // Turns true once, when its frame comes: the rows are built then, and never rebuilt.
                        let visible = Memo::new(move |_| shown.get() > index);
                        (move || {
                            visible
                                .get()
                                .then(|| chunk.try_update_value(Option::take).flatten().map(chunk_view))
                                .flatten()
                        })
                        .into_any()
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
fn RosterRow(
    row: RowState,
    query: RwSignal<String>,
    changed: Callback<()>,
    labels: RowLabels,
) -> impl IntoView {
    let i18n = use_i18n();
    let mark = row.mark;
    let open = RwSignal::new(false);
    let search_text = row.search_text;
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
    let members = StoredValue::new(row.household.members);
    let locale = move || labels.locale.get();
    view! {
        <li class="ns-row" data-testid="ns-row" data-status=move || status().map(|s| format!("{s:?}").to_lowercase()) style:display=move || if hidden() { "none" } else { "" }>
            <div class="ns-row-main">
                <div class="ns-row-who">
                    <span class="household-name">{row.household.head_name}</span>
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
                    {move || labels.present.get()}
                </button>
                <button class="button button-inline button-quiet" data-testid="ns-more" on:click=move |_| open.update(|open| *open = !*open)>
                    {move || labels.not_present.get()}
                </button>
            </div>
            // The details are built only when opened.
            {move || open.get().then(|| view! {
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
            })}
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;
    use zoufang_domain::model::HouseholdId;

    fn row(n: u128, group: &str) -> RowState {
        RowState {
            household: RosterHousehold {
                household_id: HouseholdId(Uuid::from_u128(n)),
                head_name: format!("户{n}"),
                group_name: group.to_owned(),
                members: Vec::new(),
            },
            mark: RwSignal::new(Mark::default()),
            search_text: String::new(),
        }
    }

    #[test]
    fn the_roster_is_cut_into_frames_of_rows_with_a_heading_only_where_a_group_starts() {
        // 一组 30, 二组 50, 三组 15: 95 rows, chunks of 20, 40, 35.
        let rows: Vec<RowState> = (0..95)
            .map(|n| {
                row(
                    n,
                    if n < 30 {
                        "一组"
                    } else if n < 80 {
                        "二组"
                    } else {
                        "三组"
                    },
                )
            })
            .collect();
        let chunks = chunks(&rows);
        let shape: Vec<Vec<(Option<&str>, usize)>> = chunks
            .iter()
            .map(|chunk| {
                chunk
                    .parts
                    .iter()
                    .map(|(heading, rows)| (heading.as_deref(), rows.len()))
                    .collect()
            })
            .collect();
        assert_eq!(
            shape,
            [
                vec![(Some("一组"), 20)],
                vec![(None, 10), (Some("二组"), 30)],
                vec![(None, 20), (Some("三组"), 15)],
            ]
        );
        // Every row once, in roster order.
        let order: Vec<u128> = chunks
            .iter()
            .flat_map(|chunk| chunk.parts.iter().flat_map(|(_, rows)| rows))
            .map(|row| row.household.household_id.0.as_u128())
            .collect();
        assert_eq!(order, (0..95).collect::<Vec<_>>());
    }
}
