//! sentinel-lint: lint Microsoft Sentinel analytics rules and hunting queries.
//!
//! Data flows one way: bytes (read with bounds, [`input`]) -> spanned YAML ([`yaml`]) -> shape
//! ([`shape`]) -> lints ([`lints`], with the typed [`model`] and its [`schema`]) -> [`diagnostics`] ->
//! renderers.

pub mod atomic;
pub mod cli;
pub mod config;
pub mod convert;
pub mod diagnostics;
pub mod fix;
pub mod input;
pub mod kql;
pub mod linter;
pub mod lints;
pub mod model;
pub mod reference;
pub mod schema;
pub mod shape;
pub mod text;

pub mod suppress;
pub mod yaml;
