//! Reading a plan as it was at a git commit (`diff --git`, `trend`): `git show COMMIT:./path`
//! for the plan and each file it includes, with every revision passed after `--end-of-options`.

use std::path::{Component, Path, PathBuf};

use crate::source::FileSystem;

/// Reads files as they were at a git revision, through `git show COMMIT:./path`.
#[derive(Debug)]
pub(crate) struct GitFs {
    /// The commit REV names, checked by [`GitFs::at`]; what is passed to git.
    pub(crate) commit: String,
}

/// The directory `git` runs in for `path`: its parent, or `.`.
pub(crate) fn dir_of(path: &Path) -> &Path {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
}

/// `git -C DIR ARGS... --end-of-options SPEC`: SPEC comes after `--end-of-options`, so a
/// revision that starts with `-` is never read as an option.
pub(crate) fn git(dir: &Path, args: &[&str], spec: &str) -> std::io::Result<std::process::Output> {
    std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .arg("--end-of-options")
        .arg(spec)
        .output()
}

impl GitFs {
    /// The revision `rev` as seen from `plan`'s directory, or why it cannot be used: `git
    /// rev-parse --verify REV^{commit}`, before anything is read.
    pub(crate) fn at(rev: &str, plan: &Path) -> std::io::Result<Result<GitFs, String>> {
        let output = git(
            dir_of(plan),
            &["rev-parse", "--verify", "--quiet"],
            &format!("{rev}^{{commit}}"),
        )?;
        let commit = String::from_utf8_lossy(&output.stdout).trim().to_string();
        if output.status.success() && !commit.is_empty() {
            return Ok(Ok(GitFs { commit }));
        }
        let said = String::from_utf8_lossy(&output.stderr).trim().to_string();
        Ok(Err(if said.is_empty() {
            format!("unknown revision `{rev}`")
        } else {
            format!("unknown revision `{rev}`: {said}")
        }))
    }

    /// Whether `path` exists at the revision.
    pub(crate) fn has(&self, path: &Path) -> std::io::Result<bool> {
        let Some(name) = path.file_name() else {
            return Ok(false);
        };
        let spec = format!("{}:./{}", self.commit, name.to_string_lossy());
        let output = git(dir_of(path), &["rev-parse", "--verify", "--quiet"], &spec)?;
        Ok(output.status.success())
    }
}

impl FileSystem for GitFs {
    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        let Some(name) = path.file_name() else {
            return Err(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                format!("{} is not a file", path.display()),
            ));
        };
        let spec = format!("{}:./{}", self.commit, name.to_string_lossy());
        let output = git(dir_of(path), &["show"], &spec)?;
        if output.status.success() {
            Ok(output.stdout)
        } else {
            Err(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                format!(
                    "git show {spec} failed: {}",
                    String::from_utf8_lossy(&output.stderr).trim()
                ),
            ))
        }
    }

    /// The file need not exist on disk at that revision's paths, so paths are made absolute
    /// and tidied without asking the file system.
    fn canonicalize(&self, path: &Path) -> std::io::Result<PathBuf> {
        let absolute = std::env::current_dir()?.join(path);
        let mut out = PathBuf::new();
        for part in absolute.components() {
            match part {
                Component::CurDir => {}
                Component::ParentDir => {
                    out.pop();
                }
                other => out.push(other),
            }
        }
        Ok(out)
    }
}
