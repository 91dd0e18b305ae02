//! The `/` search grammar. Space-separated terms, all of which must hold:
//! - free text is matched fuzzily (fuzzy-matcher's SkimMatcherV2) against a
//!   row's name, email and department;
//! - `field:value` keeps rows whose field contains `value` (case-insensitive;
//!   `status` and `type` match from the start, so `status:active` does not
//!   also match "inactive");
//!   known fields are `status`, `role`, `dept`, `type`, `group`, `email`,
//!   `name`; any other name is looked up as a property;
//! - a leading `!` negates a term (`!status:active`, `!contractor`), and a
//!   negated free-text term is a plain substring test, since "does not
//!   fuzzily match" would hide almost nothing.

/// One parsed search.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Lower-cased fuzzy terms.
    pub fuzzy: Vec<String>,
    /// Lower-cased substrings that must not occur.
    pub not_text: Vec<String>,
    pub fields: Vec<FieldTerm>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldTerm {
    /// Canonical field name (aliases folded: `department` → `dept`).
    pub field: String,
    /// Lower-cased value to look for.
    pub value: String,
    pub negate: bool,
}

impl Filter {
    pub fn parse(input: &str) -> Filter {
        let mut f = Filter::default();
        for raw in input.split_whitespace() {
            let (negate, term) = match raw.strip_prefix('!') {
                Some(rest) => (true, rest),
                None => (false, raw),
            };
            if term.is_empty() {
                continue;
            }
            let term = term.to_lowercase();
            match term.split_once(':') {
                Some((field, value)) if !field.is_empty() => {
                    f.fields.push(FieldTerm {
                        field: canonical_field(field).to_string(),
                        value: value.to_string(),
                        negate,
                    });
                }
                _ if negate => f.not_text.push(term),
                _ => f.fuzzy.push(term),
            }
        }
        f
    }

    pub fn is_empty(&self) -> bool {
        self.fuzzy.is_empty() && self.not_text.is_empty() && self.fields.is_empty()
    }
}

fn canonical_field(f: &str) -> &str {
    match f {
        "department" | "dep" => "dept",
        "state" => "status",
        "t" => "type",
        "groups" => "group",
        "mail" => "email",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_fuzzy_fields_and_negation() {
        let f = Filter::parse("  Jill status:Inactive !role:admin !contractor dept:eng ");
        assert_eq!(f.fuzzy, vec!["jill"]);
        assert_eq!(f.not_text, vec!["contractor"]);
        assert_eq!(
            f.fields,
            vec![
                FieldTerm {
                    field: "status".into(),
                    value: "inactive".into(),
                    negate: false
                },
                FieldTerm {
                    field: "role".into(),
                    value: "admin".into(),
                    negate: true
                },
                FieldTerm {
                    field: "dept".into(),
                    value: "eng".into(),
                    negate: false
                },
            ]
        );
    }

    #[test]
    fn lone_bang_and_empty_are_ignored() {
        assert!(Filter::parse("! ").is_empty());
        assert!(Filter::parse("").is_empty());
        // a colon with no field is free text
        assert_eq!(Filter::parse(":x").fuzzy, vec![":x"]);
    }
}
