//! Process hardening while secrets are in memory: no core dumps, no ptrace by other processes of the user.

/// Turns off core dumps (`RLIMIT_CORE` = 0) and, on Linux, marks the process
/// not dumpable, which also keeps same-user processes from attaching with
/// ptrace or reading `/proc/PID/mem`. A crash then leaves no file holding the
/// token. Failures are ignored: hardening is a bonus, never a reason to stop.
pub fn disable_core_dumps() {
    #[cfg(unix)]
    {
        use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};
        let before = getrlimit(Resource::Core);
        // Only the soft limit: the hard one stays, so `exec` can hand the
        // command the limit it would have had (see `restore_for_child`).
        if setrlimit(Resource::Core, Rlimit { current: Some(0), maximum: before.maximum }).is_ok() {
            let _ = CORE_BEFORE.set(before.current);
        }
    }
    #[cfg(target_os = "linux")]
    {
        use rustix::process::{DumpableBehavior, set_dumpable_behavior};
        let _ = set_dumpable_behavior(DumpableBehavior::NotDumpable);
    }
}

#[cfg(unix)]
static CORE_BEFORE: std::sync::OnceLock<Option<u64>> = std::sync::OnceLock::new();

/// Puts back the core-dump limit this process started with, right before it
/// replaces itself with another program (`exec`): the hardening is ours, not
/// the command's. (The dumpable flag resets by itself on exec.)
pub fn restore_for_child() {
    #[cfg(unix)]
    if let Some(current) = CORE_BEFORE.get() {
        use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};
        let maximum = getrlimit(Resource::Core).maximum;
        let _ = setrlimit(Resource::Core, Rlimit { current: *current, maximum });
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn no_core_and_not_dumpable() {
        super::disable_core_dumps();
        let core = rustix::process::getrlimit(rustix::process::Resource::Core);
        assert_eq!(core.current, Some(0));
        #[cfg(target_os = "linux")]
        assert_eq!(rustix::process::dumpable_behavior().unwrap(), rustix::process::DumpableBehavior::NotDumpable);
    }
}
