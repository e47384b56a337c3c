"""DynamoStore: the ``Store`` protocol on one DynamoDB table (the Lambda's store).

Item layout (pk / sk, both strings; see README "Storage"):

    run claim   RUN#<event_id>          RUN                           expires: +7 days
    feed state  FEED#<url>              FEED
    story       STORY#<id>              STORY                         expires: first seen +180 days
    story day   STORYDAY#<YYYY-MM-DD>   <first_seen ISO>#<id>         a copy, for recent_stories
    hit         STORY#<story_id>        HIT#<system>#<country>        expires: +180 days
    pair        PAIRS                   PAIR#<system>#<country>
    delivery    ALERT#<alert_id>        CHANNEL#<channel>             gpk/gsk only while pending

A value longer than 512 bytes inside a key becomes ``sha256:<hex>`` (see ``_part``); the
item keeps the value itself as an attribute.

Every read is a GetItem, BatchGetItem or Query; nothing scans. Writes that decide "is this
new?" are conditional, and a failed condition is an answer (False / None), not an error.
Throttling and unprocessed batch items are retried with bounded, jittered exponential
backoff, then raised as ``StoreError``.
"""

from __future__ import annotations

import hashlib
import random
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar

from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

from alerts.codec import format_time, from_attribute, from_plain, parse_time, to_attribute, to_plain
from alerts.model import Alert, FeedState, OutboxItem, PairState, StoryRecord
from alerts.store import COMMIT_DELIVERIES
from scraper.errors import ConfigError, StoreError
from scraper.model import Hit

T = TypeVar("T")

STORY_TTL = timedelta(days=180)
RUN_TTL = timedelta(days=7)
SENT_TTL = timedelta(days=180)
PENDING_INDEX = "pending"
PAIRS_PK = "PAIRS"
PENDING_GPK = "PENDING"
# DynamoDB API limits: keys per BatchGetItem, items per BatchWriteItem.
BATCH_GET_MAX = 100
BATCH_WRITE_MAX = 25
# Error codes that mean "slow down and try again" (DynamoDB developer guide, "Error handling").
# Answers every call would get until the set-up is fixed: a configuration error (exit 2), not a store failure.
_SETUP_CODES = {
    "ResourceNotFoundException": "the table does not exist in this account and region (TABLE_NAME, AWS_REGION)",
    "UnrecognizedClientException": "the AWS credentials are not valid",
    "InvalidSignatureException": "the AWS credentials are not valid",
}
TRANSIENT_CODES = frozenset(
    {
        "ProvisionedThroughputExceededException",
        "ThrottlingException",
        "RequestLimitExceeded",
        "InternalServerError",
        "ServiceUnavailable",
        "TransactionConflictException",
    }
)
TRANSACT_MAX = 100  # items per TransactWriteItems
MAX_KEY_PART = 512  # bytes of one value inside a key (see _part)
_KEY_ATTRS = ("pk", "sk", "gpk", "gsk", "expires")


def create_table(client: Any, table_name: str) -> None:
    """Create the table exactly as template.yaml declares it (for tests and local use)."""
    client.create_table(
        TableName=table_name,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[
            {"AttributeName": name, "AttributeType": "S"} for name in ("pk", "sk", "gpk", "gsk")
        ],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        GlobalSecondaryIndexes=[
            {
                "IndexName": PENDING_INDEX,
                "KeySchema": [
                    {"AttributeName": "gpk", "KeyType": "HASH"},
                    {"AttributeName": "gsk", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
    )
    client.get_waiter("table_exists").wait(TableName=table_name, WaiterConfig={"Delay": 1})
    client.update_time_to_live(
        TableName=table_name, TimeToLiveSpecification={"Enabled": True, "AttributeName": "expires"}
    )


class DynamoStore:
    """The ``Store`` protocol on ``table_name``, through a boto3 DynamoDB *client* the caller owns."""

    def __init__(
        self,
        table_name: str,
        client: Any,
        *,
        max_attempts: int = 6,
        base_delay: float = 0.05,
        max_delay: float = 2.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.table = table_name
        self.client = client
        # Bounds: at most ``max_attempts`` tries per call or batch, sleeping about 1.5 s in all.
        self._max_attempts = max_attempts
        self._base_delay = base_delay
        self._max_delay = max_delay
        self._sleep = sleep

    # --- runs ------------------------------------------------------------------------
    def claim_run(self, event_id: str, run_id: str, now: datetime) -> bool:
        item = _item(f"RUN#{_part(event_id)}", "RUN", {"run_id": run_id, "claimed_at": format_time(now)})
        item["expires"] = _epoch(now + RUN_TTL)
        # The same run asking again (a retried call whose answer was lost) keeps its claim.
        return self._conditional(
            "PutItem",
            Item=item,
            ConditionExpression="attribute_not_exists(pk) OR run_id = :run",
            ExpressionAttributeValues={":run": {"S": run_id}},
        )

    def release_run(self, event_id: str, run_id: str) -> None:
        self._conditional(
            "DeleteItem",
            Key=_key(f"RUN#{_part(event_id)}", "RUN"),
            ConditionExpression="run_id = :run",
            ExpressionAttributeValues={":run": {"S": run_id}},
        )

    # --- feeds -----------------------------------------------------------------------
    def get_feed_states(self, urls: Sequence[str]) -> dict[str, FeedState]:
        items = self._batch_get([_key(f"FEED#{_part(url)}", "FEED") for url in urls])
        states = (_decode(FeedState, item) for item in items)
        return {state.url: state for state in states}

    def put_feed_state(self, state: FeedState) -> None:
        self._call(
            "PutItem", TableName=self.table, Item=_item(f"FEED#{_part(state.url)}", "FEED", to_plain(state))
        )

    # --- stories and hits ------------------------------------------------------------
    def known_story_ids(self, ids: Sequence[str]) -> set[str]:
        keys = [_story_key(story_id) for story_id in ids]
        items = self._batch_get(keys, projection="id", consistent=False)
        return {item["id"]["S"] for item in items}

    def get_stories(self, ids: Sequence[str]) -> dict[str, StoryRecord]:
        items = self._batch_get([_story_key(story_id) for story_id in ids])
        records = (_decode(StoryRecord, item) for item in items)
        return {record.id: record for record in records}

    def add_story(self, record: StoryRecord) -> bool:
        # One transaction: the story and its day-bucket copy exist together or not at all.
        return self._conditional(
            "TransactWriteItems", TransactItems=self._story_writes(record, "attribute_not_exists(pk)")
        )

    def _story_writes(self, record: StoryRecord, condition: str) -> list[dict[str, Any]]:
        """The story's item (guarded by ``condition``) and its day-bucket copy, as transaction entries."""
        plain = to_plain(record)
        expires = _epoch(record.first_seen + STORY_TTL)
        story = _item(*_story_key_parts(record.id), plain) | {"expires": expires}
        day = _item(*_day_key(record.id, record.first_seen), plain) | {"expires": expires}
        return [
            {"Put": {"TableName": self.table, "Item": story, "ConditionExpression": condition}},
            {"Put": {"TableName": self.table, "Item": day}},
        ]

    def add_stories(self, records: Sequence[StoryRecord]) -> set[str]:
        """Up to 50 stories per transaction (100 items with their day copies). Stories were just
        checked with known_story_ids, so a lost race is rare: only then is the chunk redone one
        story at a time to learn which were new."""
        new: set[str] = set()
        unique = list({record.id: record for record in records}.values())
        for start in range(0, len(unique), TRANSACT_MAX // 2):
            chunk = unique[start : start + TRANSACT_MAX // 2]
            items = [
                entry for record in chunk for entry in self._story_writes(record, "attribute_not_exists(pk)")
            ]
            if self._conditional("TransactWriteItems", TransactItems=items):
                new.update(record.id for record in chunk)
            else:
                new.update(record.id for record in chunk if self.add_story(record))
        return new

    def update_stories(self, records: Sequence[StoryRecord]) -> None:
        for record in records:  # edits are few: one transaction each, the story and its day copy together
            # False: the story expired meanwhile, nothing to rewrite
            self._conditional(
                "TransactWriteItems", TransactItems=self._story_writes(record, "attribute_exists(pk)")
            )

    def add_story_feed(self, story_id: str, feed: str) -> None:
        update = {
            "UpdateExpression": "SET feeds = list_append(feeds, :new)",
            "ConditionExpression": "attribute_exists(pk) AND NOT contains(feeds, :feed)",
            "ExpressionAttributeValues": {":new": {"L": [{"S": feed}]}, ":feed": {"S": feed}},
        }
        answer = self._try(
            "UpdateItem",
            TableName=self.table,
            Key=_story_key(story_id),
            ReturnValues="ALL_NEW",
            **update,
        )
        if answer is None:  # unknown story, or the feed is listed already
            return
        first_seen = parse_time(answer["Attributes"]["first_seen"]["S"])
        day_key = _key(*_day_key(story_id, first_seen))
        self._try("UpdateItem", TableName=self.table, Key=day_key, **update)

    def recent_stories(self, since: datetime, until: datetime | None = None) -> list[StoryRecord]:
        """One Query per UTC day from ``since`` to ``until`` (default: now) on the day buckets."""
        until = until or datetime.now(UTC)
        low, high = format_time(since), format_time(until) + "$"  # "$" sorts after "#<id>"
        records: list[StoryRecord] = []
        for day in _days(parse_time(low).date(), parse_time(format_time(until)).date()):
            items = self._query(
                KeyConditionExpression="pk = :pk AND sk BETWEEN :low AND :high",
                ExpressionAttributeValues={
                    ":pk": {"S": f"STORYDAY#{day.isoformat()}"},
                    ":low": {"S": low},
                    ":high": {"S": high},
                },
            )
            records += (_decode(StoryRecord, item) for item in items)
        return records

    def put_hits(self, hits: Iterable[Hit], now: datetime) -> None:
        expires = _epoch(now + STORY_TTL)
        items = {
            (hit.story_id, hit.system, hit.country): _item(
                f"STORY#{_part(hit.story_id)}", _pair_part("HIT", hit.system, hit.country), to_plain(hit)
            )
            | {"expires": expires}
            for hit in hits
        }  # one request may not hold two writes of one key: the last hit for a key wins
        self._batch_write(list(items.values()))

    def hits_for_story(self, story_id: str) -> list[Hit]:
        items = self._query(
            KeyConditionExpression="pk = :pk AND begins_with(sk, :hit)",
            ExpressionAttributeValues={":pk": {"S": f"STORY#{_part(story_id)}"}, ":hit": {"S": "HIT#"}},
        )
        return sorted((_decode(Hit, item) for item in items), key=lambda hit: (hit.system, hit.country))

    # --- pairs -----------------------------------------------------------------------
    def get_pairs(self, keys: Sequence[tuple[str, str]]) -> dict[tuple[str, str], PairState]:
        items = self._batch_get(
            [_key(PAIRS_PK, _pair_part("PAIR", system, country)) for system, country in keys]
        )
        states = (_decode(PairState, item) for item in items)
        return {(state.system, state.country): state for state in states}

    def put_pair(self, state: PairState, expected_version: int) -> bool:
        return self._conditional("PutItem", **self._pair_put(state, expected_version))

    def delete_pair(self, system: str, country: str, expected_version: int) -> bool:
        return self._conditional(
            "DeleteItem",
            Key=_key(PAIRS_PK, _pair_part("PAIR", system, country)),
            ConditionExpression="version = :expected",
            ExpressionAttributeValues={":expected": {"N": str(expected_version)}},
        )

    def commit_pair(
        self, state: PairState, expected_version: int, deliveries: Sequence[tuple[Alert, str]], now: datetime
    ) -> bool:
        wanted = {_outbox_key_parts(alert.id, channel): (alert, channel) for alert, channel in deliveries}
        for _ in range(self._max_attempts):
            # A transaction cannot "insert if absent, else skip": leave out the deliveries that
            # exist, and guard the rest with a condition (a racing run makes us look again).
            existing = self._batch_get([_key(*key) for key in wanted], projection="pk, sk")
            stored = {(item["pk"]["S"], item["sk"]["S"]) for item in existing}
            new = [self._outbox_put(*wanted[key], now) for key in wanted if key not in stored]
            if len(new) > COMMIT_DELIVERIES:  # with the pair, past TRANSACT_MAX
                raise StoreError(
                    f"dynamodb table {self.table}: {len(new)} deliveries do not fit one transaction"
                )
            pair_put = {"TableName": self.table, **self._pair_put(state, expected_version)}
            try:
                self._call("TransactWriteItems", TransactItems=[{"Put": put} for put in [pair_put, *new]])
                return True
            except _ConditionFailed as failed:
                if failed.reasons[:1] != ["None"]:  # the pair's own condition: another run moved it
                    return False
        raise StoreError(f"dynamodb table {self.table}: deliveries kept changing while committing a pair")

    def _pair_put(self, state: PairState, expected_version: int) -> dict[str, Any]:
        plain = to_plain(state) | {"version": expected_version + 1}
        put: dict[str, Any] = {
            "Item": _item(PAIRS_PK, _pair_part("PAIR", state.system, state.country), plain)
        }
        if expected_version == 0:
            return put | {"ConditionExpression": "attribute_not_exists(pk)"}
        return put | {
            "ConditionExpression": "version = :expected",
            "ExpressionAttributeValues": {":expected": {"N": str(expected_version)}},
        }

    def list_pairs(self) -> list[PairState]:
        items = self._query(
            KeyConditionExpression="pk = :pk", ExpressionAttributeValues={":pk": {"S": PAIRS_PK}}
        )
        return sorted((_decode(PairState, item) for item in items), key=lambda p: (p.system, p.country))

    # --- alert outbox ----------------------------------------------------------------
    def enqueue_alert(self, alert: Alert, channel: str, now: datetime) -> bool:
        return self._conditional("PutItem", **self._outbox_put(alert, channel, now))

    def _outbox_put(self, alert: Alert, channel: str, now: datetime) -> dict[str, Any]:
        created = format_time(alert.created or now)
        plain = {
            "alert": to_plain(alert),
            "channel": channel,
            "status": "pending",
            "attempts": 0,
            "claimed_by": "",
            "last_error": "",
            "ref": "",
            "created": created,
        }
        item = _item(*_outbox_key_parts(alert.id, channel), plain)
        item |= {"gpk": {"S": PENDING_GPK}, "gsk": {"S": f"{channel}#{created}#{_part(alert.id)}"}}
        return {"TableName": self.table, "Item": item, "ConditionExpression": "attribute_not_exists(pk)"}

    def claim_delivery(
        self, alert_id: str, channel: str, run_id: str, now: datetime, lease_seconds: float
    ) -> OutboxItem | None:
        answer = self._try(
            "UpdateItem",
            TableName=self.table,
            Key=_outbox_key(alert_id, channel),
            UpdateExpression="SET claimed_by = :run, lease_until = :until ADD attempts :one",
            ConditionExpression=(
                "#status = :pending AND (attribute_not_exists(lease_until) OR lease_until <= :now)"
            ),
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues={
                ":run": {"S": run_id},
                ":until": {"S": format_time(now + timedelta(seconds=lease_seconds))},
                ":one": {"N": "1"},
                ":pending": {"S": "pending"},
                ":now": {"S": format_time(now)},
            },
            ReturnValues="ALL_NEW",
        )
        return None if answer is None else _outbox_item(answer["Attributes"])

    def mark_sent(self, alert_id: str, channel: str, run_id: str, now: datetime, ref: str = "") -> bool:
        answer = self._try(
            "UpdateItem",
            TableName=self.table,
            Key=_outbox_key(alert_id, channel),
            UpdateExpression=(
                "SET #status = :sent, sent_at = :now, #ref = :ref, expires = :expires, claimed_by = :run"
                " REMOVE gpk, gsk, lease_until"
            ),
            # A send that happened is recorded even when the lease moved on; a first record stays.
            ConditionExpression="attribute_exists(pk) AND #status <> :sent",
            ExpressionAttributeNames={"#status": "status", "#ref": "ref"},
            ExpressionAttributeValues={
                ":sent": {"S": "sent"},
                ":now": {"S": format_time(now)},
                ":ref": {"S": ref},
                ":expires": _epoch(now + SENT_TTL),
                ":run": {"S": run_id},
            },
            ReturnValues="ALL_OLD",
        )
        if answer is not None:
            return bool(answer["Attributes"].get("claimed_by", {}).get("S") == run_id)
        recorded = self.get_delivery(alert_id, channel)  # sent already, or never enqueued?
        if recorded is None:
            raise StoreError(f"dynamodb table {self.table}: no delivery {alert_id} on {channel} to mark sent")
        return recorded.claimed_by == run_id

    def mark_failed(
        self,
        alert_id: str,
        channel: str,
        run_id: str,
        error: str,
        now: datetime,
        give_up: bool,
        counted: bool = True,
    ) -> bool:
        values: dict[str, Any] = {":error": {"S": error}, ":pending": {"S": "pending"}, ":run": {"S": run_id}}
        update = "SET last_error = :error REMOVE lease_until"
        if give_up:
            update = (
                "SET last_error = :error, #status = :failed, expires = :expires REMOVE lease_until, gpk, gsk"
            )
            values |= {":failed": {"S": "failed"}, ":expires": _epoch(now + SENT_TTL)}
        if not counted:
            update += " ADD attempts :minus_one"
            values[":minus_one"] = {"N": "-1"}
        # Only the claim's holder, once (the write removes the lease, so a retried call whose answer
        # was lost takes nothing back twice): a late report never turns ``sent`` into ``failed``,
        # and a run whose lease lapsed never ends the claim of the run that took it over.
        answer = self._try(
            "UpdateItem",
            TableName=self.table,
            Key=_outbox_key(alert_id, channel),
            UpdateExpression=update,
            ConditionExpression="#status = :pending AND claimed_by = :run AND attribute_exists(lease_until)",
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues=values,
        )
        if answer is not None:
            return True
        # The condition failed: another run holds the claim, or this call's own write went through and
        # only its answer was lost (the retry then finds the lease gone). Only the read tells them apart.
        recorded = self.get_delivery(alert_id, channel)
        return (
            recorded is not None
            and recorded.claimed_by == run_id
            and recorded.lease_until is None
            and recorded.status == ("failed" if give_up else "pending")
            and recorded.last_error == error
        )

    def pending_deliveries(self, channel: str | None = None) -> list[OutboxItem]:
        condition, values = "gpk = :gpk", {":gpk": {"S": PENDING_GPK}}
        if channel is not None:
            condition += " AND begins_with(gsk, :channel)"
            values[":channel"] = {"S": f"{channel}#"}
        items = self._query(
            IndexName=PENDING_INDEX, KeyConditionExpression=condition, ExpressionAttributeValues=values
        )
        found = [_outbox_item(item) for item in items]
        return [item for item in found if channel is None or item.channel == channel]

    def get_delivery(self, alert_id: str, channel: str) -> OutboxItem | None:
        answer = self._call(
            "GetItem", TableName=self.table, Key=_outbox_key(alert_id, channel), ConsistentRead=True
        )
        item = answer.get("Item")
        return _outbox_item(item) if item else None

    def purge_expired(self, now: datetime) -> int:
        """Nothing to do: DynamoDB's TTL on ``expires`` deletes expired items itself."""
        return 0

    # --- calls, retries and batches --------------------------------------------------
    def _delays(self) -> Iterator[float]:
        """Full-jitter exponential backoff, ``max_attempts - 1`` waits."""
        for attempt in range(self._max_attempts - 1):
            yield random.uniform(0, min(self._max_delay, self._base_delay * 2**attempt))

    def _call(self, operation: str, **params: Any) -> dict[str, Any]:
        """One API call with throttling retried; a failed condition raises ``_ConditionFailed``."""
        delays = self._delays()
        method = getattr(self.client, _snake(operation))
        while True:
            try:
                answer: dict[str, Any] = method(**params)
                return answer
            except ClientError as exc:
                code = exc.response.get("Error", {}).get("Code", "")
                reasons = [r.get("Code", "None") for r in exc.response.get("CancellationReasons", [])]
                if code == "ConditionalCheckFailedException" or (
                    code == "TransactionCanceledException" and "ConditionalCheckFailed" in reasons
                ):
                    raise _ConditionFailed(reasons) from exc
                transient = code in TRANSIENT_CODES or (
                    code == "TransactionCanceledException"
                    and any(reason in ("TransactionConflict", "ThrottlingError") for reason in reasons)
                )
                if code in _SETUP_CODES:  # every call would meet it: a configuration error, said plainly
                    raise ConfigError(f"dynamodb table {self.table}: {_SETUP_CODES[code]} ({code})") from exc
                delay = next(delays, None) if transient else None
                if delay is None:
                    raise StoreError(f"dynamodb table {self.table}: {operation} failed: {exc}") from exc
            except NoCredentialsError as exc:
                raise ConfigError(
                    f"dynamodb table {self.table}: no AWS credentials found (environment, profile or role)"
                ) from exc
            except BotoCoreError as exc:
                raise StoreError(f"dynamodb table {self.table}: {operation} failed: {exc}") from exc
            self._sleep(delay)

    def _try(self, operation: str, **params: Any) -> dict[str, Any] | None:
        """A conditional call: its answer, or None when the condition did not hold."""
        try:
            return self._call(operation, **params)
        except _ConditionFailed:
            return None

    def _conditional(self, operation: str, **params: Any) -> bool:
        if operation != "TransactWriteItems":
            params["TableName"] = self.table
        return self._try(operation, **params) is not None

    def _query(self, **params: Any) -> list[dict[str, Any]]:
        """Every page of a Query on the table (or its index)."""
        params = {"TableName": self.table, **params}
        if "IndexName" not in params:
            params["ConsistentRead"] = True
        items: list[dict[str, Any]] = []
        while True:
            answer = self._call("Query", **params)
            items += answer.get("Items", [])
            if "LastEvaluatedKey" not in answer:
                return items
            params["ExclusiveStartKey"] = answer["LastEvaluatedKey"]

    def _batch_get(
        self, keys: Sequence[dict[str, Any]], *, projection: str = "", consistent: bool = True
    ) -> list[dict[str, Any]]:
        """BatchGetItem in chunks of 100 keys, retrying UnprocessedKeys with backoff."""
        unique = list({(key["pk"]["S"], key["sk"]["S"]): key for key in keys}.values())
        items: list[dict[str, Any]] = []
        for start in range(0, len(unique), BATCH_GET_MAX):
            request: dict[str, Any] = {
                "Keys": unique[start : start + BATCH_GET_MAX],
                "ConsistentRead": consistent,
            }
            if projection:
                request["ProjectionExpression"] = projection
            delays = self._delays()
            while request:
                answer = self._call("BatchGetItem", RequestItems={self.table: request})
                items += answer.get("Responses", {}).get(self.table, [])
                request = answer.get("UnprocessedKeys", {}).get(self.table) or {}
                if request:
                    self._backoff(delays, "BatchGetItem", len(request["Keys"]))
        return items

    def _batch_write(self, items: Sequence[dict[str, Any]]) -> None:
        """BatchWriteItem (puts) in chunks of 25, retrying UnprocessedItems with backoff."""
        for start in range(0, len(items), BATCH_WRITE_MAX):
            requests = [{"PutRequest": {"Item": item}} for item in items[start : start + BATCH_WRITE_MAX]]
            delays = self._delays()
            while requests:
                answer = self._call("BatchWriteItem", RequestItems={self.table: requests})
                requests = answer.get("UnprocessedItems", {}).get(self.table) or []
                if requests:
                    self._backoff(delays, "BatchWriteItem", len(requests))

    def _backoff(self, delays: Iterator[float], operation: str, left: int) -> None:
        delay = next(delays, None)
        if delay is None:
            raise StoreError(
                f"dynamodb table {self.table}: {operation} left {left} items unprocessed "
                f"after {self._max_attempts} attempts (throttled)"
            )
        self._sleep(delay)


class _ConditionFailed(Exception):
    """A condition did not hold; ``reasons`` are a cancelled transaction's codes, item by item."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__(reasons)
        self.reasons = reasons


# --- items ---------------------------------------------------------------------------
def _key(pk: str, sk: str) -> dict[str, Any]:
    return {"pk": {"S": pk}, "sk": {"S": sk}}


def _item(pk: str, sk: str, plain: dict[str, Any]) -> dict[str, Any]:
    return _key(pk, sk) | {name: to_attribute(value) for name, value in plain.items()}


def _decode(cls: type[T], item: dict[str, Any]) -> T:
    return from_plain(cls, {name: from_attribute(av) for name, av in item.items() if name not in _KEY_ATTRS})


def _outbox_key(alert_id: str, channel: str) -> dict[str, Any]:
    return _key(*_outbox_key_parts(alert_id, channel))


def _outbox_key_parts(alert_id: str, channel: str) -> tuple[str, str]:
    return f"ALERT#{_part(alert_id)}", f"CHANNEL#{_part(channel)}"


def _story_key(story_id: str) -> dict[str, Any]:
    return _key(*_story_key_parts(story_id))


def _story_key_parts(story_id: str) -> tuple[str, str]:
    return f"STORY#{_part(story_id)}", "STORY"


def _pair_part(kind: str, system: str, country: str) -> str:
    return f"{kind}#{_part(system)}#{_part(country)}"


def _part(value: str) -> str:
    """A value as part of a key. DynamoDB caps sort keys at 1024 bytes (partition keys at
    2048), and story ids can be long URLs, so a long value is replaced by its SHA-256;
    every item also keeps the value itself as an attribute."""
    if len(value.encode()) <= MAX_KEY_PART:
        return value
    return "sha256:" + hashlib.sha256(value.encode()).hexdigest()


def _outbox_item(item: dict[str, Any]) -> OutboxItem:
    return _decode(OutboxItem, item)


def _day_key(story_id: str, first_seen: datetime) -> tuple[str, str]:
    stamp = format_time(first_seen)
    return f"STORYDAY#{stamp[:10]}", f"{stamp}#{_part(story_id)}"


def _days(first: date, last: date) -> Iterator[date]:
    while first <= last:
        yield first
        first += timedelta(days=1)


def _epoch(moment: datetime) -> dict[str, str]:
    """A TTL value: epoch seconds as a DynamoDB number."""
    return {"N": str(int(moment.timestamp()))}


def _snake(operation: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in operation).lstrip("_")
