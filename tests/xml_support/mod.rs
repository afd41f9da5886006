//! Helpers shared by the XML reader's tests: the roxmltree oracle.
#![allow(dead_code)]

use teikit::xml::{Document, NodeKind};

mod tree_check;
pub use tree_check::check_tree;

include!("oracle.rs");
