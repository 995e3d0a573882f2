//! examples/graph/save-tenant.sh against a stand-in for the Azure CLI: it follows every
//! @odata.nextLink, saves the pages as one list that `import graph` takes as complete, keeps
//! `$filter`/`$expand` away from the shell, and leaves no file behind when a page fails.

mod graph_support;

use std::path::Path;
use std::process::Command;

use graph_support::*;
use serde_json::Value;

/// A fake `az` that answers `az rest --method get --url URL` from files, logging each URL.
const FAKE_AZ: &str = r#"#!/usr/bin/env bash
set -eu
url=""
while [ $# -gt 0 ]; do
  if [ "$1" = "--url" ]; then url=$2; shift; fi
  shift
done
printf '%s\n' "$url" >>"$FAKE_AZ_DIR/urls.log"
case "$url" in
  *roleDefinitions*) cat "$FAKE_AZ_DIR/definitions.json" ;;
  *skiptoken*)
    if [ -e "$FAKE_AZ_DIR/fail-page-2" ]; then echo "ERROR: Too Many Requests" >&2; exit 1; fi
    cat "$FAKE_AZ_DIR/page2.json" ;;
  *roleManagementPolicyAssignments*) cat "$FAKE_AZ_DIR/page1.json" ;;
  *) echo "unexpected url $url" >&2; exit 3 ;;
esac
"#;

fn have(tool: &str) -> bool {
    Command::new(tool).arg("--version").output().is_ok_and(|o| o.status.success())
}

/// A folder with the fake `az` and the pages it serves.
fn fake_az(dir: &Path) {
    let pages: Value = serde_json::from_str(
        &std::fs::read_to_string(repo("tests/fixtures/graph/tenant-pages.json")).unwrap(),
    )
    .unwrap();
    std::fs::write(dir.join("page1.json"), serde_json::to_string_pretty(&pages[0]).unwrap()).unwrap();
    std::fs::write(dir.join("page2.json"), serde_json::to_string_pretty(&pages[1]).unwrap()).unwrap();
    std::fs::copy(repo("tests/fixtures/graph/role-definitions.json"), dir.join("definitions.json")).unwrap();
    let az = dir.join("az");
    std::fs::write(&az, FAKE_AZ).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&az, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
}

fn run_script(fake: &Path, out: &Path) -> std::process::Output {
    let path = format!("{}:{}", fake.display(), std::env::var("PATH").unwrap_or_default());
    Command::new("bash")
        .arg(repo("examples/graph/save-tenant.sh"))
        .arg(out)
        .env("PATH", path)
        .env("FAKE_AZ_DIR", fake)
        .env("TMPDIR", fake)
        .output()
        .expect("bash runs")
}

#[test]
fn save_tenant_sh_saves_every_page_and_import_takes_it() {
    if !cfg!(unix) || !have("bash") || !have("jq") {
        eprintln!("SKIP: save-tenant.sh needs bash and jq");
        return;
    }
    let fake = tempfile::tempdir().unwrap();
    fake_az(fake.path());
    let out = fake.path().join("tenant");
    let run = run_script(fake.path(), &out);
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));

    let urls = std::fs::read_to_string(fake.path().join("urls.log")).unwrap();
    let urls: Vec<&str> = urls.lines().collect();
    assert_eq!(urls.len(), 3, "two pages and the role definitions: {urls:?}");
    assert_eq!(
        urls[0],
        "https://graph.microsoft.com/v1.0/policies/roleManagementPolicyAssignments?$filter=scopeId%20eq%20%27%2F%27%20and%20scopeType%20eq%20%27DirectoryRole%27&$expand=policy($expand=rules)"
    );
    assert!(urls[1].contains("$skiptoken="), "the nextLink was followed: {}", urls[1]);

    let saved: Value = serde_json::from_str(
        &std::fs::read_to_string(out.join("roleManagementPolicyAssignments.json")).unwrap(),
    )
    .unwrap();
    let expected: Value = serde_json::from_str(
        &std::fs::read_to_string(repo("tests/fixtures/graph/tenant-pages.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(saved, expected, "the pages, in order, as Graph sent them");

    let export = out.join("roleManagementPolicyAssignments.json");
    let names = out.join("roleDefinitions.json");
    let import = ok(pim_notify(&[
        "import",
        "graph",
        export.to_str().unwrap(),
        "--role-definitions",
        names.to_str().unwrap(),
    ]));
    let yaml = String::from_utf8(import.stdout).unwrap();
    assert!(
        yaml.contains("- name: Contoso Tier-1 Support") && yaml.contains("- name: User Administrator"),
        "{yaml}"
    );
}

#[test]
fn save_tenant_sh_leaves_no_file_when_a_page_fails() {
    if !cfg!(unix) || !have("bash") || !have("jq") {
        eprintln!("SKIP: save-tenant.sh needs bash and jq");
        return;
    }
    let fake = tempfile::tempdir().unwrap();
    fake_az(fake.path());
    std::fs::write(fake.path().join("fail-page-2"), "").unwrap();
    let out = fake.path().join("tenant");
    let run = run_script(fake.path(), &out);
    assert!(!run.status.success());
    assert!(String::from_utf8_lossy(&run.stderr).contains("Too Many Requests"));
    let left: Vec<_> = std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert!(left.is_empty(), "a half-saved export must not exist: {left:?}");
    let temporary = std::fs::read_dir(fake.path())
        .unwrap()
        .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().starts_with("save-tenant."))
        .count();
    assert_eq!(temporary, 0, "the pages fetched so far are removed");
}

#[test]
fn save_tenant_ps1_asks_graph_for_json_as_it_came() {
    // PowerShell is not on every machine that runs these tests: check what matters in the text.
    let script = std::fs::read_to_string(repo("examples/graph/save-tenant.ps1")).unwrap();
    assert!(script.contains("Invoke-MgGraphRequest -Method GET -Uri $Uri -OutputType Json"));
    assert!(script.contains("'@odata.nextLink'"));
    assert!(!script.contains("| ConvertTo-Json"), "ConvertTo-Json cuts deep objects");
    assert!(script.contains(
        "`$filter=scopeId eq '/' and scopeType eq 'DirectoryRole'&`$expand=policy(`$expand=rules)"
    ));
    assert!(
        script.contains("roleManagementPolicyAssignments.json") && script.contains("roleDefinitions.json")
    );
}
