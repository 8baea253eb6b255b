"""Issue 10: lists never contain others' objects. For every list of the API, the world's objects of
learner A (or of X's cohort) that each identity finds in it — one row per list, one column per identity.
The other identities' own objects may be there; A's are there only for those who may open them."""
import pytest
from rest_framework.test import APIClient

from .world import IDENTITIES, world_build

pytestmark = pytest.mark.django_db

# list path, key of an item's id, A's objects of that kind (name -> world attribute path), then for each identity
# (same order as world.IDENTITIES, anon left out: 401) which of those objects it must find, "-" for none.
LISTS = [
    ("/api/v1/coaching/requests/", "id", {"r": "request", "o": "open_request"},
     "r,o  -  -  -  r,o  -  r  o  r,o"),
    ("/api/v1/coaching/missions/", "id", {"m": "mission"},
     "m  -  -  -  m  -  m  -  m"),
    ("/api/v1/coaching/proposals/", "id", {"p": "proposal", "q": "mission.proposal"},
     "p,q  -  -  -  p,q  -  q  p  p,q"),
    ("/api/v1/enrollments/", "id", {"e": "enrollment"},
     "e  -  -  -  -  -  -  -  -"),
    ("/api/v1/quiz-attempts/", "id", {"a": "attempt"},
     "a  -  -  -  -  -  -  -  -"),
    ("/api/v1/certificates/", "code", {"c": "certificate"},
     "c  -  -  -  -  -  -  -  -"),
    ("/api/v1/diagnostic/responses/", "id", {"d": "diagnostic"},
     "d  -  -  -  -  -  -  -  -"),
    ("/api/v1/cohort-memberships/", "id", {"m": "membership_a"},
     "m  -  -  -  -  -  -  -  -"),
    ("/api/v1/cohorts/", "id", {"x": "cohort_x"},
     "-  -  -  -  x  -  -  -  x"),
    ("/api/v1/cohorts/{cohort_x}/memberships/", "user_id", {"a": "learner_a"},
     "-  -  -  -  a  -  -  -  a"),
]


def _attr(world, path: str):
    value = world
    for part in path.split("."):
        value = getattr(value, part)
    return value


def _ids(data, key: str) -> set:
    items = data["results"] if isinstance(data, dict) and "results" in data else data
    if isinstance(items, dict):
        items = items.get("members") or items.get("items") or []
    return {item.get(key, item.get("user", {}).get("id") if isinstance(item.get("user"), dict) else None) for item in items}


def test_lists_never_contain_others_objects():
    world = world_build()
    problems, checks = [], 0
    for path, key, objects, row in LISTS:
        url = path.replace("{cohort_x}", str(world.cohort_x.pk))
        values = {name: getattr(_attr(world, attr), "code" if key == "code" else "pk") for name, attr in objects.items()}
        cells = row.split()
        assert len(cells) == len(IDENTITIES) - 1, path
        anon = APIClient().get(url)
        checks += 1
        if anon.status_code != 401:
            problems.append(f"{path} as anon: {anon.status_code}")
        for identity, cell in zip(IDENTITIES[1:], cells, strict=True):
            client = APIClient()
            client.force_authenticate(getattr(world, identity))
            response = client.get(url)
            checks += 1
            expected = set() if cell == "-" else {values[name] for name in cell.split(",")}
            if response.status_code == 404 and not expected:
                continue  # a list of a cohort that is not theirs: not found at all
            seen = _ids(response.json(), key) & set(values.values())
            if seen != expected:
                problems.append(f"{path} as {identity}: expected {sorted(map(str, expected))}, saw {sorted(map(str, seen))}")
    print(f"\nlists: {len(LISTS)} lists × {len(IDENTITIES)} identities = {checks} checks")
    assert not problems, "\n".join(problems)
