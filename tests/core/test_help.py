"""In-app help pages quote the procedure and are open to every member of staff."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from accounts.constants import Role
from core.help import TOPICS

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("topic", TOPICS, ids=lambda t: t.slug)
def test_each_topic_renders_with_its_paragraphs(client_for, make_user, topic):
    response = client_for(make_user(Role.CASEWORKER)).get(reverse("core:help", args=[topic.slug]))
    html = response.content.decode()
    assert response.status_code == 200
    assert escape(topic.title) in html
    assert f"procedure paragraphs {topic.paragraphs}" in html


def test_offensive_help_explains_the_steps_in_order(client_for, make_user):
    html = client_for(make_user(Role.CASEWORKER)).get(
        reverse("core:help", args=["offensive"])).content.decode()
    steps = html[html.index("step by step"):]
    positions = [steps.index(p) for p in ("7.4.1", "7.4.2", "7.4.3", "7.4.4", "7.4.5")]
    assert positions == sorted(positions)


def test_unknown_topic_is_404(client_for, make_user):
    client = client_for(make_user(Role.CASEWORKER))
    assert client.get(reverse("core:help", args=["nope"])).status_code == 404


def test_index_lists_every_topic(client_for, make_user):
    html = client_for(make_user(Role.COMPLIANCE)).get(reverse("core:help_index")).content.decode()
    for topic in TOPICS:
        assert reverse("core:help", args=[topic.slug]) in html
