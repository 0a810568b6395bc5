//! The Unix side of `hardening`: the soft core-dump limit, and Linux's dumpable flag.

static CORE_BEFORE: std::sync::OnceLock<Option<u64>> = std::sync::OnceLock::new();

pub fn disable_core_dumps() {
    if let Some(before) = set_core_limit(Some(0)) {
        let _ = CORE_BEFORE.set(before);
    }
    #[cfg(target_os = "linux")]
    {
        use rustix::process::{DumpableBehavior, set_dumpable_behavior};
        let _ = set_dumpable_behavior(DumpableBehavior::NotDumpable);
    }
}

/// Sets only the soft core-dump limit; the hard one stays, so a child can be
/// handed the limit it would have had. The soft limit before, if it was set.
fn set_core_limit(current: Option<u64>) -> Option<Option<u64>> {
    use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};
    let before = getrlimit(Resource::Core);
    setrlimit(Resource::Core, Rlimit { current, maximum: before.maximum }).ok().map(|()| before.current)
}

pub(crate) fn for_child<T>(start: impl FnOnce() -> T) -> T {
    if let Some(current) = CORE_BEFORE.get() {
        set_core_limit(*current);
    }
    let started = start();
    if CORE_BEFORE.get().is_some() {
        set_core_limit(Some(0));
    }
    started
}

#[cfg(test)]
mod tests {
    #[test]
    fn no_core_and_not_dumpable() {
        crate::hardening::disable_core_dumps();
        let core = rustix::process::getrlimit(rustix::process::Resource::Core);
        assert_eq!(core.current, Some(0));
        #[cfg(target_os = "linux")]
        assert_eq!(rustix::process::dumpable_behavior().unwrap(), rustix::process::DumpableBehavior::NotDumpable);
        // A child started through `for_child` gets the limit from before; this process keeps none.
        let during =
            crate::hardening::for_child(|| rustix::process::getrlimit(rustix::process::Resource::Core).current);
        assert_eq!(during, *super::CORE_BEFORE.get().unwrap());
        assert_eq!(rustix::process::getrlimit(rustix::process::Resource::Core).current, Some(0));
    }
}
