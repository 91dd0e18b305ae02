//! Files zoomscope creates hold every user's e-mail (the store, the log,
//! exports), so on Unix they are private to the user whatever the umask:
//! directories 0700, files 0600. Elsewhere the platform's defaults apply.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

/// Creates `dir` and any missing parents, each new one 0700. A directory
/// that already exists keeps its mode (it may be shared on purpose).
pub fn create_private_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
    }
    #[cfg(not(unix))]
    {
        std::fs::create_dir_all(dir)
    }
}

/// Makes sure `path` exists as a 0600 file (a log appended to later); an
/// existing file is narrowed to 0600 too, as earlier versions left it 0644.
pub fn ensure_private_file(path: &Path) -> io::Result<()> {
    let mut o = std::fs::OpenOptions::new();
    o.create(true).append(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        o.mode(0o600);
        o.open(path)?;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
    }
    #[cfg(not(unix))]
    {
        o.open(path).map(|_| ())
    }
}

/// Creates (or truncates) an output file; a new one is 0600. An existing
/// file keeps its mode: the user chose it.
pub fn create_output_file(path: &Path) -> io::Result<File> {
    let mut o = std::fs::OpenOptions::new();
    o.create(true).write(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    o.open(path)
}

/// Whether writing to `out` would write into one of `protected` (the store,
/// its `-wal` and `-shm` files, the log): the same path once symlinks and
/// `..` are resolved, or on Unix the same file under another name (a hard
/// link).
pub fn is_same_file_as_any(out: &Path, protected: &[PathBuf]) -> bool {
    let out_resolved = resolve(out);
    protected
        .iter()
        .any(|p| (out_resolved.is_some() && resolve(p) == out_resolved) || same_inode(out, p))
}

/// The canonical form of `p`; for a file that does not exist yet, its
/// canonical parent joined with its name.
fn resolve(p: &Path) -> Option<PathBuf> {
    if let Ok(c) = std::fs::canonicalize(p) {
        return Some(c);
    }
    let name = p.file_name()?;
    let parent = match p.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => std::env::current_dir().ok()?,
    };
    Some(std::fs::canonicalize(parent).ok()?.join(name))
}

#[cfg(unix)]
fn same_inode(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn same_inode(_: &Path, _: &Path) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_file_through_symlinks_relative_paths_and_links() {
        let dir = tempfile::tempdir().unwrap();
        let store = dir.path().join("zoomscope.db");
        std::fs::write(&store, b"db").unwrap();
        let wal = dir.path().join("zoomscope.db-wal");
        let protected = [store.clone(), wal.clone()];
        assert!(is_same_file_as_any(&store, &protected));
        // not yet existing: compared by its canonical parent
        assert!(is_same_file_as_any(&wal, &protected));
        let dotted = dir.path().join("sub/../zoomscope.db");
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        assert!(is_same_file_as_any(&dotted, &protected));
        #[cfg(unix)]
        {
            let link = dir.path().join("link.json");
            std::os::unix::fs::symlink(&store, &link).unwrap();
            assert!(is_same_file_as_any(&link, &protected));
            let hard = dir.path().join("hard.json");
            std::fs::hard_link(&store, &hard).unwrap();
            assert!(is_same_file_as_any(&hard, &protected));
        }
        assert!(!is_same_file_as_any(
            &dir.path().join("out.json"),
            &protected
        ));
    }

    #[cfg(unix)]
    #[test]
    fn private_modes_whatever_the_umask() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("a/b");
        create_private_dir(&data).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&data), 0o700);
        assert_eq!(mode(&dir.path().join("a")), 0o700);
        let log = data.join("zoomscope.log");
        std::fs::write(&log, b"old").unwrap();
        std::fs::set_permissions(&log, std::fs::Permissions::from_mode(0o644)).unwrap();
        ensure_private_file(&log).unwrap();
        assert_eq!(mode(&log), 0o600);
        assert_eq!(std::fs::read(&log).unwrap(), b"old");
        let out = data.join("users.csv");
        create_output_file(&out).unwrap();
        assert_eq!(mode(&out), 0o600);
    }
}
