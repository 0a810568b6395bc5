//! The server entry: `trello-auth [--config FILE] exec --profile P -- SERVER…` (or, with `--inline-secrets`, the server with the credentials in its `env`), with every program named by an absolute path.

use std::path::{Path, PathBuf};

use super::pinned::{self, Npm, Server as Pinned, State};
use super::resolve::{self, Resolved, shown};
use crate::commands::env::{Names, Vars, vars};
use crate::commands::{CommandError, Context};

/// A warning when the server reads fixed names (the default server reads
/// the `default` preset's) and `--names` hands it others: it would start,
/// then fail for want of a key or token. `default`: no `--server` was given.
fn names_warning(default: bool, words: &[String], names: Names) -> Option<String> {
    let package = pinned::PACKAGE;
    let fixed = default || words.iter().any(|w| w == package || w.starts_with(&format!("{package}@")));
    let (key, token) = Names::Default.key_and_token();
    let (given_key, given_token) = names.key_and_token();
    let missing: Vec<&str> = [(key, given_key), (token, given_token)]
        .into_iter()
        .filter(|(read, given)| read != given)
        .map(|(read, _)| read)
        .collect();
    if !fixed || missing.is_empty() {
        return None;
    }
    Some(format!(
        "{package} reads {key} and {token}, but --names {} hands it {given_key} and {given_token}: it will not find \
         {}. Leave out --names, or give --server a server that reads those names",
        names.flag(),
        missing.join(" or ")
    ))
}

/// What a client starts: the program, its arguments, and the variables added
/// to the client's (stripped) environment.
#[derive(Clone, PartialEq, Eq)]
pub struct Server {
    pub command: String,
    pub args: Vec<String>,
    /// In order: `PATH` last. Holds the key and token with `--inline-secrets`.
    pub env: Vec<(String, String)>,
}

// By hand: the env block may hold a token.
impl std::fmt::Debug for Server {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.env.iter().map(|(k, _)| k.as_str()).collect();
        f.debug_struct("Server").field("command", &self.command).field("args", &self.args).field("env", &names).finish()
    }
}

/// What to write, and anything to say about it.
pub(crate) struct Entry {
    pub name: String,
    pub server: Server,
    pub warnings: Vec<String>,
    /// The profile's key and token, in that order, whether the entry holds
    /// them (`--inline-secrets`) or not: no backup may keep them.
    pub secrets: Vec<String>,
    pub inline: bool,
}

/// What the entry is asked to be.
pub struct Request<'a> {
    pub server: Option<&'a str>,
    pub name: Option<&'a str>,
    pub names: Names,
    pub inline_secrets: bool,
    /// The folder a relative `--server` path is taken from.
    pub cwd: &'a Path,
    /// Install the default server when it is not installed yet (`--write`).
    pub install: bool,
}

/// Builds the entry for the chosen profile, which must hand something over
/// (checked now: an entry for an empty profile only fails later, in the client).
pub fn build(ctx: &Context, request: &Request) -> Result<Entry, CommandError> {
    let dirs = resolve::path_dirs(crate::environment::PATH.get_os());
    // A usage error first; then an empty profile, before anything is installed.
    let given = request.server.map(given_server).transpose()?;
    let Vars { vars: values, mut warnings } = vars(ctx, request.names, false)?;
    let (words, said) = match given {
        Some(given) => given,
        None => default_server(ctx, request, &dirs)?,
    };
    warnings.extend(said);
    let Some((first, rest)) = words.split_first() else {
        return Err(CommandError::Usage("--server names no command".into()));
    };
    warnings.extend(names_warning(request.server.is_none(), &words, request.names));
    // What trello-auth names of its own (itself, and its pinned server's
    // `node`) never comes from the project opened here.
    let (outside, said) = resolve::outside_project(&dirs, request.cwd);
    warnings.extend(said);
    let server_dirs = if request.server.is_none() { &outside } else { &dirs };
    let Resolved { program, needs, warnings: found } = resolve::server_command(first, server_dirs, request.cwd);
    warnings.extend(found);
    // The default server's script is absolute already; a given one is checked.
    let rest = if request.server.is_some() {
        let (rest, said) = resolve::script_args(rest, request.cwd);
        warnings.extend(said);
        rest
    } else {
        rest.to_vec()
    };
    let mut env: Vec<(String, String)> = Vec::new();
    let (command, args) = if request.inline_secrets {
        env.extend(values.iter().map(|(k, v)| (k.to_string(), v.clone())));
        (program, rest)
    } else {
        let (me, said) = this_program(&outside);
        warnings.extend(said);
        warnings.extend(resolve::inside_folder(&me, request.cwd));
        // Always the config file's absolute path: the client starts the entry
        // with only HOME, PATH and a few more, in a folder of its choosing, so
        // TRELLO_AUTH_CONFIG, XDG_CONFIG_HOME or a relative --config in this
        // shell would not reach it. Naming it even when it is the default
        // place keeps the entry pointing at the file it was written from.
        let config = std::path::absolute(ctx.vault.path()).unwrap_or_else(|_| ctx.vault.path().to_path_buf());
        let mut args = vec!["--config".to_string(), config.display().to_string(), "exec".into()];
        args.extend(["--profile".to_string(), ctx.name().to_string()]);
        if request.names != Names::Default {
            args.extend(["--names".to_string(), request.names.flag()]);
        }
        args.push("--".into());
        args.push(program);
        args.extend(rest);
        (me.display().to_string(), args)
    };
    if let Some(path) = resolve::entry_path(&needs) {
        env.push(("PATH".into(), path));
    }
    let secrets = values.iter().take(2).map(|(_, v)| v.clone()).collect();
    Ok(Entry {
        name: request.name.unwrap_or("trello").to_string(),
        server: Server { command, args, env },
        warnings,
        secrets,
        inline: request.inline_secrets,
    })
}

/// `--server`'s words, split by shell rules (so a path with a space can be
/// quoted: 'node "/My Apps/server.js"'), and a warning for a package runner.
fn given_server(line: &str) -> Result<(Vec<String>, Vec<String>), CommandError> {
    let words = shell_words::split(line).map_err(|_| {
        CommandError::Usage(
            "--server has an unclosed quote; quote it as in a shell: --server 'node \"/My Apps/server.js\"'".into(),
        )
    })?;
    let warnings = pinned::runner_warning(&words).into_iter().collect();
    Ok((words, warnings))
}

/// The default server: `node` and the pinned package's script, installed in
/// trello-auth's data folder (by `--write` when it is not there yet).
fn default_server(
    ctx: &Context,
    request: &Request,
    dirs: &[PathBuf],
) -> Result<(Vec<String>, Vec<String>), CommandError> {
    let failed = |e: pinned::PinError| CommandError::Failed(e.to_string());
    let server = Pinned::here().map_err(failed)?;
    let pin = pinned::Pin::shipped();
    let mut warnings = Vec::new();
    match &server.state {
        State::Missing if request.install => {
            let npm = Npm::find(dirs, request.cwd).map_err(failed)?;
            pinned::install(&server, &npm, &|line| ctx.say(line)).map_err(failed)?;
        }
        State::Missing => warnings.push(format!(
            "{} is not installed yet: the entry names where `trello-auth mcp-server install` puts it (--write \
             installs it too)",
            pin.words()
        )),
        State::Pinned => {}
        State::Differs { version, .. } => warnings.push(format!(
            "the server installed in {} ({}) is not this trello-auth's pin, {}: `trello-auth mcp-server update` \
             moves it and says what changes; the entry runs what is installed",
            shown(&server.folder),
            version.as_deref().map_or("unknown version".to_string(), |v| format!("{} {v}", pinned::PACKAGE)),
            pin.words()
        )),
    }
    Ok((vec!["node".to_string(), server.script().display().to_string()], warnings))
}

/// The `trello-auth` the entry names: the one `PATH` finds when it is this
/// very program (a package manager's stable link outlives the versioned file
/// it points to), else the running file, with a warning when that is in a
/// build folder or when `PATH` finds another program of that name.
fn this_program(dirs: &[PathBuf]) -> (PathBuf, Vec<String>) {
    let on_path = resolve::find("trello-auth", dirs);
    let running = match std::env::current_exe() {
        Ok(running) => running,
        Err(e) => {
            let found = on_path.unwrap_or_else(|| PathBuf::from("trello-auth"));
            let why = format!("could not tell where this program is ({e}); the entry names {}", shown(&found));
            return (found, vec![why]);
        }
    };
    if let Some(found) = &on_path
        && resolve::same_file(found, &running)
    {
        return (found.clone(), Vec::new());
    }
    let mut warnings = Vec::new();
    if let Some(other) = &on_path {
        warnings.push(format!(
            "PATH finds another trello-auth at {} (a different program); the entry names this one, {}",
            shown(other),
            shown(&running)
        ));
    }
    if resolve::in_build_folder(&running) {
        warnings.push(build_folder_warning(&running));
    }
    (running, warnings)
}

fn build_folder_warning(running: &Path) -> String {
    format!(
        "the entry names {}, inside a cargo build folder: a rebuild replaces it and `cargo clean` removes it. Install \
         it (`cargo install --locked --path .` in the checkout) and run this again",
        shown(running)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<String> {
        shell_words::split(line).unwrap()
    }

    #[test]
    fn the_default_server_is_warned_about_names_it_does_not_read() {
        let default = words("node /data/mcp-server/node_modules/@delorenj/mcp-server-trello/build/index.js");
        assert_eq!(names_warning(true, &default, Names::Default), None);
        let said = names_warning(true, &default, Names::TrelloJs).unwrap();
        assert!(
            said.contains("--names trello-js hands it TRELLO_KEY and TRELLO_TOKEN: it will not find TRELLO_API_KEY."),
            "{said}"
        );
        let said = names_warning(false, &words("npx -y @delorenj/mcp-server-trello@1.5.0"), Names::RubyTrello).unwrap();
        assert!(said.contains("will not find TRELLO_API_KEY or TRELLO_TOKEN"), "{said}");
        assert_eq!(names_warning(false, &words("uvx mcp-server-trello"), Names::ApiToken), None);
    }
}
