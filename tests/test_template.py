"""The SAM template lints clean and builds without Docker; its policies stay narrow."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent


def _sam() -> str | None:
    return (
        os.environ.get("SAM_CLI")
        or shutil.which("sam")
        or (str(ROOT / ".venv-sam/bin/sam") if (ROOT / ".venv-sam/bin/sam").exists() else None)
    )


class _Loader(yaml.SafeLoader):
    """Reads CloudFormation short forms (!Ref, !Sub, ...) as plain values."""


def _any_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> object:
    if isinstance(node, yaml.ScalarNode):
        return {suffix: loader.construct_scalar(node)}
    if isinstance(node, yaml.SequenceNode):
        return {suffix: loader.construct_sequence(node, deep=True)}
    return {suffix: loader.construct_mapping(node, deep=True)}  # type: ignore[arg-type]


_Loader.add_multi_constructor("!", _any_tag)


def _template() -> dict:
    return yaml.load((ROOT / "template.yaml").read_text(), Loader=_Loader)


def test_cfn_lint_passes() -> None:
    cfn_lint = Path(sys.executable).with_name("cfn-lint")
    command = [str(cfn_lint)] if cfn_lint.exists() else ["cfn-lint"]
    result = subprocess.run([*command, str(ROOT / "template.yaml")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_sam_validate_lint_passes() -> None:
    sam = _sam()
    if sam is None:
        pytest.skip("SAM CLI not installed here (make test installs it into .venv-sam)")
    result = subprocess.run(
        [sam, "validate", "--lint", "--template", str(ROOT / "template.yaml"), "--region", "us-east-1"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_sam_build_works_without_docker(tmp_path: Path) -> None:
    sam = _sam()
    if sam is None:
        pytest.skip("SAM CLI not installed here (make test installs it into .venv-sam)")
    build_dir = tmp_path / "build"
    result = subprocess.run(
        [sam, "build", "--template", str(ROOT / "template.yaml"), "--build-dir", str(build_dir)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    package = build_dir / "WatchFunction"
    assert (package / "handler.py").is_file()
    assert (package / "scraper" / "match.py").is_file()
    assert (package / "watchlist.yaml").is_file()
    assert (package / "httpx").is_dir() and (package / "lxml").is_dir()
    # lxml must be the Lambda's arm64 build, not this machine's
    assert any("aarch64" in p.name for p in (package / "lxml").glob("etree*.so"))


def test_policies_grant_no_wildcard_resource() -> None:
    function = _template()["Resources"]["WatchFunction"]["Properties"]
    text = yaml.safe_dump(function["Policies"])
    assert "Resource: '*'" not in text and 'Resource: "*"' not in text
    assert "dynamodb:Scan" not in text


def test_no_overlapping_runs_and_a_failure_path() -> None:
    resources = _template()["Resources"]
    function = resources["WatchFunction"]["Properties"]
    # one run at a time, unless the account cannot reserve any (ReserveConcurrency=false)
    assert function["ReservedConcurrentExecutions"] == {
        "If": ["ReservesConcurrency", 1, {"Ref": "AWS::NoValue"}]
    }
    assert _template()["Parameters"]["ReserveConcurrency"]["Default"] == "true"
    assert "OnFailure" in function["EventInvokeConfig"]["DestinationConfig"]
    assert resources["ErrorAlarm"]["Properties"]["MetricName"] == "Errors"
    table = resources["WatchTable"]["Properties"]
    assert table["BillingMode"] == "PAY_PER_REQUEST"
    assert table["TimeToLiveSpecification"]["Enabled"] is True
    assert table["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True


def test_a_work_batch_that_keeps_failing_reaches_the_dead_letter_queue_before_it_expires() -> None:
    # SQS hands a failed message out again only after its visibility timeout, and moves it to the dead-letter
    # queue on the receive after maxReceiveCount; a message that expires first is dropped without a trace
    # (and the dead-letter alarm never fires).
    queue = _template()["Resources"]["WorkQueue"]["Properties"]
    receives = queue["RedrivePolicy"]["maxReceiveCount"]
    assert queue["MessageRetentionPeriod"] > receives * queue["VisibilityTimeout"] + 600


def test_no_secret_in_template() -> None:
    text = (ROOT / "template.yaml").read_text()
    assert "hooks.slack.com" not in text
    assert "xoxb-" not in text


def test_a_bot_token_is_read_from_ssm_only_when_the_stack_names_one() -> None:
    """SPEC: secrets from SSM. The bot token gets its own SecureString parameter and grant, both
    conditional: a webhook stack has neither variable nor permission for it."""
    template = _template()
    assert template["Parameters"]["SlackBotTokenParam"]["Default"] == ""
    assert template["Parameters"]["SlackChannel"]["Default"] == ""
    for name in ("WatchFunction", "WorkerFunction"):
        function = template["Resources"][name]["Properties"]
        variables = function["Environment"]["Variables"]
        assert "SLACK_BOT_TOKEN" not in variables
        assert variables["SLACK_BOT_TOKEN_PARAM"] == {
            "If": ["HasSlackBot", {"Ref": "SlackBotTokenParam"}, {"Ref": "AWS::NoValue"}]
        }
        assert variables["SLACK_CHANNEL"] == {
            "If": ["HasSlackBot", {"Ref": "SlackChannel"}, {"Ref": "AWS::NoValue"}]
        }
        grants = [p for p in function["Policies"] if "SlackBotTokenParam" in yaml.safe_dump(p)]
        assert len(grants) == 1 and grants[0]["If"][0] == "HasSlackBot"


def test_an_email_only_stack_needs_no_slack_parameter() -> None:
    """An empty SlackWebhookParam deploys without Slack: no variable for the job, no SSM grant."""
    template = _template()
    parameter = template["Parameters"]["SlackWebhookParam"]
    assert re.fullmatch(parameter["AllowedPattern"], "")
    assert re.fullmatch(parameter["AllowedPattern"], parameter["Default"])
    assert not re.fullmatch(parameter["AllowedPattern"], "no-leading-slash")
    for name in ("WatchFunction", "WorkerFunction"):
        function = template["Resources"][name]["Properties"]
        variable = function["Environment"]["Variables"]["SLACK_WEBHOOK_PARAM"]
        assert variable == {"If": ["HasSlack", {"Ref": "SlackWebhookParam"}, {"Ref": "AWS::NoValue"}]}
        grants = [p for p in function["Policies"] if "SlackWebhookParam" in yaml.safe_dump(p)]
        assert grants and all(list(p) == ["If"] and p["If"][0] == "HasSlack" for p in grants)
        ssm = [p for p in function["Policies"] if "ssm:GetParameter" in yaml.safe_dump(p)]
        assert all(list(p) == ["If"] and p["If"][0] in ("HasSlack", "HasSlackBot") for p in ssm)


def test_every_alarm_can_publish_to_its_topic() -> None:
    # CloudWatch cannot publish to an SNS topic encrypted with the AWS-managed key alias/aws/sns: the four alarms
    # went to ALARM and notified no one ("AWSKMS ... AccessDeniedException" in their history)
    resources = _template()["Resources"]
    alarms = {name: r for name, r in resources.items() if r["Type"] == "AWS::CloudWatch::Alarm"}
    assert len(alarms) >= 4
    for name, alarm in alarms.items():
        for action in alarm["Properties"]["AlarmActions"]:
            topic = resources[action["Ref"]]
            assert topic["Type"] == "AWS::SNS::Topic", name
            key = topic.get("Properties", {}).get("KmsMasterKeyId")
            assert key is None or "alias/aws/sns" not in str(key), name


def test_policies_grant_only_the_table_calls_the_code_makes() -> None:
    # ConditionCheckItem was granted and never called
    code = "\n".join(p.read_text() for p in (ROOT / "alerts").glob("*.py"))
    text = yaml.safe_dump(
        [_template()["Resources"][f]["Properties"]["Policies"] for f in ("WatchFunction", "WorkerFunction")]
    )
    for action in set(re.findall(r"dynamodb:(\w+)", text)):
        assert f'"{action}"' in code, action  # the store names each call's operation ("PutItem")
