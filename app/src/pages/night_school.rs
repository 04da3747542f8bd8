//! 夜校: the TV night-school teaching point and its attendance.

use crate::components::PageHeader;
use crate::i18n::*;
use leptos::prelude::*;

#[component]
pub fn NightSchoolPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeader title=Signal::derive(move || t_string!(i18n, night_school.title).to_string()) />
        <p class="lead">{t!(i18n, night_school.intro)}</p>
        <p class="empty">{t!(i18n, night_school.empty)}</p>
    }
}
