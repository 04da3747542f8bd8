//! Building blocks of the screens that know nothing of storage or the network: the form toolkit (`form`) and the
//! household status badge (`badge`).

pub mod badge;
pub mod form;
