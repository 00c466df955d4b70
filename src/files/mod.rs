//! The file system at the edges: bounded reads of inputs ([`input`]) and atomic writes of
//! outputs and fixes ([`atomic`]), when files were committed ([`history`]), and how paths are written in reports ([`paths`]). Nothing else in the crate opens a file.

pub mod atomic;
pub mod history;
pub mod input;
pub mod paths;
