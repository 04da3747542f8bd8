//! 我的户: the households assigned to the logged-in user.

use crate::components::PageHeader;
use crate::i18n::*;
use leptos::prelude::*;

#[component]
pub fn HouseholdsPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeader title=Signal::derive(move || t_string!(i18n, households.title).to_string()) />
        <p class="empty">{t!(i18n, households.empty)}</p>
    }
}
