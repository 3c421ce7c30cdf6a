"""Hypothesis over the OpenAPI schema: for every operation that takes a body, bodies built
from its request schema (right and wrong types, missing and unknown fields) never get a 500,
and every refusal is a problem-details body."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.views_schema import schema_dict

pytestmark = pytest.mark.django_db
SCHEMA = schema_dict()
COMPONENTS = SCHEMA["components"]["schemas"]

anything = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                  max_size=3), max_leaves=6)


def _resolve(schema: dict) -> dict:
    while "$ref" in schema:
        schema = COMPONENTS[schema["$ref"].rsplit("/", 1)[1]]
    if "allOf" in schema:
        merged: dict = {"type": "object", "properties": {}, "required": []}
        for part in schema["allOf"]:
            part = _resolve(part)
            merged["properties"].update(part.get("properties", {}))
        return merged
    return schema


def _value(schema: dict) -> st.SearchStrategy:
    """A value the schema allows, most of the time; anything at all otherwise."""
    schema = _resolve(schema)
    if "enum" in schema:
        right = st.sampled_from(schema["enum"])
    elif schema.get("type") == "string" and schema.get("format") == "date-time":
        right = st.datetimes().map(lambda d: d.isoformat())
    elif schema.get("type") == "string" and schema.get("format") == "uri":
        right = st.sampled_from(["https://cmeh.example/hooks", "http://127.0.0.1:9/x"])
    elif schema.get("type") == "string":
        right = st.text(max_size=schema.get("maxLength", 50) + 5)
    elif schema.get("type") == "integer":
        right = st.integers()
    elif schema.get("type") == "array":
        right = st.lists(_value(schema.get("items", {})), max_size=4)
    elif schema.get("type") == "object":
        right = _body(schema)
    else:
        right = anything
    return st.one_of(right, right, right, anything)


def _body(schema: dict) -> st.SearchStrategy:
    schema = _resolve(schema)
    props = schema.get("properties", {})
    fixed = st.fixed_dictionaries({}, optional={k: _value(v) for k, v in props.items()})
    extra = st.dictionaries(st.sampled_from(["colour", "id", "is_superuser"]), anything,
                            max_size=1)
    return st.builds(lambda a, b: {**a, **b}, fixed, st.one_of(st.just({}), extra))


def _operations():
    for path, methods in SCHEMA["paths"].items():
        for method, op in methods.items():
            body = op.get("requestBody", {}).get("content", {}).get("application/json")
            if body:
                concrete = path.replace("{pk}", "1").replace("{external_id}", "X-1")
                yield method, concrete, body["schema"]


OPERATIONS = list(_operations())


def test_the_schema_has_operations_to_fuzz():
    assert {p for _, p, _ in OPERATIONS} >= {"/api/v1/calls/events",
                                             "/api/v1/webhooks/subscriptions"}


@pytest.mark.parametrize(("method", "path", "schema"), OPERATIONS,
                         ids=[f"{m} {p}" for m, p, _ in OPERATIONS])
def test_bodies_from_the_schema_never_500(api, method, path, schema):
    @settings(max_examples=40, deadline=None,
              suppress_health_check=[HealthCheck.function_scoped_fixture,
                                     HealthCheck.too_slow])
    @given(body=_body(schema))
    def run(body):
        response = getattr(api, method)(path, data=json.dumps(body),
                                        content_type="application/json")
        assert response.status_code < 500, (body, response.content)
        if response.status_code >= 400:
            assert response["Content-Type"] == "application/problem+json"

    run()
