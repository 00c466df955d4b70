//! SARIF 2.1.0 (serde-sarif types): one run, every lint as a reporting descriptor with its
//! documentation and its page, every finding as a result with its region, the places its
//! labels point at (`relatedLocations`), its fixes and a fingerprint that does not change
//! when lines move (`partialFingerprints`, by which GitHub code scanning follows an alert
//! across commits); the invocation with its exit code. What GitHub code scanning
//! (`github/codeql-action/upload-sarif`) and other SARIF viewers read.

use std::io::{self, Write};

use serde_sarif::sarif::{
    ArtifactChange, ArtifactContent, ArtifactLocation, Fix, Invocation, Location, Message,
    MultiformatMessageString, PhysicalLocation, PropertyBag, Region, Replacement,
    ReportingConfiguration, ReportingDescriptor, Result as SarifResult, ResultLevel, Run, Sarif,
    Suppression, Tool, ToolComponent,
};

use crate::diagnostics::{Diagnostic, FileReport, Report, Severity};

use crate::lints;
use crate::text::Span;

pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// A file path as a relative URI reference (`/` separators, percent-encoded).
pub fn uri(path: &str) -> String {
    crate::files::paths::url_path(path)
}

fn level(severity: Severity) -> ResultLevel {
    match severity {
        Severity::Error => ResultLevel::Error,
        Severity::Warning => ResultLevel::Warning,
        Severity::Info => ResultLevel::Note,
    }
}

fn text(s: &str) -> MultiformatMessageString {
    MultiformatMessageString::builder().text(s).build()
}

fn descriptors() -> Vec<ReportingDescriptor> {
    lints::ALL
        .iter()
        .map(|lint| {
            let configuration = ReportingConfiguration::builder()
                .level(serde_json::to_value(level(lint.severity)).unwrap_or_default())
                .build();
            ReportingDescriptor::builder()
                .id(lint.code)
                .name(lint.name)
                .short_description(text(lint.summary))
                .full_description(text(lint.summary))
                .help(
                    MultiformatMessageString::builder()
                        .text(lint.docs)
                        .markdown(lint.docs)
                        .build(),
                )
                .default_configuration(configuration)
                .help_uri(lints::docs_url(lint))
                .properties(
                    PropertyBag::builder()
                        .tags(vec![lint.fix.describe().to_owned()])
                        .build(),
                )
                .build()
        })
        .collect()
}

fn region(file: &FileReport, span: Span) -> Region {
    let (start_line, start_column) = file.source.line_col(span.start);
    let (end_line, end_column) = file.source.line_col(span.end);
    Region::builder()
        .start_line(start_line as i64)
        .start_column(start_column as i64)
        .end_line(end_line as i64)
        .end_column(end_column as i64)
        .build()
}

/// The key of [`FileReport::finding_keys`] as GitHub wants a fingerprint: a short hash.
const FINGERPRINT: &str = "sentinelLint/v1";

fn physical(file: &FileReport, span: Span, uri: &str) -> PhysicalLocation {
    PhysicalLocation::builder()
        .artifact_location(ArtifactLocation::builder().uri(uri).build())
        .region(region(file, span))
        .build()
}

fn result(file: &FileReport, d: &Diagnostic, uri: &str, key: &str) -> SarifResult {
    let location = Location::builder()
        .physical_location(physical(file, d.span, uri))
        .build();
    let related: Vec<Location> = d
        .labels
        .iter()
        .zip(1..)
        .map(|(label, id)| {
            Location::builder()
                .id(id)
                .physical_location(physical(file, label.span, uri))
                .message(Message::builder().text(label.message.clone()).build())
                .build()
        })
        .collect();
    let message = match &d.help {
        Some(help) => format!("{}\n{help}", d.message),
        None => d.message.clone(),
    };
    let rule_index = lints::ALL
        .iter()
        .position(|l| l.code == d.code)
        .map(|i| i as i64);
    let mut result = SarifResult::builder()
        .rule_id(d.code)
        .level(level(d.severity))
        .message(Message::builder().text(message).build())
        .locations(vec![location])
        .build();
    result.rule_index = rule_index;
    if !related.is_empty() {
        result.related_locations = Some(related);
    }
    let hash = uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_OID, key.as_bytes());
    result.partial_fingerprints = Some(
        [(FINGERPRINT.to_owned(), hash.simple().to_string())]
            .into_iter()
            .collect(),
    );
    if let Some(fix) = &d.fix {
        let replacements: Vec<Replacement> = fix
            .edits
            .iter()
            .map(|e| {
                Replacement::builder()
                    .deleted_region(region(file, e.span))
                    .inserted_content(
                        ArtifactContent::builder()
                            .text(e.replacement.clone())
                            .build(),
                    )
                    .build()
            })
            .collect();
        let change = ArtifactChange::builder()
            .artifact_location(ArtifactLocation::builder().uri(uri).build())
            .replacements(replacements)
            .build();
        result.fixes = Some(vec![
            Fix::builder()
                .description(Message::builder().text(fix.title.clone()).build())
                .artifact_changes(vec![change])
                .build(),
        ]);
    }
    result
}

/// The report, and the exit code the run ends with (recorded as its invocation).
pub fn render(report: &Report, exit_code: i32, out: &mut dyn Write) -> io::Result<()> {
    let results: Vec<SarifResult> = report
        .files
        .iter()
        .flat_map(|file| {
            let uri = uri(&file.path);
            let keys = file.finding_keys(&file.diagnostics);
            let baselined_keys = file.finding_keys(&file.baselined);
            let reported = file
                .diagnostics
                .iter()
                .zip(keys)
                .map(|(d, key)| result(file, d, &uri, &key));
            // Findings a baseline holds: there, and marked as suppressed outside the code, so
            // that code scanning does not open (or reopen) them.
            let baselined = file.baselined.iter().zip(baselined_keys).map(|(d, key)| {
                let mut r = result(file, d, &uri, &key);
                r.suppressions = Some(vec![
                    Suppression::builder()
                        .kind(serde_json::Value::String("external".into()))
                        .justification("in the baseline (check --baseline)")
                        .build(),
                ]);
                r
            });
            reported.chain(baselined).collect::<Vec<_>>()
        })
        .collect();
    // Findings are not a failure of the tool: an exit code of 1 (errors found) still ran
    // successfully; 2 means it could not do its work.
    let invocation = Invocation::builder()
        .execution_successful(exit_code != 2)
        .exit_code(i64::from(exit_code))
        .build();
    let driver = ToolComponent::builder()
        .name(env!("CARGO_PKG_NAME"))
        .version(env!("CARGO_PKG_VERSION"))
        .semantic_version(env!("CARGO_PKG_VERSION"))
        .rules(descriptors())
        .build();
    let mut run = Run::builder()
        .tool(Tool::builder().driver(driver).build())
        .results(results)
        .invocations(vec![invocation])
        .build();
    // Columns count characters, not UTF-16 code units (the SARIF default).
    run.column_kind = Some(serde_json::Value::String("unicodeCodePoints".into()));
    let sarif = Sarif::builder()
        .schema(SCHEMA)
        .version(serde_json::Value::String("2.1.0".into()))
        .runs(vec![run])
        .build();
    serde_json::to_writer_pretty(&mut *out, &sarif)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(
            uri("Hunting Queries/a#1.yaml"),
            "Hunting%20Queries/a%231.yaml"
        );
        assert_eq!(uri("..\\x\\ü.yaml"), "../x/%C3%BC.yaml");
    }
}
