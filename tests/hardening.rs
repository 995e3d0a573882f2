//! Every bad input under `tests/corpus/bad/` (plus huge ones generated here at test time) is
//! refused by every command that reads policies: exit 2 (lint: 1 or 2), a message naming the
//! file and the line:column, nothing on stdout, within a deadline and an address-space limit.
//! Every file under `tests/corpus/ok/` is accepted.
//!
//! Commands are rows of [`COMMANDS`]; a row whose subcommand this build does not have yet
//! (`pim-notify lint --help` fails) is skipped, so merged commands are checked automatically.

use std::ffi::OsString;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::OnceLock;
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_pim-notify");
const ROOT: &str = env!("CARGO_MANIFEST_DIR");
/// Generous for a debug build on a busy machine; a refusal takes milliseconds.
const DEADLINE: Duration = Duration::from_secs(30);
/// Address space a run may use (virtual memory, so well above the real need).
const MEMORY_LIMIT: u64 = 1024 * 1024 * 1024;

/// How one command reads a policy, and what it answers on a bad one.
struct CommandRow {
    name: &'static str,
    /// Arguments that make the command read `policy`.
    args: fn(policy: &Path) -> Vec<OsString>,
    /// Exit codes that mean "refused the input".
    refusal_codes: &'static [i32],
    /// Whether findings go to stdout (lint), so stdout need not be empty on refusal.
    reports_on_stdout: bool,
}

const COMMANDS: &[CommandRow] = &[
    CommandRow {
        name: "who",
        args: |p| {
            let mut args = os(&["who", "--role", "Global Administrator", "--event", "activation.completed"]);
            args.extend([OsString::from("--policy"), p.into()]);
            args
        },
        refusal_codes: &[2],
        reports_on_stdout: false,
    },
    CommandRow {
        name: "matrix",
        args: |p| vec!["matrix".into(), "--policy".into(), p.into()],
        refusal_codes: &[2],
        reports_on_stdout: false,
    },
    // Checked once `lint` is merged: findings exit 1, unreadable input exits 2.
    CommandRow {
        name: "lint",
        args: |p| vec!["lint".into(), p.into()],
        refusal_codes: &[1, 2],
        reports_on_stdout: true,
    },
    // Checked once `diff` is merged: the bad file on either side is refused.
    CommandRow {
        name: "diff",
        args: |p| vec!["diff".into(), p.into(), good_policy().into()],
        refusal_codes: &[2],
        reports_on_stdout: false,
    },
    CommandRow {
        name: "diff",
        args: |p| vec!["diff".into(), good_policy().into(), p.into()],
        refusal_codes: &[2],
        reports_on_stdout: false,
    },
];

fn os(args: &[&str]) -> Vec<OsString> {
    args.iter().map(OsString::from).collect()
}

fn good_policy() -> PathBuf {
    Path::new(ROOT).join("tests/corpus/ok/crlf.yaml")
}

/// The command rows this build has (a subcommand's `--help` exits 0).
fn available_commands() -> &'static [&'static CommandRow] {
    static AVAILABLE: OnceLock<Vec<&'static CommandRow>> = OnceLock::new();
    AVAILABLE.get_or_init(|| {
        COMMANDS
            .iter()
            .filter(|row| {
                let help = Command::new(BIN).args([row.name, "--help"]).output().expect("the binary runs");
                if !help.status.success() {
                    eprintln!("note: `{}` is not in this build; its hardening rows are skipped", row.name);
                }
                help.status.success()
            })
            .collect()
    })
}

/// What a run did.
struct Run {
    status: ExitStatus,
    stdout: String,
    stderr: String,
    elapsed: Duration,
}

impl Run {
    fn describe(&self) -> String {
        let stdout: String = self.stdout.chars().take(2000).collect();
        let stderr: String = self.stderr.chars().take(2000).collect();
        format!("status {:?} after {:?}\nstdout: {stdout}\nstderr: {stderr}", self.status, self.elapsed)
    }
}

/// Runs the binary with a deadline and a memory limit; a run past the deadline is killed and
/// fails the test. `stdin_feed` writes to the child's standard input until it stops reading.
fn run(args: &[OsString], stdin_feed: Option<fn(&mut dyn Write)>) -> Run {
    let mut command = Command::new(BIN);
    command
        .args(args)
        .current_dir(ROOT)
        .env("NO_COLOR", "1")
        .stdin(if stdin_feed.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    limit_memory(&mut command);
    let started = Instant::now();
    let mut child = command.spawn().expect("the binary starts");
    let feeder = stdin_feed.map(|feed| {
        let mut stdin = child.stdin.take().expect("stdin is piped");
        thread::spawn(move || feed(&mut stdin))
    });
    let stdout = drain(child.stdout.take().expect("stdout is piped"));
    let stderr = drain(child.stderr.take().expect("stderr is piped"));
    let status = wait_with_deadline(&mut child, args, started);
    if let Some(feeder) = feeder {
        feeder.join().expect("the stdin feeder ends once the child is gone");
    }
    Run { status, stdout: joined(stdout), stderr: joined(stderr), elapsed: started.elapsed() }
}

fn wait_with_deadline(child: &mut Child, args: &[OsString], started: Instant) -> ExitStatus {
    loop {
        if let Some(status) = child.try_wait().expect("waiting works") {
            return status;
        }
        if started.elapsed() > DEADLINE {
            let _ = child.kill();
            let _ = child.wait();
            panic!("pim-notify {args:?} did not finish within {DEADLINE:?}; killed");
        }
        thread::sleep(Duration::from_millis(10));
    }
}

/// Reads a pipe on its own thread so a child writing a lot never blocks on a full pipe.
fn drain(mut pipe: impl Read + Send + 'static) -> JoinHandle<String> {
    thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = pipe.read_to_end(&mut bytes);
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

fn joined(handle: JoinHandle<String>) -> String {
    handle.join().expect("the pipe reader ends")
}

/// Caps the child's address space, so a run that would use unbounded memory dies (and fails
/// the test with a signal) instead of slowing the machine down.
#[cfg(target_os = "linux")]
fn limit_memory(command: &mut Command) {
    use std::os::unix::process::CommandExt;
    let limit = libc::rlimit { rlim_cur: MEMORY_LIMIT, rlim_max: MEMORY_LIMIT };
    let no_core = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: runs in the forked child before exec and only calls async-signal-safe setrlimit.
    unsafe {
        command.pre_exec(move || {
            if libc::setrlimit(libc::RLIMIT_AS, &limit) != 0
                || libc::setrlimit(libc::RLIMIT_CORE, &no_core) != 0
            {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
}

#[cfg(not(target_os = "linux"))]
fn limit_memory(_command: &mut Command) {}

/// Where a bad corpus file's message must point: `file:line:column`, or just the file.
/// Every file in `tests/corpus/bad/` must be listed here.
const BAD_FILES: &[(&str, Option<&str>)] = &[
    ("binary.bin", Some("1:9")),
    ("comments-only.yaml", None),
    ("complex-key.yaml", Some("3:5")),
    ("control-chars-recipient.yaml", Some("3:31")),
    ("cycle-direct.yaml", Some("3:3")),
    ("cycle-self.yaml", Some("3:3")),
    ("cycle-three.yaml", Some("3:3")),
    ("duplicate-keys.yaml", Some("4:3")),
    ("duplicate-setting-field.yaml", Some("3:40")),
    ("duplicate-top-keys.yaml", Some("2:1")),
    ("empty.yaml", None),
    ("huge-integer.yaml", Some("1:10")),
    ("invalid-utf8.yaml", Some("3:14")),
    ("list-root.yaml", Some("1:1")),
    ("not-yaml-prose.yaml", Some("1:1")),
    ("not-yaml-unclosed.yaml", Some("2:33")),
    ("nul-byte.yaml", Some("3:21")),
    ("null-document.yaml", None),
    ("null-recipient.yaml", Some("3:27")),
    ("null-role-name.yaml", Some("3:11")),
    ("null-role.yaml", Some("3:5")),
    ("scalar-root.yaml", Some("1:1")),
    ("string-root.yaml", Some("1:1")),
    ("tabs.yaml", Some("3:2")),
    ("two-documents.yaml", Some("3:1")),
    ("unknown-alias.yaml", Some("4:16")),
    ("unknown-group.yaml", Some("5:35")),
    ("unsupported-version.yaml", Some("1:10")),
    ("wrong-type-bool.yaml", Some("4:24")),
    ("wrong-type-members-scalar.yaml", Some("3:6")),
    ("wrong-type-nested-list.yaml", Some("3:31")),
    ("wrong-type-roles-map.yaml", Some("3:3")),
    ("wrong-type-version.yaml", Some("1:10")),
];

fn corpus(dir: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(Path::new(ROOT).join("tests/corpus").join(dir))
        .expect("the corpus exists")
        .map(|e| e.expect("readable entry").path())
        .collect();
    files.sort();
    files
}

/// Checks one refusal: the exit code, no panic or signal, the file (and position) named, and
/// nothing on stdout for commands that report on stderr.
fn assert_refused(row: &CommandRow, args: &[OsString], run: &Run, shown: &str, position: Option<&str>) {
    let what = format!("pim-notify {args:?}: {}", run.describe());
    let code = run.status.code().unwrap_or_else(|| panic!("killed by a signal, not an exit: {what}"));
    assert_ne!(code, 101, "panicked: {what}");
    assert!(row.refusal_codes.contains(&code), "expected exit {:?}: {what}", row.refusal_codes);
    if !row.reports_on_stdout {
        assert!(run.stdout.is_empty(), "nothing may be printed on stdout: {what}");
    }
    let message = format!("{}{}", run.stderr, run.stdout);
    let expected = match position {
        Some(pos) => format!("{shown}:{pos}"),
        None => shown.to_string(),
    };
    assert!(message.contains(&expected), "the message must name `{expected}`: {what}");
    assert!(run.elapsed < DEADLINE, "{what}");
}

fn check_refused_everywhere(path: &Path, position: Option<&str>) {
    let shown = path.to_string_lossy().into_owned();
    for row in available_commands() {
        let args = (row.args)(path);
        let result = run(&args, None);
        assert_refused(row, &args, &result, &shown, position);
    }
}

#[test]
fn every_bad_corpus_file_is_listed_with_its_expected_position() {
    let listed: Vec<&str> = BAD_FILES.iter().map(|(f, _)| *f).collect();
    for file in corpus("bad") {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        assert!(listed.contains(&name.as_str()), "add {name} to BAD_FILES with its expected position");
    }
    assert_eq!(listed.len(), corpus("bad").len(), "BAD_FILES lists a file that does not exist");
}

#[test]
fn bad_corpus_files_are_refused_with_file_and_position() {
    for (file, position) in BAD_FILES {
        // Relative paths keep the expected `file:line:col` independent of the checkout folder.
        let path = PathBuf::from("tests/corpus/bad").join(file);
        check_refused_everywhere(&path, *position);
    }
}

#[test]
fn ok_corpus_files_are_answered() {
    for path in corpus("ok") {
        let rel = path.strip_prefix(ROOT).unwrap().to_path_buf();
        for row in available_commands().iter().filter(|r| r.name == "who" || r.name == "matrix") {
            let args = (row.args)(&rel);
            let result = run(&args, None);
            assert_eq!(result.status.code(), Some(0), "{args:?}: {}", result.describe());
            assert!(!result.stdout.is_empty(), "{args:?}");
        }
    }
}

/// Each valid oddity gives the answer its file asks for.
#[test]
fn ok_corpus_files_mean_what_they_say() {
    let cases = [
        ("crlf.yaml", "Global Administrator", "soc@contoso.com"),
        ("bom.yaml", "Global Administrator", "bom@contoso.com"),
        ("bom-crlf.yaml", "Global Administrator", "bomcrlf@contoso.com"),
        ("anchors.yaml", "Global Administrator", "night-shift@contoso.com"),
        ("unicode-names.yaml", "Администратор безопасности", "jürgen@contoso.com"),
        ("unicode-names.yaml", "管理者 🔐", "管理者@例え.jp"),
        ("idn-addresses.yaml", "Global Administrator", "δοκιμή@παράδειγμα.δοκιμή"),
        ("idn-addresses.yaml", "Global Administrator", "o'brien+pim@contoso.com"),
        ("flow-and-comments.yaml", "Global Administrator", "flow@contoso.com"),
        ("no-final-newline.yaml", "Global Administrator", "noeol@contoso.com"),
        ("optional-nulls.yaml", "Global Administrator", "nullflag@contoso.com"),
    ];
    for (file, role, address) in cases {
        let policy = format!("tests/corpus/ok/{file}");
        let args =
            os(&["who", "--role", role, "--event", "activation.completed", "-p", &policy, "-f", "json"]);
        let result = run(&args, None);
        assert_eq!(result.status.code(), Some(0), "{}", result.describe());
        let answer: serde_json::Value = serde_json::from_str(&result.stdout).expect("JSON");
        let addresses: Vec<&str> =
            answer["recipients"].as_array().unwrap().iter().map(|r| r["address"].as_str().unwrap()).collect();
        assert!(addresses.contains(&address), "{file}: {address} not in {addresses:?}");
    }
}

/// Huge and pathological files, written once per test run into a temporary folder.
struct Generated {
    dir: PathBuf,
}

fn generated() -> &'static Generated {
    static GENERATED: OnceLock<Generated> = OnceLock::new();
    GENERATED.get_or_init(|| {
        // A fixed folder, overwritten by each run, so the 100 MB file does not pile up.
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("hardening");
        std::fs::create_dir_all(&dir).unwrap();
        let g = Generated { dir };
        g.write_big_file();
        g.write_deep_nesting();
        g.write_alias_bombs();
        g.write_group_shapes();
        g
    })
}

impl Generated {
    fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    fn write(&self, name: &str, text: &str) {
        std::fs::write(self.path(name), text).unwrap();
    }

    /// 100 MB: a valid policy followed by comment lines, so only the size is wrong.
    fn write_big_file(&self) {
        let mut file = std::io::BufWriter::new(std::fs::File::create(self.path("big-100mb.yaml")).unwrap());
        file.write_all(b"version: 1\n").unwrap();
        let line = format!("# {}\n", "padding ".repeat(12));
        for _ in 0..(100_000_000 / line.len() + 1) {
            file.write_all(line.as_bytes()).unwrap();
        }
        file.flush().unwrap();
    }

    fn write_deep_nesting(&self) {
        const DEPTH: usize = 100_000;
        let flow_lists = format!("version: 1\ngroups:\n  a: {}{}\n", "[".repeat(DEPTH), "]".repeat(DEPTH));
        self.write("nesting-flow-lists.yaml", &flow_lists);
        let flow_maps = format!("version: 1\ndefaults: {}{}\n", "{a: ".repeat(DEPTH), "}".repeat(DEPTH));
        self.write("nesting-flow-maps.yaml", &flow_maps);
        let block = format!("version: 1\nroles:\n  {}x\n", "- ".repeat(DEPTH));
        self.write("nesting-block-lists.yaml", &block);
        let unclosed = format!("version: 1\ngroups:\n  a: {}\n", "[".repeat(DEPTH));
        self.write("nesting-unclosed.yaml", &unclosed);
    }

    fn write_alias_bombs(&self) {
        // "Billion laughs": ten aliases of ten aliases of ... nine levels deep.
        let mut laughs = String::from("version: 1\ngroups:\n  l0: &l0 [a@contoso.com, b@contoso.com]\n");
        for i in 1..10 {
            let refs = vec![format!("*l{}", i - 1); 10].join(", ");
            laughs.push_str(&format!("  l{i}: &l{i} [{refs}]\n"));
        }
        self.write("alias-billion-laughs.yaml", &laughs);
        // Wide: one 1,000-item anchor aliased 50,000 times.
        let items = vec!["x@contoso.com"; 1000].join(", ");
        let mut wide = format!("version: 1\ngroups:\n  base: &b [{items}]\n");
        for i in 0..50_000 {
            wide.push_str(&format!("  g{i}: *b\n"));
        }
        self.write("alias-wide.yaml", &wide);
        // Nested alias replay: each anchor is a map holding the previous one twice.
        let mut nested = String::from("version: 1\ndefaults:\n  x: &m0 {a: 1}\n");
        for i in 1..40 {
            nested.push_str(&format!("  y{i}: &m{i} {{a: *m{p}, b: *m{p}}}\n", p = i - 1));
        }
        self.write("alias-nested-maps.yaml", &nested);
    }

    /// Groups nested 100,000 deep in a chain (refused: deeper than supported), and a diamond
    /// lattice whose paths double at each level: 2^30 paths, 61 levels (accepted, answered
    /// quickly).
    fn write_group_shapes(&self) {
        let mut chain =
            String::from("version: 1\ndefaults:\n  activation.admin: { extra: [group:g0] }\ngroups:\n");
        for i in 0..100_000 {
            chain.push_str(&format!("  g{i}: [m{i}@contoso.com, group:g{}]\n", i + 1));
        }
        chain.push_str("  g100000: [last@contoso.com]\n");
        self.write("groups-chain-100k.yaml", &chain);
        let mut diamond =
            String::from("version: 1\ndefaults:\n  activation.admin: { extra: [group:d0] }\ngroups:\n");
        for i in 0..30 {
            diamond.push_str(&format!(
                "  d{i}: [group:l{i}, group:r{i}]\n  l{i}: [group:d{n}]\n  r{i}: [group:d{n}]\n",
                n = i + 1
            ));
        }
        diamond.push_str("  d30: [bottom@contoso.com]\n");
        self.write("groups-diamond-30.yaml", &diamond);
    }
}

#[test]
fn a_100_mb_file_is_refused_at_the_limit_with_a_way_out() {
    let path = generated().path("big-100mb.yaml");
    check_refused_everywhere(&path, None);
    let args = vec![
        "who".into(),
        "--role".into(),
        "x".into(),
        "--event".into(),
        "x".into(),
        "-p".into(),
        path.into(),
    ];
    let result = run(&args, None);
    assert!(result.stderr.contains("64 MiB"), "{}", result.describe());
    assert!(result.stderr.contains("--max-input-size"), "{}", result.describe());
}

#[test]
fn deep_nesting_is_refused_without_overflowing_the_stack() {
    let cases = [
        ("nesting-flow-lists.yaml", "3:"),
        ("nesting-flow-maps.yaml", "2:"),
        ("nesting-block-lists.yaml", "3:"),
        ("nesting-unclosed.yaml", "3:"),
    ];
    for (name, position) in cases {
        check_refused_everywhere(&generated().path(name), Some(position));
    }
}

#[test]
fn alias_bombs_are_refused() {
    for name in ["alias-billion-laughs.yaml", "alias-wide.yaml", "alias-nested-maps.yaml"] {
        check_refused_everywhere(&generated().path(name), None);
    }
}

#[test]
fn groups_nested_too_deep_are_refused() {
    check_refused_everywhere(&generated().path("groups-chain-100k.yaml"), Some("5:3"));
}

#[test]
fn a_diamond_of_groups_is_answered_without_exponential_work() {
    let path = generated().path("groups-diamond-30.yaml");
    let args = vec![
        "who".into(),
        "--role".into(),
        "Global Administrator".into(),
        "--event".into(),
        "activation.completed".into(),
        "-p".into(),
        path.into(),
    ];
    let result = run(&args, None);
    assert_eq!(result.status.code(), Some(0), "{}", result.describe());
    assert!(result.stdout.contains("bottom@contoso.com"), "{}", result.describe());
}

#[test]
fn a_directory_or_a_device_is_refused() {
    check_refused_everywhere(Path::new("tests/corpus"), None);
    if Path::new("/dev/zero").exists() {
        check_refused_everywhere(Path::new("/dev/zero"), None);
    }
}

#[test]
fn a_missing_file_is_refused() {
    check_refused_everywhere(Path::new("tests/corpus/no-such-policy.yaml"), None);
}

/// Permission bits do not stop root (as tests run in CI containers): then the file is read
/// like any other, which this checks instead of pretending the refusal happened.
#[cfg(unix)]
#[test]
fn an_unreadable_file_is_refused_unless_running_as_root() {
    use std::os::unix::fs::PermissionsExt;
    let path = generated().path("unreadable.yaml");
    std::fs::write(&path, "version: 1\n").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::File::open(&path).is_ok() {
        eprintln!(
            "note: running with permission to read mode-000 files (root); checking it is read normally"
        );
        let args = vec!["matrix".into(), "-p".into(), path.clone().into()];
        assert_eq!(run(&args, None).status.code(), Some(0));
    } else {
        check_refused_everywhere(&path, None);
        let args = vec!["matrix".into(), "-p".into(), path.clone().into()];
        assert!(run(&args, None).stderr.to_lowercase().contains("permission denied"));
    }
}

fn endless_yaml(stdin: &mut dyn Write) {
    let chunk = "# more and more\n".repeat(4096);
    let _ = stdin.write_all(b"version: 1\n");
    while stdin.write_all(chunk.as_bytes()).is_ok() {}
}

#[test]
fn endless_standard_input_stops_at_the_limit() {
    for limit in [None, Some("1048576")] {
        let mut args =
            os(&["who", "--role", "Global Administrator", "--event", "activation.completed", "-p", "-"]);
        if let Some(limit) = limit {
            args.extend(os(&["--max-input-size", limit]));
        }
        let result = run(&args, Some(endless_yaml));
        assert_eq!(result.status.code(), Some(2), "{}", result.describe());
        assert!(result.stdout.is_empty());
        assert!(result.stderr.contains("standard input"), "{}", result.describe());
        assert!(
            result.stderr.contains(if limit.is_some() { "1 MiB" } else { "64 MiB" }),
            "{}",
            result.describe()
        );
    }
}

#[test]
fn a_raised_limit_accepts_what_the_default_refuses() {
    let path = generated().dir.join("just-over-1-mib.yaml");
    let padding = format!("# {}\n", "x".repeat(1000)).repeat(1100);
    std::fs::write(&path, format!("version: 1\n{padding}")).unwrap();
    let base = |limit: &str| {
        let mut args = os(&["who", "--role", "Global Administrator", "--event", "activation.completed"]);
        args.extend([OsString::from("-p"), path.clone().into(), "--max-input-size".into(), limit.into()]);
        args
    };
    let refused = run(&base("1048576"), None);
    assert_eq!(refused.status.code(), Some(2), "{}", refused.describe());
    assert!(refused.stderr.contains("1 MiB"), "{}", refused.describe());
    let accepted = run(&base("2000000"), None);
    assert_eq!(accepted.status.code(), Some(0), "{}", accepted.describe());
}

/// `pim-notify matrix | head -1`: the reader goes away and the tool exits quietly.
#[test]
fn a_closed_pipe_exits_quietly() {
    let mut child = Command::new(BIN)
        .args(["matrix", "--format", "csv"])
        .current_dir(ROOT)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 16];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    let stderr = drain(child.stderr.take().unwrap());
    let status = wait_with_deadline(&mut child, &[], Instant::now());
    assert_eq!(status.code(), Some(0), "stderr: {}", joined(stderr));
}
