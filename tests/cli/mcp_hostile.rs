//! `mcp --write` tried as an attacker would (issue 26, item 8), through the real binary: a project's file committed as a link out of the project, trello-auth's own config or its backup as the target, new files under a loose umask, and files too large to parse whole — a 20 MB `~/.claude.json`, and project files of 60 MB and of 30 MB built to be expensive — edited within 100 MiB of peak memory with everything outside the entry byte for byte, or refused untouched.

use crate::support;

use std::os::unix::fs::symlink;
use std::process::{Command, Output};

use support::cli::{Env, code, stderr, stdout};
use support::mcp::{entry_in, mode, project};

/// What no edit of a client's file may take, whatever the file's size.
const MEMORY_BOUND_KIB: u64 = 100 * 1024;

/// Runs `cmd` under a Python parent that reports the peak resident memory of
/// its one child (the kernel's `ru_maxrss` for waited-for children): the
/// binary's own peak, not the test process's.
fn with_peak_memory(cmd: &Command) -> (Output, u64) {
    let report = tempfile::NamedTempFile::new().unwrap();
    let script = "import resource, subprocess, sys\n\
                  code = subprocess.run(sys.argv[2:]).returncode\n\
                  open(sys.argv[1], 'w').write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))\n\
                  sys.exit(code)\n";
    let mut wrapped = Command::new("python3");
    wrapped.arg("-c").arg(script).arg(report.path()).arg(cmd.get_program()).args(cmd.get_args()).env_clear();
    wrapped.envs(cmd.get_envs().filter_map(|(k, v)| Some((k, v?))));
    if let Some(dir) = cmd.get_current_dir() {
        wrapped.current_dir(dir);
    }
    let out = wrapped.output().unwrap();
    let kib = std::fs::read_to_string(report.path()).unwrap().trim().parse().unwrap();
    (out, kib)
}

/// The new text is the old one with one piece put in: the same bytes before
/// and after it. Returns the piece.
fn one_insertion(old: &[u8], new: &[u8]) -> String {
    let start = old.iter().zip(new).take_while(|(a, b)| a == b).count();
    let end = old.iter().rev().zip(new.iter().rev()).take_while(|(a, b)| a == b).count().min(old.len() - start);
    assert_eq!(start + end, old.len(), "the file changed outside one place (at byte {start})");
    String::from_utf8_lossy(&new[start..new.len() - end]).into_owned()
}

#[test]
fn a_project_file_that_leads_out_of_the_project_is_refused_untouched() {
    let env = Env::saved_offline();
    let repo = project(&env);
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    std::fs::write(repo.join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
    let sub = repo.join("sub");
    std::fs::create_dir_all(&sub).unwrap();
    let config = env.config();
    let config_bytes = std::fs::read(&config).unwrap();
    let outside = env.dir.path().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    let bashrc = env.dir.path().join(".bashrc");
    std::fs::write(&bashrc, "{}\n").unwrap();
    // Committed links: a file to trello-auth's own config, a file to a file of the user's,
    // a folder to a folder outside, a folder to nowhere; from the root and from a subfolder.
    std::fs::create_dir_all(repo.join(".codex")).unwrap();
    symlink(&config, repo.join(".codex/config.toml")).unwrap();
    symlink(&bashrc, repo.join(".mcp.json")).unwrap();
    symlink(&outside, repo.join(".cursor")).unwrap();
    symlink(env.dir.path().join("nowhere"), repo.join(".gemini")).unwrap();
    symlink(&bashrc, sub.join("opencode.json")).unwrap();
    for (client, cwd) in
        [("codex", &repo), ("claude-code", &repo), ("cursor", &repo), ("gemini", &repo), ("opencode", &sub)]
    {
        let out = env.cmd(&["mcp", client, "--scope", "project", "--write"]).current_dir(cwd).output().unwrap();
        assert_eq!(code(&out), 1, "{client}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("leads outside this project") || stderr(&out).contains("trello-auth's own config"),
            "{client}: {}",
            stderr(&out)
        );
    }
    assert_eq!(std::fs::read(&config).unwrap(), config_bytes);
    assert!(!config.with_extension("toml.bak").exists(), "the config's backup was written");
    assert_eq!(std::fs::read_to_string(&bashrc).unwrap(), "{}\n");
    assert_eq!(std::fs::read_dir(&outside).unwrap().count(), 0);
    assert!(!env.dir.path().join("nowhere").exists());
    // A link that stays inside the project is followed.
    std::fs::create_dir_all(repo.join("shared")).unwrap();
    std::fs::create_dir_all(repo.join(".vscode")).unwrap();
    std::fs::write(repo.join("shared/mcp.json"), "{}\n").unwrap();
    symlink(repo.join("shared/mcp.json"), repo.join(".vscode/mcp.json")).unwrap();
    let out = env.cmd(&["mcp", "vscode", "--scope", "project", "--write"]).current_dir(&repo).output().unwrap();
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    entry_in(&repo.join("shared/mcp.json"), &["servers"], "trello");
}

#[test]
fn trello_auth_s_own_config_and_its_backup_are_never_a_target() {
    let env = Env::saved_offline();
    let config = env.config();
    let backup = config.with_extension("toml.bak");
    std::fs::write(&backup, "# the previous config\n").unwrap();
    let before = (std::fs::read(&config).unwrap(), std::fs::read(&backup).unwrap());
    // Named, linked from a client's own file, and hard-linked.
    let cursor = env.dir.path().join(".cursor/mcp.json");
    std::fs::create_dir_all(cursor.parent().unwrap()).unwrap();
    symlink(&config, &cursor).unwrap();
    let gemini = env.dir.path().join(".gemini/settings.json");
    std::fs::create_dir_all(gemini.parent().unwrap()).unwrap();
    std::fs::hard_link(&backup, &gemini).unwrap();
    for args in [
        vec!["mcp".to_string(), "codex".into(), format!("--write={}", config.display())],
        vec!["mcp".into(), "vscode".into(), format!("--write={}", backup.display())],
        vec!["mcp".into(), "cursor".into(), "--write".into()],
        vec!["mcp".into(), "gemini".into(), "--write".into()],
        vec!["mcp".into(), "claude-code".into(), "--official".into(), format!("--write={}", config.display())],
    ] {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = env.run(&args);
        assert_eq!(code(&out), 1, "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains("is trello-auth's own config"), "{args:?}: {}", stderr(&out));
    }
    assert_eq!((std::fs::read(&config).unwrap(), std::fs::read(&backup).unwrap()), before);
}

#[test]
fn new_client_files_are_0600_whatever_the_umask_and_existing_ones_keep_their_mode() {
    let env = Env::saved_offline();
    let dir = project(&env);
    let run = |args: &str| {
        let cmd = env.cmd(&[]);
        let out = Command::new("sh")
            .arg("-c")
            .arg(format!("umask 022; exec \"$0\" {args}"))
            .arg(cmd.get_program())
            .env_clear()
            .envs(cmd.get_envs().filter_map(|(k, v)| Some((k.to_owned(), v?.to_owned()))))
            .current_dir(&dir)
            .output()
            .unwrap();
        assert_eq!(code(&out), 0, "{args}: {}", stderr(&out));
    };
    run("mcp zed --scope project --write");
    run("mcp kiro --write");
    run("mcp codex --scope project --write");
    assert_eq!(mode(&dir.join(".zed/settings.json")), 0o600);
    assert_eq!(mode(&env.dir.path().join(".kiro/settings/mcp.json")), 0o600);
    assert_eq!(mode(&dir.join(".codex/config.toml")), 0o600);
    let shared = dir.join(".mcp.json");
    std::fs::write(&shared, "{}\n").unwrap();
    std::fs::set_permissions(&shared, std::os::unix::fs::PermissionsExt::from_mode(0o644)).unwrap();
    run("mcp claude-code --scope project --write");
    assert_eq!(mode(&shared), 0o644, "an existing file keeps its mode");
}

/// A `~/.claude.json` as Claude Code writes it (two-space JSON), grown to
/// `size` bytes by projects with a long prompt history, text with escapes and
/// non-ASCII included.
fn heavy_claude_json(size: usize) -> String {
    let prompt = "make the \"board\" list ✓ — with a \\ and a tab\there, then ünïcödé 🙂 ".repeat(8);
    let mut projects = serde_json::Map::new();
    let mut i = 0;
    let mut grown = 0;
    while grown < size {
        let history: Vec<serde_json::Value> =
            (0..40).map(|n| serde_json::json!({"display": format!("{n}: {prompt}"), "pastedContents": {}})).collect();
        let project = serde_json::json!({
            "allowedTools": [], "history": history, "mcpContextUris": [], "mcpServers": {},
            "enabledMcpjsonServers": [], "disabledMcpjsonServers": [], "hasTrustDialogAccepted": false,
            "projectOnboardingSeenCount": 1
        });
        grown += serde_json::to_string_pretty(&project).unwrap().len();
        projects.insert(format!("/home/ann/src/project-{i}"), project);
        i += 1;
    }
    let doc = serde_json::json!({
        "numStartups": 412, "installMethod": "npm", "autoUpdates": true,
        "mcpServers": {"github": {"type": "stdio", "command": "gh-mcp", "args": [], "env": {}}},
        "projects": projects, "userID": "0f0f"
    });
    serde_json::to_string_pretty(&doc).unwrap()
}

#[test]
fn a_20_mb_claude_json_is_edited_within_100_mib_with_everything_else_byte_for_byte() {
    let env = Env::saved_offline();
    let dir = project(&env);
    let file = env.dir.path().join(".claude.json");
    let old = heavy_claude_json(20_000_000);
    assert!(old.len() >= 20_000_000);
    // User scope (the top-level mcpServers), then local scope: a new key in
    // the 20 MB projects object.
    for (scope, keys) in
        [("user", vec!["mcpServers"]), ("local", vec!["projects", dir.to_str().unwrap(), "mcpServers"])]
    {
        std::fs::write(&file, &old).unwrap();
        let mut cmd = env.cmd(&["mcp", "claude-code", "--scope", scope, "--server", "/bin/true", "--write"]);
        cmd.current_dir(&dir);
        let (out, kib) = with_peak_memory(&cmd);
        assert_eq!(code(&out), 0, "{scope}: {}", stderr(&out));
        assert!(kib < MEMORY_BOUND_KIB, "{scope}: {kib} KiB at the peak");
        eprintln!("{scope} scope: a {} byte ~/.claude.json edited at a peak of {kib} KiB", old.len());
        let new = std::fs::read(&file).unwrap();
        let inserted = one_insertion(old.as_bytes(), &new);
        assert!(inserted.contains("\"trello\": {"), "{inserted}");
        entry_in(&file, &keys, "trello");
        assert_eq!(std::fs::read(env.dir.path().join(".claude.json.bak")).unwrap(), old.as_bytes());
        assert!(stdout(&out).starts_with("Added the MCP server \"trello\""), "{}", stdout(&out));
    }
}

#[test]
fn a_60_mb_mcp_json_is_refused_and_project_files_built_to_be_expensive_stay_within_the_bound() {
    let env = Env::saved_offline();
    let dir = project(&env);
    let file = dir.join(".mcp.json");
    let mut cmd = env.cmd(&["mcp", "claude-code", "--scope", "project", "--server", "/bin/true", "--write"]);
    cmd.current_dir(&dir);
    let run = |text: &str| {
        std::fs::write(&file, text).unwrap();
        let _ = std::fs::remove_file(dir.join(".mcp.json.bak"));
        let (out, kib) = with_peak_memory(&cmd);
        assert!(kib < MEMORY_BOUND_KIB, "{kib} KiB at the peak");
        eprintln!("a {} byte .mcp.json: exit {}, a peak of {kib} KiB", text.len(), code(&out));
        out
    };
    // A project's file of 60 MB: refused before it is read.
    let huge = "x".repeat(60_000);
    let servers = |count: usize| -> serde_json::Map<String, serde_json::Value> {
        (0..count)
            .map(|i| (format!("server-{i}"), serde_json::json!({"command": "/bin/true", "args": [huge.clone()]})))
            .collect()
    };
    let old = serde_json::to_string_pretty(&serde_json::json!({"mcpServers": servers(1000)})).unwrap();
    assert!(old.len() >= 60_000_000);
    let out = run(&old);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(stderr(&out).contains("larger than the 33554432 bytes allowed"), "{}", stderr(&out));
    assert!(std::fs::read(&file).unwrap() == old.as_bytes() && !dir.join(".mcp.json.bak").exists());
    // 30 MB under the cap, each built to cost: large values; one string of
    // escapes (the scanner decodes it whole); millions of tiny keys (refused).
    let large = serde_json::to_string_pretty(&serde_json::json!({"mcpServers": servers(500)})).unwrap();
    let escaped = format!("{{\"mcpServers\": {{}}, \"x\": \"{}\"}}\n", "\\n".repeat(15_000_000));
    for text in [&large, &escaped] {
        let out = run(text);
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        one_insertion(text.as_bytes(), &std::fs::read(&file).unwrap());
    }
    let mut tiny = String::from("{\"mcpServers\": {");
    let mut i = 0;
    while tiny.len() < 30_000_000 {
        tiny.push_str(&format!("\"{i:x}\":0,"));
        i += 1;
    }
    tiny.push_str("\"end\":0}}\n");
    let out = run(&tiny);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert!(stderr(&out).contains("keys, which trello-auth does not edit"), "{}", stderr(&out));
    assert!(std::fs::read(&file).unwrap() == tiny.as_bytes() && !dir.join(".mcp.json.bak").exists());
}
