//! Where a field's value lives in the draft: a [`Binding`] (read and write, with the value's type), the `bind!`
//! macros that make one from a field expression, and the field paths that name a field for findings and links.

use std::sync::Arc;

use leptos::prelude::*;

use crate::draft::HouseholdDraft;

type Getter<T> = Arc<dyn Fn(&HouseholdDraft) -> T + Send + Sync>;
type Setter<T> = Arc<dyn Fn(&mut HouseholdDraft, T) + Send + Sync>;

/// Where a field's value lives in the draft: how to read it and how to write it.
pub struct Binding<T> {
    get: Getter<T>,
    set: Setter<T>,
}

impl<T> Clone for Binding<T> {
    fn clone(&self) -> Self {
        Binding {
            get: Arc::clone(&self.get),
            set: Arc::clone(&self.set),
        }
    }
}

impl<T: 'static> Binding<T> {
    pub fn new(
        get: impl Fn(&HouseholdDraft) -> T + Send + Sync + 'static,
        set: impl Fn(&mut HouseholdDraft, T) + Send + Sync + 'static,
    ) -> Binding<T> {
        Binding {
            get: Arc::new(get),
            set: Arc::new(set),
        }
    }

    pub fn read(&self, draft: &HouseholdDraft) -> T {
        (self.get)(draft)
    }

    pub fn write(&self, draft: &mut HouseholdDraft, value: T) {
        (self.set)(draft, value)
    }
}

/// Binds a plain field of the draft: `bind!(household.address.province)`.
#[macro_export]
macro_rules! bind {
    ($($field:ident).+) => {
        $crate::ui::form::Binding::new(
            |draft: &$crate::draft::HouseholdDraft| draft.$($field).+.clone(),
            |draft: &mut $crate::draft::HouseholdDraft, value| draft.$($field).+ = value,
        )
    };
}

/// Binds a required (non-`Option`) field to an input that works with `Option` (selects, dates).
#[macro_export]
macro_rules! bind_some {
    ($($field:ident).+) => {
        $crate::ui::form::Binding::new(
            |draft: &$crate::draft::HouseholdDraft| Some(draft.$($field).+.clone()),
            |draft: &mut $crate::draft::HouseholdDraft, value: Option<_>| {
                if let Some(value) = value {
                    draft.$($field).+ = value;
                }
            },
        )
    };
}

/// A path that never changes.
pub fn fixed_path(path: &str) -> Signal<String> {
    Signal::stored(path.to_string())
}

/// The path of one field under an item whose index may change (`members[3]` → `members[3].name`).
pub(crate) fn under(base: Signal<String>, field: &'static str) -> Signal<String> {
    Signal::derive(move || format!("{}.{field}", base.get()))
}

/// One list of the draft whose items a form edits one field at a time (members, measures, effects, sudden events,
/// income lines, follow-ups): how an item is found by its key (an id, or a client-side row key that survives removals).
pub struct ItemList<Item: 'static, Key> {
    pub find: for<'a> fn(&'a HouseholdDraft, Key) -> Option<&'a Item>,
    pub find_mut: for<'a> fn(&'a mut HouseholdDraft, Key) -> Option<&'a mut Item>,
}

impl<Item: 'static, Key: Copy + Send + Sync + 'static> ItemList<Item, Key> {
    /// Binds one field of the item with this key: reads the field's default once the item is gone, writes nothing then.
    pub fn field<T: Default + 'static>(
        &self,
        key: Key,
        get: impl Fn(&Item) -> T + Send + Sync + 'static,
        set: impl Fn(&mut Item, T) + Send + Sync + 'static,
    ) -> Binding<T> {
        let (find, find_mut) = (self.find, self.find_mut);
        Binding::new(
            move |draft: &HouseholdDraft| find(draft, key).map(&get).unwrap_or_default(),
            move |draft: &mut HouseholdDraft, value| {
                if let Some(item) = find_mut(draft, key) {
                    set(item, value);
                }
            },
        )
    }
}
