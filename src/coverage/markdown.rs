//! Coverage as Markdown: a summary per tactic, a table per tactic, what is retired, and the
//! inventory (for a pull-request comment or a wiki page).

use std::fmt::Write;

use super::Coverage;

fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

pub fn render(coverage: &Coverage) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# ATT&CK coverage\n\n{} rules; MITRE ATT&CK Enterprise v{}.\n",
        coverage.rules, coverage.attack_version
    );
    out.push_str("| Tactic | Rules | Techniques covered | Rules without a technique of the tactic |\n|---|---:|---:|---:|\n");
    for t in &coverage.tactics {
        let _ = writeln!(
            out,
            "| {} ({}) | {} | {} of {} | {} |",
            t.name,
            t.id,
            t.rules,
            t.techniques_covered,
            t.techniques_total,
            t.rules_without_techniques.len()
        );
    }
    for tactic in &coverage.tactics {
        let rows: Vec<_> = coverage
            .techniques
            .iter()
            .filter(|t| t.tactics.contains(&tactic.shortname))
            .collect();
        if rows.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "\n## {}\n\n| Technique | Name | Rules | Scheduled | NRT | Hunting | Rule names |\n|---|---|---:|---:|---:|---:|---|",
            tactic.name
        );
        for t in rows {
            let names: Vec<String> = t.rules.iter().map(|r| cell(&r.name)).collect();
            let kind = |k: &str| t.by_kind.get(k).copied().unwrap_or(0);
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} |",
                t.id,
                cell(t.name),
                t.rules.len(),
                kind("Scheduled"),
                kind("NRT"),
                kind("Hunting"),
                names.join("; ")
            );
        }
    }
    for (title, list) in [
        ("Revoked techniques", &coverage.revoked),
        ("Deprecated techniques", &coverage.deprecated),
        (
            "Ids that are not ATT&CK Enterprise techniques",
            &coverage.unknown,
        ),
    ] {
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "\n## {title}\n\n| Id | Name | Use instead | Rules |\n|---|---|---|---:|"
        );
        for r in list {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                r.id,
                cell(r.name.unwrap_or("")),
                r.replaced_by.unwrap_or(""),
                r.rules.len()
            );
        }
    }
    out.push_str("\n## Inventory\n");
    for (title, counts) in [
        ("Kinds", &coverage.inventory.kinds),
        ("Severities", &coverage.inventory.severities),
        ("Tables read", &coverage.inventory.tables),
        ("Data connectors", &coverage.inventory.connectors),
    ] {
        let _ = writeln!(out, "\n| {title} | Rules |\n|---|---:|");
        let mut rows: Vec<_> = counts.iter().collect();
        rows.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        for (name, n) in rows {
            let _ = writeln!(out, "| {} | {n} |", cell(name));
        }
    }
    out
}
