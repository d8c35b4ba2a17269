"""Clauses: the prohibitions of an agreement, each traceable to the signed text.

Each clause says *what* is prohibited (activities, weapon classes), *where* (zones, or
everywhere), *who* is bound (parties, with exemptions such as the monitors' own UAVs) and *when*
(in force from, until, and a deadline by which an obligation such as a withdrawal must be
complete). The ``text`` and ``source`` are kept verbatim because a finding must be able to quote
the clause it holds an incident against.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from ceasefire.agreement._context import LoadContext, at, read_time
from ceasefire.agreement.party import RESERVED_ACTORS
from ceasefire.model.activity import Activity

__all__ = [
    "Citation",
    "Clause",
    "Exemption",
    "SourceDocument",
    "When",
    "Where",
    "Who",
    "clause_from_spec",
    "source_from_spec",
]


@dataclass(frozen=True, slots=True)
class SourceDocument:
    """A document the agreement's clauses cite (the signed text, or an authoritative copy).

    Args:
        id: the id clauses cite it by.
        title: its title.
        date: its date as written (``2015-02-12``).
        url: where a copy can be read.
    """

    id: str
    title: str
    date: str = ""
    url: str = ""

    def to_document(self) -> dict[str, Any]:
        """Return the JSON form."""
        doc = {"id": self.id, "title": self.title}
        doc.update({k: v for k, v in (("date", self.date), ("url", self.url)) if v})
        return doc


@dataclass(frozen=True, slots=True)
class Citation:
    """Where in which document a clause comes from.

    Args:
        document: the id of a :class:`SourceDocument`.
        point: the point, article or paragraph, as the document numbers it.
    """

    document: str
    point: str = ""

    def __str__(self) -> str:
        return f"{self.document}, point {self.point}" if self.point else self.document


@dataclass(frozen=True, slots=True)
class Where:
    """Where a clause applies: everywhere, or in the listed zones."""

    everywhere: bool = False
    zones: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Exemption:
    """A case the clause does not cover, e.g. the monitors' own UAVs.

    Every given condition must hold for the exemption to apply.

    Args:
        note: the exemption in words, as the text gives it.
        actor: a party id, or ``monitors`` for the mission itself; ``None`` for anyone.
        activities: the activities exempted; empty for all of the clause's.
        zones: the exemption holds only in these zones (a live-fire zone: within its windows).
    """

    note: str
    actor: str | None = None
    activities: tuple[Activity, ...] = ()
    zones: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Who:
    """Who a clause binds."""

    parties: tuple[str, ...]
    exempt: tuple[Exemption, ...] = ()


@dataclass(frozen=True, slots=True)
class When:
    """When a clause is in force and when its obligation must be met.

    Args:
        in_force_from: when the clause takes effect (aware).
        until: when it ceases to, if ever.
        deadline: when an obligation (e.g. a withdrawal) must be complete; before it, presence
            is not yet a violation. Given as a time, or as ``after_days`` from ``in_force_from``.
    """

    in_force_from: datetime
    until: datetime | None = None
    deadline: datetime | None = None

    @property
    def binding_from(self) -> datetime:
        """When the clause starts to be breakable: its deadline, or when it takes effect."""
        return self.deadline if self.deadline is not None else self.in_force_from


@dataclass(frozen=True)
class Clause:
    """One prohibition of the agreement.

    Args:
        id: the id findings cite.
        title: a short title.
        text: the clause as in the signed document (or its authoritative translation).
        source: the document and point it comes from.
        activities: the activities it prohibits.
        weapon_classes: the weapon classes it concerns (empty: any weapon).
        where: where it applies.
        who: whom it binds.
        when: when it is in force.
        note: editorial remarks (interpretations, parameters the text leaves open).
    """

    id: str
    title: str
    text: str
    source: Citation
    activities: tuple[Activity, ...]
    weapon_classes: tuple[str, ...]
    where: Where
    who: Who
    when: When
    note: str = ""

    def is_in_force(self, when: datetime) -> bool:
        """Return whether the clause is in force at ``when`` (aware)."""
        if when < self.when.in_force_from:
            return False
        return self.when.until is None or when < self.when.until

    def is_binding(self, when: datetime) -> bool:
        """Return whether the clause is in force and past its deadline at ``when``."""
        return self.is_in_force(when) and when >= self.when.binding_from

    def to_document(self) -> dict[str, Any]:
        """Return the JSON form (the same shape as the YAML, deadlines resolved)."""
        source: dict[str, Any] = {"document": self.source.document}
        if self.source.point:
            source["point"] = self.source.point
        what: dict[str, Any] = {"activities": [str(a) for a in self.activities]}
        if self.weapon_classes:
            what["weapon_classes"] = list(self.weapon_classes)
        where: dict[str, Any] = (
            {"everywhere": True} if self.where.everywhere else {"zones": list(self.where.zones)}
        )
        who: dict[str, Any] = {"parties": list(self.who.parties)}
        if self.who.exempt:
            who["exempt"] = [_exemption_doc(e) for e in self.who.exempt]
        when: dict[str, Any] = {"in_force_from": self.when.in_force_from.isoformat()}
        if self.when.until is not None:
            when["until"] = self.when.until.isoformat()
        if self.when.deadline is not None:
            when["deadline"] = self.when.deadline.isoformat()
        doc: dict[str, Any] = {"id": self.id, "title": self.title, "text": self.text}
        doc.update(source=source, what=what, where=where, who=who, when=when)
        if self.note:
            doc["note"] = self.note
        return doc


def _exemption_doc(exemption: Exemption) -> dict[str, Any]:
    doc: dict[str, Any] = {"note": exemption.note}
    if exemption.actor is not None:
        doc["actor"] = exemption.actor
    if exemption.activities:
        doc["activities"] = [str(a) for a in exemption.activities]
    if exemption.zones:
        doc["zones"] = list(exemption.zones)
    return doc


def source_from_spec(spec: dict[str, Any]) -> SourceDocument:
    """Build a source document from its (schema-checked) YAML mapping."""
    return SourceDocument(
        id=spec["id"], title=spec["title"], date=str(spec.get("date", "")), url=spec.get("url", "")
    )


def _check_ids(
    values: list[str], known: set[str], path: str, what: str, ctx: LoadContext, extra: str = ""
) -> bool:
    ok = True
    for i, value in enumerate(values):
        if value not in known:
            ctx.add(at(path, i), f"unknown {what} {value!r}{extra}")
            ok = False
    return ok


def _when(spec: dict[str, Any], path: str, ctx: LoadContext, default: datetime) -> When | None:
    start = default
    if "in_force_from" in spec:
        parsed = read_time(spec["in_force_from"], at(path, "in_force_from"), ctx)
        if parsed is None:
            return None
        if parsed < default:
            ctx.add(
                at(path, "in_force_from"),
                f"the clause cannot take effect ({parsed.isoformat()}) before the version that "
                f"carries it ({default.isoformat()})",
            )
            return None
        start = parsed
    until = deadline = None
    ok = True
    if "until" in spec:
        until = read_time(spec["until"], at(path, "until"), ctx)
        if until is not None and until <= start:
            ctx.add(at(path, "until"), f"until ({until.isoformat()}) is not after in_force_from")
            until = None
        ok = until is not None
    if "deadline" in spec:
        deadline = read_time(spec["deadline"], at(path, "deadline"), ctx)
        if deadline is not None and deadline < start:
            ctx.add(
                at(path, "deadline"),
                f"the deadline ({deadline.isoformat()}) is before in_force_from "
                f"({start.isoformat()})",
            )
            deadline = None
        ok = ok and deadline is not None
    if "after_days" in spec:
        relative = start + timedelta(days=spec["after_days"])
        if deadline is not None and deadline != relative:
            ctx.add(
                at(path, "after_days"),
                f"after_days gives {relative.isoformat()} but deadline says "
                f"{deadline.isoformat()}; give one, or make them agree",
            )
            ok = False
        deadline = relative
    return When(start, until, deadline) if ok else None


def clause_from_spec(
    spec: dict[str, Any],
    path: str,
    ctx: LoadContext,
    *,
    party_ids: set[str],
    zone_ids: set[str],
    class_ids: set[str],
    source_ids: set[str],
    in_force_from: datetime | None,
) -> Clause | None:
    """Build a clause from its (schema-checked) YAML mapping, checking every reference.

    Args:
        spec: the mapping.
        path: its path, e.g. ``clauses[1]``.
        ctx: the load context.
        party_ids: the agreement's party ids.
        zone_ids: the agreement's zone ids.
        class_ids: the agreement's weapon class ids.
        source_ids: the ids of the agreement's source documents.
        in_force_from: the version's in-force time, the default and earliest start of a clause
            (``None`` if it could not be read: time checks are then skipped).

    Returns:
        The clause, or ``None`` after recording a problem.
    """
    what, where, who = spec["what"], spec["where"], spec.get("who", {})
    classes = what.get("weapon_classes", [])
    ok = _check_ids(classes, class_ids, at(at(path, "what"), "weapon_classes"), "weapon class", ctx)
    ok &= _check_where(where, at(path, "where"), ctx)
    zones = where.get("zones", [])
    ok &= _check_ids(zones, zone_ids, at(at(path, "where"), "zones"), "zone", ctx)
    parties = who.get("parties", sorted(party_ids))
    ok &= _check_ids(parties, party_ids, at(at(path, "who"), "parties"), "party", ctx)
    exemptions = _exemptions(who.get("exempt", []), at(at(path, "who"), "exempt"), ctx,
                             party_ids=party_ids, zone_ids=zone_ids)  # fmt: skip
    ok &= exemptions is not None
    source = spec["source"]
    ok &= _check_source(source, source_ids, at(path, "source"), ctx)
    when = None
    if in_force_from is not None:
        when = _when(spec.get("when", {}), at(path, "when"), ctx, in_force_from)
    if not ok or when is None:
        return None
    return Clause(
        id=spec["id"],
        title=spec.get("title", ""),
        text=spec["text"],
        source=Citation(source["document"], str(source.get("point", ""))),
        activities=tuple(Activity(a) for a in what["activities"]),
        weapon_classes=tuple(what.get("weapon_classes", [])),
        where=Where(everywhere=where.get("everywhere") is True, zones=tuple(zones)),
        who=Who(parties=tuple(parties), exempt=tuple(exemptions or ())),
        when=when,
        note=spec.get("note", ""),
    )


def _check_source(
    source: dict[str, Any], source_ids: set[str], path: str, ctx: LoadContext
) -> bool:
    """Check that a clause cites a source document the agreement lists."""
    if source["document"] in source_ids:
        return True
    ctx.add(
        at(path, "document"),
        f"unknown source document {source['document']!r} (list it under 'sources')",
    )
    return False


def _check_where(where: dict[str, Any], path: str, ctx: LoadContext) -> bool:
    """Check that a clause says where it applies one way: zones, or everywhere."""
    if where.get("everywhere") is True and "zones" in where:
        ctx.add(path, "give either zones or everywhere: true, not both")
        return False
    if where.get("everywhere") is not True and not where.get("zones"):
        ctx.add(path, "say where the clause applies: zones: [...] or everywhere: true")
        return False
    return True


def _exemptions(
    items: list[dict[str, Any]],
    path: str,
    ctx: LoadContext,
    *,
    party_ids: set[str],
    zone_ids: set[str],
) -> list[Exemption] | None:
    """Read a clause's exemptions, checking each actor and zone; ``None`` after a problem
    (every problem is still recorded)."""
    ok = True
    exemptions = []
    for i, item in enumerate(items):
        where = at(path, i)
        actor = item.get("actor")
        if actor is not None and actor not in party_ids | RESERVED_ACTORS:
            ctx.add(at(where, "actor"), f"unknown actor {actor!r} (a party id or 'monitors')")
            ok = False
        ok &= _check_ids(item.get("zones", []), zone_ids, at(where, "zones"), "zone", ctx)
        exemptions.append(
            Exemption(
                note=item["note"],
                actor=actor,
                activities=tuple(Activity(a) for a in item.get("activities", [])),
                zones=tuple(item.get("zones", [])),
            )
        )
    return exemptions if ok else None
