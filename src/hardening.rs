//! Process hardening while secrets are in memory: no core dumps, no ptrace by other processes of the user.

/// Turns off core dumps (`RLIMIT_CORE` = 0) and, on Linux, marks the process
/// not dumpable, which also keeps same-user processes from attaching with
/// ptrace or reading `/proc/PID/mem`. A crash then leaves no file holding the
/// token. Failures are ignored: hardening is a bonus, never a reason to stop.
pub fn disable_core_dumps() {
    #[cfg(unix)]
    if let Some(before) = set_core_limit(Some(0)) {
        let _ = CORE_BEFORE.set(before);
    }
    #[cfg(target_os = "linux")]
    {
        use rustix::process::{DumpableBehavior, set_dumpable_behavior};
        let _ = set_dumpable_behavior(DumpableBehavior::NotDumpable);
    }
}

#[cfg(unix)]
static CORE_BEFORE: std::sync::OnceLock<Option<u64>> = std::sync::OnceLock::new();

/// Sets only the soft core-dump limit; the hard one stays, so a child can be
/// handed the limit it would have had. The soft limit before, if it was set.
#[cfg(unix)]
fn set_core_limit(current: Option<u64>) -> Option<Option<u64>> {
    use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};
    let before = getrlimit(Resource::Core);
    setrlimit(Resource::Core, Rlimit { current, maximum: before.maximum }).ok().map(|()| before.current)
}

/// Starts another program through `start` (`exec`'s command, as a child or
/// in this process's place) with the core-dump limit this process started
/// with: the hardening is ours, not the command's. (The dumpable flag resets
/// by itself on exec.) When `start` returns, the limit is lowered again, since
/// this process still holds the secrets.
pub(crate) fn for_child<T>(start: impl FnOnce() -> T) -> T {
    #[cfg(unix)]
    if let Some(current) = CORE_BEFORE.get() {
        set_core_limit(*current);
    }
    let started = start();
    #[cfg(unix)]
    if CORE_BEFORE.get().is_some() {
        set_core_limit(Some(0));
    }
    started
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
        // A child started through `for_child` gets the limit from before; this process keeps none.
        let during = super::for_child(|| rustix::process::getrlimit(rustix::process::Resource::Core).current);
        assert_eq!(during, *super::CORE_BEFORE.get().unwrap());
        assert_eq!(rustix::process::getrlimit(rustix::process::Resource::Core).current, Some(0));
    }
}
