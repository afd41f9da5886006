//! Diagnostic codes of this module.
crate::declare_codes! {}
