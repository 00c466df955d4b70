//! "Did you mean ...?": the value a user most likely meant.

/// Letters and digits only, lower case: `Command And Control` and `command_and_control`
/// both become `commandandcontrol`.
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    normalize_into(s, &mut out);
    out
}

/// [`normalize`] into a buffer (cleared first), so that a loop over candidates allocates once.
fn normalize_into(s: &str, out: &mut String) {
    out.clear();
    out.extend(
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase),
    );
}

/// The candidate the user most likely meant: same letters ignoring case, spaces and
/// punctuation first, then a close spelling.
pub fn did_you_mean<'a>(
    value: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let wanted = normalize(value);
    if wanted.is_empty() {
        return None;
    }
    let mut best: Option<(&'a str, f64)> = None;
    // A known value with something appended (`Mediumasdf`), the longest such.
    let mut prefix: Option<&'a str> = None;
    let mut have = String::new();
    for candidate in candidates {
        normalize_into(candidate, &mut have);
        if have == wanted {
            return Some(candidate);
        }
        if have.len() >= 3
            && wanted.starts_with(&have)
            && prefix.is_none_or(|p| p.len() < candidate.len())
        {
            prefix = Some(candidate);
        }
        let limit = (have.len().max(wanted.len()) / 4).max(1);
        // The distance is at least the difference in length: skip the expensive part.
        if have.len().abs_diff(wanted.len()) > limit {
            continue;
        }
        // Optimal string alignment: typos and swapped neighbours, without the hash map of
        // the unrestricted Damerau-Levenshtein distance (this runs for every candidate).
        let distance = strsim::osa_distance(&have, &wanted);
        if distance <= limit {
            let score = strsim::jaro_winkler(&have, &wanted) - distance as f64 / 100.0;
            if best.is_none_or(|(_, s)| score > s) {
                best = Some((candidate, score));
            }
        }
    }
    best.map(|(c, _)| c).or(prefix)
}

/// The candidate equal to `value` ignoring case only.
pub fn case_insensitive_match<'a>(
    value: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .find(|c| c.eq_ignore_ascii_case(value))
}

/// The name a slip of `value` most likely was, among many names (tables, columns,
/// functions): the same name in another case, else a close spelling among the names of
/// about the same length or that `value` starts with (comparing with every name would be
/// slow, and names of other lengths are not slips).
pub fn meant_name<'a>(
    value: &str,
    names: impl IntoIterator<Item = &'a str> + Clone,
) -> Option<&'a str> {
    case_insensitive_match(value, names.clone()).or_else(|| {
        let close = names
            .into_iter()
            .filter(|n| n.len().abs_diff(value.len()) <= 3 || value.starts_with(n));
        did_you_mean(value, close)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions() {
        let tactics = ["Persistence", "CommandAndControl", "InitialAccess"];
        assert_eq!(did_you_mean("Persistance", tactics), Some("Persistence"));
        assert_eq!(
            did_you_mean("Command And Control", tactics),
            Some("CommandAndControl")
        );
        assert_eq!(did_you_mean("InitalAccess", tactics), Some("InitialAccess"));
        assert_eq!(did_you_mean("C2", tactics), None);
        assert_eq!(
            did_you_mean("Mediumasdf", ["Low", "Medium", "High"]),
            Some("Medium")
        );
        assert_eq!(did_you_mean("", tactics), None);
    }
}
