"""The alert rules load in Prometheus and fire when they should (issue 23), checked by
Prometheus's own promtool (``make test`` fetches it into var/tools/: scripts/system_deps.sh).
"""

import shutil
import subprocess
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "docs" / "prometheus-alerts.yml"
RULE_TESTS = ROOT / "docs" / "prometheus-alerts.test.yml"


def promtool() -> str:
    found = shutil.which("promtool") or str(ROOT / "var" / "tools" / "promtool")
    assert Path(found).exists(), "promtool is missing: run scripts/system_deps.sh test"
    return found


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([promtool(), *args], cwd=RULES.parent, capture_output=True,
                          text=True, timeout=120)


def test_promtool_accepts_the_rules():
    result = run("check", "rules", RULES.name)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS" in result.stdout


def test_the_rules_unit_tests_pass_in_promtool():
    result = run("test", "rules", RULE_TESTS.name)
    assert result.returncode == 0, result.stdout + result.stderr


def test_promtool_would_catch_a_broken_rule(tmp_path):
    """The check is real: a rule with a bad expression is refused."""
    broken = yaml.safe_load(RULES.read_text())
    broken["groups"][0]["rules"][0]["expr"] = "sum(rate(x[5m]) >"
    path = tmp_path / "broken.yml"
    path.write_text(yaml.safe_dump(broken))
    result = subprocess.run([promtool(), "check", "rules", str(path)], capture_output=True,
                            text=True, timeout=120)
    assert result.returncode != 0


def test_every_alert_the_issue_asks_for_has_a_unit_test():
    """An overdue reminder, an old outbox and /healthz failing each fire in a promtool test."""
    tested = {case["alertname"]
              for test in yaml.safe_load(RULE_TESTS.read_text())["tests"]
              for case in test.get("alert_rule_test", [])}
    asked = {"ContactHandlingReminderOverdue", "ContactHandlingEmailOutboxOld",
             "ContactHandlingWebhookOutboxOld", "ContactHandlingTargetDown",
             "ContactHandlingHealthzFailing"}
    missing = asked - tested
    assert not missing, f"no promtool test for {sorted(missing)}"
