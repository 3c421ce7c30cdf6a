"""The load test's form reader (loadtest/formdata.py) submits a form as a browser would."""

import sys
from pathlib import Path

from django.urls import reverse

from restrictions.constants import Status

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "loadtest"))
from formdata import form_values

PAGE = """
<form method="post" action="/accounts/sign-out/"><input type="hidden" name="csrf" value="a">
<button>Sign out</button></form>
<form method="post">
  <input type="hidden" name="csrf" value="b">
  <input type="radio" name="decision" value="approve">
  <input type="radio" name="decision" value="refuse" checked>
  <input type="checkbox" name="terms" value="written_only" checked>
  <input type="checkbox" name="terms" value="email_only">
  <input type="checkbox" name="on_file">
  <select name="contact"><option value="">None</option><option value="7">Sam</option></select>
  <select name="kind"><option value="a">A</option><option value="b" selected>B</option></select>
  <textarea name="notes">
Line one</textarea>
  <input type="text" name="phone_times" value="Tuesdays">
  <input type="submit" name="submit" value="Record">
</form>
"""


def test_the_form_with_the_field_is_read_as_a_browser_submits_it():
    assert form_values(PAGE, "decision") == [
        ("csrf", "b"), ("decision", "refuse"), ("terms", "written_only"), ("contact", ""),
        ("kind", "b"), ("notes", "Line one"), ("phone_times", "Tuesdays")]
    assert form_values(PAGE, "nothing") == []


def test_a_decide_page_read_this_way_approves_the_request_unchanged(org, client_for, submitted):
    terms = list(submitted.terms)
    assert terms  # something to send back unchanged
    client = client_for(org.head)
    url = reverse("restrictions:decide", args=[submitted.pk])
    fields = [(k, v) for k, v in form_values(client.get(url).content.decode(), "decision")
              if k != "decision"]
    data: dict[str, list[str]] = {"decision": ["approve"]}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    response = client.post(url, data)
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Status.APPROVED
    assert submitted.terms == terms  # sent back as shown: no amendment, so no reason needed
    assert submitted.decision_reason == ""
