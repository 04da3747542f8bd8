//! What every list editor shares (members, measures, effects, events, helpers, income lines): an item's open/closed
//! state with its error count, removal with confirmation, and keeping kept text with its item when one is removed.

use std::collections::BTreeMap;

use leptos::prelude::*;
use zoufang_domain::validation::{Severity, ValidationReport};

use super::{FieldMessages, Form};
use crate::draft::HouseholdDraft;
use crate::i18n::*;

/// How many errors sit under a path prefix such as `members[2].` (for a collapsed item's badge).
pub fn errors_under(report: &ValidationReport, prefix: &str) -> usize {
    report
        .errors()
        .filter(|finding| finding.path.as_str().starts_with(prefix))
        .count()
}

/// After removing item `removed` of the list at `list` (e.g. `members`), moves kept text of later items (and what
/// it was meant to be) down one place and forgets the removed item's, so kept text stays with its item.
pub fn remove_indexed_raw(draft: &mut HouseholdDraft, list: &str, removed: usize) {
    shift_after_removal(&mut draft.raw_inputs, list, removed);
    shift_after_removal(&mut draft.raw_kinds, list, removed);
}

fn shift_after_removal<V>(by_path: &mut BTreeMap<String, V>, list: &str, removed: usize) {
    let prefix = format!("{list}[");
    let affected: Vec<(String, usize, String)> = by_path
        .keys()
        .filter_map(|path| {
            let rest = path.strip_prefix(&prefix)?;
            let close = rest.find(']')?;
            let index = rest[..close].parse::<usize>().ok()?;
            (index >= removed).then(|| (path.clone(), index, rest[close + 1..].to_string()))
        })
        .collect();
    let mut moved = Vec::new();
    for (path, index, tail) in affected {
        if let Some(value) = by_path.remove(&path)
            && index > removed
        {
            moved.push((format!("{list}[{}]{tail}", index - 1), value));
        }
    }
    by_path.extend(moved);
}

/// The open/closed state of one item of a list (a member, a measure) and the number of errors inside it.
/// An item opens when tapped, or when a summary link points at one of its fields; an item made with
/// [`ListItem::always_open`] (an income line, an effect: a few fields read together) never closes.
#[derive(Debug, Clone, Copy)]
pub struct ListItem<Id: Copy + PartialEq + Send + Sync + 'static> {
    /// The item's field path, e.g. `members[3]`.
    base: Signal<String>,
    id: Id,
    /// The list's one open item; `None` for an item that is always open.
    expanded: Option<RwSignal<Option<Id>>>,
    focus: Option<RwSignal<Option<String>>>,
    /// Errors reported under the item's path.
    pub problems: Memo<usize>,
    /// The findings about the item as a whole (at its own path).
    messages: Memo<Vec<(Severity, String)>>,
}

impl<Id: Copy + PartialEq + Send + Sync + 'static> ListItem<Id> {
    pub fn new(
        form: Form,
        base: Signal<String>,
        id: Id,
        expanded: RwSignal<Option<Id>>,
        focus: Option<RwSignal<Option<String>>>,
    ) -> ListItem<Id> {
        ListItem::with(form, base, id, Some(expanded), focus)
    }

    /// An item whose fields always show.
    pub fn always_open(form: Form, base: Signal<String>, id: Id) -> ListItem<Id> {
        ListItem::with(form, base, id, None, None)
    }

    fn with(
        form: Form,
        base: Signal<String>,
        id: Id,
        expanded: Option<RwSignal<Option<Id>>>,
        focus: Option<RwSignal<Option<String>>>,
    ) -> ListItem<Id> {
        let problems = Memo::new(move |_| {
            let prefix = format!("{}.", base.get());
            form.report.with(|r| errors_under(r, &prefix))
        });
        ListItem {
            base,
            id,
            expanded,
            focus,
            problems,
            messages: form.messages(base),
        }
    }

    /// Whether a tap opens and closes it.
    pub fn collapsible(&self) -> bool {
        self.expanded.is_some()
    }

    /// Open because it was tapped or because a followed summary link points inside it (or always).
    pub fn is_open(&self) -> bool {
        let Some(expanded) = self.expanded else {
            return true;
        };
        let focused = self.focus.is_some_and(|focus| {
            focus.with(|path| {
                path.as_ref()
                    .is_some_and(|path| path.starts_with(&format!("{}.", self.base.get())))
            })
        });
        expanded.get() == Some(self.id) || focused
    }

    /// Opens a closed item, closes an open one (and forgets a followed link).
    pub fn toggle(&self) {
        let Some(expanded) = self.expanded else {
            return;
        };
        let open = self.is_open();
        if let Some(focus) = self.focus {
            focus.set(None);
        }
        expanded.set((!open).then_some(self.id));
    }
}

/// One item of every list editor (members, measures, effects, sudden events, helpers, income lines): a summary with
/// its title, a line of facts (and an optional second line and badge) and the error badge; the findings about the
/// item as a whole; its fields (`children`), shown when it is open, ending with a remove button that asks once more
/// (read-only lists pass no `on_remove`). A collapsible item's summary is the button that opens it. Items are keyed
/// by id or row key, so removing one never moves another one's text.
#[component]
pub fn EditorItem<Id>(
    item: ListItem<Id>,
    #[prop(into)] title: TextProp,
    #[prop(into)] meta: TextProp,
    /// A second line of facts (a helper's period).
    #[prop(optional, into)]
    detail: Option<TextProp>,
    /// A badge after the title (a helper's 当前), shown while `Some`.
    #[prop(optional, into)]
    badge: Option<Signal<Option<String>>>,
    #[prop(optional, into)] on_remove: Option<Callback<()>>,
    children: ChildrenFn,
) -> impl IntoView
where
    Id: Copy + PartialEq + Send + Sync + 'static,
{
    let i18n = use_i18n();
    let problems = item.problems;
    let base = item.base;
    let summary = move || {
        let detail = detail.clone();
        view! {
            <span class="item-title">{move || title.get()}</span>
            {badge.map(|badge| view! {
                <Show when=move || badge.with(Option::is_some)>
                    <span class="badge badge-current">{move || badge.get().unwrap_or_default()}</span>
                </Show>
            })}
            <span class="item-meta">{move || meta.get()}</span>
            {detail.map(|detail| view! { <span class="item-meta item-meta-line">{move || detail.get()}</span> })}
            <Show when=move || { problems.get() > 0 }>
                <span class="badge badge-error">{move || t_string!(i18n, forms.problems, n = problems.get()).to_string()}</span>
            </Show>
        }
    };
    let header = if item.collapsible() {
        view! {
            <button type="button" class="item-summary" aria-expanded=move || item.is_open().to_string() on:click=move |_| item.toggle()>
                {summary()}
            </button>
        }
        .into_any()
    } else {
        view! { <div class="item-summary item-summary-static">{summary()}</div> }.into_any()
    };
    view! {
        <li class="item" id=move || base.get()>
            {header}
            <FieldMessages messages=item.messages path=base />
            <Show when=move || item.is_open()>
                <div class="item-body form">
                    {children()}
                    {on_remove.map(|on_remove| view! { <ConfirmRemove on_confirm=on_remove /> })}
                </div>
            </Show>
        </li>
    }
}

/// A remove button that asks once more before calling `on_confirm`.
#[component]
pub fn ConfirmRemove(#[prop(into)] on_confirm: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let asking = RwSignal::new(false);
    view! {
        <Show
            when=move || asking.get()
            fallback=move || view! {
                <button type="button" class="button button-quiet" on:click=move |_| asking.set(true)>
                    {t!(i18n, forms.remove)}
                </button>
            }
        >
            <div class="confirm" role="alertdialog">
                <span>{t!(i18n, forms.remove_confirm)}</span>
                <button type="button" class="button button-danger-small" on:click=move |_| { asking.set(false); on_confirm.run(()); }>
                    {t!(i18n, forms.remove_yes)}
                </button>
                <button type="button" class="button" on:click=move |_| asking.set(false)>
                    {t!(i18n, forms.cancel)}
                </button>
            </div>
        </Show>
    }
}
