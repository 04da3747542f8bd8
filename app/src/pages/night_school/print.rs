//! The printable sign-in sheet of one session (`/night-school/sessions/:id/print`): A4 portrait, one line per roster
//! household (组, 户主, members present, what was recorded) with an empty signature column, and the session's
//! 参学率 under it. Rendered on the phone from what it holds (the session's draft, else the server's copy), so it
//! prints offline too; the print style (`style/night-school.css`) hides the app around it. Names, 组 and members'
//! names only: nothing else of a household is on the phone of a cadre.

use crate::i18n::*;
use crate::session::AppContext;
use crate::storage::night_school as records;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;
use zoufang_domain::labels::{Labelled, Locale as DomainLocale};
use zoufang_domain::model::{AttendanceStatus, HouseholdId, Session};
use zoufang_domain::protocol::RosterHousehold;

use super::roster::domain_locale;

/// One printed line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetLine {
    pub number: usize,
    pub group: String,
    pub head: String,
    /// Members named present, joined by 、.
    pub members: String,
    pub status: Option<AttendanceStatus>,
    /// The reason and note of 请假 / 缺席, as typed.
    pub note: String,
}

/// The sheet's lines in roster order (grouped by 组 as the roster is sorted).
pub fn sheet_lines(
    session: &Session,
    roster: &[RosterHousehold],
    locale: zoufang_domain::labels::Locale,
) -> Vec<SheetLine> {
    roster
        .iter()
        .enumerate()
        .map(|(index, household)| {
            let entry = session.entry(household.household_id);
            let members = entry
                .filter(|entry| entry.status == AttendanceStatus::Present)
                .map(|entry| {
                    household
                        .members
                        .iter()
                        .filter(|member| entry.present_member_ids.contains(&member.id))
                        .map(|member| member.name.as_str())
                        .collect::<Vec<_>>()
                        .join("、")
                })
                .unwrap_or_default();
            let note = entry
                .map(|entry| {
                    let reason = entry
                        .absence_reason
                        .map(|reason| reason.label(locale).to_owned())
                        .unwrap_or_default();
                    [reason, entry.absence_note.trim().to_owned()]
                        .into_iter()
                        .filter(|part| !part.is_empty())
                        .collect::<Vec<_>>()
                        .join(" · ")
                })
                .unwrap_or_default();
            SheetLine {
                number: index + 1,
                group: household.group_name.clone(),
                head: household.head_name.clone(),
                members,
                status: entry.map(|entry| entry.status),
                note,
            }
        })
        .collect()
}

#[derive(Clone)]
enum Loaded {
    Loading,
    Missing,
    Ready(Box<Session>, String, Vec<RosterHousehold>),
}

#[component]
pub fn SignInSheetPage() -> impl IntoView {
    let i18n = use_i18n();
    let context = expect_context::<AppContext>();
    let session_id = use_params_map()
        .with_untracked(|params| params.get("id").and_then(|id| id.parse::<Uuid>().ok()));
    let loaded = RwSignal::new(Loaded::Loading);
    leptos::task::spawn_local(async move {
        let (Some(store), Some(session_id)) = (context.store(), session_id) else {
            loaded.set(Loaded::Missing);
            return;
        };
        let draft = records::drafts(&store)
            .await
            .ok()
            .and_then(|drafts| {
                drafts
                    .into_iter()
                    .find(|draft| draft.session.id.0 == session_id)
            })
            .map(|draft| draft.session);
        let sheets = records::load_sheets(&store).await.ok().flatten();
        let found = sheets.and_then(|sheets| {
            sheets.points.into_iter().find_map(|point| {
                let server = point
                    .sessions
                    .iter()
                    .find(|record| record.session.id.0 == session_id)
                    .map(|record| record.session.clone());
                let session = draft
                    .clone()
                    .filter(|draft| draft.teaching_point_id == point.id)
                    .or(server)?;
                Some((session, point.name, point.roster))
            })
        });
        loaded.set(match found {
            Some((session, name, roster)) => Loaded::Ready(Box::new(session), name, roster),
            None => Loaded::Missing,
        });
    });
    let print = move |_| {
        if let Some(window) = web_sys::window() {
            let _ = window.print();
        }
    };
    view! {
        <div class="ns-print-tools">
            <A href="/night-school" attr:class="back-link">"‹ "{t!(i18n, night_school_after.back)}</A>
            <button class="button button-primary" data-testid="print-button" on:click=print>{t!(i18n, night_school_print.print)}</button>
            <p class="sync-line">{t!(i18n, night_school_print.hint)}</p>
        </div>
        {move || match loaded.get() {
            Loaded::Loading => view! { <p class="empty">{t!(i18n, loading)}</p> }.into_any(),
            Loaded::Missing => view! { <p class="empty" data-testid="print-missing">{t!(i18n, night_school_print.missing)}</p> }.into_any(),
            Loaded::Ready(session, name, roster) => view! { <Sheet session=*session point_name=name roster=roster /> }.into_any(),
        }}
    }
}

fn per_mille_text(per_mille: Option<u32>) -> String {
    per_mille.map_or_else(
        || "—".to_owned(),
        |value| format!("{}.{}%", value / 10, value % 10),
    )
}

#[component]
fn Sheet(session: Session, point_name: String, roster: Vec<RosterHousehold>) -> impl IntoView {
    let i18n = use_i18n();
    let ids: Vec<HouseholdId> = roster
        .iter()
        .map(|household| household.household_id)
        .collect();
    let rate = session.participation(&ids);
    let date = session.date.to_string();
    let episode = session
        .episode
        .map(|n| n.to_string())
        .unwrap_or_else(|| "—".to_owned());
    let topic = session.topic.clone();
    let lines = move || sheet_lines(&session, &roster, domain_locale(i18n.get_locale()));
    view! {
        <article class="ns-sheet" data-testid="sign-in-sheet">
            <h1>{t!(i18n, night_school_print.title)}</h1>
            <p class="ns-sheet-facts">
                <span>{t!(i18n, night_school_print.point)}" "{point_name}</span>
                <span>{move || t_string!(i18n, night_school.date, date = date.clone()).to_string()}</span>
                <span>{move || t_string!(i18n, night_school_print.episode, episode = episode.clone()).to_string()}</span>
                <span>{t!(i18n, night_school.topic)}" "{topic}</span>
            </p>
            <div class="ns-sheet-table">
            <table>
                <thead>
                    <tr>
                        <th class="ns-sheet-number">{t!(i18n, night_school_print.number)}</th>
                        <th class="ns-sheet-group">{t!(i18n, night_school_print.group)}</th>
                        <th class="ns-sheet-head">{t!(i18n, night_school_print.head)}</th>
                        <th>{t!(i18n, night_school_print.members)}</th>
                        <th class="ns-sheet-status">{t!(i18n, night_school_print.status)}</th>
                        <th class="ns-sheet-signature">{t!(i18n, night_school_print.signature)}</th>
                    </tr>
                </thead>
                <tbody>
                    {move || {
                        let locale = domain_locale(i18n.get_locale());
                        lines().into_iter().map(|line| {
                            let status = line.status.map(|status| status.label(locale).to_owned()).unwrap_or_default();
                            let status = match (line.note.is_empty(), locale) {
                                (true, _) => status,
                                (false, DomainLocale::ZhCn) => format!("{status}（{}）", line.note),
                                (false, DomainLocale::En) => format!("{status} ({})", line.note),
                            };
                            view! {
                                <tr data-testid="sign-in-line">
                                    <td class="ns-sheet-number">{line.number}</td>
                                    <td class="ns-sheet-group">{line.group}</td>
                                    <td class="ns-sheet-head">{line.head}</td>
                                    <td>{line.members}</td>
                                    <td>{status}</td>
                                    <td class="ns-sheet-signature"></td>
                                </tr>
                            }
                        }).collect_view()
                    }}
                </tbody>
            </table>
            </div>
            <p class="ns-sheet-total" data-testid="sign-in-total">
                {move || t_string!(i18n, night_school_print.total,
                    roster = rate.roster_households, present = rate.present_households,
                    excused = rate.excused_households, person_times = rate.person_times,
                    rate = per_mille_text(rate.per_mille())).to_string()}
            </p>
            <p class="ns-sheet-signoff">{t!(i18n, night_school_print.signoff)}</p>
            <p class="ns-sheet-privacy">{t!(i18n, night_school_print.privacy)}</p>
        </article>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};
    use zoufang_domain::labels::Locale;
    use zoufang_domain::model::{
        AbsenceReason, Attendance, CURRENT_SCHEMA_VERSION, MemberId, SessionId, TeachingPointId,
        UserId,
    };
    use zoufang_domain::protocol::RosterMember;

    fn household(n: u128, group: &str, head: &str, members: &[&str]) -> RosterHousehold {
        RosterHousehold {
            household_id: HouseholdId(Uuid::from_u128(n)),
            head_name: head.into(),
            group_name: group.into(),
            members: members
                .iter()
                .enumerate()
                .map(|(index, name)| RosterMember {
                    id: MemberId(Uuid::from_u128(n * 100 + index as u128)),
                    name: (*name).into(),
                })
                .collect(),
        }
    }

    fn entry(n: u128, status: AttendanceStatus, members: &[u128]) -> Attendance {
        Attendance {
            household_id: HouseholdId(Uuid::from_u128(n)),
            present_member_ids: members
                .iter()
                .map(|m| MemberId(Uuid::from_u128(*m)))
                .collect(),
            status,
            absence_reason: None,
            absence_note: String::new(),
            recorded_by: UserId(Uuid::nil()),
            recorded_at: datetime!(2026-11-30 12:00 UTC),
        }
    }

    #[test]
    fn every_roster_household_has_a_line_with_what_was_recorded() {
        let roster = vec![
            household(1, "一组", "王德福", &["王德福", "李秀英"]),
            household(2, "一组", "陈阿三", &["陈阿三"]),
            household(3, "二组", "符小妹", &["符小妹"]),
        ];
        let mut excused = entry(2, AttendanceStatus::Excused, &[]);
        excused.absence_reason = Some(AbsenceReason::Other);
        excused.absence_note = "去海口复查".into();
        let session = Session {
            schema_version: CURRENT_SCHEMA_VERSION,
            id: SessionId(Uuid::from_u128(9)),
            teaching_point_id: TeachingPointId(Uuid::from_u128(8)),
            date: date!(2026 - 11 - 30),
            episode: Some(12),
            topic: "冬季瓜菜".into(),
            discussion_notes: String::new(),
            attendance: vec![entry(1, AttendanceStatus::Present, &[101]), excused],
            confirmed_by: None,
            training_requests: vec![],
            hotline_referrals: vec![],
            market_sales: vec![],
        };
        let lines = sheet_lines(&session, &roster, Locale::ZhCn);
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0].members, "李秀英");
        assert_eq!(lines[0].status, Some(AttendanceStatus::Present));
        assert_eq!(lines[1].note, "其他 · 去海口复查");
        assert_eq!((lines[2].number, lines[2].status), (3, None));
        assert_eq!(lines[2].group, "二组");
    }
}
