//! Pages: each owns the data it shows and the calls that change it.

pub mod household;
pub mod households;
pub mod lock;
pub mod login;
pub mod me;
pub mod night_school;
pub mod review;
pub mod sync;
pub mod village;
