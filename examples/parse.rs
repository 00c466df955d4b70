//! A bare YAML parse of files (serde-saphyr into a JSON value, as any YAML linter must at
//! least do), in parallel like `check`: the floor `bench/compare.sh` measures against.
//!
//!     cargo run --release --example parse -- PATH...

use rayon::prelude::*;

fn main() {
    let paths: Vec<std::path::PathBuf> = std::env::args_os().skip(1).map(Into::into).collect();
    let files = sentinel_lint::pipeline::discover::collect_files(&paths).expect("the paths exist");
    let parsed = files
        .par_iter()
        .filter(|path| {
            let bytes = std::fs::read(path).unwrap_or_default();
            let text = String::from_utf8_lossy(&bytes);
            serde_saphyr::from_str::<serde_json::Value>(&text).is_ok()
        })
        .count();
    println!("{parsed} of {} files parse", files.len());
}
