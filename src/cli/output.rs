//! Writing what a command produced: to a file named with `-o` (or a plan `fmt` rewrites), and to
//! standard output when its reader may go away.
//!
//! A regular file is replaced atomically: written whole into a temporary file beside it, then
//! renamed over it, so an error or a `kill -9` never leaves a half-written file. Anything else
//! is written through, never renamed over: a symlink's target is written (the link stays a
//! link), and a device or a named pipe (`-o /dev/null`, `-o /dev/stdout`) is opened and written
//! as it is. Temporary files are named `.NAME.tranche-tmp-XXXXXX` so they can be recognised,
//! and one left by a killed run is removed by the next run that writes the same file.
//!
//! What is written is given as a function that writes into a [`Write`] ([`deliver_with`],
//! [`write_file_with`]), so a command can stream its output (the MSPDI XML task by task, a
//! report section by section) instead of holding all of it as one string: at 100,000 projects
//! that string was most of the peak memory (docs/limits.md). The temporary file still makes a
//! regular file whole or not at all: it is renamed only once everything was written.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// A temporary file younger than this may belong to a run still writing: it is left alone.
const STALE_AFTER: Duration = Duration::from_secs(60);

/// How many bytes are gathered before each write to the file or stdout: big enough that a
/// renderer writing a line at a time costs few system calls, small beside any plan.
const BUFFER_BYTES: usize = 64 * 1024;

/// What a command writes: a function that writes its output into the writer it is given,
/// failing only when that writer fails.
pub(crate) type Render<'a> = &'a mut dyn FnMut(&mut dyn Write) -> io::Result<()>;

/// Writes `bytes` to `path`: atomically for a regular file (or a new one), through a symlink
/// to its target, and straight into anything else.
pub(crate) fn write_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_file_with(path, &mut |out| out.write_all(bytes))
}

/// Writes what `render` writes to `path`, as [`write_file`] does, without holding it whole.
pub(crate) fn write_file_with(path: &Path, render: Render<'_>) -> io::Result<()> {
    match fs::metadata(path) {
        // A device, a named pipe or a terminal (`/dev/stdout` included, whose link only the
        // kernel can follow): there is nothing to rename over.
        Ok(meta) if !meta.is_file() => {
            let file = fs::OpenOptions::new().write(true).open(path)?;
            let mut out = io::BufWriter::with_capacity(BUFFER_BYTES, file);
            render(&mut out)?;
            out.flush()
        }
        // A regular file, perhaps behind links: replace the file itself, keep the links.
        Ok(_) => write_atomically(&fs::canonicalize(path)?, render),
        // A new file, or a link to one not written yet.
        Err(_) => write_atomically(&resolve(path)?, render),
    }
}

/// The file a path names: a symlink (or a chain of them) followed to its target, which may not
/// exist yet. A path that is not a symlink is itself.
fn resolve(path: &Path) -> io::Result<PathBuf> {
    let mut path = path.to_path_buf();
    // A loop of links is the file system's error to report, after a bounded number of steps.
    for _ in 0..40 {
        match fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let link = fs::read_link(&path)?;
                path = match path.parent() {
                    Some(dir) if link.is_relative() => dir.join(link),
                    _ => link,
                };
            }
            _ => return Ok(path),
        }
    }
    Err(io::Error::other(format!(
        "`{}`: too many levels of symbolic links",
        path.display()
    )))
}

fn write_atomically(path: &Path, render: Render<'_>) -> io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let prefix = temp_prefix(path);
    remove_stale(dir, &prefix);
    let mut file = tempfile::Builder::new().prefix(&prefix).tempfile_in(dir)?;
    // An error part way leaves the target as it was: the temporary file is removed when
    // `file` is dropped, never renamed.
    {
        let mut out = io::BufWriter::with_capacity(BUFFER_BYTES, file.as_file_mut());
        render(&mut out)?;
        out.flush()?;
    }
    file.as_file().sync_all()?;
    // Keep the permissions of the file being replaced (a formatter must not make files
    // private); a new file gets the usual rw-r--r--, not the temporary file's owner-only mode.
    if let Ok(metadata) = fs::metadata(path) {
        file.as_file().set_permissions(metadata.permissions())?;
    } else {
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            file.as_file()
                .set_permissions(fs::Permissions::from_mode(0o644))?;
        }
    }
    file.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// `.report.html.tranche-tmp-`: hidden, and saying whose it is and what it was for.
fn temp_prefix(path: &Path) -> String {
    let name = path
        .file_name()
        .map_or_else(|| "output".into(), |n| n.to_string_lossy());
    format!(".{name}.tranche-tmp-")
}

/// Removes the temporary files a killed run left for the same output. Best effort: a file that
/// cannot be removed is left, and never stops the write.
fn remove_stale(dir: &Path, prefix: &str) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let now = SystemTime::now();
    for entry in entries.flatten() {
        let name = entry.file_name();
        if !name.to_string_lossy().starts_with(prefix) {
            continue;
        }
        let Ok(meta) = entry.metadata() else {
            continue;
        };
        let old = meta
            .modified()
            .ok()
            .and_then(|m| now.duration_since(m).ok())
            .is_some_and(|age| age >= STALE_AFTER);
        if meta.is_file() && old {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// What a command made, written to `-o FILE` or to standard output: `Exit::Trouble` (exit 2)
/// with `error: cannot write …` when the file cannot be written, else success.
pub(crate) fn deliver(path: Option<&Path>, text: impl AsRef<[u8]>) -> io::Result<super::Exit> {
    let bytes = text.as_ref();
    deliver_with(path, &mut |out| out.write_all(bytes))
}

/// What `render` writes, streamed to `-o FILE` (atomically, as [`write_file`]) or to standard
/// output, with the exits of [`deliver`]. A closed stdout is returned as the error it is, for
/// the caller to decide on (`main` ends quietly; a gate keeps its exit).
pub(crate) fn deliver_with(path: Option<&Path>, render: Render<'_>) -> io::Result<super::Exit> {
    match path {
        None => {
            let mut out = io::BufWriter::with_capacity(BUFFER_BYTES, io::stdout().lock());
            render(&mut out)?;
            out.flush()?;
        }
        Some(path) => {
            if let Err(error) = write_file_with(path, render) {
                writeln!(
                    io::stderr(),
                    "error: cannot write `{}`: {error}",
                    path.display()
                )?;
                return Ok(super::Exit::Trouble);
            }
        }
    }
    Ok(super::Exit::Success)
}

/// The result of writing to standard output, where a reader that stops early (`| head`) is the
/// reader's choice: it must not turn a command's exit (a tripped gate, a plan with errors) into
/// success or trouble, so a closed pipe counts as written.
pub(crate) fn reader_may_stop(written: io::Result<()>) -> io::Result<()> {
    match written {
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_regular_file_is_replaced_whole_and_keeps_its_mode() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("out.txt");
        fs::write(&path, "old").unwrap_or_else(|e| panic!("{e}"));
        write_file(&path, b"new").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(fs::read_to_string(&path).ok().as_deref(), Some("new"));
        let left: Vec<_> = fs::read_dir(dir.path())
            .unwrap_or_else(|e| panic!("{e}"))
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(left.len(), 1, "{left:?}");
    }

    #[test]
    fn a_streamed_output_that_fails_part_way_leaves_the_old_file_and_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("report.html");
        fs::write(&path, "old").unwrap_or_else(|e| panic!("{e}"));
        // More than the buffer holds, so some of it reached the temporary file before the
        // failure.
        let failed = write_file_with(&path, &mut |out| {
            out.write_all(&vec![b'x'; 3 * BUFFER_BYTES])?;
            Err(io::Error::other("the disk filled up"))
        });
        assert!(failed.is_err());
        assert_eq!(fs::read_to_string(&path).ok().as_deref(), Some("old"));
        let left = fs::read_dir(dir.path())
            .unwrap_or_else(|e| panic!("{e}"))
            .flatten()
            .count();
        assert_eq!(left, 1, "a temporary file was left behind");
    }

    #[test]
    fn a_streamed_output_is_written_whole() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("plan.xml");
        write_file_with(&path, &mut |out| {
            for i in 0..100_000 {
                writeln!(out, "<Task>{i}</Task>")?;
            }
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
        let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(text.lines().count(), 100_000);
        assert!(text.ends_with("<Task>99999</Task>\n"));
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_stays_a_link_and_its_target_is_written() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let target = dir.path().join("plan.tranche");
        let link = dir.path().join("link.tranche");
        fs::write(&target, "old").unwrap_or_else(|e| panic!("{e}"));
        std::os::unix::fs::symlink("plan.tranche", &link).unwrap_or_else(|e| panic!("{e}"));
        write_file(&link, b"new").unwrap_or_else(|e| panic!("{e}"));
        assert!(
            fs::symlink_metadata(&link)
                .unwrap_or_else(|e| panic!("{e}"))
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read_to_string(&target).ok().as_deref(), Some("new"));
    }

    #[cfg(unix)]
    #[test]
    fn a_device_is_written_through_not_replaced() {
        let null = Path::new("/dev/null");
        if !null.exists() {
            return;
        }
        // As root, a rename would succeed and replace the device with a regular file.
        write_file(null, b"discarded").unwrap_or_else(|e| panic!("{e}"));
        let meta = fs::metadata(null).unwrap_or_else(|e| panic!("{e}"));
        assert!(!meta.is_file(), "/dev/null became a regular file");
    }

    #[test]
    fn a_stale_temporary_file_of_the_same_output_is_removed_and_others_are_kept() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("report.html");
        let stale = dir.path().join(".report.html.tranche-tmp-abc123");
        let fresh = dir.path().join(".report.html.tranche-tmp-def456");
        let other = dir.path().join(".other.html.tranche-tmp-ghi789");
        for file in [&stale, &fresh, &other] {
            fs::write(file, "partial").unwrap_or_else(|e| panic!("{e}"));
        }
        let long_ago = SystemTime::now() - Duration::from_secs(3_600);
        for file in [&stale, &other] {
            fs::File::options()
                .write(true)
                .open(file)
                .and_then(|f| f.set_modified(long_ago))
                .unwrap_or_else(|e| panic!("{e}"));
        }
        write_file(&path, b"<html>").unwrap_or_else(|e| panic!("{e}"));
        assert!(!stale.exists(), "a killed run's file stays");
        assert!(
            fresh.exists(),
            "a file a run may still be writing was removed"
        );
        assert!(other.exists(), "another output's file was removed");
        assert!(path.exists());
    }

    #[test]
    fn a_closed_pipe_counts_as_written_and_other_errors_do_not() {
        assert!(reader_may_stop(Err(io::Error::from(io::ErrorKind::BrokenPipe))).is_ok());
        assert!(reader_may_stop(Err(io::Error::from(io::ErrorKind::PermissionDenied))).is_err());
    }
}
