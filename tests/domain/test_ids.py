"""Record ids: ordered ones for people (UUIDs of version 7, each sorting after the one made before),
random ones elsewhere (a prefix of one tells it apart)."""

import uuid

from qingqing_desktop.domain import staff
from qingqing_desktop.domain.staff import StaffMember, new_id, new_ordered_id


def test_ids_are_version_7_uuids_in_the_order_they_were_made():
    ids = [new_ordered_id() for _ in range(20_000)]  # many within one millisecond: the counter orders them
    assert len(set(ids)) == len(ids)
    assert ids == sorted(ids)  # as text, as SQLite compares the TEXT primary key
    for text in ids[:50] + ids[-50:]:
        value = uuid.UUID(text)
        assert value.version == 7 and value.variant == uuid.RFC_4122
        assert str(value) == text


def test_ids_keep_their_order_when_the_clock_stands_still_or_goes_back(monkeypatch):
    clock = iter([5_000_000_000_000_000_000] * 5000 + [4_000_000_000_000_000_000] * 3)
    monkeypatch.setattr(staff.time, "time_ns", lambda: next(clock))
    monkeypatch.setattr(staff, "_last_id_time", [0, 0])
    ids = [new_ordered_id() for _ in range(5003)]  # more than the 4,096 a millisecond's counter holds
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    first_ms = int(uuid.UUID(ids[0]).hex[:12], 16)
    assert first_ms == 5_000_000_000_000  # the milliseconds since 1970 lead the id
    assert int(uuid.UUID(ids[-1]).hex[:12], 16) == first_ms + 1  # the counter ran over into the next


def test_ids_from_two_processes_differ_in_their_random_bits(monkeypatch):
    monkeypatch.setattr(staff.time, "time_ns", lambda: 7_000_000_000_000_000_000)
    made = set()
    for _ in range(200):  # each as if the first id of a fresh process, at the same instant
        monkeypatch.setattr(staff, "_last_id_time", [0, 0])
        made.add(new_ordered_id())
    assert len(made) == 200


def test_a_person_gets_an_ordered_id_and_other_records_a_random_one():
    people = [StaffMember(name=f"张{i}", rank=staff.RankCategory.STAFF).id for i in range(100)]
    assert people == sorted(people) and uuid.UUID(people[0]).version == 7
    others = [new_id() for _ in range(100)]
    assert uuid.UUID(others[0]).version == 4
    assert len({text[:8] for text in others}) == 100  # made at once, told apart by their start
