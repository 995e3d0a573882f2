//! Any bytes: load as a policy, then evaluate a bounded sample of role × event questions and
//! render each answer as the `who` JSON object. Nothing may panic, overflow or hang.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pim_notify::{catalog, evaluate, load_str, report, Query};

/// Roles looked at per input: the file's own roles first, so custom roles are always covered.
const MAX_ROLES: usize = 8;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(loaded) = load_str("fuzz.yaml", text) else { return };
    let policy = &loaded.policy;
    let listed = policy.roles.iter().filter(|r| r.is_listed());
    let builtin = policy.roles.iter().filter(|r| !r.is_listed()).take(2);
    let queries = [Query::default(), Query { assignee: Some("a@contoso.com".into()), no_expand: true }];
    for role in listed.chain(builtin).take(MAX_ROLES) {
        for event in catalog::events() {
            for query in &queries {
                let answer = evaluate(policy, role, event, query);
                let json = report::answer_json(policy, &answer);
                // The JSON must survive a round trip: valid for any role name or address.
                let text = serde_json::to_string(&json).expect("answers serialise");
                let _: serde_json::Value = serde_json::from_str(&text).expect("answers are valid JSON");
            }
        }
        let _ = policy.find_role(&role.name);
    }
});
