//! Ctrl-s: the current filtered, sorted table (or its marked rows) as CSV.
//! Cells are the full values, guarded against spreadsheet formula injection.

use std::path::PathBuf;
use std::sync::Arc;

use crate::graph::{EntityId, Graph};
use crate::util::sanitize::csv_cell;

use super::columns::{self, TableKind};

#[derive(Debug)]
pub struct ExportJob {
    pub path: PathBuf,
    pub rows: ExportRows,
}

/// What a CSV file holds.
#[derive(Debug)]
pub enum ExportRows {
    /// Entity rows in every column of their table kind, after their `_key`.
    Entities {
        graph: Arc<Graph>,
        kind: TableKind,
        rows: Arc<Vec<EntityId>>,
    },
    /// A provided table's rows (Changes, Alerts, Employees, Query) as shown:
    /// its header and full cells.
    Cells {
        columns: Vec<String>,
        rows: Vec<Vec<String>>,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("cannot write {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot write {path}: {source}")]
    Csv { path: String, source: csv::Error },
}

/// Writes the file; returns the number of data rows.
pub fn write_csv(job: &ExportJob) -> Result<usize, ExportError> {
    let path = job.path.display().to_string();
    if let Some(dir) = job.path.parent() {
        std::fs::create_dir_all(dir).map_err(|source| ExportError::Io {
            path: path.clone(),
            source,
        })?;
    }
    let mut w = csv::Writer::from_path(&job.path).map_err(|source| ExportError::Csv {
        path: path.clone(),
        source,
    })?;
    let csv_err = |source| ExportError::Csv {
        path: path.clone(),
        source,
    };
    let written = match &job.rows {
        ExportRows::Entities { graph, kind, rows } => {
            let cols = kind.columns();
            let mut header: Vec<&str> = vec!["_key"];
            header.extend(cols.iter().map(|c| c.title));
            w.write_record(&header).map_err(csv_err)?;
            for id in rows.iter() {
                let e = graph.entity(*id);
                let mut rec: Vec<String> = vec![csv_cell(&e.key).into_owned()];
                for c in cols {
                    rec.push(csv_cell(&columns::cell(graph, *id, c.field)).into_owned());
                }
                w.write_record(&rec).map_err(csv_err)?;
            }
            rows.len()
        }
        ExportRows::Cells { columns, rows } => {
            w.write_record(columns.iter().map(|c| csv_cell(c).into_owned()))
                .map_err(csv_err)?;
            for r in rows {
                // Every record as wide as the header (a short row is padded).
                let rec = (0..columns.len())
                    .map(|i| csv_cell(r.get(i).map_or("", String::as_str)).into_owned());
                w.write_record(rec).map_err(csv_err)?;
            }
            rows.len()
        }
    };
    w.flush().map_err(|source| ExportError::Io {
        path: path.clone(),
        source,
    })?;
    Ok(written)
}
