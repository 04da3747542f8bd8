//! 课后, on its own screen (`/night-school/sessions/:id/after`): what households asked to be taught (点单), questions
//! passed to the 961017 hotline, and the optional 夜校集市 sales (seller, product, amount typed in 元 and kept as
//! integer 分). Each change is saved at once into the session's attendance draft on the phone, so the session's 提交
//! on the night-school page sends it with the attendance. The amount and product are checked by the domain's rules
//! (`validate_money_field`, `validate_session`; `market_sale.rs`), shown at the field that is wrong. The optional
//! group photo is `group_photo.rs`.

use crate::clock;
use crate::components::PageHeader;
use crate::i18n::*;
use crate::session::AppContext;
use crate::storage::night_school::{self as records, AttendanceDraft};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;
use zoufang_domain::model::{HotlineReferral, HouseholdId, MarketSale, Session, TrainingRequest};
use zoufang_domain::protocol::RosterHousehold;

use super::group_photo::GroupPhoto;
use super::market_sale::Sales;

/// One change made on this screen.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    AddRequest(TrainingRequest),
    RemoveRequest(usize),
    AddReferral(HotlineReferral),
    RemoveReferral(usize),
    AddSale(MarketSale),
    RemoveSale(usize),
    /// A group photo was added or removed (kept apart from the session, see `group_photo`).
    PhotosChanged,
}

/// Applies one change to the session; removing an index that is gone changes nothing.
pub fn apply(session: &mut Session, edit: Edit) {
    fn remove<T>(items: &mut Vec<T>, index: usize) {
        if index < items.len() {
            items.remove(index);
        }
    }
    match edit {
        Edit::AddRequest(request) => session.training_requests.push(request),
        Edit::RemoveRequest(index) => remove(&mut session.training_requests, index),
        Edit::AddReferral(referral) => session.hotline_referrals.push(referral),
        Edit::RemoveReferral(index) => remove(&mut session.hotline_referrals, index),
        Edit::AddSale(sale) => session.market_sales.push(sale),
        Edit::RemoveSale(index) => remove(&mut session.market_sales, index),
        Edit::PhotosChanged => {}
    }
}

/// `户主（组）`, or the id when the household is no longer on the roster.
pub(super) fn household_label(roster: &[RosterHousehold], id: HouseholdId) -> String {
    roster
        .iter()
        .find(|entry| entry.household_id == id)
        .map(|entry| format!("{}（{}）", entry.head_name, entry.group_name))
        .unwrap_or_else(|| id.0.to_string())
}

#[derive(Clone)]
enum Loaded {
    Loading,
    Missing,
    Ready(Box<AttendanceDraft>, String, Vec<RosterHousehold>),
}

/// The screen: finds the session's draft and the point's roster on the phone.
#[component]
pub fn AfterLessonPage() -> impl IntoView {
    let i18n = use_i18n();
    let context = expect_context::<AppContext>();
    let params = use_params_map();
    let session_id =
        params.with_untracked(|params| params.get("id").and_then(|id| id.parse::<Uuid>().ok()));
    let loaded = RwSignal::new(Loaded::Loading);
    leptos::task::spawn_local(async move {
        let (Some(store), Some(session_id)) = (context.store(), session_id) else {
            loaded.set(Loaded::Missing);
            return;
        };
        let draft = records::drafts(&store).await.ok().and_then(|drafts| {
            drafts
                .into_iter()
                .find(|draft| draft.session.id.0 == session_id)
        });
        let sheets = records::load_sheets(&store).await.ok().flatten();
        loaded.set(match draft {
            Some(draft) => {
                let (name, roster) = sheets
                    .and_then(|sheets| {
                        sheets
                            .points
                            .into_iter()
                            .find(|point| point.id == draft.session.teaching_point_id)
                    })
                    .map(|point| (point.name, point.roster))
                    .unwrap_or_default();
                Loaded::Ready(Box::new(draft), name, roster)
            }
            None => Loaded::Missing,
        });
    });
    view! {
        <A href="/night-school" attr:class="back-link" attr:data-testid="after-back">"‹ "{t!(i18n, night_school_after.back)}</A>
        <PageHeader title=Signal::derive(move || t_string!(i18n, night_school_after.title).to_string()) />
        {move || match loaded.get() {
            Loaded::Loading => view! { <p class="empty">{t!(i18n, loading)}</p> }.into_any(),
            Loaded::Missing => view! { <p class="empty" data-testid="after-missing">{t!(i18n, night_school_after.missing)}</p> }.into_any(),
            Loaded::Ready(draft, name, roster) => view! { <AfterLesson draft=*draft point_name=name roster=roster /> }.into_any(),
        }}
    }
}

#[component]
fn AfterLesson(
    draft: AttendanceDraft,
    point_name: String,
    roster: Vec<RosterHousehold>,
) -> impl IntoView {
    let i18n = use_i18n();
    let context = expect_context::<AppContext>();
    let session_id = draft.session.id;
    let lead = format!("{} {}", draft.session.date, draft.session.topic);
    let draft = RwSignal::new(draft);
    let saved_at = RwSignal::new(None::<String>);
    let roster = StoredValue::new(roster);
    let edit = Callback::new(move |edit: Edit| {
        let mut next = draft.get_untracked();
        if next.receipt.is_some() {
            // The server has this version: a change starts the next one, under a new UUID.
            next.submission_id = crate::ids::new_uuid();
            next.base_version = next.base_version.saturating_add(1);
            next.submitted_at = None;
            next.receipt = None;
        }
        apply(&mut next.session, edit);
        next.saved_at = clock::rfc3339(clock::now_utc());
        draft.set(next.clone());
        let Some(store) = context.store() else { return };
        leptos::task::spawn_local(async move {
            match records::save_draft(&store, &next).await {
                Ok(()) => saved_at.set(Some(next.saved_at.clone())),
                Err(error) => context.storage_problem.set(Some(error)),
            }
        });
    });
    view! {
        <p class="lead" data-testid="after-session">{lead}</p>
        <AskedList kind=Asked::Request draft=draft roster=roster edit=edit />
        <AskedList kind=Asked::Referral draft=draft roster=roster edit=edit />
        <Sales draft=draft roster=roster edit=edit />
        <GroupPhoto session_id=session_id point_name=point_name changed=Callback::new(move |_| edit.run(Edit::PhotosChanged)) />
        <p class="sync-line" data-testid="after-saved">
            {move || saved_at.get().map(|at| {
                let time = clock::parse_rfc3339(&at).map(clock::date_time).unwrap_or(at);
                t_string!(i18n, night_school.saved, time = time).to_string()
            })}
        </p>
        <p class="lead">{t!(i18n, night_school_after.sent_with_session)}</p>
    }
}

/// The two lists of a household (or the whole room) and a sentence: 点单 and 961017.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Asked {
    Request,
    Referral,
}

impl Asked {
    fn test_id(self) -> &'static str {
        match self {
            Asked::Request => "after-request",
            Asked::Referral => "after-referral",
        }
    }

    fn items(self, session: &Session) -> Vec<(Option<HouseholdId>, String)> {
        match self {
            Asked::Request => session
                .training_requests
                .iter()
                .map(|request| (request.household_id, request.topic.clone()))
                .collect(),
            Asked::Referral => session
                .hotline_referrals
                .iter()
                .map(|referral| (referral.household_id, referral.question.clone()))
                .collect(),
        }
    }

    fn add(self, household_id: Option<HouseholdId>, text: String) -> Edit {
        match self {
            Asked::Request => Edit::AddRequest(TrainingRequest {
                household_id,
                topic: text,
            }),
            Asked::Referral => Edit::AddReferral(HotlineReferral {
                household_id,
                question: text,
            }),
        }
    }

    fn remove(self, index: usize) -> Edit {
        match self {
            Asked::Request => Edit::RemoveRequest(index),
            Asked::Referral => Edit::RemoveReferral(index),
        }
    }
}

#[component]
fn AskedList(
    kind: Asked,
    draft: RwSignal<AttendanceDraft>,
    roster: StoredValue<Vec<RosterHousehold>>,
    edit: Callback<Edit>,
) -> impl IntoView {
    let i18n = use_i18n();
    let household = RwSignal::new(None::<HouseholdId>);
    let text = RwSignal::new(String::new());
    let error = RwSignal::new(false);
    let id = kind.test_id();
    let heading = move || match kind {
        Asked::Request => t_string!(i18n, night_school_after.requests).to_string(),
        Asked::Referral => t_string!(i18n, night_school_after.referrals).to_string(),
    };
    let hint = move || match kind {
        Asked::Request => t_string!(i18n, night_school_after.requests_hint).to_string(),
        Asked::Referral => t_string!(i18n, night_school_after.referrals_hint).to_string(),
    };
    let text_label = move || match kind {
        Asked::Request => t_string!(i18n, night_school_after.request_topic).to_string(),
        Asked::Referral => t_string!(i18n, night_school_after.referral_question).to_string(),
    };
    let missing = move || match kind {
        Asked::Request => t_string!(i18n, night_school_after.request_topic_missing).to_string(),
        Asked::Referral => {
            t_string!(i18n, night_school_after.referral_question_missing).to_string()
        }
    };
    let add = move |_| {
        let typed = text.get_untracked().trim().to_owned();
        if typed.is_empty() {
            error.set(true);
            return;
        }
        error.set(false);
        edit.run(kind.add(household.get_untracked(), typed));
        text.set(String::new());
        household.set(None);
    };
    let text_id = format!("{id}-text");
    view! {
        <section class="card ns-after-part" data-testid=id>
            <h2 class="section-title">{heading}</h2>
            <p class="sync-line">{hint}</p>
            <ul class="ns-after-items">
                {move || {
                    let items = draft.with(|draft| kind.items(&draft.session));
                    items.into_iter().enumerate().map(|(index, (who, what))| {
                        let who = who.map_or_else(
                            || t_string!(i18n, night_school_after.whole_room).to_string(),
                            |who| roster.with_value(|roster| household_label(roster, who)),
                        );
                        view! {
                            <li class="ns-after-item" data-testid=format!("{id}-item")>
                                <span class="ns-after-text"><strong>{who}</strong>" · "{what}</span>
                                <button class="button" on:click=move |_| edit.run(kind.remove(index))>{t!(i18n, night_school_after.remove)}</button>
                            </li>
                        }
                    }).collect_view()
                }}
            </ul>
            <HouseholdSelect id=format!("{id}-household") roster=roster value=household room=true invalid=Signal::derive(|| false) />
            <div class="field">
                <label class="field-label" for=text_id.clone()>{text_label}</label>
                <input id=text_id.clone() type="text" data-testid=format!("{id}-text") aria-invalid=move || error.get().to_string()
                    prop:value=move || text.get() on:input=move |event| text.set(event_target_value(&event)) />
                <Show when=move || error.get()>
                    <p class="field-error" data-testid=format!("{id}-error")>{missing}</p>
                </Show>
            </div>
            <button class="button" data-testid=format!("{id}-add") on:click=add>{t!(i18n, night_school_after.add)}</button>
        </section>
    }
}

/// A roster household, or (with `room`) the whole room as the first choice.
#[component]
pub(super) fn HouseholdSelect(
    id: String,
    roster: StoredValue<Vec<RosterHousehold>>,
    value: RwSignal<Option<HouseholdId>>,
    room: bool,
    invalid: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let options = roster.with_value(|roster| {
        roster
            .iter()
            .map(|entry| {
                (
                    entry.household_id,
                    format!("{}（{}）", entry.head_name, entry.group_name),
                )
            })
            .collect::<Vec<_>>()
    });
    let on_change = move |event| {
        let chosen = event_target_value(&event)
            .parse::<Uuid>()
            .ok()
            .map(HouseholdId);
        value.set(chosen);
    };
    let label = move || {
        if room {
            t_string!(i18n, night_school_after.household).to_string()
        } else {
            t_string!(i18n, night_school_after.seller).to_string()
        }
    };
    let empty = move || {
        if room {
            t_string!(i18n, night_school_after.whole_room).to_string()
        } else {
            t_string!(i18n, night_school_after.choose_seller).to_string()
        }
    };
    view! {
        <div class="field">
            <label class="field-label" for=id.clone()>{label}</label>
            <select id=id.clone() data-testid=id.clone() aria-invalid=move || invalid.get().to_string() on:change=on_change>
                <option value="" prop:selected=move || value.get().is_none()>{empty}</option>
                {options.into_iter().map(|(household, name)| view! {
                    <option value=household.0.to_string() prop:selected=move || value.get() == Some(household)>{name}</option>
                }).collect_view()}
            </select>
        </div>
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

    #[test]
    fn edits_add_and_remove_items_and_ignore_a_stale_index() {
        let mut session = session();
        apply(
            &mut session,
            Edit::AddRequest(TrainingRequest {
                household_id: None,
                topic: "槟榔黄化病".into(),
            }),
        );
        apply(
            &mut session,
            Edit::AddReferral(HotlineReferral {
                household_id: Some(SELLER),
                question: "小额信贷".into(),
            }),
        );
        apply(&mut session, Edit::RemoveRequest(5));
        assert_eq!(session.training_requests.len(), 1);
        apply(&mut session, Edit::RemoveRequest(0));
        assert!(session.training_requests.is_empty());
        assert_eq!(session.hotline_referrals[0].question, "小额信贷");
    }
}
