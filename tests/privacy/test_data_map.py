"""docs/DATA_MAP.md is what ``manage.py data_map`` writes from the rules today."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from privacy import datamap, registry

COMMITTED = Path(settings.BASE_DIR) / "docs" / "DATA_MAP.md"


def test_the_committed_data_map_is_up_to_date():
    assert COMMITTED.read_text(encoding="utf-8") == datamap.render(), (
        "docs/DATA_MAP.md is out of date: run `manage.py data_map` and commit it")


def test_the_command_writes_the_map_and_check_fails_when_it_differs(tmp_path):
    output = tmp_path / "DATA_MAP.md"
    call_command("data_map", "--output", str(output))
    assert output.read_text(encoding="utf-8") == datamap.render()
    call_command("data_map", "--check", "--output", str(output))
    output.write_text(output.read_text(encoding="utf-8").replace("6 years", "7 years"))
    with pytest.raises(CommandError, match="out of date"):
        call_command("data_map", "--check", "--output", str(output))


def test_every_rule_and_exemption_is_in_the_map():
    text = datamap.render()
    for label in (*registry.RULES, *registry.EXEMPT):
        assert label in text


def test_a_changed_period_changes_the_map(settings):
    before = datamap.render()
    settings.PRIVACY_RETENTION_DAYS = {**settings.PRIVACY_RETENTION_DAYS, "welfare": 730}
    after = datamap.render()
    assert before != after
    assert "| welfare.DistressFlag | 2 years after the flag was raised | anonymise |" in after


def test_who_can_see_it_comes_from_the_permission_rules():
    assert datamap.readable_rule("privacy.manage_legal_hold") == (
        "`privacy.manage_legal_hold`: role Compliance")
    assert "nobody" in datamap.readable_rule("privacy.no_such_permission")
