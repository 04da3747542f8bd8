//! File modes for the database: a directory `0700`, files `0600` (Unix; elsewhere the platform's defaults stay).

use std::io;
use std::path::Path;

/// Creates `directory` and its missing parents, each new one `0700`. Existing directories are left alone (the
/// parent may be a shared directory such as /var/lib).
pub fn create_directory(directory: &Path) -> io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(directory)
}

/// Creates the database file empty with mode `0600` if it does not exist, so it is never world-readable, not even
/// for a moment. SQLite fills an empty file in.
pub fn create_file(path: &Path) -> io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path).map(drop)
}

/// Makes the database file and its `-wal`, `-shm` and `-journal` companions `0600` when they are open to the group
/// or to others.
pub fn restrict_database_files(database: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let mut path = database.as_os_str().to_owned();
            path.push(suffix);
            let path = Path::new(&path);
            let metadata = match std::fs::metadata(path) {
                Ok(metadata) => metadata,
                Err(error) if error.kind() == io::ErrorKind::NotFound => continue,
                Err(error) => return Err(error),
            };
            if metadata.permissions().mode() & 0o077 != 0 {
                std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
            }
        }
    }
    #[cfg(not(unix))]
    let _ = database;
    Ok(())
}
