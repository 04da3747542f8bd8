//! The form toolkit every section is built from. A field is declared once: its label, its path (the `id` the
//! summary links to) and a [`Binding`] whose type decides the input (`Binding<Option<Fen>>` is money, `Binding<Option<Date>>`
//! a date, `Binding<Option<T>>` of a labelled domain enum a choice from `T::ALL`). Every input sits in the same shell:
//! a visible label, `aria-invalid`, and the findings at its path under it as the helper types.
//!
//! - `binding`: `Binding`, `bind!`, `bind_some!`, field paths.
//! - `shell`: `Form` (draft, findings, label language), the field shell and its messages.
//! - `text`, `parsed`, `id_number`, `choice`: the inputs.
//! - `list`: what the list editors share (open item, error badge, confirmed removal, kept text that follows its item).
//! - `kept`: findings for text kept because it does not parse yet.

mod binding;
mod choice;
mod id_number;
mod kept;
mod list;
mod parsed;
mod shell;
mod text;

pub use binding::*;
pub use choice::*;
pub use id_number::*;
pub use kept::*;
pub use list::*;
pub use parsed::*;
pub use shell::*;
pub use text::*;

use leptos::prelude::*;
use zoufang_domain::labels::Locale as DomainLocale;

use crate::i18n::Locale;

/// The domain's label language for the UI language.
pub fn domain_locale(locale: Locale) -> DomainLocale {
    match locale {
        Locale::zh_CN => DomainLocale::ZhCn,
        Locale::en => DomainLocale::En,
    }
}

/// The current UI language as the domain's label language (tracks language switches).
pub fn use_domain_locale() -> Signal<DomainLocale> {
    let i18n = crate::i18n::use_i18n();
    Signal::derive(move || domain_locale(i18n.get_locale()))
}
