//! (under construction)

pub mod codes;
