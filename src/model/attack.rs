//! MITRE ATT&CK as rule files name it: tactics by name (or, mistakenly, by ATT&CK id) and
//! techniques by id (sometimes followed by their name).

use super::Tactic;
use crate::text::suggest::normalize as letters;

/// ATT&CK ids of the tactics Sentinel knows (enterprise and ICS).
const TACTIC_IDS: [(&str, Tactic); 16] = [
    ("TA0043", Tactic::Reconnaissance),
    ("TA0042", Tactic::ResourceDevelopment),
    ("TA0001", Tactic::InitialAccess),
    ("TA0002", Tactic::Execution),
    ("TA0003", Tactic::Persistence),
    ("TA0004", Tactic::PrivilegeEscalation),
    ("TA0005", Tactic::DefenseEvasion),
    ("TA0006", Tactic::CredentialAccess),
    ("TA0007", Tactic::Discovery),
    ("TA0008", Tactic::LateralMovement),
    ("TA0009", Tactic::Collection),
    ("TA0010", Tactic::Exfiltration),
    ("TA0011", Tactic::CommandAndControl),
    ("TA0040", Tactic::Impact),
    ("TA0106", Tactic::ImpairProcessControl),
    ("TA0107", Tactic::InhibitResponseFunction),
];

/// The tactic whose ATT&CK id is `id` (`TA0011`, any case).
pub fn tactic_for_id(id: &str) -> Option<Tactic> {
    let id = id.trim();
    TACTIC_IDS
        .iter()
        .find(|(t, _)| t.eq_ignore_ascii_case(id))
        .map(|(_, tactic)| *tactic)
}

/// The tactic written with other case, spaces or punctuation (`Command And Control`,
/// `command_and_control`).
pub fn tactic_for_spelling(text: &str) -> Option<Tactic> {
    let wanted = letters(text);
    Tactic::ALL
        .into_iter()
        .find(|t| letters(t.as_str()) == wanted)
}

/// The ATT&CK v19 names of defense evasion, which Sentinel does not know yet.
pub fn is_newer_defense_evasion(text: &str) -> bool {
    matches!(
        letters(text).as_str(),
        "stealth" | "defenseimpairment" | "evasion"
    )
}

/// Whether `s` is a technique id: `T` + 4 digits, optionally `.` + 3 digits.
pub fn is_technique(s: &str) -> bool {
    let b = s.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    match b.len() {
        5 => b[0] == b'T' && digits(1..5),
        9 => b[0] == b'T' && digits(1..5) && b[5] == b'.' && digits(6..9),
        _ => false,
    }
}

/// The id at the start of a text, in capitals: `t1078` -> `T1078`, `T1059 - Name` -> `T1059`.
pub fn leading_technique_id(text: &str) -> String {
    text.trim()
        .to_ascii_uppercase()
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '.')
        .collect::<String>()
        .trim_end_matches('.')
        .to_owned()
}

/// The technique ids a text names, in order, each once (`T1005, T1560` -> both).
pub fn technique_ids_in(text: &str) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    for token in text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '.')) {
        let id = token.trim_end_matches('.').to_ascii_uppercase();
        if is_technique(&id) && !ids.contains(&id) {
            ids.push(id);
        }
    }
    ids
}

/// A 3-digit ICS technique id written without its leading zero (`T855` -> `T0855`).
pub fn padded_ics_technique(id: &str) -> Option<String> {
    (id.len() == 4 && id.starts_with('T') && id[1..].bytes().all(|b| b.is_ascii_digit()))
        .then(|| format!("T0{}", &id[1..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tactics_and_techniques() {
        assert_eq!(tactic_for_id(" ta0011 "), Some(Tactic::CommandAndControl));
        assert_eq!(
            tactic_for_spelling("Command And Control"),
            Some(Tactic::CommandAndControl)
        );
        assert!(is_technique("T1078") && is_technique("T1078.004") && !is_technique("T107"));
        assert_eq!(leading_technique_id(" t1059.001 - PowerShell"), "T1059.001");
        assert_eq!(padded_ics_technique("T855").as_deref(), Some("T0855"));
    }
}
