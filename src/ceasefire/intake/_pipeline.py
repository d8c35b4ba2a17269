"""Intake: raw records in, reports and coverage stored, the rest quarantined, a receipt out.

The rules, in the order they protect the mission's record:

1. **Nothing already stored changes.** A record whose identity is already stored is a
   *duplicate* when its content is the same and is *refused* (quarantined) when it differs: the
   same source reference with new content is a correction, and corrections are new reports that
   say what they correct (``corrects``), never silent overwrites.
2. **One bad record does not stop a batch.** Each refused record is quarantined with its raw
   text, the field at fault and the reason; the rest of the batch is still taken.
3. **Re-sending is harmless.** Identities are derived (see :mod:`ceasefire.model.report`), so
   the same file ingested twice adds nothing the second time, and the receipt says so.
4. **Acknowledged means stored.** Records are written in chunks, each in one transaction, and a
   record is counted in the receipt only once its chunk's transaction has committed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from ceasefire.clock import Clock
from ceasefire.errors import LedgerError, RecordRejected, StoreError
from ceasefire.geo.gazetteer import Gazetteer
from ceasefire.intake.batch import (
    Arrival,
    IntakeBatch,
    IntakeStore,
    IntakeWritten,
    conflict_entry,
    conflict_reason,
    source_kind_reason,
)
from ceasefire.intake.checks import RecordChecks
from ceasefire.intake.readers import RawRecord
from ceasefire.intake.receipt import IntakeInterrupted, Outcome, Receipt, RecordOutcome
from ceasefire.ledger.canonical import CanonicalRecord, canonical_record
from ceasefire.model.coverage import Coverage, coverage_from_dict
from ceasefire.model.migration import migrate_report
from ceasefire.model.quarantine import QuarantinedRecord
from ceasefire.model.report import Report, report_from_dict, source_of_record
from ceasefire.model.source import Source

__all__ = ["Intake"]


@dataclass(frozen=True, slots=True)
class _Parsed:
    raw: RawRecord
    record: Report | Coverage | None
    error: RecordRejected | None = None


class Intake:
    """Takes raw records into a store.

    Args:
        store: where accepted and quarantined records go.
        clock: stamps ``received_at``.
        resolver: the gazetteer that resolves place names.
        default_source: the source of records that name none (``ingest --source``).
        chunk_size: records per transaction; smaller chunks acknowledge sooner.
        checks: what the loaded agreements make doubtful (warnings in the receipt), if any.
    """

    def __init__(
        self,
        store: IntakeStore,
        clock: Clock,
        resolver: Gazetteer | None,
        *,
        default_source: Source | None = None,
        chunk_size: int = 500,
        checks: RecordChecks | None = None,
    ) -> None:
        self._store = store
        self._clock = clock
        self._resolver = resolver
        self._default_source = default_source
        self._chunk_size = chunk_size
        self._checks = checks

    def ingest(
        self,
        records: Iterable[RawRecord],
        *,
        on_chunk: Callable[[list[RecordOutcome]], None] | None = None,
    ) -> Receipt:
        """Take every record, chunk by chunk, and return the receipt.

        Raises:
            IntakeInterrupted: the store failed on a chunk (e.g. another writer held its lock
                for too long); it carries the receipt of the chunks committed before.

        Args:
            records: raw records, e.g. from :func:`ceasefire.intake.readers.read_records`.
            on_chunk: called with each chunk's outcomes after its transaction has committed,
                e.g. to advance a progress bar or print acknowledgements as they become true.
        """
        receipt = Receipt()
        known_sources = self._store.sources()
        for chunk in _chunks(records, self._chunk_size):
            try:
                outcomes = self._take_chunk(chunk, known_sources)
            except StoreError as error:
                raise IntakeInterrupted(error, receipt) from None
            receipt.records.extend(outcomes)
            if on_chunk is not None:
                on_chunk(outcomes)
        return receipt

    def _take_chunk(
        self, chunk: list[RawRecord], known_sources: dict[str, Source]
    ) -> list[RecordOutcome]:
        received_at = self._clock.now()
        # A source defined inline by one record may be named by id in the records after it.
        visible_sources = dict(known_sources)
        parsed = []
        for raw in chunk:
            item = self._parse(raw, received_at, visible_sources)
            if item.record is not None:
                visible_sources.setdefault(item.record.source.id, item.record.source)
            parsed.append(item)
        candidates = [item.record for item in parsed if item.record is not None]
        # A fast path only: what is stored cannot change (append-only), so a record found here
        # is settled; for every other record the store decides inside its write transaction.
        stored = self._store.content_digests({record.id for record in candidates})
        corrected = {
            record.corrects
            for record in candidates
            if isinstance(record, Report) and record.corrects
        }
        stored_corrected = self._store.content_digests(corrected) if corrected else {}

        plan = _ChunkPlan()
        for item in parsed:
            raw, record = item.raw, item.record
            if record is None:
                assert item.error is not None  # a record that failed to parse carries its error
                plan.refuse(raw, item.error, received_at)
                continue
            try:
                encoded = canonical_record(record.to_dict())
            except LedgerError as not_json:
                plan.refuse(raw, RecordRejected("(record)", str(not_json)), received_at)
                continue
            digest = encoded.digest
            error = self._conflict(
                record, digest, stored, plan.digests, stored_corrected, visible_sources
            )
            if error is not None:
                plan.refuse(raw, error, received_at)
            elif stored.get(record.id) == digest or plan.digests.get(record.id) == digest:
                plan.outcomes.append(
                    RecordOutcome(raw.origin, raw.position, Outcome.DUPLICATE, record.id)
                )
            else:
                plan.take(raw, record, encoded, received_at, known_sources)
        written = self._store.write_intake(plan.batch())
        known_sources.update(plan.new_sources)
        return plan.settle(written, self._checks)

    def _parse(
        self, raw: RawRecord, received_at: datetime, known_sources: dict[str, Source]
    ) -> _Parsed:
        if raw.data is None:
            return _Parsed(raw, None, raw.error or RecordRejected("(record)", "unreadable"))
        try:
            document = migrate_report(raw.data)
            kind = str(document.get("record") or "report")
            if kind == "coverage":
                source = source_of_record(document, self._default_source, known_sources)
                return _Parsed(
                    raw, coverage_from_dict(document, received_at=received_at, source=source)
                )
            if kind != "report":
                raise RecordRejected("record", f"{kind!r} is not one of: report, coverage")
            report = report_from_dict(
                document,
                received_at=received_at,
                resolver=self._resolver,
                default_source=self._default_source,
                known_sources=known_sources,
            )
            return _Parsed(raw, report)
        except RecordRejected as error:
            return _Parsed(raw, None, error)

    @staticmethod
    def _conflict(
        record: Report | Coverage,
        digest: str,
        stored: dict[str, str],
        seen_in_chunk: dict[str, str],
        stored_corrected: dict[str, str],
        sources: dict[str, Source],
    ) -> RecordRejected | None:
        """Return why a well-formed record must still be refused, or ``None``."""
        previous = stored.get(record.id) or seen_in_chunk.get(record.id)
        if previous is not None and previous != digest:
            return RecordRejected("source_ref", conflict_reason(record, previous))
        registered = sources.get(record.source.id)
        if registered is not None and registered.kind is not record.source.kind:
            return RecordRejected("source.kind", source_kind_reason(record, registered.kind.value))
        if (
            isinstance(record, Report)
            and record.corrects
            and record.corrects not in stored_corrected
            and record.corrects not in seen_in_chunk
        ):
            return RecordRejected("corrects", f"no stored report has id {record.corrects!r}")
        return None


class _ChunkPlan:
    """What one chunk will ask of the store, and the outcome of each record, in input order.

    The outcome of a record handed to the store is left open (``None``) until the store says
    what its transaction did: only then is it accepted, a duplicate, or refused.
    """

    def __init__(self) -> None:
        self.outcomes: list[RecordOutcome | None] = []
        self.digests: dict[str, str] = {}
        self.new_sources: dict[str, Source] = {}
        self._records: dict[str, Report | Coverage] = {}
        self._bodies: dict[str, bytes] = {}
        self._arrivals: dict[str, Arrival] = {}
        self._open: list[tuple[int, RawRecord, str]] = []
        self._quarantined: dict[str, QuarantinedRecord] = {}

    def refuse(self, raw: RawRecord, error: RecordRejected, received_at: datetime) -> None:
        arrival = Arrival(raw.origin, raw.position, raw.raw, received_at)
        entry = conflict_entry(arrival, error.field, error.reason)
        self._quarantined.setdefault(entry.id, entry)
        self.outcomes.append(
            RecordOutcome(
                raw.origin, raw.position, Outcome.REJECTED, entry.id, error.field, error.reason
            )
        )

    def take(
        self,
        raw: RawRecord,
        record: Report | Coverage,
        encoded: CanonicalRecord,
        received_at: datetime,
        known_sources: dict[str, Source],
    ) -> None:
        self.digests[record.id] = encoded.digest
        self._bodies[record.id] = encoded.body
        self._records[record.id] = record
        self._arrivals[record.id] = Arrival(raw.origin, raw.position, raw.raw, received_at)
        if record.source.id not in known_sources:
            self.new_sources[record.source.id] = record.source
        self._open.append((len(self.outcomes), raw, record.id))
        self.outcomes.append(None)

    def batch(self) -> IntakeBatch:
        records = list(self._records.values())
        return IntakeBatch(
            reports=[r for r in records if isinstance(r, Report)],
            coverage=[r for r in records if isinstance(r, Coverage)],
            sources=list(self.new_sources.values()),
            quarantined=list(self._quarantined.values()),
            arrivals=self._arrivals,
            digests=self.digests,
            bodies=self._bodies,
        )

    def settle(
        self, written: IntakeWritten, checks: RecordChecks | None = None
    ) -> list[RecordOutcome]:
        """Fill in each open outcome from what the store's transaction did.

        An accepted record carries the warnings ``checks`` find about it, if any.
        """
        for slot, raw, record_id in self._open:
            conflict = written.conflicts.get(record_id)
            if conflict is not None:
                self.outcomes[slot] = RecordOutcome(
                    raw.origin,
                    raw.position,
                    Outcome.REJECTED,
                    conflict.quarantine_id,
                    conflict.field,
                    conflict.reason,
                )
            elif record_id in written.duplicates:
                outcome = RecordOutcome(raw.origin, raw.position, Outcome.DUPLICATE, record_id)
                self.outcomes[slot] = outcome
            else:
                assert record_id in written.reports or record_id in written.coverage
                warnings = checks.warnings(self._records[record_id]) if checks else ()
                self.outcomes[slot] = RecordOutcome(
                    raw.origin, raw.position, Outcome.ACCEPTED, record_id, warnings=warnings
                )
        settled = [outcome for outcome in self.outcomes if outcome is not None]
        assert len(settled) == len(self.outcomes)
        return settled


def _chunks(records: Iterable[RawRecord], size: int) -> Iterator[list[RawRecord]]:
    chunk: list[RawRecord] = []
    for record in records:
        chunk.append(record)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
