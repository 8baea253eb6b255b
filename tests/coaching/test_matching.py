"""The explainable score on hand-built cases: expected order, exact components, hard filters never violated."""
import datetime as dt
import random

import pytest
from django.utils import translation

from coaching.matching import WEIGHTS, CoachFacts, RequestFacts, component_reason, hard_filter_failures, rank, score_coach

NOW = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)
WINTER_DAY = dt.date(2026, 3, 2)  # Paris UTC+1, Shanghai UTC+8: 7 hours apart


def request(**overrides) -> RequestFacts:
    values = {"topic_key": "finance", "languages": ("fr", "en"), "format": "remote", "country": "FR", "city": "Lyon",
                  "time_zone": "Europe/Paris", "monthly_hours": 2, "starts_on": WINTER_DAY, "ends_on": WINTER_DAY + dt.timedelta(days=89),
                  "text": "Notre budget est tenu sur Excel, mal.", "learner_id": 1000}
    values.update(overrides)
    return RequestFacts(**values)


def coach(profile_id: int, **overrides) -> CoachFacts:
    values = {"profile_id": profile_id, "user_id": profile_id + 100, "name": f"Coach {profile_id}", "country": "FR", "city": "Paris",
                  "works_remotely": True, "works_in_person": False, "time_zone": "Europe/Paris", "monthly_capacity_hours": 10,
                  "topic_levels": {"finance": 3}, "languages": {"fr": 3}}
    values.update(overrides)
    return CoachFacts(**values)


def components(candidate) -> dict[str, float]:
    return {c.key: round(c.weight * c.value, 2) for c in candidate.components}


def test_weights_sum_to_100():
    assert sum(WEIGHTS.values()) == 100


def test_hand_built_ranking_is_the_expected_one_with_every_component():
    coaches = [
        coach(2, topic_levels={"finance": 2}, tags={"Excel": 3}, languages={"fr": 2}, time_zone="Asia/Shanghai"),   # B
        coach(1),                                                                                                  # A
        coach(3, languages={"en": 3}, committed_monthly_hours=5, feedback_mean=5.0, feedback_count=2,
              last_mission_at=NOW - dt.timedelta(days=30)),                                                       # C
        coach(4, languages={"zh-hans": 3}),                                                                         # no language
        coach(5, works_remotely=False, works_in_person=True),                                                       # in Paris only
        coach(6, committed_monthly_hours=9),                                                                        # 1 h left, 2 needed
        coach(7, declined=True),                                                                                    # said no
        coach(8, user_id=1000),                                                                                     # the learner
        coach(9, available_until=WINTER_DAY - dt.timedelta(days=1)),                                                # away
    ]
    eligible, excluded = rank(request(), coaches, now=NOW)

    assert [c.coach.profile_id for c in eligible] == [1, 3, 2]
    assert [c.score for c in eligible] == [95.0, 81.2, 78.3]
    assert components(eligible[0]) == {"skill": 35, "language": 15, "proximity": 15, "load": 15, "feedback": 5, "recency": 10}
    # C: English is the learner's second language (×0.8), half the hours taken, top ratings, a mission 30 days ago.
    assert components(eligible[1]) == {"skill": 35, "language": 12, "proximity": 15, "load": 7.5, "feedback": 10,
                                       "recency": 1.67}
    # B: experienced (2/3) + the "Excel" tag named in the request (+0.25), fluent, 7 hours apart.
    assert components(eligible[2]) == {"skill": 32.08, "language": 10, "proximity": 6.25, "load": 15, "feedback": 5, "recency": 10}

    reasons = {c.coach.profile_id: c.excluded_because for c in excluded}
    assert reasons == {4: ("language",), 5: ("remote",), 6: ("capacity",), 7: ("declined",), 8: ("self",), 9: ("availability",)}


def test_in_person_requests_need_a_coach_in_the_same_city():
    in_person = request(format="in_person")
    eligible, excluded = rank(in_person, [
        coach(1, works_in_person=True, city="Lyon"),
        coach(2, works_in_person=True, works_remotely=True, city="Paris"),
        coach(3, works_remotely=True, city="lyon "),  # same city but does not meet in person
    ], now=NOW)
    assert [c.coach.profile_id for c in eligible] == [1]
    assert eligible[0].components[2].value == 1.0
    assert {c.coach.profile_id: c.excluded_because for c in excluded} == {2: ("place",), 3: ("place",)}


def test_either_format_accepts_remote_coaches_and_local_in_person_ones():
    either = request(format="either")
    eligible, excluded = rank(either, [
        coach(1, works_remotely=False, works_in_person=True, city="LYON"),
        coach(2, time_zone="Asia/Shanghai"),
        coach(3, works_remotely=False, works_in_person=True, city="Paris"),
    ], now=NOW)
    assert [c.coach.profile_id for c in eligible] == [1, 2]
    assert {c.coach.profile_id for c in excluded} == {3}


def test_time_zone_difference_is_measured_on_the_request_start_date():
    summer = request(starts_on=dt.date(2026, 7, 1), ends_on=dt.date(2026, 9, 1))
    winter_points = score_coach(request(), coach(1, time_zone="Asia/Shanghai"), now=NOW).components[2]
    summer_points = score_coach(summer, coach(1, time_zone="Asia/Shanghai"), now=NOW).components[2]
    assert winter_points.details["hours_apart"] == 7
    assert summer_points.details["hours_apart"] == 6  # Paris is on summer time, Shanghai never is


def test_ties_are_broken_the_same_way_whatever_the_input_order():
    coaches = [coach(i, topic_levels={"finance": 1 + i % 3}, languages={"fr": 1 + i % 3, "en": 3},
                     committed_monthly_hours=i % 4, time_zone=["Europe/Paris", "Asia/Shanghai", "Europe/London"][i % 3])
               for i in range(1, 30)]
    first = [(c.coach.profile_id, c.score) for c in rank(request(), coaches, now=NOW)[0]]
    shuffled = coaches[:]
    random.Random(4).shuffle(shuffled)
    assert [(c.coach.profile_id, c.score) for c in rank(request(), shuffled, now=NOW)[0]] == first
    identical = rank(request(), [coach(7), coach(3), coach(5)], now=NOW)[0]
    assert [c.coach.profile_id for c in identical] == [3, 5, 7]


def test_hard_filters_are_never_violated_on_random_coaches():
    rng = random.Random(2026)
    cities = ["Lyon", "Paris", "Chengdu"]
    zones = ["Europe/Paris", "Asia/Shanghai", "America/New_York"]
    for trial in range(40):
        req = request(format=rng.choice(["remote", "in_person", "either"]), city=rng.choice(cities),
                      languages=tuple(rng.sample(["fr", "zh-hans", "en"], rng.randint(1, 2))), monthly_hours=rng.randint(1, 6))
        coaches = []
        for i in range(25):
            remote = rng.random() < .6
            coaches.append(coach(
                i, city=rng.choice(cities), works_remotely=remote, works_in_person=not remote or rng.random() < .5,
                time_zone=rng.choice(zones), monthly_capacity_hours=rng.randint(1, 10), committed_monthly_hours=rng.randint(0, 8),
                languages={code: rng.randint(1, 3) for code in rng.sample(["fr", "zh-hans", "en"], rng.randint(1, 2))},
                declined=rng.random() < .1,
            ))
        eligible, excluded = rank(req, coaches, now=NOW)
        assert len(eligible) + len(excluded) == len(coaches)
        for candidate in eligible:
            c = candidate.coach
            assert set(req.languages) & set(c.languages), trial
            assert not c.declined
            assert c.monthly_capacity_hours - c.committed_monthly_hours >= req.monthly_hours
            if req.format == "in_person":
                assert c.works_in_person and c.city == req.city
            elif req.format == "remote":
                assert c.works_remotely
            else:
                assert c.works_remotely or (c.works_in_person and c.city == req.city)
        scores = [c.score for c in eligible]
        assert scores == sorted(scores, reverse=True)


def test_capacity_can_be_left_out_for_the_marketplace():
    busy = coach(1, committed_monthly_hours=10)
    assert hard_filter_failures(request(), busy) == ("capacity",)
    assert hard_filter_failures(request(), busy, check_capacity=False) == ()


@pytest.mark.parametrize("key,details,expected", [
    ("skill", {"level": 3, "tags": ["Excel"]}, "Declared level in this topic: Expert. Skills named in the request: Excel."),
    ("skill", {"level": 0, "tags": []}, "No declared skill in this topic."),
    ("language", {"language": "zh-hans", "level": 3, "first": True},
     "Speaks 简体中文 (Native or bilingual), the learner's first language."),
    ("proximity", {"same_city": False, "hours_apart": 7.0}, "7 hours of time difference with the learner."),
    ("load", {"committed": 4, "capacity": 10}, "4 of 10 hours a month already committed."),
    ("feedback", {"mean": None, "count": 0}, "No feedback yet: counted as average."),
    ("recency", {"days": 30}, "Last mission started 30 days ago."),
])
def test_every_component_says_why(key, details, expected):
    with translation.override("en"):
        assert component_reason(key, details) == expected
