"""The mission's picture for one audience: incidents with their current state and findings.

Every shell that shows incidents (the web API, the exports) reads them through :class:`Picture`,
which applies the one audience filter (:mod:`ceasefire.publication.audience`) to each incident
and its findings, with the incident's current review state taken from the decisions on it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any, Protocol

from ceasefire.model.finding import Finding
from ceasefire.model.incident import Incident, ReviewState
from ceasefire.model.review import ReviewDecision
from ceasefire.model.source import Source
from ceasefire.publication.audience import Audience, concerns, view_finding, view_incident
from ceasefire.verification.review import state_after

__all__ = ["Picture", "PictureStore"]


class PictureStore(Protocol):
    """What the picture reads of a store."""

    def iter_incidents(self) -> Iterator[Incident]:
        """Yield the current incidents."""
        ...

    def iter_findings(
        self, verdict: str | None = None, clause_id: str | None = None
    ) -> Iterator[Finding]:
        """Yield the current findings."""
        ...

    def iter_reviews(self, incident_id: str | None = None) -> Iterator[ReviewDecision]:
        """Yield review decisions."""
        ...

    def sources(self) -> dict[str, Source]:
        """Return the registered sources."""
        ...


#: The verdicts in the order a map colours an incident by (its most serious finding first).
_SEVERITY = ("violation", "possible_violation", "undetermined", "exempt", "no_violation")


class Picture:
    """The store's incidents, findings and decisions, read once per request."""

    def __init__(self, store: PictureStore) -> None:
        self.incidents = list(store.iter_incidents())
        self.findings: dict[str | None, list[Finding]] = defaultdict(list)
        for finding in store.iter_findings():
            self.findings[finding.incident_id].append(finding)
        self.reviews: dict[str, list[ReviewDecision]] = defaultdict(list)
        for decision in store.iter_reviews():
            self.reviews[decision.incident_id].append(decision)
        self.sources = store.sources()

    def state(self, incident: Incident) -> ReviewState:
        return state_after(self.reviews.get(incident.id, []))

    def seen(self, incident: Incident, audience: Audience) -> dict[str, Any] | None:
        """The incident as ``audience`` may see it, with its visible findings and a verdict."""
        party = audience.party
        concerned = (
            concerns(incident, self.findings.get(incident.id, []), self.sources, party)
            if party
            else None
        )
        state = self.state(incident)
        document = view_incident(incident, state, audience, concerned)
        if document is None:
            return None
        findings = [
            item
            for item in (
                view_finding(f, state, audience, concerned)
                for f in self.findings.get(incident.id, [])
            )
            if item is not None
        ]
        verdicts = {item["verdict"] for item in findings}
        document["findings"] = findings
        document["verdict"] = next((v for v in _SEVERITY if v in verdicts), None)
        return document

    def visible(self, audience: Audience) -> list[dict[str, Any]]:
        """Every incident ``audience`` may see, as it may see it, oldest first."""
        return [seen for i in self.incidents if (seen := self.seen(i, audience)) is not None]
