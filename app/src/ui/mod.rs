//! Building blocks of the screens that know nothing of storage or the network: the form toolkit (`form`).

pub mod form;
