//! Ctrl-s: the current filtered, sorted table as CSV. Cells are the full
//! values, guarded against spreadsheet formula injection.

use std::path::PathBuf;
use std::sync::Arc;

use crate::graph::{EntityId, Graph};
use crate::util::sanitize::csv_cell;

use super::columns::{self, TableKind};

#[derive(Debug)]
pub struct ExportJob {
    pub path: PathBuf,
    pub graph: Arc<Graph>,
    pub kind: TableKind,
    pub rows: Arc<Vec<EntityId>>,
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
    let cols = job.kind.columns();
    let csv_err = |source| ExportError::Csv {
        path: path.clone(),
        source,
    };
    let mut header: Vec<&str> = vec!["_key"];
    header.extend(cols.iter().map(|c| c.title));
    w.write_record(&header).map_err(csv_err)?;
    for id in job.rows.iter() {
        let e = job.graph.entity(*id);
        let mut rec: Vec<String> = vec![csv_cell(&e.key).into_owned()];
        for c in cols {
            rec.push(csv_cell(&columns::cell(&job.graph, *id, c.field)).into_owned());
        }
        w.write_record(&rec).map_err(csv_err)?;
    }
    w.flush().map_err(|source| ExportError::Io {
        path: path.clone(),
        source,
    })?;
    Ok(job.rows.len())
}
