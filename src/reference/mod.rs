//! Reference data of the Sentinel format, embedded as compact tables. The generated files
//! name their source and license; `tools/generate_reference.py --check` keeps them fresh.

// Generated tables: formatted by their generator, not by rustfmt.
#[rustfmt::skip]
mod arm_versions;
#[rustfmt::skip]
pub mod connectors;
#[rustfmt::skip]
mod sigma_tables;
#[rustfmt::skip]
pub mod entities;
#[rustfmt::skip]
mod mitre_table;
#[rustfmt::skip]
mod kql_tables;
#[rustfmt::skip]
mod kql_functions;

/// A table any schema source knows: its index (for callers that keep what they derive from
/// it), whether the Azure-Sentinel CI has its schema, and its columns as `name:type,...`
/// (exact case).
pub fn table_columns(name: &str) -> Option<(usize, bool, &'static str)> {
    let tables = &kql_tables::TABLES;
    let i = tables.binary_search_by(|(t, _, _)| (*t).cmp(name)).ok()?;
    Some((i, tables[i].1, tables[i].2))
}

/// Every table: its name, whether the Azure-Sentinel CI has its schema, its columns.
pub fn tables() -> impl Iterator<Item = (&'static str, bool, &'static str)> {
    kql_tables::TABLES.iter().copied()
}

/// Every function with a known result, with its parameters and result columns; the ASIM
/// parsers with those of their schema's sample function (as the Azure-Sentinel CI gives
/// them).
pub fn functions() -> impl Iterator<Item = (&'static str, &'static str, &'static str)> {
    let functions = &kql_tables::FUNCTIONS;
    let parsers = kql_tables::ASIM_PARSERS
        .iter()
        .filter_map(|(name, sample)| {
            let sample = (*sample)?;
            let i = functions
                .binary_search_by(|(f, _, _)| (*f).cmp(sample))
                .ok()?;
            Some((*name, functions[i].1, functions[i].2))
        });
    functions.iter().copied().chain(parsers)
}

/// The columns every table has, and those `_CL` tables also have (name, type): what the
/// generated tables were completed with, for tables declared elsewhere.
pub fn standard_columns(table: &str) -> impl Iterator<Item = (&'static str, &'static str)> {
    let custom = if table.ends_with("_CL") {
        &kql_tables::DATA_COLLECTOR_COLUMNS[..]
    } else {
        &[]
    };
    kql_tables::STANDARD_COLUMNS.iter().chain(custom).copied()
}

/// How many tables [`table_columns`] knows.
pub fn table_count() -> usize {
    kql_tables::TABLES.len()
}

/// Every table name the schema sources know.
pub fn table_names() -> impl Iterator<Item = &'static str> {
    kql_tables::TABLES.iter().map(|(t, _, _)| *t)
}

/// A function with a known tabular result: its parameters and result columns, each as
/// `name:type,...`. (The ASIM parsers are not among them: the CI gives a parser the columns
/// of its schema's sample function, but parsers return more, as the schemas grew.)
pub fn function_schema(name: &str) -> Option<(&'static str, &'static str)> {
    let functions = &kql_tables::FUNCTIONS;
    if let Ok(i) = functions.binary_search_by(|(f, _, _)| (*f).cmp(name)) {
        return Some((functions[i].1, functions[i].2));
    }
    None
}

/// Why the Azure-Sentinel CI does not validate the query of the rule with this id, if it
/// does not.
pub fn ci_skip_reason(id: &str) -> Option<&'static str> {
    let id = id.to_ascii_lowercase();
    kql_tables::CI_SKIPPED_RULES
        .binary_search_by(|(i, _)| (*i).cmp(id.as_str()))
        .ok()
        .map(|i| kql_tables::CI_SKIPPED_RULES[i].1)
}

/// A name the Azure-Sentinel CI declares as a table that is a parser function in a
/// workspace (`CiscoISEEvent`, which reads `Syslog`).
pub fn is_parser_table(name: &str) -> bool {
    kql_tables::PARSER_TABLES.binary_search(&name).is_ok()
}

/// An ASIM parser name, or an ASIM function only Microsoft Learn describes (whether or not
/// its result is known).
pub fn is_asim_parser(name: &str) -> bool {
    kql_tables::ASIM_PARSERS
        .binary_search_by(|(p, _)| (*p).cmp(name))
        .is_ok()
        || kql_tables::LEARN_FUNCTIONS.binary_search(&name).is_ok()
}

/// The names of Kusto's built-in functions and aggregates.
pub fn function_names() -> impl Iterator<Item = &'static str> + Clone {
    kql_functions::FUNCTIONS
        .iter()
        .copied()
        .chain(kql_functions::AGGREGATES.iter().map(|(a, _, _)| *a))
}

/// A built-in function of Kusto.
pub fn is_builtin_function(name: &str) -> bool {
    kql_functions::FUNCTIONS.binary_search(&name).is_ok()
}

/// An aggregate of Kusto: how it names an unnamed result column (Kusto.Language's
/// `ResultNameKind`) and its prefix.
pub fn aggregate(name: &str) -> Option<(&'static str, Option<&'static str>)> {
    let aggregates = &kql_functions::AGGREGATES;
    let i = aggregates
        .binary_search_by(|(a, _, _)| (*a).cmp(name))
        .ok()?;
    Some((aggregates[i].1, aggregates[i].2))
}

/// A plug-in of `evaluate`.
pub fn is_plugin(name: &str) -> bool {
    kql_functions::PLUGINS.binary_search(&name).is_ok()
}

/// What the Azure-Sentinel validator knows about an entity type.
#[derive(Debug, Clone, Copy)]
pub struct EntityTypeInfo {
    pub name: &'static str,
    /// Identifiers allowed for the type (exact case).
    pub identifiers: &'static [&'static str],
    /// A mapping must contain all identifiers of at least one of these combinations.
    pub required: &'static [&'static [&'static str]],
    /// The ARM `EntityMappingType` enum lists the type.
    pub in_arm: bool,
}

/// What one api-version of `Microsoft.SecurityInsights/alertRules` can hold, read from its
/// official ARM schema.
#[derive(Debug, Clone, Copy)]
pub struct ArmApiVersion {
    pub version: &'static str,
    /// Properties of a Scheduled rule.
    pub scheduled_properties: &'static [&'static str],
    /// Properties of an NRT rule (empty: the version has no NRT rules).
    pub nrt_properties: &'static [&'static str],
    pub tactics: &'static [&'static str],
    pub entity_types: &'static [&'static str],
    /// Values of `alertDetailsOverride.alertDynamicProperties[].alertProperty` (empty: none).
    pub alert_properties: &'static [&'static str],
}

impl ArmApiVersion {
    pub fn has_nrt(&self) -> bool {
        !self.nrt_properties.is_empty()
    }
}

/// The api-versions sentinel-lint can write alert rules for.
pub fn arm_api_versions() -> &'static [ArmApiVersion] {
    &arm_versions::ARM_API_VERSIONS
}

/// One api-version by name.
pub fn arm_api_version(version: &str) -> Option<&'static ArmApiVersion> {
    arm_versions::ARM_API_VERSIONS
        .iter()
        .find(|v| v.version == version)
}

/// A table with a Sigma log source.
#[derive(Debug, Clone, Copy)]
pub struct SigmaTable {
    pub table: &'static str,
    pub category: Option<&'static str>,
    pub product: Option<&'static str>,
    pub service: Option<&'static str>,
    pub fields: SigmaTableFields,
    /// Columns that hold a file name, and the Sigma field that holds the whole path:
    /// `FileName == 'x.exe'` is `Image|endswith: '\x.exe'`.
    pub basename_fields: &'static [(&'static str, &'static str)],
}

/// How a table's columns become Sigma fields.
#[derive(Debug, Clone, Copy)]
pub enum SigmaTableFields {
    /// The log source's fields are the table's own column names (SigmaHQ cloud rules).
    Native,
    /// KQL column -> Sigma field (sorted by column); other columns have no Sigma field.
    Mapped(&'static [(&'static str, &'static str)]),
}

/// The Sigma log source of a table (table names are case-sensitive in KQL).
pub fn sigma_table(table: &str) -> Option<&'static SigmaTable> {
    sigma_tables::SIGMA_TABLES.iter().find(|t| t.table == table)
}

/// The fields the SigmaHQ taxonomy gives a log source; `None` when it lists none (SigmaHQ's
/// validator then accepts any).
pub fn sigma_taxonomy_fields(
    product: Option<&str>,
    category: Option<&str>,
    service: Option<&str>,
) -> Option<&'static [&'static str]> {
    let name = |part: Option<&str>| part.unwrap_or("None").to_owned();
    let key = format!("{}_{}_{}", name(product), name(category), name(service));
    let table = &sigma_tables::SIGMA_TAXONOMY;
    let i = table
        .binary_search_by(|(k, _)| (*k).cmp(key.as_str()))
        .ok()?;
    Some(table[i].1).filter(|fields| !fields.is_empty())
}

/// The SigmaHQ file name prefix of a log source (`net_connection_win_`), found as SigmaHQ's
/// validator finds it: the whole log source, else its product alone.
pub fn sigma_filename_prefix(
    product: Option<&str>,
    category: Option<&str>,
    service: Option<&str>,
) -> Option<&'static str> {
    let find = |key: String| {
        let table = &sigma_tables::SIGMA_FILENAME_PREFIXES;
        let i = table
            .binary_search_by(|(k, _)| (*k).cmp(key.as_str()))
            .ok()?;
        Some(table[i].1)
    };
    let name = |part: Option<&str>| part.unwrap_or("None").to_owned();
    find(format!(
        "{}_{}_{}",
        name(product),
        name(category),
        name(service)
    ))
    .or_else(|| product.and_then(|p| find(format!("{p}_None_None"))))
}

/// The tactics (Sigma shortnames) ATT&CK v18.1 gives a technique (`T1219`, `T1059.001`).
pub fn attack_technique_tactics(technique: &str) -> Option<&'static [&'static str]> {
    let table = &sigma_tables::ATTACK_TECHNIQUES;
    table
        .binary_search_by(|(id, _)| (*id).cmp(technique))
        .ok()
        .map(|i| table[i].1)
}

/// The ATT&CK version the embedded tables are of.
pub const ATTACK_VERSION: &str = "18.1";

/// The name ATT&CK v18.1 gives a technique or sub-technique.
pub fn attack_technique_name(technique: &str) -> Option<&'static str> {
    let table = &sigma_tables::ATTACK_TECHNIQUE_NAMES;
    table
        .binary_search_by(|(id, _)| (*id).cmp(technique))
        .ok()
        .map(|i| table[i].1)
}

/// The techniques (not sub-techniques) ATT&CK v18.1 has in a tactic (its shortname), by id.
pub fn attack_tactic_techniques(shortname: &str) -> impl Iterator<Item = &'static str> + '_ {
    sigma_tables::ATTACK_TECHNIQUES
        .iter()
        .filter(move |(id, tactics)| !id.contains('.') && tactics.contains(&shortname))
        .map(|(id, _)| *id)
}

/// The ATT&CK v18.1 tactics in the matrix's order: id, shortname, name, rule-file name.
pub fn attack_matrix() -> &'static [(&'static str, &'static str, &'static str, &'static str)] {
    &sigma_tables::ATTACK_MATRIX
}

/// Is this an ATT&CK v18.1 tactic shortname (`command-and-control`)?
pub fn is_attack_tactic(shortname: &str) -> bool {
    sigma_tables::ATTACK_TACTICS
        .binary_search(&shortname)
        .is_ok()
}

/// The entity type of this exact name.
pub fn entity_type(name: &str) -> Option<&'static EntityTypeInfo> {
    entities::ENTITY_TYPES.iter().find(|e| e.name == name)
}

/// Whether the Azure-Sentinel CI accepts this connector id (exact case).
pub fn is_valid_connector(id: &str) -> bool {
    connectors::VALID_CONNECTOR_IDS.binary_search(&id).is_ok()
}

/// A technique ATT&CK revoked: its name and the technique that replaced it.
pub fn revoked_technique(id: &str) -> Option<(&'static str, &'static str)> {
    let table = &mitre_table::REVOKED_TECHNIQUES;
    table
        .binary_search_by(|(t, _, _)| (*t).cmp(id))
        .ok()
        .map(|i| (table[i].1, table[i].2))
}

/// A technique ATT&CK deprecated (without a replacement): its name.
pub fn deprecated_technique(id: &str) -> Option<&'static str> {
    let table = &mitre_table::DEPRECATED_TECHNIQUES;
    table
        .binary_search_by(|(t, _)| (*t).cmp(id))
        .ok()
        .map(|i| table[i].1)
}

/// The tactics the Azure-Sentinel validator accepts for a technique (its parent id, the
/// part before the first `.`), or `None` when its table does not know the technique.
pub fn validator_tactics(technique: &str) -> Option<&'static [&'static str]> {
    let parent = technique.split('.').next().unwrap_or(technique);
    mitre_table::TECHNIQUE_TACTICS
        .binary_search_by(|(t, _)| (*t).cmp(parent))
        .ok()
        .map(|i| mitre_table::TECHNIQUE_TACTICS[i].1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups() {
        assert!(is_valid_connector("AzureActiveDirectory"));
        assert!(!is_valid_connector("azureactivedirectory"));
        assert_eq!(
            validator_tactics("T1078.004").map(|t| t.contains(&"Persistence")),
            Some(true)
        );
        assert!(validator_tactics("T9999").is_none());
        assert_eq!(
            entity_type("FileHash").map(|e| e.required),
            Some(&[&["Algorithm", "Value"][..]][..])
        );
        assert!(!entity_type("IoTDevice").unwrap().in_arm);
    }
}
