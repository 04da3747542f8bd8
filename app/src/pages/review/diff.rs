//! What changed since the approved version, part by part, as the domain's `review_diff` reads it: an added item,
//! a removed one, or one field with its value before and after (a sensitive field only says it changed).

use crate::i18n::*;
use leptos::prelude::*;
use zoufang_domain::labels::Labelled;
use zoufang_domain::review_diff::{Change, PartDiff};

/// The changes, one card per part; `parts` empty means nothing a review looks at changed.
#[component]
pub fn ChangesView(parts: Vec<PartDiff>) -> impl IntoView {
    let i18n = use_i18n();
    if parts.is_empty() {
        return view! { <p class="lead" data-testid="review-no-changes">{t!(i18n, review.no_changes)}</p> }
            .into_any();
    }
    let locale = crate::ui::form::domain_locale(i18n.get_locale_untracked());
    parts
        .into_iter()
        .map(|part| {
            let title = part.part.label(locale);
            let rows = part
                .changes
                .into_iter()
                .map(|change| change_row(i18n, change))
                .collect_view();
            view! {
                <div class="review-part" data-testid="review-part">
                    <h3 class="review-part-title">{title}</h3>
                    <ul class="review-changes">{rows}</ul>
                </div>
            }
        })
        .collect_view()
        .into_any()
}

fn change_row(i18n: leptos_i18n::I18nContext<Locale>, change: Change) -> impl IntoView {
    let (class, text) = match change {
        Change::Added(item) => (
            "change-added",
            t_string!(i18n, review.added, item = item).to_string(),
        ),
        Change::Removed(item) => (
            "change-removed",
            t_string!(i18n, review.removed, item = item).to_string(),
        ),
        Change::Field {
            item,
            field,
            values: Some((before, after)),
        } => {
            let field = match item {
                Some(item) => format!("{item} · {field}"),
                None => field.to_owned(),
            };
            (
                "change-field",
                t_string!(
                    i18n,
                    review.field_changed,
                    field = field,
                    before = before,
                    after = after
                )
                .to_string(),
            )
        }
        Change::Field {
            item,
            field,
            values: None,
        } => {
            let field = match item {
                Some(item) => format!("{item} · {field}"),
                None => field.to_owned(),
            };
            (
                "change-field",
                t_string!(i18n, review.field_changed_hidden, field = field).to_string(),
            )
        }
    };
    view! { <li class=class data-testid="review-change">{text}</li> }
}
