//! JUnit XML, for CI systems that show test reports (Azure Pipelines, GitLab, Jenkins): a
//! test suite per file, a failed test case per finding, a passed one for a clean file.

use std::io::{self, Write};

use quick_junit::{NonSuccessKind, Report as JunitReport, TestCase, TestCaseStatus, TestSuite};

use crate::diagnostics::Report;

pub fn render(report: &Report, out: &mut dyn Write) -> io::Result<()> {
    let mut junit = JunitReport::new("sentinel-lint");
    for file in &report.files {
        let mut suite = TestSuite::new(file.path.as_str());
        if file.diagnostics.is_empty() {
            suite.add_test_case(TestCase::new("sentinel-lint", TestCaseStatus::success()));
        }
        for d in &file.diagnostics {
            let (line, column) = file.source.line_col(d.span.start);
            let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
            status.set_message(format!("{}: {}", d.code, d.message));
            status.set_type(d.severity.as_str());
            status.set_description(format!(
                "{}:{line}:{column}: {} {} {}{}",
                file.path,
                d.severity,
                d.code,
                d.message,
                d.help
                    .as_deref()
                    .map(|h| format!("\n{h}"))
                    .unwrap_or_default()
            ));
            let mut case =
                TestCase::new(format!("{} {} at {line}:{column}", d.code, d.name), status);
            case.set_classname(file.path.as_str());
            suite.add_test_case(case);
        }
        junit.add_test_suite(suite);
    }
    let xml = junit.to_string().map_err(io::Error::other)?;
    out.write_all(xml.as_bytes())
}
