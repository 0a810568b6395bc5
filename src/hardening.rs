//! Process hardening while secrets are in memory: no core dumps, no ptrace by other processes of the user.

/// Turns off core dumps (`RLIMIT_CORE` = 0) and, on Linux, marks the process
/// not dumpable, which also keeps same-user processes from attaching with
/// ptrace or reading `/proc/PID/mem`. A crash then leaves no file holding the
/// token. Failures are ignored: hardening is a bonus, never a reason to stop.
pub fn disable_core_dumps() {
    #[cfg(unix)]
    {
        use rustix::process::{Resource, Rlimit, setrlimit};
        let _ = setrlimit(Resource::Core, Rlimit { current: Some(0), maximum: Some(0) });
    }
    #[cfg(target_os = "linux")]
    {
        use rustix::process::{DumpableBehavior, set_dumpable_behavior};
        let _ = set_dumpable_behavior(DumpableBehavior::NotDumpable);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn no_core_and_not_dumpable() {
        super::disable_core_dumps();
        let core = rustix::process::getrlimit(rustix::process::Resource::Core);
        assert_eq!((core.current, core.maximum), (Some(0), Some(0)));
        #[cfg(target_os = "linux")]
        assert_eq!(rustix::process::dumpable_behavior().unwrap(), rustix::process::DumpableBehavior::NotDumpable);
    }
}
