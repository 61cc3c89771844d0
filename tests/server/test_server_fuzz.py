"""Property-based fuzzing of the published OpenAPI schema: no request, however odd, gets a 5xx.

Requests are generated from the schema itself (so a new route is fuzzed without touching this file), biased towards
values the service understands (real record tables and fields, current protocol versions, existing ids) so the
deep paths run, and mixed with wrong types, missing and extra keys, random JSON, raw bytes and bad credentials.
"""

from __future__ import annotations

import json
import string
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from server_helpers import World, change, push

from youthwork.domain.ids import new_id
from youthwork.domain.records import RECORD_TYPES

TABLES = sorted(RECORD_TYPES)
FIELD_NAMES = sorted({name for cls in RECORD_TYPES.values() for name in cls.field_names()})

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=30)
    | st.sampled_from(["", "red", "2026-01-01", "2026-01-01T10:00:00+00:00", "\x00", "\ud800", "9999-12-31"])
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


def _times() -> st.SearchStrategy[str]:
    now = datetime.now(UTC)
    return st.one_of(
        *[st.just(now.isoformat())] * 6,
        st.integers(-(10**6), 10**6).map(lambda s: (now + timedelta(seconds=s)).isoformat()),
        st.datetimes().map(lambda d: d.isoformat()),
        st.text(max_size=20),
    )


class Generator:
    """A JSON-schema walker that builds hypothesis strategies, with hints for the names this protocol uses."""

    def __init__(self, spec: dict[str, Any], ids: list[str]) -> None:
        self.spec = spec
        self.ids = ids

    def resolve(self, schema: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[-1]
            schema = self.spec["components"]["schemas"][name]
        return schema

    def named(self, name: str) -> st.SearchStrategy[Any] | None:
        if name in ("protocol_version", "schema_version"):
            return st.sampled_from([1] * 12 + [0, 2, -1, 2**63])
        if name == "device_time":
            return _times()
        if name == "table":
            return st.sampled_from(TABLES) | st.text(max_size=70)
        if name in ("record_id", "referral_id", "person_id", "session_id"):
            return st.sampled_from(self.ids) | st.builds(new_id) | st.text(max_size=70)
        if name == "fields":
            return st.dictionaries(st.sampled_from(FIELD_NAMES) | st.text(max_size=10), json_values, max_size=6)
        if name == "changes":
            plausible = st.fixed_dictionaries(
                {
                    "change_id": st.text(string.ascii_letters, min_size=1, max_size=64),
                    "table": st.sampled_from(["people"] * 6 + TABLES),
                    "record_id": st.sampled_from(self.ids) | st.builds(new_id),
                    "fields": st.one_of(
                        *[st.fixed_dictionaries({"first_name": st.text(string.ascii_letters, min_size=1, max_size=9)})]
                        * 3,
                        st.dictionaries(st.sampled_from(FIELD_NAMES), json_values, max_size=4),
                    ),
                },
                optional={"op": st.sampled_from(["upsert", "delete"]), "base_version": st.integers(0, 5)},
            )
            return st.lists(plausible, min_size=1, max_size=5)
        if name == "cursor":
            return st.none() | st.sampled_from(["c1.0", "c1.ffffffffffffffff", "c1.-1", "c2.5"]) | st.text(max_size=20)
        return None

    def build(self, schema: dict[str, Any], name: str = "") -> st.SearchStrategy[Any]:
        schema = self.resolve(schema)
        hinted = self.named(name)
        plain = self._plain(schema)
        anything = json_values
        # Mostly well-formed, so requests get past validation to the handlers; sometimes anything at all.
        if hinted is not None:
            return st.one_of(*[hinted] * 8, plain, anything)
        return st.one_of(*[plain] * 8, anything)

    def _plain(self, schema: dict[str, Any]) -> st.SearchStrategy[Any]:
        if "anyOf" in schema:
            return st.one_of([self._plain(self.resolve(s)) for s in schema["anyOf"]])
        if "enum" in schema:
            return st.sampled_from(schema["enum"])
        kind = schema.get("type")
        if kind == "object":
            props = schema.get("properties", {})
            if not props:
                return st.dictionaries(st.text(max_size=10), json_values, max_size=4)
            required = set(schema.get("required", ()))
            fixed = {k: self.build(v, k) for k, v in props.items() if k in required}
            optional = {k: self.build(v, k) for k, v in props.items() if k not in required}
            return st.one_of(
                *[st.fixed_dictionaries(fixed, optional=optional)] * 4,
                st.fixed_dictionaries(fixed, optional=optional | {"unexpected": json_values}),
            )
        if kind == "array":
            return st.lists(self.build(schema.get("items", {})), max_size=min(schema.get("maxItems", 5), 5))
        if kind == "integer":
            return st.integers(min_value=schema.get("minimum", -(2**40)), max_value=schema.get("maximum", 2**40))
        if kind == "boolean":
            return st.booleans()
        if kind == "string":
            if schema.get("format") == "date-time":
                return _times()
            return st.text(min_size=schema.get("minLength", 0), max_size=min(schema.get("maxLength", 40), 80))
        return json_values


@pytest.fixture
def fuzz_world(world: World) -> tuple[World, list[str]]:
    pid, ref = new_id(), new_id()
    push(
        world.client,
        world["worker"],
        [
            change("people", pid, {"first_name": "Jay"}),
            change(
                "referrals",
                ref,
                {
                    "person_id": pid,
                    "to_team_id": world.teams["tys"],
                    "reason": "x",
                    "lawful_basis": "consent",
                    "consent_given_by": "young_person",
                    "status": "sent",
                },
            ),
        ],
    )
    return world, [pid, ref]


def test_no_request_gets_a_server_error(fuzz_world: tuple[World, list[str]], app: Any) -> None:
    world, ids = fuzz_world
    spec = app.openapi()
    gen = Generator(spec, ids)
    operations = []
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            body_schema = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            params = {p["name"]: (p["in"], gen.build(p.get("schema", {}), p["name"])) for p in op.get("parameters", [])}
            # The sync routes carry the most logic: fuzz them three times as often.
            operations += [(method.upper(), path, body_schema, params)] * (
                3 if path.startswith("/api/v1/sync/p") else 1
            )
    good = [world[k].token for k in ("worker", "tys", "partner", "admin", "igt")]
    bad = [None, "garbage", "ywd_" + "A" * 43]

    bodies = st.one_of(
        st.just(None),
        json_values.map(lambda v: json.dumps(v).encode()),
        st.binary(max_size=64),
        st.text(alphabet=string.printable, max_size=40).map(str.encode),
    )

    @settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck), database=None, derandomize=True)
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        method, path, body_schema, params = data.draw(st.sampled_from(operations))
        url = path
        query: dict[str, Any] = {}
        for name, (where, strategy) in params.items():
            value = data.draw(strategy)
            if where == "path":
                text = str(value) if value not in (None, "") else "x"
                url = url.replace("{" + name + "}", quote(text.encode("utf-8", "surrogatepass"), safe=""))
            elif value is not None and not isinstance(value, dict | list):
                query[name] = quote(str(value).encode("utf-8", "surrogatepass"), safe="")
        # Top-level choices by a hypothesis-controlled Random: mostly signed-in, well-formed JSON requests.
        rnd = data.draw(st.randoms(use_true_random=False))
        token = rnd.choice(good) if rnd.random() < 0.8 else rnd.choice(bad)
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        if body_schema is not None and rnd.random() < 0.8:
            content = json.dumps(data.draw(gen.build(body_schema)), ensure_ascii=data.draw(st.booleans())).encode(
                "utf-8", "surrogatepass"
            )
        else:
            content = data.draw(bodies)
        if content is not None:
            headers["Content-Type"] = "application/json" if rnd.random() < 0.9 else rnd.choice(["text/plain", "a/b"])
        if query:
            url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
        response = world.client.request(method, url, headers=headers, content=content)
        assert response.status_code < 500, (method, url, response.status_code, response.text)
        statuses[response.status_code] += 1
        if path.endswith("/push") and response.status_code == 200:
            statuses["push-" + ",".join(sorted({r["status"] for r in response.json()["results"]}))] += 1
        if response.status_code >= 400:
            body = response.json()
            assert set(body) == {"code", "message"} and body["message"]

    statuses: Counter[int | str] = Counter()
    run()
    print(dict(statuses))
    # The fuzzing reached the handlers, not only the front door.
    assert statuses[200] > 10 and len([k for k in statuses if isinstance(k, int)]) >= 5, statuses
    assert any(isinstance(k, str) and "applied" in k for k in statuses), statuses
