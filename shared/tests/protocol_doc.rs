//! docs/sync-protocol.md must name every kind, every allowed value and every rejection code the
//! code knows, so the
//! contract outside clients read never falls behind the code.

use tavla_shared::values::*;
use tavla_shared::Kind;

fn doc() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/sync-protocol.md"))
        .expect("docs/sync-protocol.md")
}

#[test]
fn every_kind_and_value_is_documented() {
    let doc = doc();
    let mut missing: Vec<String> = Kind::ALL
        .iter()
        .map(|k| k.as_str())
        .filter(|k| !doc.contains(&format!("`{k}`")))
        .map(String::from)
        .collect();
    let values: Vec<&str> = [
        Health::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>(),
        ActivityStatus::ALL.iter().map(|v| v.as_str()).collect(),
        PersonRole::ALL.iter().map(|v| v.as_str()).collect(),
        IdeaStage::ALL.iter().map(|v| v.as_str()).collect(),
        PartnerType::ALL.iter().map(|v| v.as_str()).collect(),
        DialogueChannel::ALL.iter().map(|v| v.as_str()).collect(),
        MarketingChannel::ALL.iter().map(|v| v.as_str()).collect(),
        MarketingStatus::ALL.iter().map(|v| v.as_str()).collect(),
        EventType::ALL.iter().map(|v| v.as_str()).collect(),
        Role::ALL.iter().map(|v| v.as_str()).collect(),
        tavla_shared::wire::RejectCode::ALL.iter().map(|v| v.as_str()).collect(),
        vec!["already_applied"],
    ]
    .concat();
    missing.extend(values.into_iter().filter(|v| !doc.contains(&format!("`{v}`"))).map(String::from));
    assert!(missing.is_empty(), "not in docs/sync-protocol.md: {missing:?}");
}
