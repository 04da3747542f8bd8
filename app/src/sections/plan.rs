//! 一户一策: needs, the yearly per-capita income target, measures (expand to edit) and 帮扶成效 entries confirmed
//! by the household. Measures and effects are keyed by their ids; only the expanded measure renders its fields.

use leptos::prelude::*;
use time::{Date, OffsetDateTime};
use zoufang_domain::labels::Labelled;
use zoufang_domain::model::*;
use zoufang_domain::money::Fen;
use zoufang_domain::validation::ValidationReport;

use super::visit::{ConfirmationEditor, StringList};
use crate::draft::HouseholdDraft;
use crate::i18n::*;
use crate::ui::form::*;
use crate::ui::form::{ListItem, remove_indexed_raw};

/// A new measure: 产业, planned, everything else to fill in.
pub fn new_measure(id: MeasureId) -> Measure {
    Measure {
        id,
        category: MeasureCategory::Industry,
        content: String::new(),
        scale: String::new(),
        funds: Fen::ZERO,
        responsible_unit: String::new(),
        responsible_person: String::new(),
        deadline: None,
        expected_extra_income: Fen::ZERO,
        status: MeasureStatus::Planned,
        evidence: Vec::new(),
    }
}

fn measure_field<T: Default + 'static>(
    id: MeasureId,
    get: fn(&Measure) -> T,
    set: fn(&mut Measure, T),
) -> Binding<T> {
    const MEASURES: ItemList<Measure, MeasureId> = ItemList {
        find: |d, id| d.plan.measures.iter().find(|m| m.id == id),
        find_mut: |d, id| d.plan.measures.iter_mut().find(|m| m.id == id),
    };
    MEASURES.field(id, get, set)
}

fn effect_field<T: Default + 'static>(
    id: EffectId,
    get: fn(&EffectEntry) -> T,
    set: fn(&mut EffectEntry, T),
) -> Binding<T> {
    const EFFECTS: ItemList<EffectEntry, EffectId> = ItemList {
        find: |d, id| d.plan.effects.iter().find(|e| e.id == id),
        find_mut: |d, id| d.plan.effects.iter_mut().find(|e| e.id == id),
    };
    EFFECTS.field(id, get, set)
}

/// 一户一策.
#[component]
pub fn PlanSection(
    draft: RwSignal<HouseholdDraft>,
    #[prop(into)] report: Signal<ValidationReport>,
    #[prop(into)] today: Signal<Date>,
    new_measure_id: Callback<(), MeasureId>,
    new_effect_id: Callback<(), EffectId>,
    now: Callback<(), OffsetDateTime>,
    /// A field path the summary asked to show: the measure it belongs to opens.
    #[prop(optional)]
    focus: Option<RwSignal<Option<String>>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let form = Form::new(draft, report);
    let needs = Binding::new(
        |d: &HouseholdDraft| d.plan.needs.clone(),
        |d: &mut HouseholdDraft, needs| d.plan.needs = needs,
    );
    let target = Binding::new(
        |d: &HouseholdDraft| d.plan.target_per_capita_income,
        |d: &mut HouseholdDraft, target| d.plan.target_per_capita_income = target,
    );
    view! {
        <section class="form-section" id="plan" aria-labelledby="plan-title">
            <h2 id="plan-title">{t!(i18n, forms.plan.title)}</h2>
            <div class="card form">
                <StringList form=form list="plan.needs" label=move || t_string!(i18n, forms.plan.needs).to_string()
                    item_label=move || t_string!(i18n, forms.plan.need).to_string() binding=needs
                    add_label=move || t_string!(i18n, forms.plan.add_need).to_string() />
                <MoneyField form=form path=fixed_path("plan.target_per_capita_income") label=move || t_string!(i18n, forms.plan.target).to_string()
                    binding=target optional=true />
            </div>
            <Measures form=form new_measure_id=new_measure_id focus=focus />
            <Effects form=form today=today new_effect_id=new_effect_id now=now />
        </section>
    }
}

#[component]
fn Measures(
    form: Form,
    new_measure_id: Callback<(), MeasureId>,
    focus: Option<RwSignal<Option<String>>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let draft = form.draft;
    let expanded = RwSignal::new(None::<MeasureId>);
    let ids = move || draft.with(|d| d.plan.measures.iter().map(|m| m.id).collect::<Vec<_>>());
    let add = move |_| {
        let id = new_measure_id.run(());
        draft.update(|d| d.plan.measures.push(new_measure(id)));
        expanded.set(Some(id));
    };
    let messages = form.messages(fixed_path("plan.measures"));
    view! {
        <div class="card" id="plan.measures">
            <h3>{t!(i18n, forms.plan.measures)}</h3>
            <FieldMessages messages=messages path=fixed_path("plan.measures") />
            <ul class="item-list">
                <For each=ids key=|id| *id let:id>
                    <MeasureItem form=form id=id expanded=expanded focus=focus />
                </For>
            </ul>
            <button type="button" class="button button-add" on:click=add>{t!(i18n, forms.plan.add_measure)}</button>
        </div>
    }
}

#[component]
fn MeasureItem(
    form: Form,
    id: MeasureId,
    expanded: RwSignal<Option<MeasureId>>,
    focus: Option<RwSignal<Option<String>>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let draft = form.draft;
    let locale = form.locale;
    let index = Memo::new(move |_| draft.with(|d| d.plan.measures.iter().position(|m| m.id == id)));
    let base = Signal::derive(move || format!("plan.measures[{}]", index.get().unwrap_or(0)));
    let summary = Memo::new(move |_| {
        draft.with(|d| {
            d.plan
                .measures
                .iter()
                .find(|m| m.id == id)
                .map(|m| (m.category, m.content.clone(), m.status))
        })
    });
    let item = ListItem::new(form, base, id, expanded, focus);
    let remove = move |()| {
        draft.update(|d| {
            if let Some(position) = d.plan.measures.iter().position(|m| m.id == id) {
                d.plan.measures.remove(position);
                remove_indexed_raw(d, "plan.measures", position);
            }
        });
    };
    let title = move || {
        summary
            .get()
            .map(|(_, content, _)| {
                if content.trim().is_empty() {
                    t_string!(i18n, forms.plan.measure_untitled).to_string()
                } else {
                    content
                }
            })
            .unwrap_or_default()
    };
    let meta = move || {
        summary
            .get()
            .map(|(category, _, status)| {
                format!(
                    "{} · {}",
                    category.label(locale.get()),
                    status.label(locale.get())
                )
            })
            .unwrap_or_default()
    };
    let photo_count = move || {
        draft.with(|d| {
            d.plan
                .measures
                .iter()
                .find(|m| m.id == id)
                .map_or(0, |m| m.evidence.len())
        })
    };
    view! {
        <EditorItem item=item title=title meta=meta on_remove=remove>
            <MeasureFields form=form id=id base=base />
            <details class="checklist-evidence" data-testid="measure-evidence">
                <summary>{move || t_string!(i18n, forms.plan.photos, count = photo_count()).to_string()}</summary>
                <super::photos::MeasurePhotos draft=draft measure=id />
            </details>
        </EditorItem>
    }
}

#[component]
fn MeasureFields(form: Form, id: MeasureId, base: Signal<String>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <SelectField form=form path=under(base, "category") label=move || t_string!(i18n, forms.plan.category).to_string()
            options=MeasureCategory::ALL.to_vec() binding=measure_field(id, |m| Some(m.category), |m, v| if let Some(v) = v { m.category = v }) />
        <TextField form=form path=under(base, "content") label=move || t_string!(i18n, forms.plan.content).to_string()
            binding=measure_field(id, |m| m.content.clone(), |m, v| m.content = v) multiline=true />
        <TextField form=form path=under(base, "scale") label=move || t_string!(i18n, forms.plan.scale).to_string()
            binding=measure_field(id, |m| m.scale.clone(), |m, v| m.scale = v) />
        <MoneyField form=form path=under(base, "funds") label=move || t_string!(i18n, forms.plan.funds).to_string()
            binding=money_binding(measure_field(id, |m| m.funds, |m, v| m.funds = v)) />
        <TextField form=form path=under(base, "responsible_unit") label=move || t_string!(i18n, forms.plan.unit).to_string()
            binding=measure_field(id, |m| m.responsible_unit.clone(), |m, v| m.responsible_unit = v) />
        <TextField form=form path=under(base, "responsible_person") label=move || t_string!(i18n, forms.plan.person).to_string()
            binding=measure_field(id, |m| m.responsible_person.clone(), |m, v| m.responsible_person = v) />
        <DateField form=form path=under(base, "deadline") label=move || t_string!(i18n, forms.plan.deadline).to_string()
            binding=measure_field(id, |m| m.deadline, |m, v| m.deadline = v) optional=true />
        <MoneyField form=form path=under(base, "expected_extra_income") label=move || t_string!(i18n, forms.plan.expected_extra_income).to_string()
            binding=money_binding(measure_field(id, |m| m.expected_extra_income, |m, v| m.expected_extra_income = v)) />
        <SelectField form=form path=under(base, "status") label=move || t_string!(i18n, forms.plan.status).to_string()
            options=MeasureStatus::ALL.to_vec() binding=measure_field(id, |m| Some(m.status), |m, v| if let Some(v) = v { m.status = v }) />
    }
}

#[component]
fn Effects(
    form: Form,
    today: Signal<Date>,
    new_effect_id: Callback<(), EffectId>,
    now: Callback<(), OffsetDateTime>,
) -> impl IntoView {
    let i18n = use_i18n();
    let draft = form.draft;
    let ids = move || draft.with(|d| d.plan.effects.iter().map(|e| e.id).collect::<Vec<_>>());
    let add = move |_| {
        let id = new_effect_id.run(());
        let date = today.get_untracked();
        draft.update(|d| {
            d.plan.effects.push(EffectEntry {
                id,
                measure_id: None,
                date,
                content: String::new(),
                actual_extra_income: Fen::ZERO,
                confirmation: None,
            })
        });
    };
    view! {
        <div class="card" id="plan.effects">
            <h3>{t!(i18n, forms.plan.effects)}</h3>
            <ul class="item-list">
                <For each=ids key=|id| *id let:id>
                    <EffectItem form=form id=id now=now />
                </For>
            </ul>
            <button type="button" class="button button-add" on:click=add>{t!(i18n, forms.plan.add_effect)}</button>
        </div>
    }
}

#[component]
fn EffectItem(form: Form, id: EffectId, now: Callback<(), OffsetDateTime>) -> impl IntoView {
    let i18n = use_i18n();
    let draft = form.draft;
    let index = Memo::new(move |_| draft.with(|d| d.plan.effects.iter().position(|e| e.id == id)));
    let base = Signal::derive(move || format!("plan.effects[{}]", index.get().unwrap_or(0)));
    let remove = move |()| {
        draft.update(|d| {
            if let Some(position) = d.plan.effects.iter().position(|e| e.id == id) {
                d.plan.effects.remove(position);
                remove_indexed_raw(d, "plan.effects", position);
            }
        });
    };
    let locale = form.locale;
    let summary = Memo::new(move |_| {
        draft.with(|d| {
            d.plan.effects.iter().find(|e| e.id == id).map(|effect| {
                let measure = effect.measure_id.and_then(|measure| {
                    d.plan
                        .measures
                        .iter()
                        .find(|m| m.id == measure)
                        .map(|m| (m.category, m.content.clone()))
                });
                (effect.date, measure)
            })
        })
    });
    let title = move || {
        summary
            .get()
            .map(|(date, _)| format_date(date))
            .unwrap_or_default()
    };
    let meta = move || match summary.get().and_then(|(_, measure)| measure) {
        Some((category, content)) => format!("{} · {content}", category.label(locale.get())),
        None => t_string!(i18n, forms.plan.no_measure).to_string(),
    };
    let item = ListItem::always_open(form, base, id);
    view! {
        <EditorItem item=item title=title meta=meta on_remove=remove>
            <EffectMeasureField form=form id=id path=under(base, "measure_id") />
            <DateField form=form path=under(base, "date") label=move || t_string!(i18n, forms.plan.effect_date).to_string()
                binding=effect_field(id, |e| Some(e.date), |e, v| if let Some(v) = v { e.date = v }) />
            <TextField form=form path=under(base, "content") label=move || t_string!(i18n, forms.plan.effect_content).to_string()
                binding=effect_field(id, |e| e.content.clone(), |e, v| e.content = v) multiline=true />
            <MoneyField form=form path=under(base, "actual_extra_income") label=move || t_string!(i18n, forms.plan.actual_extra_income).to_string()
                binding=money_binding(effect_field(id, |e| e.actual_extra_income, |e, v| e.actual_extra_income = v)) />
            <ConfirmationEditor form=form path=under(base, "confirmation") now=now
                binding=effect_field(id, |e| e.confirmation.clone(), |e, v| e.confirmation = v) />
        </EditorItem>
    }
}

/// Which measure an effect belongs to (optional), chosen among the plan's measures.
#[component]
fn EffectMeasureField(form: Form, id: EffectId, path: Signal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = form.locale;
    let draft = form.draft;
    let measures = Memo::new(move |_| {
        let locale = locale.get();
        draft.with(|d| {
            d.plan
                .measures
                .iter()
                .map(|m| {
                    (
                        m.id,
                        format!("{} · {}", m.category.label(locale), m.content),
                    )
                })
                .collect::<Vec<_>>()
        })
    });
    view! {
        <ItemChoiceField form=form path=path label=move || t_string!(i18n, forms.plan.effect_measure).to_string()
            none=move || t_string!(i18n, forms.plan.no_measure).to_string() options=measures
            binding=effect_field(id, |e| e.measure_id, |e, v| e.measure_id = v) />
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::form::errors_under;
    use uuid::Uuid;

    #[test]
    fn a_new_measure_needs_content_unit_and_deadline() {
        let Ok(policy) = zoufang_domain::policy::PolicyTables::builtin() else {
            panic!("the built-in policy tables load");
        };
        let household = zoufang_domain::sample::household();
        let mut plan = zoufang_domain::sample::plan(&household);
        plan.measures
            .push(new_measure(MeasureId(Uuid::from_u128(99))));
        let config = zoufang_domain::validation::ValidationConfig::default();
        let context = zoufang_domain::validation::ValidationContext {
            today: zoufang_domain::sample::TODAY,
            policy: &policy,
            config: &config,
        };
        let report =
            zoufang_domain::validation::validate_household(&household, Some(&plan), None, &context);
        assert_eq!(errors_under(&report, "plan.measures[2]."), 3);
    }
}
