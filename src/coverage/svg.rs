//! Coverage as an SVG picture of the ATT&CK matrix: tactics as columns in ATT&CK's order,
//! their techniques coloured by how many rules name them (or one of their sub-techniques),
//! a legend and the pack's totals. Plain SVG, no scripts: hovering a cell shows its title.

use std::fmt::Write;

use super::Coverage;
use crate::reference;

const COLUMN: usize = 168;
const GAP: usize = 4;
const ROW: usize = 17;
const TOP: usize = 92;

/// The colour steps: (least rules, fill, text colour, legend label).
const STEPS: [(usize, &str, &str, &str); 5] = [
    (0, "#f1f3f5", "#6b7280", "no rule"),
    (1, "#d6e8f7", "#111827", "1 rule"),
    (2, "#9cc7ec", "#111827", "2-4 rules"),
    (5, "#4f94d4", "#ffffff", "5-9 rules"),
    (10, "#1d5a94", "#ffffff", "10 or more"),
];

fn step(rules: usize) -> &'static (usize, &'static str, &'static str, &'static str) {
    STEPS
        .iter()
        .rev()
        .find(|s| rules >= s.0)
        .unwrap_or(&STEPS[0])
}

/// A technique of a column: id, name, rules.
type Cell = (&'static str, &'static str, usize);

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn shorten(text: &str, chars: usize) -> String {
    if text.chars().count() <= chars {
        text.to_owned()
    } else {
        text.chars()
            .take(chars.saturating_sub(1))
            .collect::<String>()
            + "…"
    }
}

pub fn render(coverage: &Coverage) -> String {
    let by_parent = coverage.rules_by_parent();
    let columns: Vec<(&super::TacticCoverage, Vec<Cell>)> = coverage
        .tactics
        .iter()
        .map(|tactic| {
            let mut techniques: Vec<Cell> = reference::attack_tactic_techniques(tactic.shortname)
                .map(|id| {
                    let name = reference::attack_technique_name(id).unwrap_or("");
                    (id, name, by_parent.get(id).map_or(0, |r| r.len()))
                })
                .collect();
            // Covered first (most rules first), then by name.
            techniques.sort_by(|a, b| b.2.cmp(&a.2).then(a.1.cmp(b.1)));
            (tactic, techniques)
        })
        .collect();
    let rows = columns.iter().map(|(_, t)| t.len()).max().unwrap_or(0);
    let width = columns.len() * (COLUMN + GAP) + GAP;
    let height = TOP + 30 + rows * ROW + 20;
    let covered: usize = coverage.tactics.iter().map(|t| t.techniques_covered).sum();
    let total: usize = coverage.tactics.iter().map(|t| t.techniques_total).sum();
    let mut out = String::new();
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="Segoe UI, Helvetica, Arial, sans-serif">"#
    );
    let _ = writeln!(
        out,
        r##"<rect width="100%" height="100%" fill="#ffffff"/>"##
    );
    let _ = writeln!(
        out,
        r##"<text x="{GAP}" y="24" font-size="18" font-weight="600" fill="#111827">MITRE ATT&amp;CK coverage: {} rules</text>"##,
        coverage.rules
    );
    let _ = writeln!(
        out,
        r##"<text x="{GAP}" y="44" font-size="12" fill="#374151">ATT&amp;CK Enterprise v{}: {covered} of {total} technique-tactic cells have a rule; {} techniques and sub-techniques named; {} revoked, {} deprecated, {} unknown ids. Made by sentinel-lint {}.</text>"##,
        coverage.attack_version,
        coverage.techniques.len(),
        coverage.revoked.len(),
        coverage.deprecated.len(),
        coverage.unknown.len(),
        env!("CARGO_PKG_VERSION")
    );
    for (i, (_, fill, _, label)) in STEPS.iter().enumerate() {
        let x = GAP + i * 120;
        let _ = writeln!(
            out,
            r##"<rect x="{x}" y="56" width="14" height="14" fill="{fill}" stroke="#9ca3af" stroke-width="0.5"/><text x="{}" y="67" font-size="11" fill="#374151">{label}</text>"##,
            x + 20
        );
    }
    for (c, (tactic, techniques)) in columns.iter().enumerate() {
        let x = GAP + c * (COLUMN + GAP);
        let _ = writeln!(
            out,
            r##"<rect x="{x}" y="{TOP}" width="{COLUMN}" height="26" fill="#374151"/><text x="{}" y="{}" font-size="11" font-weight="600" fill="#ffffff">{}</text><text x="{}" y="{}" font-size="9" fill="#d1d5db">{} of {} techniques, {} rules</text>"##,
            x + 4,
            TOP + 11,
            escape(tactic.name),
            x + 4,
            TOP + 22,
            tactic.techniques_covered,
            tactic.techniques_total,
            tactic.rules
        );
        for (r, (id, name, rules)) in techniques.iter().enumerate() {
            let y = TOP + 30 + r * ROW;
            let (_, fill, text, _) = step(*rules);
            let _ = writeln!(
                out,
                r##"<g><title>{id} {}: {rules} rule{}</title><rect x="{x}" y="{y}" width="{COLUMN}" height="{}" fill="{fill}"/><text x="{}" y="{}" font-size="9" fill="{text}">{} {}</text>{}</g>"##,
                escape(name),
                if *rules == 1 { "" } else { "s" },
                ROW - 2,
                x + 3,
                y + 11,
                id,
                // Room for the count at the right: fewer characters of the name per digit.
                escape(&shorten(
                    name,
                    23 - rules.to_string().len().min(3) - usize::from(*rules > 0)
                )),
                if *rules > 0 {
                    format!(
                        r#"<text x="{}" y="{}" font-size="9" font-weight="600" fill="{text}" text-anchor="end">{rules}</text>"#,
                        x + COLUMN - 3,
                        y + 11
                    )
                } else {
                    String::new()
                }
            );
        }
    }
    out.push_str("</svg>\n");
    out
}
