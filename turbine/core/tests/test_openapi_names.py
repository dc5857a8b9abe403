"""Schema names are unique across the published OpenAPI: ninja names a component after its
class, and two classes with one name silently become one component (the wrong one for half of
the endpoints)."""

from __future__ import annotations

import json
from collections import defaultdict

import pytest
from ninja import Schema

from turbine.core.api import api


def _subclasses(cls: type) -> set[type]:
    found: set[type] = set()
    for sub in cls.__subclasses__():
        found.add(sub)
        found |= _subclasses(sub)
    return found


def test_it_gives_every_turbine_schema_its_own_name() -> None:
    api.get_openapi_schema()  # imports every router, hence every schema
    classes: dict[str, set[str]] = defaultdict(set)
    for cls in _subclasses(Schema):
        if cls.__module__.startswith("turbine."):
            classes[cls.__name__].add(f"{cls.__module__}.{cls.__qualname__}")
    collisions = {name: paths for name, paths in classes.items() if len(paths) > 1}
    assert collisions == {}


@pytest.mark.django_db
def test_it_publishes_each_component_once(client) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    text = response.content.decode()
    components = json.loads(text)["components"]["schemas"]
    assert "AgglomerationOut" in components and "AgglomerationResultOut" in components
    assert set(components["AgglomerationOut"]["properties"]) >= {"siren"}
    # Every component key appears once in the raw document (no duplicate keys merged by json).
    for name in components:
        assert text.count(f'"{name}": {{') + text.count(f'"{name}":{{') == 1, name
