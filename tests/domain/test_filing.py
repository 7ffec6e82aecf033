"""Filing states, the lock message and the canonical content hash."""

from __future__ import annotations

import pytest

from qingqing_desktop.domain.errors import InputRejected
from qingqing_desktop.domain.filing import (
    FilingState,
    FilingStatus,
    canonical_json,
    check_reopen_reason,
    check_transition,
    content_sha256,
    draft_status,
)


def test_a_new_filing_is_a_draft_of_revision_1_and_editable():
    status = draft_status("c1")
    assert (status.state, status.revision, status.locked) == (FilingState.DRAFT, 1, False)
    status.check_editable()
    assert status.label == "草稿（第1版）"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (FilingState.DRAFT, FilingState.FINAL),
        (FilingState.FINAL, FilingState.SUBMITTED),
        (FilingState.FINAL, FilingState.DRAFT),
        (FilingState.SUBMITTED, FilingState.CONFIRMED),
        (FilingState.SUBMITTED, FilingState.RETURNED),
        (FilingState.RETURNED, FilingState.DRAFT),
        (FilingState.CONFIRMED, FilingState.DRAFT),
    ],
)
def test_allowed_transitions(old, new):
    check_transition(old, new)


@pytest.mark.parametrize(
    ("old", "new"),
    [(FilingState.DRAFT, FilingState.SUBMITTED), (FilingState.FINAL, FilingState.CONFIRMED),
     (FilingState.RETURNED, FilingState.CONFIRMED), (FilingState.DRAFT, FilingState.DRAFT)],
)
def test_other_transitions_are_refused(old, new):
    with pytest.raises(InputRejected, match=f"不能从“{old.value}”变为“{new.value}”"):
        check_transition(old, new)


def test_locked_states_refuse_edits_with_the_revision_in_the_message():
    final = FilingStatus("c1", FilingState.FINAL, 3)
    with pytest.raises(InputRejected) as caught:
        final.check_editable()
    assert str(caught.value) == "本次报送已定稿（第3版），如需修改请先“重新打开”并说明原因"
    submitted = FilingStatus("c1", FilingState.SUBMITTED, 1)
    with pytest.raises(InputRejected, match="第1版，状态：已报送"):
        submitted.check_editable()


def test_reopening_needs_a_reason():
    assert check_reopen_reason("  补登一人签订  ") == "补登一人签订"
    with pytest.raises(InputRejected, match="说明原因"):
        check_reopen_reason(" ")


def test_the_content_hash_ignores_key_order_and_keeps_chinese():
    a = {"unit": {"name": "技术科", "leader": "林主任"}, "revision": 1}
    b = {"revision": 1, "unit": {"leader": "林主任", "name": "技术科"}}
    assert canonical_json(a) == canonical_json(b)
    assert "技术科".encode() in canonical_json(a)
    assert content_sha256(a) == content_sha256(b)
    assert content_sha256(a) != content_sha256({**a, "revision": 2})
