//! `matrix --format html`: the page is self-contained and escaped, and a real browser
//! (headless Chromium) renders the grid, the filter and the details panel from it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// Role names that try to break out of the markup and out of the data script.
const POLICY: &str = r#"version: 1
groups:
  soc: [soc@contoso.com, "group:leads"]
  leads: [lead@contoso.com]
defaults:
  activation.admin: { extra: [group:soc] }
roles:
  - name: "<script>document.title='pwned'</script>"
    settings:
      activation.admin: { extra: [ciso@contoso.com] }
  - name: "</script><!-- Evil & \"quoted\" 'role'"
    settings:
      activation.assignee: { disabled: true }
  - name: Global Administrator
    approval_required: true
"#;

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("pim-notify-html-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn pim_notify(args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_pim-notify")).args(args).output().unwrap();
    assert!(output.status.success(), "pim-notify {args:?}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

/// Writes the policy and its HTML matrix; returns (policy path, page path).
fn page(dir: &Path, extra_args: &[&str]) -> (String, PathBuf) {
    let policy = dir.join("evil.yaml");
    std::fs::write(&policy, POLICY).unwrap();
    let policy = policy.to_string_lossy().into_owned();
    let mut args = vec!["matrix", "--policy", policy.as_str(), "--format", "html"];
    args.extend_from_slice(extra_args);
    let html = pim_notify(&args);
    let path = dir.join("matrix.html");
    std::fs::write(&path, html).unwrap();
    (policy, path)
}

#[test]
fn the_page_loads_nothing_from_outside() {
    let (_, path) = page(&scratch("offline"), &[]);
    let html = std::fs::read_to_string(path).unwrap().to_lowercase();
    for outside in ["src=", "href=", "url(", "@import", "http://", "https://", "<link", "<iframe", "<img"] {
        assert!(!html.contains(outside), "the page contains `{outside}`");
    }
    assert!(html.contains("content-security-policy") && html.contains("default-src 'none'"));
}

#[test]
fn policy_text_cannot_inject_markup() {
    let (_, path) = page(&scratch("escape"), &[]);
    let html = std::fs::read_to_string(path).unwrap();
    assert_eq!(html.matches("<script").count(), 2, "only the data block and the page script");
    assert_eq!(html.matches("</script>").count(), 2);
    assert!(!html.contains("<!-- Evil"), "a role name opened a comment");
    assert!(html.contains("&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;"));
    assert!(html.contains("&lt;/script&gt;&lt;!-- Evil &amp; &quot;quoted&quot; &#39;role&#39;"));
    assert!(html.contains(r"\u003c/script\u003e\u003c!-- Evil \u0026"), "the JSON copy is escaped");
}

#[test]
fn who_has_an_html_page_and_list_commands_refuse_html() {
    let html = pim_notify(&[
        "who",
        "--role",
        "Global Administrator",
        "--event",
        "activation.completed",
        "-f",
        "html",
    ]);
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("1 role × 1 event"));
    let events =
        Command::new(env!("CARGO_BIN_EXE_pim-notify")).args(["events", "-f", "html"]).output().unwrap();
    assert_eq!(events.status.code(), Some(2));
}

// ---- in a real browser ----

fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .flat_map(|name| std::env::split_paths(&path).map(move |dir| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

/// Runs headless Chromium with a deadline; it must not hang the suite.
fn run_chromium(browser: &Path, profile: &Path, args: &[String]) -> Output {
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--window-size=1400,900",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(90);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("chromium did not finish within 90 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    child.wait_with_output().unwrap()
}

fn dump_dom(browser: &Path, dir: &Path, url: &str) -> String {
    let output = run_chromium(browser, &dir.join("profile"), &["--dump-dom".into(), url.into()]);
    let dom = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(dom.contains("id=\"grid\""), "no grid in the DOM: {}", String::from_utf8_lossy(&output.stderr));
    dom
}

fn file_url(path: &Path) -> String {
    format!("file://{}", path.canonicalize().unwrap().display())
}

/// The `<tr ...>` start tags of the grid body, in order.
fn body_rows(dom: &str) -> Vec<&str> {
    let body = dom.split("<tbody>").nth(1).unwrap().split("</tbody>").next().unwrap();
    body.split("<tr ").skip(1).map(|row| row.split('>').next().unwrap()).collect()
}

/// `data-n` of every cell, row by row, as the browser has it.
fn cell_counts(dom: &str) -> Vec<usize> {
    dom.split("data-n=\"").skip(1).map(|rest| rest.split('"').next().unwrap().parse().unwrap()).collect()
}

#[test]
fn chromium_renders_the_grid_filter_and_details() {
    let Some(browser) = chromium() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "no chromium on PATH, and CI must render the page (.ci/run installs it)"
        );
        eprintln!("SKIP chromium_renders_the_grid_filter_and_details: no chromium on PATH (apt-get install chromium)");
        return;
    };
    let dir = scratch("browser");
    let (policy, path) = page(&dir, &["--role", "*script*", "--role", "Global Administrator"]);
    let url = file_url(&path);

    let dom = dump_dom(&browser, &dir, &url);
    let json: Value = serde_json::from_str(&pim_notify(&[
        "matrix",
        "--policy",
        &policy,
        "--role",
        "*script*",
        "--role",
        "Global Administrator",
        "-f",
        "json",
    ]))
    .unwrap();
    let rows = json["rows"].as_array().unwrap();
    let events = rows.iter().filter(|r| r["role"] == rows[0]["role"]).count();
    let expected: Vec<usize> = rows.iter().map(|r| r["recipients"].as_array().unwrap().len()).collect();
    assert_eq!(body_rows(&dom).len(), 3, "three roles");
    assert_eq!(cell_counts(&dom), expected, "every cell shows the JSON recipient count");
    assert!(dom.contains("3 of 3 roles"), "the script ran and counted rows");
    assert!(!dom.contains("<title>pwned"), "an injected script ran");

    // The filter, driven through the URL hash the page keeps in sync.
    let dom = dump_dom(&browser, &dir, &format!("{url}#role=global&event=activation."));
    let hidden: Vec<bool> = body_rows(&dom).iter().map(|tag| tag.contains("hidden")).collect();
    let roles: Vec<&str> = rows.iter().step_by(events).map(|r| r["role"]["name"].as_str().unwrap()).collect();
    let expected: Vec<bool> = roles.iter().map(|name| *name != "Global Administrator").collect();
    assert_eq!(hidden, expected, "only Global Administrator is left of {roles:?}");
    assert!(dom.contains("1 of 3 roles, 4 of"), "the activation events are left");

    // The details panel of (the <script> role, activation.completed) lists the recipients and why.
    let role = roles.iter().position(|name| name.starts_with("<script>")).unwrap();
    let event = rows.iter().position(|r| r["event"]["id"] == "activation.completed").unwrap();
    let dom = dump_dom(&browser, &dir, &format!("{url}#cell={role},{event}"));
    let panel = dom.split("<aside id=\"details\"").nth(1).unwrap().split("</aside>").next().unwrap();
    assert!(!panel.starts_with(" hidden"), "the panel is open");
    for expected in
        ["ciso@contoso.com", "lead@contoso.com", "member of group:soc &gt; group:leads", "&lt;script&gt;"]
    {
        assert!(panel.contains(expected), "the panel lacks {expected}: {panel}");
    }

    let shot = dir.join("shot.png");
    let output = run_chromium(
        &browser,
        &dir.join("profile"),
        &[format!("--screenshot={}", shot.display()), format!("{url}#cell={role},{event}")],
    );
    let png = std::fs::read(&shot)
        .unwrap_or_else(|_| panic!("no screenshot: {}", String::from_utf8_lossy(&output.stderr)));
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    let (width, height) = (
        u32::from_be_bytes(png[16..20].try_into().unwrap()),
        u32::from_be_bytes(png[20..24].try_into().unwrap()),
    );
    assert_eq!((width, height), (1400, 900));
    assert!(png.len() > 20_000, "a blank page compresses to almost nothing; got {} bytes", png.len());
    eprintln!("screenshot: {}", shot.display());
}
