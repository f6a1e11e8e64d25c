"""Stateful checks: feedback, then re-feedback on the same events, through the generated
client against the reference server, compared with a model of what the store must hold.

The seed specs declare no OpenAPI links, so schemathesis's own stateful phase has nothing to
chain; this hypothesis state machine plays that role for the merge rules the prose states.
"""

from __future__ import annotations

import asyncio
import uuid

import httpx
from braintrust import client as bc
from braintrust import models as bm
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule
from martian import client as mc
from martian import models as mm

from reference.app import Settings, create_braintrust_app, create_martian_app
from reference.storage import Scope

KEY = "stateful-key"
EXPERIMENT = uuid.UUID(int=42)
EVENTS = ("event-a", "event-b")
SCORE_KEYS = ("accuracy", "helpfulness", "tone")
KNOWN = uuid.UUID(int=7)
UNKNOWN = uuid.UUID(int=8)

scores = st.dictionaries(
    st.sampled_from(SCORE_KEYS),
    st.none() | st.floats(min_value=0, max_value=1, allow_nan=False),
    max_size=3,
)


class BraintrustMerges(RuleBasedStateMachine):
    """Scores merge into earlier scores of the same event: later wins, null removes."""

    def __init__(self) -> None:
        super().__init__()
        self.app = create_braintrust_app(Settings(api_keys=(KEY,)))
        self.expected: dict[str, dict[str, float]] = {event: {} for event in EVENTS}

    def teardown(self) -> None:
        self.app.state.store.close()

    def send(self, items: list[bm.FeedbackExperimentItem]) -> bm.FeedbackResponseSchema:
        async def go() -> bm.FeedbackResponseSchema:
            transport = httpx.ASGITransport(self.app)
            async with bc.AsyncClient("http://ref", token=KEY, transport=transport) as client:
                body = bm.FeedbackExperimentEventRequest(feedback=items)
                return await client.post_experiment_id_feedback(EXPERIMENT, body=body)

        return asyncio.run(go())

    @rule(event=st.sampled_from(EVENTS), new=scores)
    def feedback(self, event: str, new: dict[str, float | None]) -> None:
        result = self.send([bm.FeedbackExperimentItem(id=event, scores=new)])
        assert result.status.value == "success"
        for key, value in new.items():
            if value is None:
                self.expected[event].pop(key, None)
            else:
                self.expected[event][key] = value

    @rule(event=st.sampled_from(EVENTS), first=scores, second=scores)
    def two_items_in_one_request(
        self, event: str, first: dict[str, float | None], second: dict[str, float | None]
    ) -> None:
        self.send(
            [
                bm.FeedbackExperimentItem(id=event, scores=first),
                bm.FeedbackExperimentItem(id=event, scores=second),
            ]
        )
        for new in (first, second):
            for key, value in new.items():
                if value is None:
                    self.expected[event].pop(key, None)
                else:
                    self.expected[event][key] = value

    @invariant()
    def store_matches_the_model(self) -> None:
        store = self.app.state.store
        for event in EVENTS:
            assert (
                store.braintrust_scores(Scope.experiment, EXPERIMENT, event) == self.expected[event]
            )


class MartianIds(RuleBasedStateMachine):
    """Every flattened key gets a new id; unknown inference ids fail per item only."""

    def __init__(self) -> None:
        super().__init__()
        self.app = create_martian_app(Settings(api_keys=(KEY,), inference_ids=(KNOWN,)))
        self.seen: set[uuid.UUID] = set()

    def teardown(self) -> None:
        self.app.state.store.close()

    @rule(
        known_first=st.booleans(),
        keys=st.lists(st.sampled_from(("a", "b", "c")), min_size=0, max_size=3, unique=True),
    )
    def feedback_twice(self, known_first: bool, keys: list[str]) -> None:
        feedback = {key: mm.FeedbackValue(mm.ScalarFeedbackValue(1)) for key in keys}
        events = [
            mm.FeedbackEvent(id=KNOWN if known_first else UNKNOWN, feedback=feedback),
            mm.FeedbackEvent(id=UNKNOWN if known_first else KNOWN, feedback=feedback),
        ]

        async def go() -> mm.FeedbackResponse:
            transport = httpx.ASGITransport(self.app)
            async with mc.AsyncClient("http://ref", token=KEY, transport=transport) as client:
                return await client.post_feedback(mm.FeedbackRequest(events))

        results = [r.root for r in asyncio.run(go()).root]
        known, unknown = (results[0], results[1]) if known_first else (results[1], results[0])
        assert isinstance(known, mm.FeedbackSuccess) and isinstance(unknown, mm.FeedbackFailure)
        assert unknown.error.status_code == 400 and unknown.error.message == "ID does not exist"
        ids = known.feedback_ids.root
        assert set(ids) == set(keys)
        fresh = set(ids.values())
        assert len(fresh) == len(keys) and not fresh & self.seen  # new ids, every time
        assert all(i.version == 7 for i in fresh)
        self.seen |= fresh


TestBraintrustMerges = BraintrustMerges.TestCase
TestBraintrustMerges.settings = settings(max_examples=25, stateful_step_count=8, deadline=None)
TestMartianIds = MartianIds.TestCase
TestMartianIds.settings = settings(max_examples=15, stateful_step_count=5, deadline=None)
