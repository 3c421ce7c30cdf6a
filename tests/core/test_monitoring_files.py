"""Issue 23: docs/grafana-dashboard.json and docs/prometheus-alerts.yml are valid, cover what
the issue asks for, and name only metrics that /metrics exports (scraped here after one
request, one failing Celery task and one failing query)."""

import json
import re
from pathlib import Path

import pytest
import yaml
from django.db import DatabaseError, connection, transaction
from prometheus_client.parser import text_string_to_metric_families

from core.tasks import forget_old_submission_keys

pytestmark = pytest.mark.django_db

DOCS = Path(__file__).resolve().parents[2] / "docs"
TOKEN = "scrape-token-0123456789-abcdef"
# Made by Prometheus itself (up) and the blackbox exporter probing /healthz (probe_success).
NOT_OURS = {"up", "probe_success"}
PROMQL_WORDS = {
    "and", "or", "unless", "bool", "by", "without", "on", "ignoring", "group_left",
    "group_right", "offset", "sum", "min", "max", "avg", "count", "topk", "bottomk",
    "quantile", "stddev", "rate", "irate", "increase", "delta", "deriv", "histogram_quantile",
    "abs", "clamp_min", "clamp_max", "absent", "time", "vector", "scalar", "avg_over_time",
    "max_over_time", "min_over_time", "sum_over_time", "label_replace", "humanize"}


def metric_names(expr: str) -> set[str]:
    """The metric names a PromQL expression reads (label matchers, ranges, grouping, strings
    and functions removed)."""
    expr = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)
    expr = re.sub(r"\{[^}]*\}", "", expr)
    expr = re.sub(r"\[[^\]]*\]", "", expr)
    expr = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", "", expr)
    expr = re.sub(r"\boffset\s+\w+", "", expr)
    return {t for t in re.findall(r"(?<![\w.])[A-Za-z_:][\w:]*", expr)
            if t not in PROMQL_WORDS}


def dashboard() -> dict:
    return json.loads((DOCS / "grafana-dashboard.json").read_text())


def alert_rules() -> list[dict]:
    document = yaml.safe_load((DOCS / "prometheus-alerts.yml").read_text())
    return [rule for group in document["groups"] for rule in group["rules"]]


def dashboard_exprs() -> dict[str, list[str]]:
    return {p["title"]: [t["expr"] for t in p["targets"]] for p in dashboard()["panels"]}


def test_metric_names_are_found_in_an_expression():
    expr = ('histogram_quantile(0.95, sum by (le, view) (rate(a_bucket{job=~"$j",x="y z"}'
            '[$__rate_interval]))) / max by (kind) (b offset 10m) > 0 and up == 0')
    assert metric_names(expr) == {"a_bucket", "b", "up"}


def test_the_dashboard_is_a_grafana_dashboard_with_the_panels_asked_for():
    board = dashboard()
    assert board["title"]
    assert board["uid"]
    assert isinstance(board["schemaVersion"], int)
    assert {i["name"] for i in board["__inputs"]} == {"DS_PROMETHEUS"}
    ids = [p["id"] for p in board["panels"]]
    assert len(ids) == len(set(ids))
    for p in board["panels"]:
        assert p["type"] == "timeseries"
        assert set(p["gridPos"]) == {"h", "w", "x", "y"}
        assert p["datasource"]["uid"] == "${DS_PROMETHEUS}"
        assert p["targets"], p["title"]
        refs = [t["refId"] for t in p["targets"]]
        assert len(refs) == len(set(refs))
        for target in p["targets"]:
            assert metric_names(target["expr"]), target["expr"]
    names_by_panel = {title: set().union(*map(metric_names, exprs))
                      for title, exprs in dashboard_exprs().items()}
    everything = set().union(*names_by_panel.values())
    for wanted in ["django_http_requests_latency_seconds_by_view_method_bucket",
                   "django_http_responses_total_by_status_view_method_total",
                   "django_http_requests_total_by_view_transport_method_total",
                   "django_db_execute_total", "contact_due_items_overdue",
                   "contact_email_outbox_pending", "contact_webhook_outbox_pending",
                   "contact_webhook_outbox_given_up", "celery_task_failures_total"]:
        assert wanted in everything, wanted


def test_the_alert_rules_are_prometheus_rules_covering_the_issue():
    rules = alert_rules()
    names = [r["alert"] for r in rules]
    assert len(names) == len(set(names))
    for rule in rules:
        assert rule["expr"].strip()
        assert rule["labels"]["severity"] in {"warning", "critical"}
        assert rule["annotations"]["summary"]
        assert re.fullmatch(r"\d+[smh]", rule.get("for", "0s"))
    by_metric = {}
    for rule in rules:
        for name in metric_names(rule["expr"]):
            by_metric.setdefault(name, []).append(rule["alert"])
    for wanted in ["django_http_requests_latency_seconds_by_view_method_bucket",  # high p95
                   "django_http_responses_total_by_status_view_method_total",  # 5xx rate
                   "contact_due_items_overdue",  # growing
                   "contact_due_items_overdue_oldest_seconds",  # overdue > 10 minutes
                   "contact_email_outbox_oldest_seconds",  # outbox older than 15 minutes
                   "contact_webhook_outbox_given_up", "celery_task_failures_total",
                   "up", "probe_success"]:  # target down, /healthz failing
        assert wanted in by_metric, wanted
    overdue = next(r for r in rules if "contact_due_items_overdue_oldest_seconds" in r["expr"])
    assert "> 600" in overdue["expr"]  # 10 minutes
    outbox = next(r for r in rules if "contact_email_outbox_oldest_seconds" in r["expr"])
    assert "> 900" in outbox["expr"]  # 15 minutes


def _exported(client, settings) -> set[str]:
    settings.METRICS_TOKEN = TOKEN
    assert client.get("/healthz").status_code in (200, 503)  # one request
    forget_old_submission_keys.apply(args=["unexpected"], throw=False)  # one failing task
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT no_such_column FROM no_such_table")  # one failing query
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    return {sample.name for family in text_string_to_metric_families(response.content.decode())
            for sample in family.samples}


def test_every_metric_the_dashboard_and_alerts_name_is_exported(client, settings):
    exported = _exported(client, settings)
    named = set()
    for exprs in dashboard_exprs().values():
        for expr in exprs:
            named |= metric_names(expr)
    for rule in alert_rules():
        named |= metric_names(rule["expr"])
    missing = named - exported - NOT_OURS
    assert not missing, f"named but not exported by /metrics: {sorted(missing)}"
