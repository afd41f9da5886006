//! (under construction)

pub mod codes;
pub mod compact;
