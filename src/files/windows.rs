//! The Windows side of `files`: who owns a file and who may read or write it (its owner and access list), lock files, and the calls of a replacement.
//!
//! Where Unix has a mode, Windows has a security descriptor: an owner (a
//! SID) and an access list. A file of secrets is trusted when its owner is
//! the user, the system or the Administrators, and no allowing entry of its
//! list (or of a folder above) lets any other account write it, delete it,
//! or change its list or owner. Nothing here sets an access list: a file
//! trello-auth writes gets the list it inherits from its folder, which under
//! `%APPDATA%` is the user's profile, private to the user, the system and the
//! Administrators (where Unix writes 0600 and makes folders 0700).

use std::fs::{self, File, OpenOptions};
use std::io;
use std::os::windows::fs::OpenOptionsExt;
use std::os::windows::io::{AsRawHandle, FromRawHandle};
use std::path::{Path, PathBuf};

use windows_sys::Win32::Foundation::{
    ERROR_ACCESS_DENIED, ERROR_LOCK_VIOLATION, ERROR_SHARING_VIOLATION, GENERIC_ALL, GENERIC_READ, GENERIC_WRITE,
    HANDLE, LocalFree,
};
use windows_sys::Win32::Security::Authorization::{ConvertSidToStringSidW, GetSecurityInfo, SE_FILE_OBJECT};
use windows_sys::Win32::Security::{
    ACCESS_ALLOWED_ACE, ACE_HEADER, ACL, DACL_SECURITY_INFORMATION, GetAce, GetTokenInformation, INHERIT_ONLY_ACE,
    OWNER_SECURITY_INFORMATION, PSECURITY_DESCRIPTOR, PSID, TOKEN_QUERY, TOKEN_USER, TokenUser,
};
use windows_sys::Win32::Storage::FileSystem::{
    DELETE, FILE_APPEND_DATA, FILE_DELETE_CHILD, FILE_FLAG_BACKUP_SEMANTICS, FILE_FLAG_OPEN_REPARSE_POINT,
    FILE_READ_DATA, FILE_SHARE_READ, FILE_SHARE_WRITE, FILE_WRITE_DATA, GetFinalPathNameByHandleW, READ_CONTROL,
    WRITE_DAC, WRITE_OWNER,
};
use windows_sys::Win32::System::SystemServices::ACCESS_ALLOWED_ACE_TYPE;
use windows_sys::Win32::System::Threading::{GetCurrentProcess, OpenProcessToken};

use super::Access;

/// Who owns a file: a SID in its string form (`S-1-5-21-…`).
pub(crate) type Owner = String;

/// The system, the Administrators, TrustedInstaller, and "OWNER RIGHTS" (an
/// entry that names the owner, whoever it is): accounts that can change any
/// file anyway, or that are the owner itself.
const SYSTEM_SIDS: [&str; 4] =
    ["S-1-5-18", "S-1-5-32-544", "S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464", "S-1-3-4"];

/// Well-known SIDs named in messages; any other is shown as its SID.
const NAMES: [(&str, &str); 6] = [
    ("S-1-1-0", "Everyone"),
    ("S-1-5-11", "Authenticated Users"),
    ("S-1-5-32-545", "Users"),
    ("S-1-5-32-546", "Guests"),
    ("S-1-5-7", "Anonymous"),
    ("S-1-5-4", "Interactive users"),
];

/// The user this process acts as (its token's user); an empty owner, which
/// nothing is owned by, when the token cannot be read: then nothing is trusted.
pub fn me() -> Owner {
    static ME: std::sync::OnceLock<Owner> = std::sync::OnceLock::new();
    ME.get_or_init(|| token_user().unwrap_or_default()).clone()
}

fn token_user() -> io::Result<String> {
    let mut token: HANDLE = std::ptr::null_mut();
    // SAFETY: GetCurrentProcess is a pseudo-handle; `token` is written by the call.
    if unsafe { OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &mut token) } == 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: `token` is a handle we own from here; OwnedHandle closes it.
    let token = unsafe { std::os::windows::io::OwnedHandle::from_raw_handle(token) };
    // A TOKEN_USER and its SID fit in far less; u64s keep it aligned.
    let mut buffer = [0u64; 64];
    let mut needed = 0u32;
    // SAFETY: the buffer is writable for the size given.
    let ok = unsafe {
        GetTokenInformation(
            token.as_raw_handle(),
            TokenUser,
            buffer.as_mut_ptr().cast(),
            std::mem::size_of_val(&buffer) as u32,
            &mut needed,
        )
    };
    if ok == 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: the call filled a TOKEN_USER at the buffer's start, its SID inside the buffer.
    let user = unsafe { &*buffer.as_ptr().cast::<TOKEN_USER>() };
    sid_string(user.User.Sid)
}

/// A SID's string form.
fn sid_string(sid: PSID) -> io::Result<String> {
    let mut text: *mut u16 = std::ptr::null_mut();
    // SAFETY: `sid` points at a valid SID (from the system); `text` is set to a LocalAlloc'd string.
    if unsafe { ConvertSidToStringSidW(sid, &mut text) } == 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: `text` is a NUL-terminated UTF-16 string the call allocated.
    let len = (0..).take_while(|&i| unsafe { *text.add(i) } != 0).count();
    // SAFETY: `len` characters were just read from it.
    let string = String::from_utf16_lossy(unsafe { std::slice::from_raw_parts(text, len) });
    // SAFETY: allocated by the call with LocalAlloc, freed once.
    unsafe { LocalFree(text.cast()) };
    Ok(string)
}

/// Whether a file of `owner` may hold secrets: the user's own, or the system's or the Administrators'.
pub fn trusted(owner: &Owner) -> bool {
    !owner.is_empty() && (*owner == me() || SYSTEM_SIDS.contains(&owner.as_str()))
}

/// An account in a message: its well-known name, or its SID.
pub(crate) fn owner_words(owner: &Owner) -> String {
    NAMES.iter().find(|(sid, _)| sid == owner).map_or_else(|| owner.clone(), |(_, name)| (*name).to_string())
}

/// Who, besides the user, may own a file of secrets.
pub(crate) const ALSO_TRUSTED: &str = "the system or the Administrators";

/// A path as a command to fix it names it: in double quotes (no Windows
/// file name holds one).
pub fn shown(path: &Path) -> String {
    format!("\"{}\"", path.display())
}

/// The fix for a file of secrets owned by someone else.
pub(crate) fn fix_owner(real: &Path) -> String {
    format!(
        "if you did not make it, move it away and set up your own with `trello-auth`; if it is yours, take it back \
         with `takeown /f {}`",
        shown(real)
    )
}

/// The fix for a link to a file of secrets owned by someone else.
pub(crate) fn fix_link(named: &Path) -> String {
    format!("remove the link (`del {}`) and name your own file", shown(named))
}

/// Gives the file back its folder's entries only: the command for a file
/// others may write or read. (`icacls /reset` replaces its own entries with
/// the inherited ones; under `%APPDATA%` those are the user's profile's.)
fn reset(path: &Path) -> String {
    format!("`icacls {} /reset`", shown(path))
}

/// The fix for a file of secrets others may write.
pub(crate) fn fix_writers(real: &Path) -> String {
    format!("{}, then check that it holds only what you saved", reset(real))
}

/// The fix for a folder others may write, above a file of secrets.
pub(crate) fn fix_folder(dir: &Path) -> String {
    format!("keep the file in a folder only you can write (`icacls {}` shows who else can)", shown(dir))
}

/// The fix for a file others may read that holds credentials now.
pub(crate) fn fix_readers(path: &Path) -> String {
    reset(path)
}

/// The command that removes a folder that is not ours.
pub(crate) fn fix_remove_folder(dir: &Path) -> String {
    format!("`rmdir /s {}`", shown(dir))
}

/// What the next save does about a config file others may read.
pub(crate) const READERS_ON_SAVE: &str =
    "the next save writes it with its folder's access list, which under %APPDATA% is private to you";

/// Rights that let another account change what a file holds or replace it.
const WRITES_FILE: u32 =
    FILE_WRITE_DATA | FILE_APPEND_DATA | DELETE | WRITE_DAC | WRITE_OWNER | GENERIC_WRITE | GENERIC_ALL;
/// Rights that let another account replace or rename what a folder holds
/// (adding an entry alone does not: what is added is not the user's).
const WRITES_FOLDER: u32 = FILE_DELETE_CHILD | DELETE | WRITE_DAC | WRITE_OWNER | GENERIC_WRITE | GENERIC_ALL;
const READS: u32 = FILE_READ_DATA | GENERIC_READ | GENERIC_ALL;

/// Who owns an open file (opened with at least `READ_CONTROL`) and which
/// other accounts its access list lets write or read it.
fn access(handle: HANDLE, folder: bool) -> io::Result<Access> {
    let mut owner: PSID = std::ptr::null_mut();
    let mut dacl: *mut ACL = std::ptr::null_mut();
    let mut descriptor: PSECURITY_DESCRIPTOR = std::ptr::null_mut();
    // SAFETY: the out-pointers are written by the call; `descriptor` owns what they point into.
    let error = unsafe {
        GetSecurityInfo(
            handle,
            SE_FILE_OBJECT,
            OWNER_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION,
            &mut owner,
            std::ptr::null_mut(),
            &mut dacl,
            std::ptr::null_mut(),
            &mut descriptor,
        )
    };
    if error != 0 {
        return Err(io::Error::from_raw_os_error(error as i32));
    }
    let read = || -> io::Result<Access> {
        let owner = sid_string(owner)?;
        let mut writers = Vec::new();
        let mut readers = Vec::new();
        if dacl.is_null() {
            // No list at all: everyone may do everything.
            writers.push("Everyone".to_string());
            readers.push("Everyone".to_string());
        } else {
            // SAFETY: a non-null DACL from the call.
            let count = unsafe { (*dacl).AceCount };
            for i in 0..u32::from(count) {
                let mut ace: *mut std::ffi::c_void = std::ptr::null_mut();
                // SAFETY: `i` is below the list's count.
                if unsafe { GetAce(dacl, i, &mut ace) } == 0 {
                    continue;
                }
                // SAFETY: every entry starts with its header.
                let header = unsafe { *ace.cast::<ACE_HEADER>() };
                if u32::from(header.AceType) != ACCESS_ALLOWED_ACE_TYPE
                    || u32::from(header.AceFlags) & INHERIT_ONLY_ACE != 0
                {
                    continue;
                }
                let allowed = ace.cast::<ACCESS_ALLOWED_ACE>();
                // SAFETY: an ACCESS_ALLOWED_ACE, its SID starting at `SidStart`.
                let (mask, sid) = unsafe { ((*allowed).Mask, std::ptr::addr_of_mut!((*allowed).SidStart).cast()) };
                let Ok(sid) = sid_string(sid) else { continue };
                if sid == owner || trusted(&sid) {
                    continue;
                }
                let name = owner_words(&sid);
                let writes = if folder { WRITES_FOLDER } else { WRITES_FILE };
                if mask & writes != 0 && !writers.contains(&name) {
                    writers.push(name.clone());
                }
                if mask & READS != 0 && !readers.contains(&name) {
                    readers.push(name);
                }
            }
        }
        let words = |names: Vec<String>| (!names.is_empty()).then(|| names.join(", "));
        Ok(Access {
            owner,
            shown: "its access list".into(),
            writers: words(writers),
            readers: words(readers),
            sticky: false,
            mode: 0,
        })
    };
    let access = read();
    // SAFETY: allocated by GetSecurityInfo with LocalAlloc, freed once, after its last use above.
    unsafe { LocalFree(descriptor.cast()) };
    access
}

/// Who owns an open file and who else may change or read it.
pub(crate) fn access_of_file(file: &File) -> io::Result<Access> {
    access(file.as_raw_handle(), file.metadata()?.is_dir())
}

/// [`access_of_file`] by path; a link is followed only when `follow`.
pub(crate) fn access_of_path(path: &Path, follow: bool) -> io::Result<Access> {
    let flags = FILE_FLAG_BACKUP_SEMANTICS | if follow { 0 } else { FILE_FLAG_OPEN_REPARSE_POINT };
    let file = OpenOptions::new().access_mode(READ_CONTROL).custom_flags(flags).open(path)?;
    access(file.as_raw_handle(), file.metadata()?.is_dir())
}

/// No other kinds of files are met by path on Windows.
pub(crate) const fn special_kind(_file_type: &fs::FileType) -> Option<&'static str> {
    None
}

/// Opens a file to read it.
pub(crate) fn open_to_read(path: &Path) -> io::Result<File> {
    File::open(path)
}

/// Creates `dir` and the folders above it that are missing; they inherit
/// their parent's access list (the user's profile's, under `%APPDATA%`).
pub(crate) fn create_private_dirs(dir: &Path) -> io::Result<()> {
    fs::create_dir_all(dir)
}

/// A folder of our own keeps the access list it inherits.
pub(crate) const fn tighten_dir(_dir: &Path) -> io::Result<()> {
    Ok(())
}

/// Unix permission bits mean nothing here: a new file gets its folder's access list.
pub(crate) const fn set_mode(_file: &File, _mode: u32) -> io::Result<()> {
    Ok(())
}

/// Windows has no flush of a folder's entries: the rename (`MoveFileExW`)
/// is a change of the file system's journaled metadata.
pub(crate) const fn sync_dir(_dir: &Path) -> io::Result<()> {
    Ok(())
}

/// Whether a replacement failed because another program holds the target
/// open without sharing its deletion (Windows refuses the rename then).
pub(crate) fn is_busy(error: &io::Error) -> bool {
    error.raw_os_error().is_some_and(|code| {
        [ERROR_ACCESS_DENIED, ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION].contains(&(code as u32))
    })
}

/// Makes a folder of our own; it inherits the user profile's access list.
pub(crate) fn make_private_folder(path: &Path) -> io::Result<()> {
    match fs::create_dir(path) {
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(()),
        other => other,
    }
}

/// The folder the lock files are made in, by path: Windows has no "open
/// inside this open folder".
pub(crate) struct Folder(PathBuf);

/// Opens a folder itself, never through a link.
pub(crate) fn open_folder(path: &Path) -> io::Result<Folder> {
    let meta = fs::symlink_metadata(path)?;
    if !meta.is_dir() || meta.file_type().is_symlink() {
        return Err(io::Error::new(io::ErrorKind::NotADirectory, format!("{} is not a folder", path.display())));
    }
    Ok(Folder(path.to_path_buf()))
}

/// Who owns a folder and who else may use it.
pub(crate) fn folder_access(folder: &Folder) -> io::Result<Access> {
    access_of_path(&folder.0, false)
}

/// Nothing to tighten: see [`tighten_dir`].
pub(crate) const fn tighten(_folder: &Folder) -> io::Result<()> {
    Ok(())
}

/// Opens (creating it) the lock file `name`, never through a link, shared for
/// reading and writing but not for deletion: while anyone holds it open, no
/// one can remove or replace it, so the name stays the file locked.
pub(crate) fn open_in(folder: &Folder, name: &str) -> io::Result<File> {
    OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .share_mode(FILE_SHARE_READ | FILE_SHARE_WRITE)
        .custom_flags(FILE_FLAG_OPEN_REPARSE_POINT)
        .open(folder.0.join(name))
}

/// Always: see [`open_in`].
pub(crate) const fn still_named(_folder: &Folder, _name: &str, _file: &File) -> bool {
    true
}

/// Lock files stay on Windows: one held open cannot be removed (see
/// [`open_in`]), and removing one after letting go would race the next holder.
pub(crate) const fn remove_in(_folder: &Folder, _name: &str) {}

/// The file standard output goes to, when it is a regular file other accounts may read.
pub(crate) fn stdout_readers() -> Option<super::SharedFile> {
    let handle = io::stdout().as_raw_handle();
    // SAFETY: standard output's handle, borrowed for these calls only.
    let borrowed = unsafe { std::os::windows::io::BorrowedHandle::borrow_raw(handle) };
    let file = File::from(borrowed.try_clone_to_owned().ok()?);
    if !file.metadata().ok()?.is_file() {
        return None;
    }
    let access = access(handle, false).ok()?;
    let readers = access.readers?;
    let path = final_path(handle);
    Some(super::SharedFile {
        path: path.as_ref().map_or_else(|| "the file standard output goes to".into(), |p| p.display().to_string()),
        readers: format!("{readers} ({})", access.shown),
        fix: path.as_deref().map_or_else(|| "`icacls FILE /reset` on it".into(), fix_readers),
    })
}

/// An open file's path, without the `\\?\` prefix when it needs none.
fn final_path(handle: HANDLE) -> Option<PathBuf> {
    let mut buffer = vec![0u16; 32 * 1024];
    // SAFETY: the buffer is writable for its length.
    let len = unsafe { GetFinalPathNameByHandleW(handle, buffer.as_mut_ptr(), buffer.len() as u32, 0) } as usize;
    if len == 0 || len >= buffer.len() {
        return None;
    }
    let text = String::from_utf16_lossy(&buffer[..len]);
    Some(PathBuf::from(text.strip_prefix(r"\\?\").filter(|t| !t.starts_with("UNC\\")).unwrap_or(&text)))
}
