//! 帮扶责任人: the history of the household's helpers (name, unit, position, phone, unit level, from–to), read-only.
//! Who helps a household is changed by the village's first secretary or an administrator on the server, never by a
//! visit (the server refuses a visit whose helpers differ from its copy with `helpers_changed`), so the phone shows
//! the server's rows and offers no change. Rows are keyed by their position: history is never rewritten.

use leptos::prelude::*;
use zoufang_domain::labels::Labelled;

use crate::i18n::*;
use crate::ui::form::ListItem;
use crate::ui::form::*;

/// 帮扶责任人 history, read-only, with a line saying who changes it.
#[component]
pub fn HelperHistory(form: Form, focus: Option<RwSignal<Option<String>>>) -> impl IntoView {
    let i18n = use_i18n();
    let draft = form.draft;
    let expanded = RwSignal::new(None::<usize>);
    let count = Memo::new(move |_| draft.with(|d| d.household.helpers.len()));
    let messages = form.messages(fixed_path("helpers"));
    view! {
        <div class="card" id="helpers">
            <h3>{t!(i18n, forms.helpers.title)}</h3>
            <FieldMessages messages=messages path=fixed_path("helpers") />
            <Show when=move || count.get() == 0>
                <p class="empty">{t!(i18n, forms.helpers.empty)}</p>
            </Show>
            <ul class="item-list">
                <For each=move || 0..count.get() key=|index| *index let:index>
                    <HelperItem form=form index=index expanded=expanded focus=focus />
                </For>
            </ul>
            <p class="hint" data-testid="helpers-read-only">{t!(i18n, forms.helpers.read_only)}</p>
        </div>
    }
}

#[component]
fn HelperItem(
    form: Form,
    index: usize,
    expanded: RwSignal<Option<usize>>,
    focus: Option<RwSignal<Option<String>>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let draft = form.draft;
    let locale = form.locale;
    let base = fixed_path(&format!("helpers[{index}]"));
    let summary = Memo::new(move |_| {
        draft.with(|d| {
            d.household.helpers.get(index).map(|helper| {
                (
                    helper.name.clone(),
                    helper.unit.clone(),
                    helper.unit_level,
                    helper.started_on,
                    helper.ended_on,
                )
            })
        })
    });
    let item = ListItem::new(form, base, index, expanded, focus);
    let title = move || {
        summary
            .get()
            .map(|(name, _, _, _, _)| {
                if name.trim().is_empty() {
                    t_string!(i18n, forms.helpers.unnamed).to_string()
                } else {
                    name
                }
            })
            .unwrap_or_default()
    };
    let unit_line = move || {
        summary
            .get()
            .map(|(_, unit, level, _, _)| {
                let level = level.label(locale.get());
                if unit.trim().is_empty() {
                    level.to_string()
                } else {
                    format!("{unit} · {level}")
                }
            })
            .unwrap_or_default()
    };
    let period = move || {
        summary
            .get()
            .map(|(_, _, _, from, to)| {
                let to = to.map_or_else(
                    || t_string!(i18n, forms.helpers.to_now).to_string(),
                    format_date,
                );
                format!("{} – {to}", format_date(from))
            })
            .unwrap_or_default()
    };
    let current = Signal::derive(move || {
        summary
            .with(|s| s.as_ref().is_some_and(|s| s.4.is_none()))
            .then(|| t_string!(i18n, forms.helpers.current).to_string())
    });
    let closed = Memo::new(move |_| summary.with(|s| s.as_ref().is_some_and(|s| s.4.is_some())));
    view! {
        <EditorItem item=item title=title meta=unit_line detail=period badge=current>
            <HelperFields form=form index=index base=base closed=closed />
        </EditorItem>
    }
}

/// One row's details as read-only fields.
#[component]
fn HelperFields(
    form: Form,
    index: usize,
    base: Signal<String>,
    closed: Memo<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let draft = form.draft;
    let locale = form.locale;
    let value = move |read: fn(&zoufang_domain::model::HelperAssignment) -> String| {
        Signal::derive(move || {
            draft.with(|d| d.household.helpers.get(index).map(read).unwrap_or_default())
        })
    };
    let unit_level = Signal::derive(move || {
        draft.with(|d| {
            d.household
                .helpers
                .get(index)
                .map(|helper| helper.unit_level.label(locale.get()).to_string())
                .unwrap_or_default()
        })
    });
    let path = move |field: &'static str| under(base, field);
    view! {
        <ReadOnlyField path=path("name") label=move || t_string!(i18n, forms.helpers.name).to_string()
            value=value(|h| h.name.clone()) />
        <ReadOnlyField path=path("unit") label=move || t_string!(i18n, forms.helpers.unit).to_string()
            value=value(|h| h.unit.clone()) />
        <ReadOnlyField path=path("position") label=move || t_string!(i18n, forms.helpers.position).to_string()
            value=value(|h| h.position.clone()) />
        <ReadOnlyField path=path("phone") label=move || t_string!(i18n, forms.helpers.phone).to_string()
            value=value(|h| h.phone.clone()) />
        <ReadOnlyField path=path("unit_level") label=move || t_string!(i18n, forms.helpers.unit_level).to_string()
            value=unit_level />
        <ReadOnlyField path=path("started_on") label=move || t_string!(i18n, forms.helpers.started_on).to_string()
            value=value(|h| format_date(h.started_on)) />
        <Show when=move || closed.get()>
            <ReadOnlyField path=path("ended_on") label=move || t_string!(i18n, forms.helpers.ended_on).to_string()
                value=value(|h| h.ended_on.map(format_date).unwrap_or_default()) />
        </Show>
    }
}
