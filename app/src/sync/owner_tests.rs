//! An outbox item goes out only with its owner's login.
#![allow(clippy::expect_used)]

use super::*;

#[test]
fn an_item_is_sent_only_with_its_owners_login() {
    let store = MemoryStore::default();
    let (wang, li) = (Uuid::from_u128(0xa1), Uuid::from_u128(0xb2));
    let household = zoufang_domain::sample::household();
    for (n, owner) in [(1, wang), (2, li)] {
        let mut item = OutboxItem::queued(Uuid::from_u128(n), NOW, draft(&household, 1));
        item.owner = Some(owner);
        block_on(records::enqueue(&store, &item)).expect("enqueue");
    }
    let server = FakeServer {
        user: Some(li),
        ..FakeServer::default()
    };
    let report = run_now(&store, &server, NOW, true);
    assert_eq!(report.sent, 1);
    assert_eq!(
        server.stored.borrow().keys().copied().collect::<Vec<_>>(),
        vec![Uuid::from_u128(2)]
    );
    let left = items(&store).into_iter().find(|i| i.owner == Some(wang));
    assert_eq!(
        left.map(|i| (i.delivery.status, i.delivery.attempts)),
        Some((OutboxStatus::Queued, 0))
    );
}
