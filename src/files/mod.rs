//! The file system at the edges: bounded reads of inputs ([`input`]) and atomic writes of
//! outputs and fixes ([`atomic`]). Nothing else in the crate opens a file.

pub mod atomic;
pub mod input;
