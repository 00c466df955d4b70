//! Rule ids: GUIDs, written in the 8-4-4-4-12 form.

use uuid::Uuid;

/// The namespace of the ids this tool derives (UUIDv5) for rules whose id is not a GUID, so
/// that the same rule gets the same new id every time.
pub const ID_NAMESPACE: Uuid = Uuid::from_u128(0x5e0f_1a27_3c4d_4b6e_9f80_a1b2_c3d4_e5f6);

/// The id derived from `seed` (a rule's invalid id, or its name when it has none).
pub fn derived_id(seed: &str) -> Uuid {
    Uuid::new_v5(&ID_NAMESPACE, seed.as_bytes())
}

/// The usual form of a GUID written otherwise (braces, no hyphens, white space around it);
/// `None` when it is already written so (in any case) or is not a GUID.
pub fn usual_form(id: &str) -> Option<String> {
    let trimmed = id.trim();
    let uuid = Uuid::parse_str(trimmed).ok()?;
    let usual = uuid.hyphenated().to_string();
    (!trimmed.eq_ignore_ascii_case(&usual) || trimmed != id).then_some(usual)
}

/// A rule's `version` as its three numbers (`1.0.2`; YAML's `1.0` or `1` as `1.0.0`), for
/// ordering the revisions of a rule; `None` when it is not a version.
pub fn version_numbers(value: &serde_json::Value) -> Option<[u64; 3]> {
    let text = match value {
        serde_json::Value::String(s) => s.trim().to_owned(),
        serde_json::Value::Number(n) => n.to_string(),
        _ => return None,
    };
    let mut numbers = [0u64; 3];
    let parts: Vec<&str> = text.split('.').collect();
    if parts.is_empty() || parts.len() > 3 {
        return None;
    }
    for (slot, part) in numbers.iter_mut().zip(&parts) {
        if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        *slot = part.parse().ok()?;
    }
    Some(numbers)
}

/// A version's numbers written as a version (`1.0.2`).
pub fn version_text(numbers: [u64; 3]) -> String {
    format!("{}.{}.{}", numbers[0], numbers[1], numbers[2])
}
