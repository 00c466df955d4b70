//! sentinel-lint: lint Microsoft Sentinel analytics rules and hunting queries.
//!
//! Data flows one way: bytes (read with bounds, [`input`]) -> spanned YAML ([`yaml`]) -> shape
//! ([`shape`]) -> lints ([`lints`], with the typed [`model`] and its [`schema`]) -> [`diagnostics`] ->
//! renderers.

pub mod cli;
pub mod convert;
pub mod diagnostics;
pub mod files;
pub mod kql;
pub mod lints;
pub mod model;
pub mod pipeline;
pub mod reference;
pub mod render;
pub mod text;

pub mod yaml;
