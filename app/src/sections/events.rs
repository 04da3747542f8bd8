//! 突发事件: the household's sudden events (kind, date, note) with add, expand-to-edit and remove. They feed the
//! 红黄绿 risk rules (a recent event makes a 红灯户; an epidemic or animal disease a 黄灯户). Events have no id of
//! their own, so rows are keyed by the draft's client-side row keys and removing one never moves another's text.

use leptos::prelude::*;
use time::Date;
use zoufang_domain::labels::Labelled;
use zoufang_domain::model::*;

use crate::draft::HouseholdDraft;
use crate::i18n::*;
use crate::ui::form::*;
use crate::ui::form::{ListItem, remove_indexed_raw};

/// Adds an event of this kind dated `on` and returns its row key.
pub fn add_event(draft: &mut HouseholdDraft, kind: SuddenEventKind, on: Date) -> u32 {
    let count = draft.household.sudden_events.len();
    let key = draft.sudden_event_keys.push(count);
    draft.household.sudden_events.push(SuddenEvent {
        kind,
        occurred_on: on,
        note: String::new(),
    });
    key
}

/// Removes event `index` with its row key, and moves the kept text of later events with them.
pub fn remove_event(draft: &mut HouseholdDraft, index: usize) {
    let count = draft.household.sudden_events.len();
    if index < count {
        draft.sudden_event_keys.remove(count, index);
        draft.household.sudden_events.remove(index);
        remove_indexed_raw(draft, "sudden_events", index);
    }
}

/// Where the event with row key `key` is now.
pub fn event_index(draft: &HouseholdDraft, key: u32) -> Option<usize> {
    draft
        .sudden_event_keys
        .index_of(key, draft.household.sudden_events.len())
}

fn event_field<T: Default + 'static>(
    key: u32,
    get: fn(&SuddenEvent) -> T,
    set: fn(&mut SuddenEvent, T),
) -> Binding<T> {
    const EVENTS: ItemList<SuddenEvent, u32> = ItemList {
        find: |d, key| event_index(d, key).and_then(|index| d.household.sudden_events.get(index)),
        find_mut: |d, key| {
            event_index(d, key).and_then(|index| d.household.sudden_events.get_mut(index))
        },
    };
    EVENTS.field(key, get, set)
}

/// 突发事件 alone, for the visit flow's "what changed" step.
#[component]
pub fn SuddenEventsSection(
    draft: RwSignal<HouseholdDraft>,
    #[prop(into)] report: Signal<zoufang_domain::validation::ValidationReport>,
    #[prop(into)] today: Signal<Date>,
    #[prop(optional)] focus: Option<RwSignal<Option<String>>>,
) -> impl IntoView {
    view! { <SuddenEvents form=Form::new(draft, report) today=today focus=focus /> }
}

/// 突发事件.
#[component]
pub fn SuddenEvents(
    form: Form,
    #[prop(into)] today: Signal<Date>,
    focus: Option<RwSignal<Option<String>>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let draft = form.draft;
    let expanded = RwSignal::new(None::<u32>);
    let keys = move || draft.with(|d| d.sudden_event_keys.keys(d.household.sudden_events.len()));
    let messages = form.messages(fixed_path("sudden_events"));
    view! {
        <div class="card" id="sudden_events">
            <h3>{t!(i18n, forms.events.title)}</h3>
            <p class="hint">{t!(i18n, forms.events.hint)}</p>
            <FieldMessages messages=messages path=fixed_path("sudden_events") />
            <ul class="item-list">
                <For each=keys key=|key| *key let:key>
                    <EventItem form=form key=key expanded=expanded focus=focus />
                </For>
            </ul>
            <AddEvent form=form today=today expanded=expanded />
        </div>
    }
}

#[component]
fn EventItem(
    form: Form,
    key: u32,
    expanded: RwSignal<Option<u32>>,
    focus: Option<RwSignal<Option<String>>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let draft = form.draft;
    let locale = form.locale;
    let index = Memo::new(move |_| draft.with(|d| event_index(d, key)));
    let base = Signal::derive(move || format!("sudden_events[{}]", index.get().unwrap_or(0)));
    let summary = Memo::new(move |_| {
        draft.with(|d| {
            event_index(d, key)
                .and_then(|index| d.household.sudden_events.get(index))
                .map(|event| (event.kind, event.occurred_on, event.note.clone()))
        })
    });
    let item = ListItem::new(form, base, key, expanded, focus);
    let remove = move |()| {
        draft.update(|d| {
            if let Some(index) = event_index(d, key) {
                remove_event(d, index);
            }
        })
    };
    let title = move || {
        summary
            .get()
            .map(|(kind, _, _)| kind.label(locale.get()).to_string())
            .unwrap_or_default()
    };
    let meta = move || {
        summary
            .get()
            .map(|(_, date, note)| {
                if note.trim().is_empty() {
                    date.to_string()
                } else {
                    format!("{date} · {note}")
                }
            })
            .unwrap_or_default()
    };
    view! {
        <EditorItem item=item title=title meta=meta on_remove=remove>
            <SelectField form=form path=under(base, "kind") label=move || t_string!(i18n, forms.events.kind).to_string()
                options=SuddenEventKind::ALL.to_vec() binding=event_field(key, |e| Some(e.kind), |e, v| if let Some(v) = v { e.kind = v }) />
            <DateField form=form path=under(base, "occurred_on") label=move || t_string!(i18n, forms.events.date).to_string()
                binding=event_field(key, |e| Some(e.occurred_on), |e, v| if let Some(v) = v { e.occurred_on = v }) />
            <TextField form=form path=under(base, "note") label=move || t_string!(i18n, forms.events.note).to_string()
                binding=event_field(key, |e| e.note.clone(), |e, v| e.note = v) multiline=true />
        </EditorItem>
    }
}

/// Choose the kind, then add: the event is dated today and opens for editing.
#[component]
fn AddEvent(form: Form, today: Signal<Date>, expanded: RwSignal<Option<u32>>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = form.locale;
    let chosen = RwSignal::new(None::<SuddenEventKind>);
    let add = move |_| {
        if let Some(kind) = chosen.get_untracked() {
            let on = today.get_untracked();
            let mut key = None;
            form.draft.update(|d| key = Some(add_event(d, kind, on)));
            expanded.set(key);
            chosen.set(None);
        }
    };
    view! {
        <div class="form add-event">
            <label class="field">
                <span class="field-label">{t!(i18n, forms.events.add_kind)}</span>
                <select id="sudden_events.add_kind" on:change=move |event| {
                    let index = event_target_value(&event).parse::<usize>().ok();
                    chosen.set(index.and_then(|index| SuddenEventKind::ALL.get(index).copied()));
                }>
                    <option value="" selected=move || chosen.get().is_none()>{move || t_string!(i18n, forms.choose).to_string()}</option>
                    {move || {
                        let locale = locale.get();
                        SuddenEventKind::ALL.iter().enumerate().map(|(index, kind)| view! {
                            <option value=index.to_string()>{kind.label(locale)}</option>
                        }).collect_view()
                    }}
                </select>
            </label>
            <button type="button" class="button button-add" disabled=move || chosen.get().is_none() on:click=add>
                {t!(i18n, forms.events.add)}
            </button>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn draft() -> HouseholdDraft {
        crate::sections::empty_draft()
    }

    #[test]
    fn removing_an_event_keeps_the_others_keys_notes_and_kept_dates() {
        let mut draft = draft();
        let keys: Vec<u32> = [
            SuddenEventKind::SeriousIllness,
            SuddenEventKind::NaturalDisaster,
            SuddenEventKind::AnimalDisease,
        ]
        .into_iter()
        .map(|kind| add_event(&mut draft, kind, date!(2020 - 11 - 20)))
        .collect();
        draft.household.sudden_events[2].note = "非洲猪瘟，死猪 12 头".into();
        draft.keep_raw(
            "sudden_events[2].occurred_on",
            String::new(),
            crate::draft::KeptKind::Date,
        );
        remove_event(&mut draft, 0);
        assert_eq!(event_index(&draft, keys[0]), None);
        let index = event_index(&draft, keys[2]);
        assert_eq!(index, Some(1));
        let event = &draft.household.sudden_events[1];
        assert_eq!(event.kind, SuddenEventKind::AnimalDisease);
        assert_eq!(event.note, "非洲猪瘟，死猪 12 头");
        assert!(
            draft
                .raw_inputs
                .contains_key("sudden_events[1].occurred_on")
        );
    }
}
