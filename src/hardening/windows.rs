//! The Windows side of `hardening`: nothing. A crash dump there is written by Windows Error Reporting when the user or an administrator turned on local dumps, a setting of the machine, not of a process; and only the user's own processes (or an administrator) can read this one's memory, as on Unix without the dumpable flag.

pub const fn disable_core_dumps() {}

pub(crate) fn for_child<T>(start: impl FnOnce() -> T) -> T {
    start()
}
