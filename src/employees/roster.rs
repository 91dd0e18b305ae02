//! HR roster import: CSV or JSON text → validated [`Employee`] rows plus a
//! line-numbered error for every row that could not be used.
//!
//! Rosters come out of HR systems and spreadsheets, so this is deliberately
//! forgiving about *shape* (BOM, CRLF, header spelling, extra columns, blank
//! lines) and strict about *content* (an employee without a usable e-mail, a
//! duplicate id or a date we cannot read is reported, never guessed).

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, NaiveDate};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::graph::normalize_email;
use crate::util::sanitize::for_terminal;

/// A roster field zoomscope understands. Columns are mapped to fields by
/// header name (see [`Field::header_aliases`]) or by an explicit override.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    Email,
    FirstName,
    LastName,
    Name,
    EmployeeId,
    EmployeeUniqueId,
    Department,
    Title,
    ManagerEmail,
    Status,
    TerminationDate,
    OtherEmails,
}

impl Field {
    pub const ALL: [Field; 12] = [
        Field::Email,
        Field::FirstName,
        Field::LastName,
        Field::Name,
        Field::EmployeeId,
        Field::EmployeeUniqueId,
        Field::Department,
        Field::Title,
        Field::ManagerEmail,
        Field::Status,
        Field::TerminationDate,
        Field::OtherEmails,
    ];

    /// The name used in `--column field=HEADER` and the config's
    /// `[employees.columns]` table.
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Email => "email",
            Field::FirstName => "first_name",
            Field::LastName => "last_name",
            Field::Name => "name",
            Field::EmployeeId => "employee_id",
            Field::EmployeeUniqueId => "employee_unique_id",
            Field::Department => "department",
            Field::Title => "title",
            Field::ManagerEmail => "manager_email",
            Field::Status => "status",
            Field::TerminationDate => "termination_date",
            Field::OtherEmails => "other_emails",
        }
    }

    /// Parses a field name as written in `--column` or the config (case and
    /// spacing ignored, like headers).
    pub fn parse(s: &str) -> Option<Field> {
        let k = header_key(s);
        Field::ALL.into_iter().find(|f| header_key(f.as_str()) == k)
    }

    /// Header spellings recognised for this field, compared after
    /// [`header_key`] (so `Work Email`, `work_email` and `WORK-EMAIL` are one).
    /// Earlier spellings win when a file has several.
    fn header_aliases(self) -> &'static [&'static str] {
        match self {
            Field::Email => &[
                "email",
                "work_email",
                "email_address",
                "work_email_address",
                "business_email",
                "primary_email",
                "e_mail",
                "mail",
            ],
            Field::FirstName => &["first_name", "given_name", "firstname", "forename"],
            Field::LastName => &["last_name", "surname", "family_name", "lastname"],
            Field::Name => &["name", "full_name", "display_name", "employee_name"],
            Field::EmployeeId => &[
                "employee_id",
                "employee_number",
                "emp_id",
                "worker_id",
                "staff_id",
            ],
            Field::EmployeeUniqueId => &["employee_unique_id"],
            Field::Department => &["department", "dept", "division"],
            Field::Title => &["title", "job_title", "position"],
            Field::ManagerEmail => &["manager_email", "manager_work_email", "supervisor_email"],
            Field::Status => &["status", "employment_status", "employee_status"],
            Field::TerminationDate => &[
                "termination_date",
                "end_date",
                "terminated_on",
                "last_day",
                "separation_date",
            ],
            // Every matching column contributes (a roster may have both a
            // personal e-mail column and an aliases column).
            Field::OtherEmails => &[
                "other_emails",
                "personal_email",
                "aliases",
                "alias_emails",
                "secondary_emails",
                "secondary_email",
                "alternate_email",
                "alternate_emails",
            ],
        }
    }
}

/// Compares header names ignoring case, spaces and punctuation:
/// `"Work Email"`, `"work_email"` and `"WORK-EMAIL"` all become `workemail`.
pub fn header_key(s: &str) -> String {
    s.trim_start_matches('\u{feff}')
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Employment status after normalisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EmployeeStatus {
    Active,
    /// On leave (parental, sabbatical, …): still an employee.
    Leave,
    /// Hired but not started yet.
    Pending,
    Terminated,
}

impl EmployeeStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            EmployeeStatus::Active => "active",
            EmployeeStatus::Leave => "leave",
            EmployeeStatus::Pending => "pending",
            EmployeeStatus::Terminated => "terminated",
        }
    }

    pub fn parse_stored(s: &str) -> Option<Self> {
        match s {
            "active" => Some(EmployeeStatus::Active),
            "leave" => Some(EmployeeStatus::Leave),
            "pending" => Some(EmployeeStatus::Pending),
            "terminated" => Some(EmployeeStatus::Terminated),
            _ => None,
        }
    }

    /// Normalises what HR systems write into one of four statuses. `None`
    /// for text we do not recognise (reported, not guessed).
    pub fn normalise(s: &str) -> Option<Self> {
        let k: String = s
            .chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect();
        let status = match k.as_str() {
            "" | "active" | "a" | "current" | "employed" | "working" | "regular" | "fulltime"
            | "parttime" | "enabled" | "yes" | "true" => EmployeeStatus::Active,
            "leave" | "onleave" | "loa" | "leaveofabsence" | "parentalleave" | "maternityleave"
            | "paternityleave" | "medicalleave" | "sabbatical" | "suspended" | "furlough"
            | "furloughed" => EmployeeStatus::Leave,
            "pending" | "prehire" | "preboarding" | "onboarding" | "hired" | "newhire"
            | "notstarted" | "future" | "offer" | "offeraccepted" => EmployeeStatus::Pending,
            "terminated" | "term" | "t" | "inactive" | "former" | "left" | "leaver"
            | "separated" | "offboarded" | "resigned" | "retired" | "deactivated" | "disabled"
            | "exemployee" | "dismissed" | "fired" | "laidoff" | "no" | "false" => {
                EmployeeStatus::Terminated
            }
            _ => return None,
        };
        Some(status)
    }
}

/// One valid roster row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Employee {
    /// Physical line in the source file where the row starts (1-based).
    pub line: u64,
    /// HR employee id, when the roster has one.
    pub employee_id: Option<String>,
    /// An explicit `employee_unique_id` column (matched against Zoom's
    /// `employee_unique_id`); when absent, `employee_id` is used for that.
    pub employee_unique_id: Option<String>,
    /// Primary e-mail, trimmed and lower-cased.
    pub email: String,
    /// Secondary e-mails (personal, aliases), trimmed, lower-cased, deduplicated.
    pub other_emails: Vec<String>,
    pub name: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub department: Option<String>,
    pub title: Option<String>,
    pub manager_email: Option<String>,
    /// Status as the roster declares it (empty means active).
    pub status: EmployeeStatus,
    pub termination_date: Option<NaiveDate>,
}

impl Employee {
    /// `employee:<employee_id or normalised email>`.
    pub fn key(&self) -> String {
        match &self.employee_id {
            Some(id) => format!("employee:{id}"),
            None => format!("employee:{}", self.email),
        }
    }

    /// The status on `today`: a termination date on or before today means
    /// terminated, whatever the status column says.
    pub fn status_on(&self, today: NaiveDate) -> EmployeeStatus {
        match self.termination_date {
            Some(d) if d <= today => EmployeeStatus::Terminated,
            _ => self.status,
        }
    }

    /// The id matched against Zoom's `employee_unique_id`.
    pub fn unique_id(&self) -> Option<&str> {
        self.employee_unique_id
            .as_deref()
            .or(self.employee_id.as_deref())
    }

    /// `name`, else first and last name joined.
    pub fn display_name(&self) -> Option<String> {
        if let Some(n) = self.name.as_deref().filter(|n| !n.is_empty()) {
            return Some(n.to_string());
        }
        let parts: Vec<&str> = [self.first_name.as_deref(), self.last_name.as_deref()]
            .into_iter()
            .flatten()
            .filter(|s| !s.is_empty())
            .collect();
        (!parts.is_empty()).then(|| parts.join(" "))
    }
}

/// A row that could not be imported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowError {
    /// Physical line in the file (1-based), accounting for quoted newlines.
    pub line: u64,
    pub reason: String,
}

/// The outcome of parsing one roster file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedRoster {
    pub employees: Vec<Employee>,
    pub errors: Vec<RowError>,
    /// Rows imported but worth a look (one e-mail on rows with different
    /// employee ids: matching reports them as ambiguous).
    pub warnings: Vec<RowError>,
    /// Which header each field was read from (for `import` output).
    pub columns: BTreeMap<String, Vec<String>>,
}

/// Problems with the file as a whole (nothing can be imported).
#[derive(Debug, thiserror::Error)]
pub enum RosterError {
    #[error("the roster is empty")]
    Empty,
    #[error(
        "no e-mail column: looked for a header named email or work_email (use --column email=HEADER)"
    )]
    NoEmailColumn,
    #[error("unknown roster field `{0}` (known: {known})", known = known_fields())]
    UnknownField(String),
    #[error("column `{header}` given for {field} is not in the file")]
    ColumnNotFound { field: String, header: String },
    #[error("bad --column `{0}`: expected field=HEADER")]
    BadColumnSpec(String),
    #[error("line {line}: the CSV cannot be read: {message}")]
    Csv { line: u64, message: String },
    #[error("line {line}, column {column}: the JSON cannot be read: {message}")]
    Json {
        line: usize,
        column: usize,
        message: String,
    },
    #[error("the JSON roster must be an array of objects ({0})")]
    JsonNotArray(String),
    #[error(
        "line {line}, column {column}: a quote opens a cell that is never closed, so every later row would be read into it; close or remove it"
    )]
    UnclosedQuote { line: u64, column: u64 },
    #[error(
        "the {field} column appears twice (column {first} `{first_header}` and column {second} `{second_header}`); rename one or pick one with --column {field}=HEADER"
    )]
    DuplicateColumn {
        field: String,
        first: usize,
        first_header: String,
        second: usize,
        second_header: String,
    },
    #[error(
        "the roster is larger than {limit} bytes ({mib} MiB, the [employees] max_roster_mib setting); raise the setting for a bigger file"
    )]
    TooLarge { limit: u64, mib: u64 },
    #[error("line {line}, column {column}: {what}; save the roster as UTF-8")]
    Encoding {
        line: u64,
        column: u64,
        what: String,
    },
    #[error("cannot read the roster: {0}")]
    Read(String),
}

fn known_fields() -> String {
    Field::ALL
        .iter()
        .map(|f| f.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Explicit header names per field, from `--column field=HEADER` and the
/// config's `[employees.columns]` table. They replace the header aliases for
/// that field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ColumnOverrides(BTreeMap<Field, String>);

impl ColumnOverrides {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn set(&mut self, field: Field, header: impl Into<String>) {
        self.0.insert(field, header.into());
    }

    /// Parses `field=HEADER` (as given to `--column`).
    pub fn add_spec(&mut self, spec: &str) -> Result<(), RosterError> {
        let (field, header) = spec
            .split_once('=')
            .ok_or_else(|| RosterError::BadColumnSpec(spec.to_string()))?;
        let header = header.trim();
        if header.is_empty() {
            return Err(RosterError::BadColumnSpec(spec.to_string()));
        }
        let f = Field::parse(field).ok_or_else(|| RosterError::UnknownField(field.to_string()))?;
        self.set(f, header);
        Ok(())
    }

    /// From the config table (`field = "HEADER"`); later `--column`s win, so
    /// call this first.
    pub fn from_table(table: &BTreeMap<String, String>) -> Result<Self, RosterError> {
        let mut o = Self::new();
        for (field, header) in table {
            let f =
                Field::parse(field).ok_or_else(|| RosterError::UnknownField(field.to_string()))?;
            o.set(f, header.clone());
        }
        Ok(o)
    }

    pub fn get(&self, f: Field) -> Option<&str> {
        self.0.get(&f).map(String::as_str)
    }
}

/// Input format: JSON when the first non-blank character opens an array or
/// object, CSV otherwise.
pub fn looks_like_json(text: &str) -> bool {
    matches!(
        text.trim_start_matches('\u{feff}')
            .trim_start()
            .chars()
            .next(),
        Some('[' | '{')
    )
}

/// Parses a roster in either format (detected with [`looks_like_json`]).
pub fn parse(text: &str, overrides: &ColumnOverrides) -> Result<ParsedRoster, RosterError> {
    if looks_like_json(text) {
        parse_json(text, overrides)
    } else {
        parse_csv(text, overrides)
    }
}

/// Maps a file's headers to fields: column indexes per field (several for
/// `other_emails`).
struct ColumnMap {
    columns: HashMap<Field, Vec<usize>>,
    headers: Vec<String>,
}

impl ColumnMap {
    fn new(headers: &[String], overrides: &ColumnOverrides) -> Result<Self, RosterError> {
        let keys: Vec<String> = headers.iter().map(|h| header_key(h)).collect();
        let mut columns: HashMap<Field, Vec<usize>> = HashMap::new();
        // Overrides first, so an overridden header is not also picked up by
        // another field's aliases.
        let mut taken = vec![false; headers.len()];
        for f in Field::ALL {
            if let Some(h) = overrides.get(f) {
                let hk = header_key(h);
                let idx = keys.iter().position(|k| *k == hk).ok_or_else(|| {
                    RosterError::ColumnNotFound {
                        field: f.as_str().to_string(),
                        header: h.to_string(),
                    }
                })?;
                if f != Field::OtherEmails {
                    same_key_twice(f, headers, &keys, idx)?;
                }
                taken[idx] = true;
                columns.insert(f, vec![idx]);
            }
        }
        for f in Field::ALL {
            if columns.contains_key(&f) {
                continue;
            }
            let mut found = Vec::new();
            // A bitmap, not `found.contains`: a header of 100,000 `aliases`
            // columns must not cost 100,000² comparisons.
            let mut picked = vec![false; keys.len()];
            for alias in f.header_aliases() {
                let ak = header_key(alias);
                for (i, k) in keys.iter().enumerate() {
                    if *k == ak
                        && !taken.get(i).copied().unwrap_or(true)
                        && !picked.get(i).copied().unwrap_or(true)
                    {
                        found.push(i);
                        if let Some(p) = picked.get_mut(i) {
                            *p = true;
                        }
                    }
                }
                if !found.is_empty() && f != Field::OtherEmails {
                    break;
                }
            }
            if f != Field::OtherEmails {
                found.truncate(1);
                if let Some(&idx) = found.first() {
                    same_key_twice(f, headers, &keys, idx)?;
                }
            }
            for &i in &found {
                if let Some(t) = taken.get_mut(i) {
                    *t = true;
                }
            }
            if !found.is_empty() {
                columns.insert(f, found);
            }
        }
        if !columns.contains_key(&Field::Email) {
            return Err(RosterError::NoEmailColumn);
        }
        Ok(ColumnMap {
            columns,
            headers: headers.to_vec(),
        })
    }

    fn described(&self) -> BTreeMap<String, Vec<String>> {
        self.columns
            .iter()
            .map(|(f, idx)| {
                (
                    f.as_str().to_string(),
                    idx.iter()
                        .filter_map(|i| self.headers.get(*i).cloned())
                        .collect(),
                )
            })
            .collect()
    }
}

/// A field read from column `idx` is ambiguous when another column's header
/// is the same name (`email` and `Email`, `E-mail`): which one holds the
/// address is a guess, so it is an error naming both.
fn same_key_twice(
    f: Field,
    headers: &[String],
    keys: &[String],
    idx: usize,
) -> Result<(), RosterError> {
    let Some(key) = keys.get(idx) else {
        return Ok(());
    };
    match keys
        .iter()
        .enumerate()
        .find(|(i, k)| *i != idx && *k == key)
    {
        None => Ok(()),
        Some((other, _)) => {
            let (a, b) = (idx.min(other), idx.max(other));
            let name = |i: usize| headers.get(i).map(|h| for_terminal(h).into_owned());
            Err(RosterError::DuplicateColumn {
                field: f.as_str().to_string(),
                first: a + 1,
                first_header: name(a).unwrap_or_default(),
                second: b + 1,
                second_header: name(b).unwrap_or_default(),
            })
        }
    }
}

/// One row's raw cells, by field, before validation.
#[derive(Default)]
struct RawRow {
    cells: HashMap<Field, Vec<String>>,
}

impl RawRow {
    fn one(&self, f: Field) -> Option<&str> {
        self.cells
            .get(&f)
            .and_then(|v| v.first())
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
    }

    fn all(&self, f: Field) -> impl Iterator<Item = &str> {
        self.cells
            .get(&f)
            .into_iter()
            .flatten()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
    }
}

/// Validates rows and enforces uniqueness across the file.
#[derive(Default)]
struct Validator {
    out: ParsedRoster,
    /// employee key → line of first occurrence.
    keys: HashMap<String, u64>,
    /// primary e-mail (lower-cased) → line of the first row using it.
    emails: HashMap<String, u64>,
}

impl Validator {
    fn row(&mut self, line: u64, raw: &RawRow) {
        match validate_row(line, raw) {
            Ok(emp) => {
                let key = emp.key();
                if let Some(first) = self.keys.get(&key) {
                    let reason = match &emp.employee_id {
                        Some(id) => format!("duplicate employee_id {id} (first on line {first})"),
                        None => format!(
                            "duplicate email {} with no employee_id (first on line {first})",
                            emp.email
                        ),
                    };
                    self.out.errors.push(RowError { line, reason });
                } else {
                    // E-mails are compared lower-cased (`same@` = `SAME@`).
                    // Rows with different ids may share one (a rehire, a
                    // typo): both are kept, and matching reports them as
                    // ambiguous, but the import says so.
                    if let Some(first) = self.emails.get(&emp.email) {
                        self.out.warnings.push(RowError {
                            line,
                            reason: format!(
                                "email {} is also on line {first} (compared ignoring case); matching will report these rows as ambiguous",
                                emp.email
                            ),
                        });
                    } else {
                        self.emails.insert(emp.email.clone(), line);
                    }
                    self.keys.insert(key, line);
                    self.out.employees.push(emp);
                }
            }
            Err(reason) => self.out.errors.push(RowError { line, reason }),
        }
    }
}

fn validate_row(line: u64, raw: &RawRow) -> Result<Employee, String> {
    let email = match raw.one(Field::Email) {
        None => return Err("no email".to_string()),
        Some(e) => valid_email(e).ok_or_else(|| format!("invalid email {e:?}"))?,
    };
    let mut other_emails: Vec<String> = Vec::new();
    // Kept beside the list so a cell of 100,000 addresses stays linear.
    let mut seen: HashSet<String> = HashSet::new();
    for cell in raw.all(Field::OtherEmails) {
        for part in cell
            .split([';', ',', '|', ' ', '\n', '\r', '\t'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            let e = valid_email(part)
                .ok_or_else(|| format!("invalid email {part:?} in other_emails"))?;
            if e != email && seen.insert(e.clone()) {
                other_emails.push(e);
            }
        }
    }
    let manager_email = match raw.one(Field::ManagerEmail) {
        None => None,
        Some(m) => Some(valid_email(m).ok_or_else(|| format!("invalid manager_email {m:?}"))?),
    };
    let status = match raw.one(Field::Status) {
        None => EmployeeStatus::Active,
        Some(s) => EmployeeStatus::normalise(s).ok_or_else(|| {
            format!("unrecognised status {s:?} (expected active, leave, pending or terminated)")
        })?,
    };
    let termination_date =
        match raw.one(Field::TerminationDate) {
            None => None,
            Some(d) => Some(parse_date(d).ok_or_else(|| {
                format!("unparseable termination_date {d:?} (expected YYYY-MM-DD)")
            })?),
        };
    let text = |f: Field| raw.one(f).map(str::to_string);
    Ok(Employee {
        line,
        employee_id: text(Field::EmployeeId),
        employee_unique_id: text(Field::EmployeeUniqueId),
        email,
        other_emails,
        name: text(Field::Name),
        first_name: text(Field::FirstName),
        last_name: text(Field::LastName),
        department: text(Field::Department),
        title: text(Field::Title),
        manager_email,
        status,
        termination_date,
    })
}

/// Trims and lower-cases an address and checks its shape: one `@`, a
/// non-empty local part, a dotted domain, no spaces or angle brackets.
/// Deliberately simple: rosters hold work addresses, not RFC 5322 oddities.
pub fn valid_email(s: &str) -> Option<String> {
    let e = normalize_email(s.trim_start_matches("mailto:"));
    let (local, domain) = e.split_once('@')?;
    let bad_char = |c: char| c.is_whitespace() || c.is_control() || "<>(),;:\"[]\\@".contains(c);
    if local.is_empty()
        || domain.len() < 3
        || local
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "<>(),;:\"[]\\".contains(c))
        || domain.chars().any(bad_char)
        || !domain.contains('.')
        || domain.starts_with('.')
        || domain.ends_with('.')
        || domain.contains("..")
    {
        return None;
    }
    Some(e)
}

/// Reads the date formats HR exports use: ISO dates and date-times,
/// `YYYY/MM/DD`, `DD.MM.YYYY`, `5-Mar-2024`, `Mar 5, 2024`, and US
/// `M/D/YYYY` (spreadsheets exported in a US locale).
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
        return Some(dt.date_naive());
    }
    // A date-time without offset: keep the date part.
    let date_part = s.split(['T', ' ']).next().unwrap_or(s);
    const FORMATS: [&str; 8] = [
        "%Y-%m-%d",
        "%Y/%m/%d",
        "%d.%m.%Y",
        "%m/%d/%Y",
        "%d-%b-%Y",
        "%d %b %Y",
        "%b %d, %Y",
        "%B %d, %Y",
    ];
    for f in FORMATS {
        if let Ok(d) = NaiveDate::parse_from_str(s, f) {
            return Some(d);
        }
    }
    if date_part != s {
        for f in ["%Y-%m-%d", "%Y/%m/%d"] {
            if let Ok(d) = NaiveDate::parse_from_str(date_part, f) {
                return Some(d);
            }
        }
    }
    None
}

/// Parses a CSV roster. Lines are physical lines of the file (a quoted field
/// spanning two lines makes the next row start two lines later).
pub fn parse_csv(text: &str, overrides: &ColumnOverrides) -> Result<ParsedRoster, RosterError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if let Some((line, column)) = unclosed_quote(text.as_bytes()) {
        return Err(RosterError::UnclosedQuote { line, column });
    }
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut record = csv::ByteRecord::new();
    // The header is the first non-blank record.
    let headers: Vec<String> = loop {
        match rdr.read_byte_record(&mut record) {
            Ok(false) => return Err(RosterError::Empty),
            Ok(true) => {
                if record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
                    continue;
                }
                break record
                    .iter()
                    .map(|f| String::from_utf8_lossy(f).trim().to_string())
                    .collect();
            }
            Err(e) => return Err(csv_error(&e)),
        }
    };
    let map = ColumnMap::new(&headers, overrides)?;
    let mut v = Validator::default();
    let mut lines = LineCounter::new(text.as_bytes());
    loop {
        let before = rdr.position().byte();
        match rdr.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let start = record.position().map_or(before, |p| p.byte());
                let line = lines.line_of_record_at(start);
                if record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
                    continue; // a row of empty cells
                }
                if let Some(reason) = extra_cells(&record, headers.len()) {
                    v.out.errors.push(RowError { line, reason });
                    continue;
                }
                let mut raw = RawRow::default();
                let mut bad_utf8 = false;
                for (field, idx) in &map.columns {
                    let cells = idx
                        .iter()
                        .filter_map(|i| record.get(*i))
                        .map(|b| match std::str::from_utf8(b) {
                            Ok(s) => s.to_string(),
                            Err(_) => {
                                bad_utf8 = true;
                                String::new()
                            }
                        })
                        .collect();
                    raw.cells.insert(*field, cells);
                }
                if bad_utf8 {
                    v.out.errors.push(RowError {
                        line,
                        reason: "not valid UTF-8 (save the roster as UTF-8)".to_string(),
                    });
                    continue;
                }
                v.row(line, &raw);
            }
            Err(e) => {
                let start = e.position().map_or(before, |p| p.byte());
                v.out.errors.push(RowError {
                    line: lines.line_of_record_at(start),
                    reason: format!("unreadable CSV row: {e}"),
                });
            }
        }
    }
    v.out.columns = map.described();
    Ok(v.out)
}

/// A row with more cells than the header (blank trailing cells aside) has
/// data no column names: which column it belongs to is a guess, so the row
/// is refused. Often a quote gone wrong, so a cell spanning lines is named.
fn extra_cells(record: &csv::ByteRecord, header_len: usize) -> Option<String> {
    let (first_extra, cell) = record
        .iter()
        .enumerate()
        .skip(header_len)
        .find(|(_, c)| !c.iter().all(u8::is_ascii_whitespace))?;
    let shown: String = for_terminal(&String::from_utf8_lossy(cell))
        .chars()
        .take(40)
        .collect();
    let mut reason = format!(
        "{} cells but the header has {header_len}: cell {} ({shown:?}) belongs to no column",
        record.len(),
        first_extra + 1
    );
    if record.iter().any(|c| c.contains(&b'\n')) {
        reason.push_str("; a quoted cell of this row spans lines: check its quotes");
    }
    Some(reason)
}

/// Where a quoted cell opens that is never closed (1-based line and
/// column), following the `csv` crate's rules: a quote opens a quoted cell
/// only at the start of a cell, `""` inside one is a literal quote. The
/// `csv` crate reads such a cell to the end of the file, swallowing every
/// later row, so this is checked first.
fn unclosed_quote(text: &[u8]) -> Option<(u64, u64)> {
    #[derive(Clone, Copy, PartialEq)]
    enum State {
        CellStart,
        Unquoted,
        Quoted,
        QuoteInQuoted,
    }
    let mut state = State::CellStart;
    let (mut line, mut column) = (1u64, 0u64);
    let mut opened = (1, 1);
    for (i, &b) in text.iter().enumerate() {
        // Columns count characters: UTF-8 continuation bytes do not start one.
        if b & 0xC0 != 0x80 {
            column += 1;
        }
        let newline = b == b'\n' || b == b'\r';
        state = match (state, b) {
            (State::CellStart, b'"') => {
                opened = (line, column);
                State::Quoted
            }
            (State::Quoted, b'"') => State::QuoteInQuoted,
            (State::Quoted, _) => State::Quoted,
            (State::QuoteInQuoted, b'"') => State::Quoted,
            (_, b',') => State::CellStart,
            (_, _) if newline => State::CellStart,
            _ => State::Unquoted,
        };
        // `\r\n` is one line break; a lone `\r` is one too.
        if b == b'\n' || (b == b'\r' && text.get(i + 1) != Some(&b'\n')) {
            line += 1;
            column = 0;
        }
    }
    (state == State::Quoted).then_some(opened)
}

/// The default cap on a roster file's size (`[employees] max_roster_mib`).
pub const DEFAULT_MAX_ROSTER_MIB: u64 = 256;

/// Reads a roster from `input` as UTF-8 text, stopping as soon as it passes
/// `max_mib` MiB (so `/dev/zero` or a runaway pipe fails fast instead of
/// filling memory) or shows a NUL byte (UTF-16 or a binary file). Encoding
/// problems are named by line and column.
pub fn read_text(mut input: impl std::io::Read, max_mib: u64) -> Result<String, RosterError> {
    let limit = max_mib.saturating_mul(1024 * 1024);
    let mut bytes: Vec<u8> = Vec::new();
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        let n = match input.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(RosterError::Read(e.to_string())),
        };
        let got = chunk.get(..n).unwrap_or_default();
        if bytes.len() as u64 + n as u64 > limit {
            return Err(RosterError::TooLarge {
                limit,
                mib: max_mib,
            });
        }
        let start = bytes.len();
        bytes.extend_from_slice(got);
        if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
            return Err(encoding_error(
                &bytes,
                0,
                "the file starts with a UTF-16 byte-order mark",
            ));
        }
        if let Some(at) = got.iter().position(|b| *b == 0) {
            return Err(encoding_error(
                &bytes,
                start + at,
                "a NUL byte (the file looks like UTF-16 or binary)",
            ));
        }
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let bytes = e.as_bytes();
        let what = format!(
            "byte 0x{:02X} is not UTF-8 (Latin-1 or Windows-1252?)",
            bytes.get(at).copied().unwrap_or_default()
        );
        encoding_error(bytes, at, &what)
    })
}

/// An encoding error at byte `at`, with the 1-based line and character
/// column of that byte.
fn encoding_error(bytes: &[u8], at: usize, what: &str) -> RosterError {
    let before = bytes.get(..at).unwrap_or(bytes);
    let line = before.iter().filter(|b| **b == b'\n').count() as u64 + 1;
    let line_start = before
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |i| i + 1);
    let column = before
        .get(line_start..)
        .unwrap_or_default()
        .iter()
        .filter(|b| **b & 0xC0 != 0x80)
        .count() as u64
        + 1;
    RosterError::Encoding {
        line,
        column,
        what: what.to_string(),
    }
}

/// Physical line numbers for CSV records. The `csv` crate's own line count
/// lags behind blank lines and line terminators, so lines are counted here
/// from byte offsets: a record reported at offset `o` really starts at the
/// first byte from `o` on that is not a line terminator (blank lines and the
/// previous record's `\n` come first).
struct LineCounter<'a> {
    text: &'a [u8],
    /// Bytes before `pos` hold `line - 1` line breaks.
    pos: usize,
    line: u64,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a [u8]) -> Self {
        LineCounter {
            text,
            pos: 0,
            line: 1,
        }
    }

    fn line_of_record_at(&mut self, offset: u64) -> u64 {
        let mut start = usize::try_from(offset)
            .unwrap_or(usize::MAX)
            .min(self.text.len());
        while matches!(self.text.get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        if start < self.pos {
            return self.line; // offsets only move forward; never go back
        }
        for (i, b) in self.text[self.pos..start].iter().enumerate() {
            let at = self.pos + i;
            // `\n`, or a lone `\r` (old Mac files), ends a line.
            if *b == b'\n' || (*b == b'\r' && self.text.get(at + 1) != Some(&b'\n')) {
                self.line += 1;
            }
        }
        self.pos = start;
        self.line
    }
}

fn csv_error(e: &csv::Error) -> RosterError {
    RosterError::Csv {
        line: e.position().map_or(1, |p| p.line()),
        message: e.to_string(),
    }
}

/// Parses a JSON roster: an array of objects whose keys are matched like CSV
/// headers. Values must have the field's type: a string (or null) for most
/// fields, also a whole number for `employee_id` and `employee_unique_id`,
/// also an array of strings for `other_emails`; anything else is refused,
/// never turned into text. Lines are where each object starts, and every
/// row message names the element's index (a minified roster is one line).
pub fn parse_json(text: &str, overrides: &ColumnOverrides) -> Result<ParsedRoster, RosterError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let top: json_shape::Top = serde_json::from_str(text).map_err(|e| RosterError::Json {
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    })?;
    let items = match top {
        json_shape::Top::Array(items) => items,
        json_shape::Top::Other(kind) => {
            return Err(RosterError::JsonNotArray(format!("found {kind}")));
        }
    };
    if items.is_empty() {
        return Err(RosterError::Empty);
    }
    if let Some(json_shape::Element::Other(kind)) = items.first()
        && !items
            .iter()
            .any(|i| matches!(i, json_shape::Element::Object(_)))
    {
        return Err(RosterError::JsonNotArray(format!("element [0] is {kind}")));
    }
    let lines = element_lines(text);
    // Headers: every key seen in any object, in first-seen order; spellings
    // that compare equal (`Work Email`, `work_email`) are one column.
    let mut headers: Vec<String> = Vec::new();
    let mut seen: HashMap<String, ()> = HashMap::new();
    for item in &items {
        if let json_shape::Element::Object(m) = item {
            for (k, _) in m {
                if seen.insert(header_key(k), ()).is_none() {
                    headers.push(k.clone());
                }
            }
        }
    }
    let map = ColumnMap::new(&headers, overrides)?;
    let mut v = Validator::default();
    for (i, item) in items.iter().enumerate() {
        let line = lines.get(i).copied().unwrap_or(1) as u64;
        let obj = match item {
            json_shape::Element::Object(obj) => obj,
            json_shape::Element::Other(kind) => {
                v.out.errors.push(RowError {
                    line,
                    reason: format!("element [{i}]: expected an object, found {kind}"),
                });
                continue;
            }
        };
        match json_row(obj, &map, &headers) {
            Ok(raw) => {
                let (errors, warnings) = (v.out.errors.len(), v.out.warnings.len());
                v.row(line, &raw);
                let new_errors = v.out.errors.iter_mut().skip(errors);
                for e in new_errors.chain(v.out.warnings.iter_mut().skip(warnings)) {
                    e.reason = format!("element [{i}]: {}", e.reason);
                }
            }
            Err(reason) => v.out.errors.push(RowError {
                line,
                reason: format!("element [{i}]: {reason}"),
            }),
        }
    }
    v.out.columns = map.described();
    Ok(v.out)
}

/// One JSON object's cells by field, checking each mapped value's type.
fn json_row(
    obj: &[(String, Value)],
    map: &ColumnMap,
    headers: &[String],
) -> Result<RawRow, String> {
    let mut by_key: HashMap<String, (&str, &Value)> = HashMap::new();
    for (k, value) in obj {
        if let Some((first, _)) = by_key.insert(header_key(k), (k.as_str(), value)) {
            return Err(format!(
                "keys {:?} and {:?} name the same column",
                for_terminal(first),
                for_terminal(k)
            ));
        }
    }
    let mut raw = RawRow::default();
    // In field order, so a row with several problems always reports the same one.
    for field in &Field::ALL {
        let Some(idx) = map.columns.get(field) else {
            continue;
        };
        let mut cells = Vec::new();
        for h in idx.iter().filter_map(|i| headers.get(*i)) {
            let Some((key, value)) = by_key.get(&header_key(h)).copied() else {
                continue;
            };
            let wrong = |expected: &str, found: &str| {
                format!(
                    "field {} (key {:?}): expected {expected}, found {found}",
                    field.as_str(),
                    for_terminal(key)
                )
            };
            let id_field = matches!(field, Field::EmployeeId | Field::EmployeeUniqueId);
            match value {
                Value::Null => {}
                Value::String(s) => cells.push(s.clone()),
                Value::Number(n) if id_field && (n.is_u64() || n.is_i64()) => {
                    cells.push(n.to_string())
                }
                Value::Array(a) if *field == Field::OtherEmails => {
                    for (j, x) in a.iter().enumerate() {
                        match x {
                            Value::String(s) => cells.push(s.clone()),
                            other => {
                                return Err(wrong(
                                    "an array of strings",
                                    &format!("item [{j}] is {}", json_shape::kind(other)),
                                ));
                            }
                        }
                    }
                }
                other => {
                    let expected = match field {
                        Field::EmployeeId | Field::EmployeeUniqueId => "a string or a whole number",
                        Field::OtherEmails => "a string or an array of strings",
                        _ => "a string",
                    };
                    return Err(wrong(expected, json_shape::kind(other)));
                }
            }
        }
        raw.cells.insert(*field, cells);
    }
    Ok(raw)
}

/// The shape of a JSON roster as read: objects keep every key, duplicates
/// included (`serde_json::Map` would keep only the last, silently), and
/// anything else is remembered only by its kind.
mod json_shape {
    use std::fmt;

    use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
    use serde_json::Value;

    pub enum Top {
        Array(Vec<Element>),
        Other(&'static str),
    }

    pub enum Element {
        Object(Vec<(String, Value)>),
        Other(&'static str),
    }

    /// "a number", "an array", … for messages.
    pub fn kind(v: &Value) -> &'static str {
        match v {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        }
    }

    /// The scalar visits both visitors share: a scalar is kept by its kind.
    macro_rules! scalar_visits {
        ($t:ty, $other:path) => {
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<$t, E> {
                Ok($other("a boolean"))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<$t, E> {
                Ok($other("a number"))
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<$t, E> {
                Ok($other("a number"))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<$t, E> {
                Ok($other("a number"))
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<$t, E> {
                Ok($other("a string"))
            }
            fn visit_unit<E: de::Error>(self) -> Result<$t, E> {
                Ok($other("null"))
            }
            fn visit_none<E: de::Error>(self) -> Result<$t, E> {
                Ok($other("null"))
            }
        };
    }

    struct TopVisitor;

    impl<'de> Visitor<'de> for TopVisitor {
        type Value = Top;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a JSON array of objects")
        }
        scalar_visits!(Top, Top::Other);
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Top, A::Error> {
            let mut items = Vec::new();
            while let Some(e) = seq.next_element::<Element>()? {
                items.push(e);
            }
            Ok(Top::Array(items))
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Top, A::Error> {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            Ok(Top::Other("an object"))
        }
    }

    impl<'de> de::Deserialize<'de> for Top {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_any(TopVisitor)
        }
    }

    struct ElementVisitor;

    impl<'de> Visitor<'de> for ElementVisitor {
        type Value = Element;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a JSON object")
        }
        scalar_visits!(Element, Element::Other);
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Element, A::Error> {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Ok(Element::Other("an array"))
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Element, A::Error> {
            let mut entries = Vec::new();
            while let Some(entry) = map.next_entry::<String, Value>()? {
                entries.push(entry);
            }
            Ok(Element::Object(entries))
        }
    }

    impl<'de> de::Deserialize<'de> for Element {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            d.deserialize_any(ElementVisitor)
        }
    }
}

/// The 1-based line on which each element of a top-level JSON array starts.
/// serde_json does not report positions of values, so this walks the
/// (already validated) text tracking strings and nesting depth.
fn element_lines(text: &str) -> Vec<usize> {
    let mut lines = Vec::new();
    let mut line = 1usize;
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let mut expecting_element = false;
    for c in text.chars() {
        if c == '\n' {
            line += 1;
        }
        if in_string {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
            continue;
        }
        if depth == 1 && expecting_element && !c.is_whitespace() && c != ']' {
            lines.push(line);
            expecting_element = false;
        }
        match c {
            '"' => in_string = true,
            '[' | '{' => {
                depth += 1;
                if depth == 1 {
                    expecting_element = true;
                }
            }
            ']' | '}' => depth = depth.saturating_sub(1),
            ',' if depth == 1 => expecting_element = true,
            _ => {}
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn header_keys_ignore_case_space_and_punctuation() {
        assert_eq!(header_key("Work Email"), "workemail");
        assert_eq!(header_key("\u{feff}WORK-EMAIL"), "workemail");
        assert_eq!(
            Field::parse("Termination Date"),
            Some(Field::TerminationDate)
        );
        assert_eq!(Field::parse("nope"), None);
    }

    #[test]
    fn statuses_normalise() {
        assert_eq!(
            EmployeeStatus::normalise(" Active "),
            Some(EmployeeStatus::Active)
        );
        assert_eq!(
            EmployeeStatus::normalise("On Leave"),
            Some(EmployeeStatus::Leave)
        );
        assert_eq!(
            EmployeeStatus::normalise("TERMINATED"),
            Some(EmployeeStatus::Terminated)
        );
        assert_eq!(
            EmployeeStatus::normalise("Pre-hire"),
            Some(EmployeeStatus::Pending)
        );
        assert_eq!(EmployeeStatus::normalise("contractor"), None);
    }

    #[test]
    fn dates_in_common_formats() {
        assert_eq!(parse_date("2024-03-05"), Some(d("2024-03-05")));
        assert_eq!(parse_date("2024/03/05"), Some(d("2024-03-05")));
        assert_eq!(parse_date("3/5/2024"), Some(d("2024-03-05")));
        assert_eq!(parse_date("05.03.2024"), Some(d("2024-03-05")));
        assert_eq!(parse_date("5-Mar-2024"), Some(d("2024-03-05")));
        assert_eq!(parse_date("2024-03-05T17:00:00Z"), Some(d("2024-03-05")));
        assert_eq!(parse_date("2024-03-05 17:00"), Some(d("2024-03-05")));
        assert_eq!(parse_date("soon"), None);
        assert_eq!(parse_date("2024-13-45"), None);
    }

    #[test]
    fn emails_validate() {
        assert_eq!(
            valid_email(" Jane.Doe@Corp.COM "),
            Some("jane.doe@corp.com".into())
        );
        assert_eq!(valid_email("jane"), None);
        assert_eq!(valid_email("jane@corp"), None);
        assert_eq!(valid_email("ja ne@corp.com"), None);
        assert_eq!(valid_email("a@b@corp.com"), None);
    }

    #[test]
    fn status_on_uses_the_termination_date() {
        let mut e = validate_row(2, &RawRow::default()).unwrap_err();
        assert_eq!(e, "no email");
        let mut raw = RawRow::default();
        raw.cells.insert(Field::Email, vec!["a@corp.com".into()]);
        raw.cells
            .insert(Field::TerminationDate, vec!["2024-06-30".into()]);
        let emp = validate_row(2, &raw).unwrap();
        assert_eq!(emp.status_on(d("2024-06-29")), EmployeeStatus::Active);
        assert_eq!(emp.status_on(d("2024-06-30")), EmployeeStatus::Terminated);
        e = emp.key();
        assert_eq!(e, "employee:a@corp.com");
    }

    #[test]
    fn json_element_lines() {
        let t = "[\n {\"a\": \"x]\"},\n\n {\"b\": [1,\n2]}, {\"c\": 1}\n]";
        assert_eq!(element_lines(t), vec![2, 4, 5]);
    }
}
