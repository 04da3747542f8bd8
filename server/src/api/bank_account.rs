//! Who receives a household's full 银行卡号: only its helper. Everyone else receives it masked
//! (`6217 **** **** 1234`), and a masked number sent back stands for the number the server keeps.

use zoufang_domain::model::{BankAccount, Household, Sensitive, is_masked_account_number};
use zoufang_domain::protocol::{HouseholdVisit, Role};

/// Whether `viewer` receives households' full 银行卡号. Only the helper (帮扶责任人) does: they do the household's
/// income accounting, whose transfer income is paid into that account, and check it against the passbook at the
/// visit. A first secretary reviews plans and receives the number masked (`6217 **** **** 1234`); cadres and
/// admins receive no households at all.
pub(crate) fn sees_bank_account_number(viewer: Role) -> bool {
    viewer == Role::Helper
}

/// Masks the 银行卡号 of `household` (`6217 **** **** 1234`).
pub(crate) fn mask_bank_account_number(household: &mut Household) {
    if let Some(account) = household.bank_account.as_mut() {
        account.account_number.0 = account.account_number.masked_account_number();
    }
}

/// A visit sent by a role that received the 银行卡号 masked carries the mask back: it means "unchanged", so the
/// record keeps the number the server has (none, if it has none). `None` when the visit carries no mask.
pub(crate) fn with_kept_bank_account_number(
    visit: &HouseholdVisit,
    stored: &Household,
) -> Option<HouseholdVisit> {
    let account = visit.household.bank_account.as_ref()?;
    if !is_masked_account_number(&account.account_number.0) {
        return None;
    }
    let mut kept = visit.clone();
    let kept_number = stored
        .bank_account
        .as_ref()
        .map(|stored| stored.account_number.clone());
    kept.household.bank_account = match kept_number {
        Some(number) => Some(BankAccount {
            bank_name: account.bank_name.clone(),
            account_number: number,
        }),
        None if account.bank_name.trim().is_empty() => None,
        None => Some(BankAccount {
            bank_name: account.bank_name.clone(),
            account_number: Sensitive(String::new()),
        }),
    };
    Some(kept)
}
