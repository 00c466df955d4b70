//! The live heap of `check` over the given paths: the peak of bytes allocated and not yet
//! freed, counted by a wrapper of the system allocator (RSS also counts what the allocator
//! keeps for later).
//!
//!     cargo run --release --example heap -- [--ignore=CODES] PATH...

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(live, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let live = LIVE.fetch_add(new_size, Ordering::Relaxed) + new_size;
        PEAK.fetch_max(live, Ordering::Relaxed);
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn main() {
    let mut settings = sentinel_lint::pipeline::Settings::default();
    let mut paths: Vec<std::path::PathBuf> = Vec::new();
    for arg in std::env::args().skip(1) {
        match arg.strip_prefix("--ignore=") {
            Some(codes) => settings.base.ignore = codes.split(',').map(String::from).collect(),
            None => paths.push(arg.into()),
        }
    }
    let files = sentinel_lint::pipeline::discover::collect_files(&paths).expect("the paths exist");
    let after_walk = LIVE.load(Ordering::Relaxed);
    let report = sentinel_lint::pipeline::check_files_keeping(&files, &settings, 0);
    let held = LIVE.load(Ordering::Relaxed);
    let findings: usize = report.files.iter().map(|f| f.diagnostics.len()).sum();
    let text: usize = report.files.iter().map(|f| f.source.held_bytes()).sum();
    let strings: usize = report
        .files
        .iter()
        .flat_map(|f| &f.diagnostics)
        .map(|d| {
            d.message.len()
                + d.pointer.as_ref().map_or(0, String::len)
                + d.labels.iter().map(|l| l.message.len()).sum::<usize>()
                + d.fix.as_ref().map_or(0, |f| {
                    f.title.len() + f.edits.iter().map(|e| e.replacement.len()).sum::<usize>()
                })
        })
        .sum();
    if std::env::var_os("SPANS").is_some() {
        let mut by_code: std::collections::BTreeMap<&str, usize> = Default::default();
        for d in report.files.iter().flat_map(|f| &f.diagnostics) {
            *by_code.entry(d.code).or_default() += d.span.end - d.span.start;
        }
        println!("{by_code:?}");
    }
    println!(
        "{findings} findings; {:.1} MB of text kept, {:.1} MB in the findings' strings",
        text as f64 / 1e6,
        strings as f64 / 1e6
    );
    println!(
        "{} files: {:.1} MB after the walk, {:.1} MB held by the report, {:.1} MB at the peak",
        report.files.len(),
        after_walk as f64 / 1e6,
        held as f64 / 1e6,
        PEAK.load(Ordering::Relaxed) as f64 / 1e6
    );
}
