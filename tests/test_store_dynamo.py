"""DynamoDB specifics: the table and key layout, read traffic (no scans, batches), and
throttling / unprocessed batch items, injected at the client edge with botocore's Stubber."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest
from botocore.stub import ANY, Stubber

from alerts.model import Alert, FeedState, PairState, StoryRecord
from alerts.store_dynamo import DynamoStore, create_table
from scraper.errors import StoreError
from scraper.model import Hit

NOW = datetime(2026, 3, 14, 9, 30, tzinfo=UTC)
TABLE = "watch"


def record(story_id: str, first_seen: datetime = NOW) -> StoryRecord:
    return StoryRecord(story_id, f"https://news.example/{story_id}", "Title", ("Defense Wire",), first_seen)


def alert(alert_id: str = "a1") -> Alert:
    return Alert(
        alert_id,
        "new",
        "Patriot",
        "Poland",
        None,
        "deal",
        "Warsaw signs for more Patriot units",
        "https://news.example/patriot",
        "Defense Wire",
        NOW,
        "Poland signed the contract on Monday.",
    )


@pytest.fixture
def moto_client(aws_env: str) -> Iterator[tuple[Any, str]]:
    client = boto3.client("dynamodb")
    table = f"watch-{uuid.uuid4().hex[:12]}"
    create_table(client, table)
    yield client, table
    client.delete_table(TableName=table)


def count_operations(client: Any) -> Counter[str]:
    """Every API operation the client sends, counted through botocore's event hooks."""
    calls: Counter[str] = Counter()

    def note(model: Any, **_: Any) -> None:
        calls[model.name] += 1

    client.meta.events.register("before-call.dynamodb.*", note)
    return calls


# --- table and items ---------------------------------------------------------------------
def test_create_table_matches_the_template(moto_client: tuple[Any, str]) -> None:
    client, table = moto_client
    described = client.describe_table(TableName=table)["Table"]
    assert described["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert described["KeySchema"] == [
        {"AttributeName": "pk", "KeyType": "HASH"},
        {"AttributeName": "sk", "KeyType": "RANGE"},
    ]
    (index,) = described["GlobalSecondaryIndexes"]
    assert index["IndexName"] == "pending"
    assert [k["AttributeName"] for k in index["KeySchema"]] == ["gpk", "gsk"]
    assert index["Projection"] == {"ProjectionType": "ALL"}
    ttl = client.describe_time_to_live(TableName=table)["TimeToLiveDescription"]
    assert (ttl["TimeToLiveStatus"], ttl["AttributeName"]) == ("ENABLED", "expires")


def test_items_follow_the_documented_key_layout(moto_client: tuple[Any, str]) -> None:
    client, table = moto_client
    store = DynamoStore(table, client)
    store.claim_run("evt-1", "run-a", NOW)
    store.put_feed_state(FeedState(url="https://feeds.example/rss"))
    store.add_story(record("s1"))
    store.put_hits([Hit("s1", "Patriot", "Poland", "operator", "deal", "Signed.")], NOW)
    store.put_pair(PairState("Patriot", "Poland", "deal", NOW, "s1"), 0)
    store.enqueue_alert(alert(), "slack", NOW)

    def get(pk: str, sk: str) -> dict[str, Any]:
        item: dict[str, Any] = client.get_item(TableName=table, Key={"pk": {"S": pk}, "sk": {"S": sk}})[
            "Item"
        ]
        return item

    def days(item: dict[str, Any], since: datetime) -> float:
        return (int(item["expires"]["N"]) - since.timestamp()) / 86400

    assert days(get("RUN#evt-1", "RUN"), NOW) == 7
    assert get("FEED#https://feeds.example/rss", "FEED")["url"] == {"S": "https://feeds.example/rss"}
    assert days(get("STORY#s1", "STORY"), NOW) == 180
    assert get("STORYDAY#2026-03-14", "2026-03-14T09:30:00.000000+00:00#s1")["id"] == {"S": "s1"}
    assert days(get("STORY#s1", "HIT#Patriot#Poland"), NOW) == 180
    assert get("PAIRS", "PAIR#Patriot#Poland")["version"] == {"N": "1"}
    pending = get("ALERT#a1", "CHANNEL#slack")
    assert (pending["gpk"], pending["gsk"]) == (
        {"S": "PENDING"},
        {"S": "slack#2026-03-14T09:30:00.000000+00:00#a1"},
    )
    assert "expires" not in pending  # a pending delivery never expires

    store.mark_sent("a1", "slack", "run-a", NOW)
    sent = get("ALERT#a1", "CHANNEL#slack")
    assert "gpk" not in sent and "gsk" not in sent  # off the sparse index
    assert days(sent, NOW) == 180


# --- read traffic ------------------------------------------------------------------------
def test_a_run_never_scans_and_reads_in_batches(moto_client: tuple[Any, str]) -> None:
    client, table = moto_client
    store = DynamoStore(table, client)
    calls = count_operations(client)

    store.claim_run("evt-1", "run-a", NOW)
    store.get_feed_states([f"https://feeds.example/{n}" for n in range(40)])
    store.known_story_ids([f"s{n}" for n in range(250)])
    for n in range(3):
        store.add_story(record(f"s{n}"))
    store.put_hits(
        [Hit(f"s{n % 3}", "S-400", f"Country {n}", "operator", "talks", ".") for n in range(60)], NOW
    )
    store.recent_stories(NOW - timedelta(days=2), until=NOW)
    store.get_pairs([("S-400", f"Country {n}") for n in range(60)])
    store.list_pairs()
    store.enqueue_alert(alert(), "slack", NOW)
    store.pending_deliveries()
    store.claim_delivery("a1", "slack", "run-a", NOW, 60)
    store.mark_sent("a1", "slack", "run-a", NOW)

    assert calls["Scan"] == 0
    assert calls["BatchGetItem"] == 1 + 3 + 1  # feeds; 250 ids in 100s; 60 pairs
    assert calls["BatchWriteItem"] == 3  # 60 hits in 25s
    assert calls["Query"] == 3 + 1 + 1  # one per day bucket; pairs; pending index
    assert calls["GetItem"] == 0


# --- throttling and unprocessed items at the client edge ---------------------------------
@pytest.fixture
def stubbed() -> Iterator[tuple[DynamoStore, Stubber, list[float]]]:
    client = boto3.client("dynamodb", region_name="us-east-1")
    waits: list[float] = []
    with Stubber(client) as stubber:
        yield DynamoStore(TABLE, client, max_attempts=4, sleep=waits.append), stubber, waits
        stubber.assert_no_pending_responses()


def put_requests(hits: list[Hit]) -> list[dict[str, Any]]:
    return [{"PutRequest": {"Item": ANY}} for _ in hits]


def test_unprocessed_batch_writes_are_sent_again(stubbed: tuple[DynamoStore, Stubber, list[float]]) -> None:
    store, stubber, waits = stubbed
    hits = [Hit("s1", "S-400", f"Country {n}", "operator", "talks", ".") for n in range(3)]
    unprocessed = {"PutRequest": {"Item": {"pk": {"S": "STORY#s1"}, "sk": {"S": "HIT#S-400#Country 2"}}}}
    stubber.add_response(
        "batch_write_item",
        {"UnprocessedItems": {TABLE: [unprocessed]}},
        {"RequestItems": {TABLE: put_requests(hits)}},
    )
    # the retry carries exactly what DynamoDB left unprocessed
    stubber.add_response(
        "batch_write_item", {"UnprocessedItems": {}}, {"RequestItems": {TABLE: [unprocessed]}}
    )
    store.put_hits(hits, NOW)
    assert len(waits) == 1 and 0 <= waits[0] <= 0.05


def test_unprocessed_batch_reads_are_asked_again(stubbed: tuple[DynamoStore, Stubber, list[float]]) -> None:
    store, stubber, _ = stubbed
    keys = [{"pk": {"S": f"STORY#{s}"}, "sk": {"S": "STORY"}} for s in ("a", "b")]
    request = {"Keys": keys, "ConsistentRead": False, "ProjectionExpression": "id"}
    stubber.add_response(
        "batch_get_item",
        {
            "Responses": {TABLE: [{"id": {"S": "a"}}]},
            "UnprocessedKeys": {TABLE: request | {"Keys": keys[1:]}},
        },
        {"RequestItems": {TABLE: request}},
    )
    stubber.add_response(
        "batch_get_item",
        {"Responses": {TABLE: [{"id": {"S": "b"}}]}},
        {"RequestItems": {TABLE: request | {"Keys": keys[1:]}}},
    )
    assert store.known_story_ids(["a", "b"]) == {"a", "b"}


def test_batch_items_left_unprocessed_for_too_long_raise_store_error(
    stubbed: tuple[DynamoStore, Stubber, list[float]],
) -> None:
    store, stubber, waits = stubbed
    hit = Hit("s1", "S-400", "India", "operator", "talks", ".")
    left = {"PutRequest": {"Item": {"pk": {"S": "STORY#s1"}, "sk": {"S": "HIT#S-400#India"}}}}
    for _ in range(4):
        stubber.add_response("batch_write_item", {"UnprocessedItems": {TABLE: [left]}})
    with pytest.raises(StoreError, match="unprocessed after 4 attempts"):
        store.put_hits([hit], NOW)
    assert len(waits) == 3
    assert all(wait <= 2.0 for wait in waits)


@pytest.mark.parametrize(
    "code", ["ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded"]
)
def test_throttling_is_retried_then_succeeds(
    stubbed: tuple[DynamoStore, Stubber, list[float]], code: str
) -> None:
    store, stubber, waits = stubbed
    stubber.add_client_error("put_item", service_error_code=code, http_status_code=400)
    stubber.add_client_error("put_item", service_error_code=code, http_status_code=400)
    stubber.add_response("put_item", {})
    assert store.claim_run("evt-1", "run-a", NOW) is True
    assert len(waits) == 2


def test_persistent_throttling_becomes_a_store_error(
    stubbed: tuple[DynamoStore, Stubber, list[float]],
) -> None:
    store, stubber, waits = stubbed
    for _ in range(4):
        stubber.add_client_error("query", service_error_code="ThrottlingException", http_status_code=400)
    with pytest.raises(StoreError, match="Query failed") as caught:
        store.list_pairs()
    assert caught.value.__cause__ is not None
    assert len(waits) == 3


def test_a_failed_condition_is_an_answer_and_other_errors_are_not_retried(
    stubbed: tuple[DynamoStore, Stubber, list[float]],
) -> None:
    store, stubber, waits = stubbed
    stubber.add_client_error(
        "put_item", service_error_code="ConditionalCheckFailedException", http_status_code=400
    )
    assert store.claim_run("evt-1", "run-b", NOW) is False
    stubber.add_client_error("put_item", service_error_code="ValidationException", http_status_code=400)
    with pytest.raises(StoreError, match="ValidationException"):
        store.claim_run("evt-2", "run-b", NOW)
    assert waits == []


def test_a_transaction_conflict_is_retried(stubbed: tuple[DynamoStore, Stubber, list[float]]) -> None:
    store, stubber, waits = stubbed
    for reasons in (["TransactionConflict", "None"], ["ConditionalCheckFailed", "None"]):
        stubber.add_client_error(
            "transact_write_items",
            service_error_code="TransactionCanceledException",
            http_status_code=400,
            response_meta={},
            modeled_fields={"CancellationReasons": [{"Code": code} for code in reasons]},
        )
    assert store.add_story(record("s1")) is False  # the retry found the story already stored
    assert len(waits) == 1


def test_commit_pair_looks_again_when_a_racing_run_enqueued_the_same_alert(
    stubbed: tuple[DynamoStore, Stubber, list[float]],
) -> None:
    store, stubber, _ = stubbed
    state = PairState("Patriot", "Poland", "deal", NOW, "s1")
    delivery_key = {"pk": {"S": "ALERT#a1"}, "sk": {"S": "CHANNEL#slack"}}
    stubber.add_response("batch_get_item", {"Responses": {TABLE: []}})
    stubber.add_client_error(
        "transact_write_items",
        service_error_code="TransactionCanceledException",
        http_status_code=400,
        modeled_fields={"CancellationReasons": [{"Code": "None"}, {"Code": "ConditionalCheckFailed"}]},
        expected_params={"TransactItems": [ANY, ANY]},
    )
    stubber.add_response("batch_get_item", {"Responses": {TABLE: [delivery_key]}})
    # the second try writes the pair alone: the delivery is there already
    stubber.add_response("transact_write_items", {}, {"TransactItems": [ANY]})
    assert store.commit_pair(state, 0, [(alert(), "slack")], NOW) is True


def test_an_attempt_taken_back_is_taken_back_once_when_the_answer_is_lost(atomic_aws_env: str) -> None:
    from tests.faults import dynamo_behind_faults
    from tests.test_store_contract import NOW, alert

    lose = {"on": False}

    def rule(request: Any) -> str | None:  # the write is applied, its answer lost: the store retries
        if lose["on"] and request.operation == "UpdateItem" and b"minus_one" in request.body:
            lose["on"] = False
            return "lost"
        return None

    with dynamo_behind_faults(atomic_aws_env, rule, base_delay=0.001) as (proxy, store):
        store.enqueue_alert(alert(), "slack", NOW)
        store.claim_delivery("a1", "slack", "run-a", NOW, 600)
        lose["on"] = True
        store.mark_failed("a1", "slack", "run-a", "404 no_service", NOW, give_up=False, counted=False)
        item = store.get_delivery("a1", "slack")
        assert proxy.injected["lost"] == 1 and item is not None and item.attempts == 0


def test_a_table_that_does_not_exist_is_a_configuration_error(aws_env: str) -> None:
    # every call would meet it: said plainly (and `python handler.py` exits 2), not retried as a store failure
    from scraper.errors import ConfigError

    store = DynamoStore("no-such-table", boto3.client("dynamodb"))
    with pytest.raises(ConfigError, match="no-such-table: the table does not exist"):
        store.known_story_ids(["s1"])
