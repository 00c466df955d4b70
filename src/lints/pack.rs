//! What the pack-level lints share: grouping files by a key, naming the other files.

use super::PackEntry;

/// Files of a run that share a key (an id, a file name), in a stable order.
pub fn pack_groups(
    entries: &[PackEntry],
    key: impl Fn(&PackEntry) -> Option<String>,
) -> Vec<Vec<usize>> {
    let mut by_key: std::collections::BTreeMap<String, Vec<usize>> =
        std::collections::BTreeMap::new();
    for (i, entry) in entries.iter().enumerate() {
        if let Some(k) = key(entry) {
            by_key.entry(k).or_default().push(i);
        }
    }
    by_key
        .into_values()
        .filter(|files| files.len() > 1)
        .map(|mut files| {
            // By path, so that messages do not depend on the order of the command line.
            files.sort_by(|&a, &b| entries[a].path.cmp(&entries[b].path));
            files
        })
        .collect()
}

/// How many other files a pack finding names; the rest are counted. Each file of a group
/// gets its own finding, so listing them all would make the output quadratic in the group.
pub const MAX_OTHER_PATHS: usize = 3;

/// The paths of the other files of a group (sorted by path, as [`pack_groups`] makes them),
/// at most [`MAX_OTHER_PATHS`] of them and how many more.
pub fn other_paths(entries: &[PackEntry], group: &[usize], this: usize) -> String {
    let others = group.iter().filter(|&&j| j != this);
    let mut text = others
        .clone()
        .take(MAX_OTHER_PATHS)
        .map(|&j| entries[j].path.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let more = group.len().saturating_sub(1 + MAX_OTHER_PATHS);
    if more > 0 {
        text.push_str(&format!(
            " and {more} more file{}",
            if more == 1 { "" } else { "s" }
        ));
    }
    text
}
