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
from ceasefire.errors import RecordRejected
from ceasefire.geo.gazetteer import Gazetteer
from ceasefire.intake.batch import IntakeBatch, IntakeStore
from ceasefire.intake.readers import RawRecord
from ceasefire.intake.receipt import Outcome, Receipt, RecordOutcome
from ceasefire.ledger.canonical import content_digest
from ceasefire.model.coverage import Coverage, coverage_from_dict
from ceasefire.model.migration import migrate_report
from ceasefire.model.quarantine import QuarantinedRecord, quarantine_id
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
    """

    def __init__(
        self,
        store: IntakeStore,
        clock: Clock,
        resolver: Gazetteer | None,
        *,
        default_source: Source | None = None,
        chunk_size: int = 500,
    ) -> None:
        self._store = store
        self._clock = clock
        self._resolver = resolver
        self._default_source = default_source
        self._chunk_size = chunk_size

    def ingest(
        self,
        records: Iterable[RawRecord],
        *,
        on_chunk: Callable[[list[RecordOutcome]], None] | None = None,
    ) -> Receipt:
        """Take every record, chunk by chunk, and return the receipt.

        Args:
            records: raw records, e.g. from :func:`ceasefire.intake.readers.read_records`.
            on_chunk: called with each chunk's outcomes after its transaction has committed,
                e.g. to advance a progress bar or print acknowledgements as they become true.
        """
        receipt = Receipt()
        known_sources = self._store.sources()
        for chunk in _chunks(records, self._chunk_size):
            outcomes = self._take_chunk(chunk, known_sources)
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
        stored = self._store.content_digests({record.id for record in candidates})
        corrected = {
            record.corrects
            for record in candidates
            if isinstance(record, Report) and record.corrects
        }
        stored_corrected = self._store.content_digests(corrected) if corrected else {}

        outcomes: list[RecordOutcome] = []
        to_store: dict[str, Report | Coverage] = {}
        new_sources: dict[str, Source] = {}
        quarantined: dict[str, QuarantinedRecord] = {}
        seen_in_chunk: dict[str, str] = {}
        for item in parsed:
            raw, record = item.raw, item.record
            if record is not None:
                digest = content_digest(record.content())
                error = self._conflict(
                    record, digest, stored, seen_in_chunk, stored_corrected, visible_sources
                )
                if error is None:
                    if stored.get(record.id) == digest or seen_in_chunk.get(record.id) == digest:
                        outcomes.append(
                            RecordOutcome(raw.origin, raw.position, Outcome.DUPLICATE, record.id)
                        )
                        continue
                    seen_in_chunk[record.id] = digest
                    to_store[record.id] = record
                    if record.source.id not in known_sources:
                        new_sources[record.source.id] = record.source
                    outcomes.append(
                        RecordOutcome(raw.origin, raw.position, Outcome.ACCEPTED, record.id)
                    )
                    continue
            else:
                error = item.error
            assert error is not None  # a record failed to parse or conflicts; both carry an error
            entry = QuarantinedRecord(
                id=quarantine_id(raw.raw),
                origin=raw.origin,
                position=raw.position,
                field=error.field,
                reason=error.reason,
                raw=raw.raw,
                received_at=received_at,
            )
            quarantined.setdefault(entry.id, entry)
            outcomes.append(
                RecordOutcome(
                    raw.origin, raw.position, Outcome.REJECTED, entry.id, error.field, error.reason
                )
            )

        self._store.write_intake(
            IntakeBatch(
                reports=[r for r in to_store.values() if isinstance(r, Report)],
                coverage=[r for r in to_store.values() if isinstance(r, Coverage)],
                sources=list(new_sources.values()),
                quarantined=list(quarantined.values()),
            )
        )
        known_sources.update(new_sources)
        return outcomes

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
            return RecordRejected(
                "source_ref",
                f"{record.source.id}/{record.source_ref} is already stored as {record.id} with "
                "different content; send the change as a new report with 'corrects' set",
            )
        registered = sources.get(record.source.id)
        if registered is not None and registered.kind is not record.source.kind:
            return RecordRejected(
                "source.kind",
                f"source {record.source.id!r} is registered as {registered.kind.value}, "
                f"not {record.source.kind.value}",
            )
        if (
            isinstance(record, Report)
            and record.corrects
            and record.corrects not in stored_corrected
            and record.corrects not in seen_in_chunk
        ):
            return RecordRejected("corrects", f"no stored report has id {record.corrects!r}")
        return None


def _chunks(records: Iterable[RawRecord], size: int) -> Iterator[list[RawRecord]]:
    chunk: list[RawRecord] = []
    for record in records:
        chunk.append(record)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
