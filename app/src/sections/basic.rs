//! 基本情况: 户编号, address, 贫困户属性, 脱贫状态/年度, 监测 category, housing, water, electricity, road, fuel, toilet,
//! the payout bank account (masked until asked for), the 帮扶责任人 history and the sudden events.

use leptos::prelude::*;
use time::Date;
use zoufang_domain::model::*;
use zoufang_domain::validation::ValidationReport;

use super::events::SuddenEvents;
use super::helpers::HelperHistory;
use crate::draft::HouseholdDraft;
use crate::i18n::*;
use crate::ui::form::*;
use crate::{bind, bind_some};

/// 基本情况 of the household.
#[component]
pub fn BasicSection(
    draft: RwSignal<HouseholdDraft>,
    #[prop(into)] report: Signal<ValidationReport>,
    #[prop(into)] today: Signal<Date>,
    /// A field path the summary asked to show: the helper row or event it belongs to opens.
    #[prop(optional)]
    focus: Option<RwSignal<Option<String>>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let form = Form::new(draft, report);
    let code = Signal::derive(move || draft.with(|d| d.household.household_code.clone()));
    view! {
        <section class="form-section" aria-labelledby="basic-title">
            <h2 id="basic-title">{t!(i18n, forms.basic.title)}</h2>
            <div class="card form">
                <ReadOnlyField path="household_code".to_string() label=move || t_string!(i18n, forms.basic.code).to_string() value=code />
                <AddressFields form=form />
            </div>
            <StatusFields form=form />
            <LandFields form=form />
            <HousingFields form=form />
            <UtilityFields form=form />
            <BankAccountFields form=form />
            <HelperHistory form=form focus=focus />
            <SuddenEvents form=form today=today focus=focus />
        </section>
    }
}

/// 住房 alone, for the visit flow's "what changed" step.
#[component]
pub fn HousingSection(
    draft: RwSignal<HouseholdDraft>,
    #[prop(into)] report: Signal<ValidationReport>,
) -> impl IntoView {
    view! { <HousingFields form=Form::new(draft, report) /> }
}

#[component]
fn AddressFields(form: Form) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <fieldset class="field-group" id="address">
            <legend>{t!(i18n, forms.basic.address)}</legend>
            <TextField form=form path=fixed_path("address.province") label=move || t_string!(i18n, forms.basic.province).to_string() binding=bind!(household.address.province) />
            <TextField form=form path=fixed_path("address.city") label=move || t_string!(i18n, forms.basic.city).to_string() binding=bind!(household.address.city) />
            <TextField form=form path=fixed_path("address.county") label=move || t_string!(i18n, forms.basic.county).to_string() binding=bind!(household.address.county) />
            <TextField form=form path=fixed_path("address.township") label=move || t_string!(i18n, forms.basic.township).to_string() binding=bind!(household.address.township) />
            <TextField form=form path=fixed_path("address.village") label=move || t_string!(i18n, forms.basic.village).to_string() binding=bind!(household.address.village) />
            <TextField form=form path=fixed_path("address.group") label=move || t_string!(i18n, forms.basic.group).to_string() binding=bind!(household.address.group) />
        </fieldset>
    }
}

#[component]
fn StatusFields(form: Form) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="card form">
            <h3>{t!(i18n, forms.basic.status_title)}</h3>
            <SelectField form=form path=fixed_path("attribute") label=move || t_string!(i18n, forms.basic.attribute).to_string()
                options=PovertyAttribute::ALL.to_vec() binding=bind_some!(household.attribute) />
            <SelectField form=form path=fixed_path("identification_standard") label=move || t_string!(i18n, forms.basic.identification_standard).to_string()
                options=IdentificationStandard::ALL.to_vec() binding=bind!(household.identification_standard) optional=true />
            <SelectField form=form path=fixed_path("poverty_status") label=move || t_string!(i18n, forms.basic.poverty_status).to_string()
                options=PovertyStatus::ALL.to_vec() binding=bind_some!(household.poverty_status) />
            <YearField form=form path=fixed_path("exit_year") label=move || t_string!(i18n, forms.basic.exit_year).to_string()
                binding=bind!(household.exit_year) />
            <SelectField form=form path=fixed_path("monitoring_category") label=move || t_string!(i18n, forms.basic.monitoring_category).to_string()
                options=MonitoringCategory::ALL.to_vec() binding=bind!(household.monitoring_category) optional=true />
        </div>
    }
}

#[component]
fn LandFields(form: Form) -> impl IntoView {
    let i18n = use_i18n();
    let mu = move || t_string!(i18n, forms.unit.mu).to_string();
    view! {
        <div class="card form" id="land">
            <h3>{t!(i18n, forms.basic.land_title)}</h3>
            <QuantityField form=form path=fixed_path("land.cultivated") label=move || t_string!(i18n, forms.basic.land_cultivated).to_string()
                binding=bind!(household.land.cultivated) unit=mu />
            <QuantityField form=form path=fixed_path("land.forest") label=move || t_string!(i18n, forms.basic.land_forest).to_string()
                binding=bind!(household.land.forest) unit=mu />
            <QuantityField form=form path=fixed_path("land.returned_to_forest") label=move || t_string!(i18n, forms.basic.land_returned).to_string()
                binding=bind!(household.land.returned_to_forest) unit=mu />
            <QuantityField form=form path=fixed_path("land.orchard") label=move || t_string!(i18n, forms.basic.land_orchard).to_string()
                binding=bind!(household.land.orchard) unit=mu />
            <QuantityField form=form path=fixed_path("land.pasture") label=move || t_string!(i18n, forms.basic.land_pasture).to_string()
                binding=bind!(household.land.pasture) unit=mu />
            <QuantityField form=form path=fixed_path("land.water_surface") label=move || t_string!(i18n, forms.basic.land_water).to_string()
                binding=bind!(household.land.water_surface) unit=mu />
        </div>
    }
}

#[component]
fn HousingFields(form: Form) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="card form" id="housing">
            <h3>{t!(i18n, forms.basic.housing_title)}</h3>
            <QuantityField form=form path=fixed_path("housing.area_m2") label=move || t_string!(i18n, forms.basic.housing_area).to_string()
                binding=bind!(household.housing.area_m2) unit=move || t_string!(i18n, forms.unit.square_metres).to_string() />
            <SelectField form=form path=fixed_path("housing.structure") label=move || t_string!(i18n, forms.basic.housing_structure).to_string()
                options=HousingStructure::ALL.to_vec() binding=bind!(household.housing.structure) optional=true />
            <SelectField form=form path=fixed_path("housing.danger_grade") label=move || t_string!(i18n, forms.basic.danger_grade).to_string()
                options=DangerGrade::ALL.to_vec() binding=bind_some!(household.housing.danger_grade) />
            <SelectField form=form path=fixed_path("housing.safe_housing_way") label=move || t_string!(i18n, forms.basic.safe_housing_way).to_string()
                options=SafeHousingWay::ALL.to_vec() binding=bind!(household.housing.safe_housing_way) optional=true />
        </div>
    }
}

#[component]
fn UtilityFields(form: Form) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="card form">
            <h3>{t!(i18n, forms.basic.utilities_title)}</h3>
            <YesNoField form=form path=fixed_path("water.safe_drinking_water") label=move || t_string!(i18n, forms.basic.safe_drinking_water).to_string() binding=bind!(household.water.safe_drinking_water) />
            <YesNoField form=form path=fixed_path("water.water_difficulty") label=move || t_string!(i18n, forms.basic.water_difficulty).to_string() binding=bind!(household.water.water_difficulty) />
            <YesNoField form=form path=fixed_path("water.piped_into_home") label=move || t_string!(i18n, forms.basic.piped_into_home).to_string() binding=bind!(household.water.piped_into_home) />
            <YesNoField form=form path=fixed_path("electricity.production") label=move || t_string!(i18n, forms.basic.power_production).to_string() binding=bind!(household.electricity.production) />
            <YesNoField form=form path=fixed_path("electricity.domestic") label=move || t_string!(i18n, forms.basic.power_domestic).to_string() binding=bind!(household.electricity.domestic) />
            <YesNoField form=form path=fixed_path("electricity.broadcast_tv") label=move || t_string!(i18n, forms.basic.broadcast_tv).to_string() binding=bind!(household.electricity.broadcast_tv) />
            <QuantityField form=form path=fixed_path("road.distance_to_main_road_km") label=move || t_string!(i18n, forms.basic.road_distance).to_string()
                binding=bind!(household.road.distance_to_main_road_km) unit=move || t_string!(i18n, forms.unit.km).to_string() />
            <SelectField form=form path=fixed_path("road.road_type") label=move || t_string!(i18n, forms.basic.road_type).to_string()
                options=RoadType::ALL.to_vec() binding=bind!(household.road.road_type) optional=true />
            <SelectField form=form path=fixed_path("fuel") label=move || t_string!(i18n, forms.basic.fuel).to_string()
                options=FuelType::ALL.to_vec() binding=bind!(household.fuel) optional=true />
            <YesNoField form=form path=fixed_path("sanitary_toilet") label=move || t_string!(i18n, forms.basic.sanitary_toilet).to_string() binding=bind!(household.sanitary_toilet) />
        </div>
    }
}

/// The account number as a helper types it, stored without spaces (digits are checked by the domain rule
/// `HH-BANK-ACCOUNT-INVALID`, so anything else is kept and reported).
pub fn account_number_from_input(text: &str) -> String {
    text.chars()
        .filter(|character| !character.is_whitespace())
        .collect()
}

/// The account number as shown until the helper asks to see it: the last four digits only, behind a mask of fixed
/// length so the length does not show either.
pub fn masked_account_number(number: &str) -> String {
    let characters: Vec<char> = number.chars().collect();
    if characters.len() < 8 {
        return "****".to_string();
    }
    let last_four: String = characters[characters.len() - 4..].iter().collect();
    format!("**** **** {last_four}")
}

/// Writes the bank name or the number; an account with neither is no account at all.
pub fn update_bank_account(
    account: &mut Option<BankAccount>,
    bank_name: Option<String>,
    number: Option<String>,
) {
    let mut current = account.take().unwrap_or(BankAccount {
        bank_name: String::new(),
        account_number: Sensitive(String::new()),
    });
    if let Some(bank_name) = bank_name {
        current.bank_name = bank_name;
    }
    if let Some(number) = number {
        current.account_number = Sensitive(number);
    }
    let empty = current.bank_name.trim().is_empty() && current.account_number.0.is_empty();
    *account = (!empty).then_some(current);
}

/// 开户银行 and 银行卡号. The number is sensitive: it shows masked until the helper taps 显示/修改, and is typed on
/// a numeric keyboard.
#[component]
fn BankAccountFields(form: Form) -> impl IntoView {
    let i18n = use_i18n();
    let draft = form.draft;
    let bank_name = Binding::new(
        |d: &HouseholdDraft| {
            d.household
                .bank_account
                .as_ref()
                .map(|account| account.bank_name.clone())
                .unwrap_or_default()
        },
        |d: &mut HouseholdDraft, name: String| {
            update_bank_account(&mut d.household.bank_account, Some(name), None)
        },
    );
    let number = Memo::new(move |_| {
        draft.with(|d| {
            d.household
                .bank_account
                .as_ref()
                .map(|account| account.account_number.0.clone())
                .unwrap_or_default()
        })
    });
    // Nothing to hide while there is no number yet.
    let revealed = RwSignal::new(number.with_untracked(String::is_empty));
    let path = fixed_path("bank_account.account_number");
    let messages = form.messages(path);
    let invalid = has_error(messages);
    let on_input = move |text: String| {
        let number = account_number_from_input(&text);
        draft.update(|d| update_bank_account(&mut d.household.bank_account, None, Some(number)));
    };
    view! {
        <div class="card form" id="bank_account">
            <h3>{t!(i18n, forms.basic.bank_title)}</h3>
            <TextField form=form path=fixed_path("bank_account.bank_name") label=move || t_string!(i18n, forms.basic.bank_name).to_string() binding=bank_name />
            <div class="field">
                // The toggle sits on the label's line so the number keeps the full width on a narrow phone.
                <div class="field-label-row">
                    <label class="field-label" for="bank_account.account_number">{t!(i18n, forms.basic.account_number)}</label>
                    <button type="button" class="button button-inline" aria-pressed=move || revealed.get().to_string()
                        aria-controls="bank_account.account_number"
                        on:click=move |_| revealed.update(|shown| *shown = !*shown)>
                        {move || if revealed.get() { t_string!(i18n, forms.basic.account_hide) } else { t_string!(i18n, forms.basic.account_show) }}
                    </button>
                </div>
                <Show
                    when=move || revealed.get()
                    fallback=move || view! {
                        <input id="bank_account.account_number" type="text" readonly=true class="masked"
                            aria-invalid=invalid aria-describedby="bank_account.account_number-messages"
                            prop:value=move || masked_account_number(&number.get()) />
                    }
                >
                    <input id="bank_account.account_number" type="text" inputmode="numeric" pattern="[0-9]*"
                        autocomplete="off" spellcheck="false"
                        aria-invalid=invalid aria-describedby="bank_account.account_number-messages"
                        prop:value=move || number.get()
                        on:input=move |event| on_input(event_target_value(&event)) />
                </Show>
                <FieldMessages messages=messages path=path />
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_account_number_shows_only_its_last_four_digits_behind_a_fixed_mask() {
        assert_eq!(
            masked_account_number("6221310000000000001"),
            "**** **** 0001"
        );
        assert_eq!(masked_account_number("6228480000001234"), "**** **** 1234");
        assert_eq!(masked_account_number("1234567"), "****");
        assert_eq!(masked_account_number(""), "****");
    }

    #[test]
    fn typed_spaces_are_dropped_and_other_characters_kept_for_the_domain_rule() {
        assert_eq!(
            account_number_from_input("6228 4800 0000 1234"),
            "6228480000001234"
        );
        assert_eq!(account_number_from_input("6228-48"), "6228-48");
    }

    #[test]
    fn an_account_with_neither_bank_nor_number_is_no_account() {
        let mut account = None;
        update_bank_account(&mut account, Some("农村信用社".into()), None);
        assert!(
            account
                .as_ref()
                .is_some_and(|a| a.account_number.0.is_empty())
        );
        update_bank_account(&mut account, None, Some("6228480000001234".into()));
        update_bank_account(&mut account, Some(" ".into()), None);
        assert!(account.is_some(), "the number alone is still an account");
        update_bank_account(&mut account, None, Some(String::new()));
        assert_eq!(account, None);
    }
}
