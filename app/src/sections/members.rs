//! 家庭成员: the list of members (name, relation, age) with add, expand-to-edit and remove-with-confirmation.
//! Only the expanded member renders its fields, and the list is keyed by member id, so typing in a 20-member
//! household touches one member's inputs.

use leptos::prelude::*;
use time::Date;
use zoufang_domain::id_number::ParsedIdNumber;
use zoufang_domain::labels::Labelled;
use zoufang_domain::model::*;
use zoufang_domain::validation::ValidationReport;

use crate::draft::HouseholdDraft;
use crate::i18n::*;
use crate::ui::form::*;
use crate::ui::form::{ListItem, remove_indexed_raw};
use leptos_i18n::I18nContext;

/// Binds one field of the member with this id.
pub(crate) fn member_field<T: Default + 'static>(
    id: MemberId,
    get: impl Fn(&Member) -> T + Send + Sync + 'static,
    set: impl Fn(&mut Member, T) + Send + Sync + 'static,
) -> Binding<T> {
    MEMBERS.field(id, get, set)
}

const MEMBERS: ItemList<Member, MemberId> = ItemList {
    find: |d, id| d.household.members.iter().find(|m| m.id == id),
    find_mut: |d, id| d.household.members.iter_mut().find(|m| m.id == id),
};

/// 健康 excludes the other conditions: the condition chosen last wins over the conflicting ones.
pub fn health_from_choice(chosen: Vec<HealthCondition>) -> HealthStatus {
    HealthStatus::new(chosen.clone()).unwrap_or_else(|_| {
        let last_is_healthy = chosen.last() == Some(&HealthCondition::Healthy);
        let kept = chosen
            .into_iter()
            .filter(|condition| (*condition == HealthCondition::Healthy) == last_is_healthy);
        HealthStatus::new(kept).unwrap_or_default()
    })
}

/// Adds a member nobody has described yet: its relation (except the first member's 户主), sex and birth date are
/// kept as not chosen (empty kept text), so the form shows them empty and refuses to submit until they are filled.
pub fn add_blank_member(draft: &mut HouseholdDraft, id: MemberId, today: Date) {
    let first = draft.household.members.is_empty();
    let index = draft.household.members.len();
    draft
        .household
        .members
        .push(Member::blank(id, first, today));
    for field in Member::UNCHOSEN_FIELDS {
        // Each kind is the value type of the field's binding (`member_field` below).
        let kind = match field {
            "relation" if first => continue,
            "relation" => <Option<Relation> as FieldValue>::KIND,
            "sex" => <Option<Sex> as FieldValue>::KIND,
            "birth_date" => <Option<Date> as FieldValue>::KIND,
            _ => continue,
        };
        draft.keep_raw(&format!("members[{index}].{field}"), String::new(), kind);
    }
}

/// 家庭成员.
#[component]
pub fn MembersSection(
    draft: RwSignal<HouseholdDraft>,
    #[prop(into)] report: Signal<ValidationReport>,
    #[prop(into)] today: Signal<Date>,
    new_member_id: Callback<(), MemberId>,
    /// A field path the summary asked to show: the member it belongs to opens.
    #[prop(optional)]
    focus: Option<RwSignal<Option<String>>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let form = Form::new(draft, report);
    let expanded = RwSignal::new(None::<MemberId>);
    let ids = move || draft.with(|d| d.household.members.iter().map(|m| m.id).collect::<Vec<_>>());
    let add = move |_| {
        let id = new_member_id.run(());
        let today = today.get_untracked();
        draft.update(|d| add_blank_member(d, id, today));
        expanded.set(Some(id));
    };
    let list_messages = form.messages(fixed_path("members"));
    view! {
        <section class="form-section" id="members" aria-labelledby="members-title">
            <h2 id="members-title">{t!(i18n, forms.member.title)}</h2>
            <FieldMessages messages=list_messages path=fixed_path("members") />
            <Show when=move || draft.with(|d| d.household.members.is_empty())>
                <p class="empty">{t!(i18n, forms.member.empty)}</p>
            </Show>
            <ul class="item-list">
                <For each=ids key=|id| *id let:id>
                    <MemberItem form=form id=id today=today expanded=expanded focus=focus />
                </For>
            </ul>
            <button type="button" class="button button-add" on:click=add>{t!(i18n, forms.member.add)}</button>
        </section>
    }
}

#[component]
fn MemberItem(
    form: Form,
    id: MemberId,
    today: Signal<Date>,
    expanded: RwSignal<Option<MemberId>>,
    focus: Option<RwSignal<Option<String>>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let draft = form.draft;
    let locale = form.locale;
    let index =
        Memo::new(move |_| draft.with(|d| d.household.members.iter().position(|m| m.id == id)));
    let base = Signal::derive(move || format!("members[{}]", index.get().unwrap_or(0)));
    let summary = Memo::new(move |_| {
        let today = today.get();
        let base = base.get();
        draft.with(|d| {
            let chosen = |field: &str| !d.raw_inputs.contains_key(&format!("{base}.{field}"));
            d.household.members.iter().find(|m| m.id == id).map(|m| {
                let described = chosen("relation") && chosen("birth_date");
                (
                    m.name.clone(),
                    m.relation,
                    age_on(m.birth_date, today),
                    described,
                )
            })
        })
    });
    let item = ListItem::new(form, base, id, expanded, focus);
    let remove = move |()| {
        draft.update(|d| {
            if let Some(position) = d.household.members.iter().position(|m| m.id == id) {
                d.household.members.remove(position);
                remove_indexed_raw(d, "members", position);
            }
        });
    };
    let title = move || {
        summary.get().map(|(name, relation, age, described)| {
            let name = if name.trim().is_empty() {
                t_string!(i18n, forms.member.unnamed).to_string()
            } else {
                name
            };
            let meta = if described {
                t_string!(
                    i18n,
                    forms.member.meta,
                    relation = relation.label(locale.get()),
                    age = age
                )
                .to_string()
            } else {
                t_string!(i18n, forms.member.not_described).to_string()
            };
            (name, meta)
        })
    };
    view! {
        <EditorItem item=item title=move || title().map(|(name, _)| name).unwrap_or_default()
            meta=move || title().map(|(_, meta)| meta).unwrap_or_default() on_remove=remove>
            <MemberIdentity form=form id=id base=base today=today />
            <MemberSchoolingHealth form=form id=id base=base />
            <MemberWork form=form id=id base=base />
        </EditorItem>
    }
}

#[component]
fn MemberIdentity(
    form: Form,
    id: MemberId,
    base: Signal<String>,
    today: Signal<Date>,
) -> impl IntoView {
    let i18n = use_i18n();
    let draft = form.draft;
    let fill_from_id = Callback::new(move |parsed: ParsedIdNumber| {
        let birth_path = under(base, "birth_date").get_untracked();
        let sex_path = under(base, "sex").get_untracked();
        draft.update(|d| {
            if let Some(member) = d.household.members.iter_mut().find(|m| m.id == id) {
                member.birth_date = parsed.birth_date;
                member.sex = parsed.sex;
            }
            d.clear_raw(&birth_path);
            d.clear_raw(&sex_path);
        });
    });
    let ethnicities: Vec<Ethnicity> = Ethnicity::all().collect();
    view! {
        <TextField form=form path=under(base, "name") label=move || t_string!(i18n, forms.member.name).to_string()
            binding=member_field(id, |m| m.name.clone(), |m, v| m.name = v) />
        <IdNumberField form=form path=under(base, "id_number") label=move || t_string!(i18n, forms.member.id_number).to_string()
            binding=member_field(id, |m| m.id_number.clone(), |m, v| m.id_number = v) today=today on_parsed=fill_from_id />
        <SelectField form=form path=under(base, "relation") label=move || t_string!(i18n, forms.member.relation).to_string()
            options=Relation::ALL.to_vec() binding=member_field(id, |m| Some(m.relation), |m, v| if let Some(v) = v { m.relation = v }) />
        <SelectField form=form path=under(base, "sex") label=move || t_string!(i18n, forms.member.sex).to_string()
            options=Sex::ALL.to_vec() binding=member_field(id, |m| Some(m.sex), |m, v| if let Some(v) = v { m.sex = v }) />
        <DateField form=form path=under(base, "birth_date") label=move || t_string!(i18n, forms.member.birth_date).to_string()
            binding=member_field(id, |m| Some(m.birth_date), |m, v| if let Some(v) = v { m.birth_date = v }) />
        <SelectField form=form path=under(base, "ethnicity") label=move || t_string!(i18n, forms.member.ethnicity).to_string()
            options=ethnicities binding=member_field(id, |m| m.ethnicity, |m, v| m.ethnicity = v) optional=true />
        <SelectField form=form path=under(base, "political_status") label=move || t_string!(i18n, forms.member.political_status).to_string()
            options=PoliticalStatus::ALL.to_vec() binding=member_field(id, |m| m.political_status, |m, v| m.political_status = v) optional=true />
    }
}

#[component]
fn MemberSchoolingHealth(form: Form, id: MemberId, base: Signal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let health = member_field(
        id,
        |m| m.health.conditions().collect::<Vec<_>>(),
        |m, chosen| m.health = health_from_choice(chosen),
    );
    let has_disability = form.value(&member_field(
        id,
        |m| m.health.has(HealthCondition::Disability) || m.disability_certificate.is_some(),
        |_, _: bool| {},
    ));
    view! {
        <SchoolingField form=form id=id path=under(base, "schooling") />
        <ChipsField form=form path=under(base, "health") label=move || t_string!(i18n, forms.member.health).to_string()
            options=HealthCondition::ALL.to_vec() binding=health />
        <Show when=move || has_disability.get()>
            <TextField form=form path=under(base, "disability_certificate") label=move || t_string!(i18n, forms.member.disability_certificate).to_string()
                binding=member_field(id, |m| m.disability_certificate.clone().unwrap_or_default(), |m, v: String| {
                    m.disability_certificate = (!v.trim().is_empty()).then(|| v.trim().to_uppercase());
                }) />
        </Show>
        <SelectField form=form path=under(base, "labour") label=move || t_string!(i18n, forms.member.labour).to_string()
            options=LabourAbility::ALL.to_vec() binding=member_field(id, |m| m.labour, |m, v| m.labour = v) optional=true />
    }
}

/// One insurance tick box: the flag's field name (under `insurance`), its label, how to read and write it.
type InsuranceFlag = (
    &'static str,
    fn(I18nContext<Locale>) -> String,
    fn(&InsuranceFlags) -> bool,
    fn(&mut InsuranceFlags, bool),
);

/// One [`InsuranceFlag`] per field of `InsuranceFlags`: its name, label (`forms.insurance.<name>`), read and write.
macro_rules! insurance_flags {
    ($($flag:ident),+ $(,)?) => {
        [$((
            stringify!($flag),
            |i18n| t_string!(i18n, forms.insurance.$flag).to_string(),
            |flags| flags.$flag,
            |flags, value| flags.$flag = value,
        )),+]
    };
}

/// The insurance and health-aid flags, in the form's order.
const INSURANCE_FLAGS: [InsuranceFlag; 7] = insurance_flags![
    resident_medical,
    employee_medical,
    critical_illness,
    commercial_supplementary,
    medical_assistance,
    other_health_aid,
    resident_pension,
];

#[component]
fn MemberWork(form: Form, id: MemberId, base: Signal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let insurance = under(base, "insurance");
    let insurance_messages = form.messages(insurance);
    view! {
        <SelectField form=form path=under(base, "work") label=move || t_string!(i18n, forms.member.work_location).to_string()
            options=WorkLocation::ALL.to_vec() binding=member_field(id, |m| Some(m.work.location), |m, v| if let Some(v) = v { m.work.location = v }) />
        <MonthsField form=form path=under(base, "work.months") label=move || t_string!(i18n, forms.member.work_months).to_string()
            binding=member_field(id, |m| m.work.months, |m, v| m.work.months = v) />
        <fieldset class="field-group" id=move || insurance.get()>
            <legend>{t!(i18n, forms.member.insurance)}</legend>
            {INSURANCE_FLAGS.iter().map(|(field, label, get, set)| {
                let (label, get, set) = (*label, *get, *set);
                view! {
                    <CheckboxField form=form path=under(insurance, field) label=move || label(i18n)
                        binding=member_field(id, move |m| get(&m.insurance), move |m, v| set(&mut m.insurance, v)) />
                }
            }).collect_view()}
            <FieldMessages messages=insurance_messages path=insurance />
        </fieldset>
        <YesNoField form=form path=under(base, "dibao") label=move || t_string!(i18n, forms.member.dibao).to_string()
            binding=member_field(id, |m| m.dibao, |m, v| m.dibao = v) />
        <YesNoField form=form path=under(base, "tekun") label=move || t_string!(i18n, forms.member.tekun).to_string()
            binding=member_field(id, |m| m.tekun, |m, v| m.tekun = v) />
        <MembershipField form=form id=id path=under(base, "membership") />
    }
}

/// The `<select>` value of a schooling choice: `e<i>` for 文化程度, `s<i>` for 在校生 stages.
pub fn schooling_value(schooling: Option<Schooling>) -> String {
    match schooling {
        None => String::new(),
        Some(Schooling::Education(level)) => EducationLevel::ALL
            .iter()
            .position(|known| *known == level)
            .map(|index| format!("e{index}"))
            .unwrap_or_default(),
        Some(Schooling::Student(status)) => SchoolStage::ALL
            .iter()
            .position(|known| *known == status.stage())
            .map(|index| format!("s{index}"))
            .unwrap_or_default(),
    }
}

/// The schooling a `<select>` value stands for, keeping the school year when the new stage has it.
pub fn schooling_from_value(value: &str, previous: Option<Schooling>) -> Option<Schooling> {
    let (kind, index) = value.split_at_checked(1)?;
    let index = index.parse::<usize>().ok()?;
    match kind {
        "e" => EducationLevel::ALL
            .get(index)
            .map(|level| Schooling::Education(*level)),
        "s" => {
            let stage = *SchoolStage::ALL.get(index)?;
            let year = match previous {
                Some(Schooling::Student(status)) => status.year(),
                _ => None,
            };
            SchoolStatus::new(stage, year)
                .or_else(|_| SchoolStatus::new(stage, None))
                .ok()
                .map(Schooling::Student)
        }
        _ => None,
    }
}

/// 文化程度 xor 在校生状况: one list with two groups, so both can never be filled; the school year when the stage has
/// years.
#[component]
fn SchoolingField(form: Form, id: MemberId, path: Signal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = form.locale;
    let binding = member_field(id, |m| m.schooling, |m, v| m.schooling = v);
    let value = form.value(&binding);
    let year_binding = binding.clone();
    let on_change = move |text: String| {
        let chosen = schooling_from_value(&text, value.get_untracked());
        form.write(&binding, chosen);
    };
    let on_year = move |text: String| {
        if let Some(Schooling::Student(status)) = value.get_untracked() {
            let year = text.parse::<u8>().ok();
            if let Ok(status) = SchoolStatus::new(status.stage(), year) {
                form.write(&year_binding, Some(Schooling::Student(status)));
            }
        }
    };
    let years = move || match value.get() {
        Some(Schooling::Student(status)) if status.stage().years() > 0 => {
            Some((status.stage().years(), status.year()))
        }
        _ => None,
    };
    view! {
        <FieldShell form=form path=path label=move || t_string!(i18n, forms.member.schooling).to_string()>
            <select id=move || path.get() on:change=move |event| on_change(event_target_value(&event))>
                <option value="" disabled=true selected=move || value.get().is_none()>{move || t_string!(i18n, forms.choose).to_string()}</option>
                {move || {
                    let current = schooling_value(value.get());
                    let locale = locale.get();
                    let option = |code: String, text: &'static str| {
                        let selected = code == current;
                        view! { <option value=code selected=selected>{text}</option> }
                    };
                    view! {
                        <optgroup label=t_string!(i18n, forms.member.education_group).to_string()>
                            {EducationLevel::ALL.iter().enumerate().map(|(i, level)| option(format!("e{i}"), level.label(locale))).collect_view()}
                        </optgroup>
                        <optgroup label=t_string!(i18n, forms.member.student_group).to_string()>
                            {SchoolStage::ALL.iter().enumerate().map(|(i, stage)| option(format!("s{i}"), stage.label(locale))).collect_view()}
                        </optgroup>
                    }
                }}
            </select>
        </FieldShell>
        {move || years().map(|(count, year)| {
            let on_year = on_year.clone();
            view! {
            <label class="field">
                <span class="field-label">{t!(i18n, forms.member.school_year)}</span>
                <select on:change=move |event| on_year(event_target_value(&event))>
                    <option value="" selected=year.is_none()>{t!(i18n, forms.member.school_year_unknown)}</option>
                    {(1..=count).map(|y| view! { <option value=y.to_string() selected=year == Some(y)>{y.to_string()}</option> }).collect_view()}
                </select>
            </label>
        }})}
    }
}

/// The `<select>` value of a membership: `c`, `a<i>` (away, counts) or `x<i>` (not counted).
pub fn membership_value(membership: Membership) -> String {
    match membership {
        Membership::Counts => "c".to_string(),
        Membership::CountsWhileAway(reason) => AwayReason::ALL
            .iter()
            .position(|known| *known == reason)
            .map(|index| format!("a{index}"))
            .unwrap_or_default(),
        Membership::Excluded(reason) => ExclusionReason::ALL
            .iter()
            .position(|known| *known == reason)
            .map(|index| format!("x{index}"))
            .unwrap_or_default(),
    }
}

/// The membership a `<select>` value stands for.
pub fn membership_from_value(value: &str) -> Option<Membership> {
    let (kind, index) = value.split_at_checked(1)?;
    match kind {
        "c" => Some(Membership::Counts),
        "a" => AwayReason::ALL
            .get(index.parse::<usize>().ok()?)
            .map(|r| Membership::CountsWhileAway(*r)),
        "x" => ExclusionReason::ALL
            .get(index.parse::<usize>().ok()?)
            .map(|r| Membership::Excluded(*r)),
        _ => None,
    }
}

/// Whether the member counts in the household size, and why (away but counted / not counted).
#[component]
fn MembershipField(form: Form, id: MemberId, path: Signal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = form.locale;
    let binding = member_field(
        id,
        |m| Some(m.membership),
        |m, v| {
            if let Some(v) = v {
                m.membership = v
            }
        },
    );
    let value = form.value(&binding);
    view! {
        <FieldShell form=form path=path label=move || t_string!(i18n, forms.member.membership).to_string()>
            <select id=move || path.get() on:change=move |event| {
                if let Some(chosen) = membership_from_value(&event_target_value(&event)) {
                    form.write(&binding, Some(chosen));
                }
            }>
                {move || {
                    let current = value.get().map(membership_value).unwrap_or_default();
                    let locale = locale.get();
                    let option = |code: String, text: String| {
                        let selected = code == current;
                        view! { <option value=code selected=selected>{text}</option> }
                    };
                    view! {
                        {option("c".to_string(), t_string!(i18n, forms.member.membership_counts).to_string())}
                        <optgroup label=t_string!(i18n, forms.member.membership_away).to_string()>
                            {AwayReason::ALL.iter().enumerate().map(|(i, r)| option(format!("a{i}"), r.label(locale).to_string())).collect_view()}
                        </optgroup>
                        <optgroup label=t_string!(i18n, forms.member.membership_excluded).to_string()>
                            {ExclusionReason::ALL.iter().enumerate().map(|(i, r)| option(format!("x{i}"), r.label(locale).to_string())).collect_view()}
                        </optgroup>
                    }
                }}
            </select>
        </FieldShell>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choosing_healthy_clears_the_other_conditions_and_the_reverse() {
        let healthy_last = health_from_choice(vec![
            HealthCondition::ChronicDisease,
            HealthCondition::Healthy,
        ]);
        assert_eq!(healthy_last, HealthStatus::healthy());
        let condition_last =
            health_from_choice(vec![HealthCondition::Healthy, HealthCondition::Disability]);
        assert!(condition_last.has(HealthCondition::Disability) && !condition_last.is_healthy());
        let several = health_from_choice(vec![
            HealthCondition::ChronicDisease,
            HealthCondition::Disability,
        ]);
        assert_eq!(several.conditions().count(), 2);
    }

    #[test]
    fn schooling_choices_round_trip_and_keep_a_possible_school_year() {
        let junior = SchoolStatus::new(SchoolStage::JuniorHigh, Some(3))
            .ok()
            .map(Schooling::Student);
        let value = schooling_value(junior);
        assert_eq!(
            schooling_from_value(&value, None).map(|s| schooling_value(Some(s))),
            Some(value)
        );
        let primary = schooling_from_value("s2", junior);
        assert!(matches!(primary, Some(Schooling::Student(status)) if status.year() == Some(3)));
        let postgraduate = schooling_from_value("s9", junior);
        assert!(
            matches!(postgraduate, Some(Schooling::Student(status)) if status.year().is_none())
        );
        assert_eq!(
            schooling_from_value("e0", junior),
            Some(Schooling::Education(EducationLevel::Illiterate))
        );
        assert_eq!(schooling_from_value("", junior), None);
        assert_eq!(schooling_from_value("e99", junior), None);
    }

    #[test]
    fn membership_choices_round_trip() {
        for membership in [
            Membership::Counts,
            Membership::CountsWhileAway(AwayReason::Studying),
            Membership::Excluded(ExclusionReason::Conscript),
        ] {
            assert_eq!(
                membership_from_value(&membership_value(membership)),
                Some(membership)
            );
        }
        assert_eq!(membership_from_value("z1"), None);
    }
}
