//! A small tmpfs mounted for one test (full disks, read-only directories), unmounted on drop.

use std::path::{Path, PathBuf};

pub struct Tmpfs {
    pub path: PathBuf,
    _dir: tempfile::TempDir,
}

impl Tmpfs {
    /// Mounts a tmpfs of `size` bytes, or says why it cannot. CI runs as root and
    /// can; elsewhere the caller reports the case as not run.
    pub fn mount(size: usize) -> Result<Tmpfs, String> {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        let path = dir.path().join("mnt");
        std::fs::create_dir(&path).map_err(|e| e.to_string())?;
        let status = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size},mode=0755"), "tmpfs"])
            .arg(&path)
            .stderr(std::process::Stdio::null())
            .status()
            .map_err(|e| e.to_string())?;
        if !status.success() {
            return Err("mount -t tmpfs is not permitted here".into());
        }
        Ok(Tmpfs { path, _dir: dir })
    }

    pub fn remount_read_only(&self) {
        let ok =
            std::process::Command::new("mount").args(["-o", "remount,ro"]).arg(&self.path).status().unwrap().success();
        assert!(ok, "remount read-only");
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg("-l").arg(&self.path).status();
    }
}

/// A tmpfs, or `None` (printed as NOT RUN) when mounting is impossible outside CI.
pub fn tmpfs_or_skip(size: usize, case: &str) -> Option<Tmpfs> {
    match Tmpfs::mount(size) {
        Ok(t) => Some(t),
        Err(why) if std::env::var_os("CI").is_some() => panic!("{case}: {why} (CI runs .ci/run as root)"),
        Err(why) => {
            eprintln!("NOT RUN: {case}: {why}");
            None
        }
    }
}
