//! sentinel-lint: lint Microsoft Sentinel analytics rules and hunting queries, and convert
//! them to ARM templates, back to YAML, and to Sigma.
//!
//! Data flows one way, and each module uses only those listed before it:
//!
//! ```text
//! bytes ─► text ─► YAML tree ─► model + KQL AST ─► lints ─► diagnostics ─► renderers
//!  files    text     yaml        model   kql        lints    diagnostics    render
//!                                  │
//!                                  └─► converters (documents from the model) ─ convert
//! ```
//!
//! - [`text`]: spans, edits, line and column positions, the text a report keeps (bottom).
//! - [`yaml`]: the spanned YAML tree, with the known breakages of real rule files repaired.
//! - [`kql`]: the KQL lexer, parser, syntax tree (a span on every node), walks and printer.
//! - [`reference`]: embedded reference data (connectors, entities, ATT&CK, ARM versions).
//! - [`model`]: every fact about the rule format once: the typed rule, its JSON Schema,
//!   what a file is (`shape`), the field table and its repairs, ids, ATT&CK names, and the
//!   lenient reader the converters use.
//! - [`diagnostics`]: findings and the report of a run.
//! - [`lints`]: one file per lint, and what they share (what a lint sees, edits, values).
//! - [`files`]: bounded reads of inputs and atomic writes of outputs.
//! - [`pipeline`]: the check pipeline: discovery, reading a source file once, per-file lints,
//!   pack lints, suppressions, `--fix`, settings from `sentinel-lint.toml`.
//! - [`convert`]: converters (functions of the model and the KQL tree) and the batch that
//!   runs them over files through the pipeline.
//! - [`coverage`]: ATT&CK coverage and inventory of a pack, and its formats.
//! - [`render`]: the output formats of `check`.
//! - [`cli`]: the command line.

pub mod text;

pub mod kql;
pub mod reference;
pub mod yaml;

pub mod model;

pub mod diagnostics;
pub mod lints;

pub mod files;
pub mod pipeline;

pub mod convert;
pub mod coverage;
pub mod render;

pub mod cli;
