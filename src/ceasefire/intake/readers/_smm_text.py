"""SMM daily-report text (``--format smm-text``): single observations and restrictions as reports.

Each JSONL line is one report's text (see :mod:`ceasefire.intake.smm`). A single observation
("heard three undetermined explosions 2-4km south-east of Zolote") becomes a report located by
bearing and range from the named place; a freedom-of-movement restriction at a named place
becomes a ``restriction_of_movement`` report there. Both are dated to the reporting period (the
24 hours before its end). Tallies are a record kind of their own, not reports; intake does not
store them yet, so this reader leaves them to ``ceasefire extract smm``.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from ceasefire.errors import InputRefused, RecordRejected, UnknownPlace
from ceasefire.geo.gazetteer import PlaceIndex, bundled, load_geonames_csv
from ceasefire.intake.readers._base import Limits, RawRecord, Reader, bounded, unparsable
from ceasefire.intake.readers._rows import check_options
from ceasefire.intake.readers._safe_json import JsonRefused, parse_json
from ceasefire.intake.smm import extract_smm

__all__ = ["READER", "SmmTextOptions"]

_COMPASS = {"north": "N", "south": "S", "east": "E", "west": "W"}


@dataclass(frozen=True, slots=True)
class SmmTextOptions:
    """Settings of the SMM-text reader."""

    source_id: str = field(default="osce-smm-reports", metadata={"help": "Source id."})
    reliability: str = field(default="A", metadata={"help": "Admiralty letter of the SMM."})
    gazetteer: str | None = field(
        default=None,
        metadata={"help": "GeoNames-layout CSV to find the places named in the text (default: "
                  "the bundled gazetteer); an ambiguous name refuses its item."},
    )  # fmt: skip

    def __post_init__(self) -> None:
        check_options(self)


def _read(name: str, text: str, limits: Limits) -> Iterator[RawRecord]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        too_long = limits.too_long(line)
        if too_long is not None:
            yield bounded(RawRecord(name, f"line {number}", line), limits)
            continue
        try:
            record = parse_json(line)
        except JsonRefused as error:
            yield unparsable(name, f"line {number}", line, str(error))
            continue
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            yield unparsable(name, f"line {number}", line, "must be an object with a 'text'")
            continue
        extract = extract_smm(record, number)
        items = [("observation", i, o) for i, o in enumerate(extract.observations)]
        items += [("restriction", i, r) for i, r in enumerate(extract.restrictions) if r["place"]]
        reference = record.get("report_no") or record.get("url") or record.get("link")
        for kind, index, item in items:
            data = {"kind": kind, "item": item, "period_end": extract.period_end,
                    "reference": f"{reference or name}#{kind}-{index}",
                    "quote": record["text"][item["span"][0] : item["span"][1]]}  # fmt: skip
            yield RawRecord(name, f"line {number} {kind} [{index}]", line, data=data)


@functools.cache
def _gazetteer(path: str | None) -> PlaceIndex:
    """The gazetteer named by the option, read once per process."""
    if path is None:
        return bundled()
    try:
        return load_geonames_csv(Path(path))
    except (OSError, ValueError) as error:
        raise InputRefused(f"-o gazetteer={path}: {error}") from None


def _to_record(row: dict[str, Any], options: SmmTextOptions, now: datetime) -> dict[str, Any]:
    if row["period_end"] is None:
        raise RecordRejected("period_end", "the text states no reporting period")
    end = datetime.fromisoformat(row["period_end"])
    item = row["item"]
    try:
        place = _gazetteer(options.gazetteer).resolve(item["place"])
    except UnknownPlace as error:
        raise RecordRejected("place", str(error)) from None
    record: dict[str, Any] = {
        "source": {"id": options.source_id, "kind": "import", "organisation": "OSCE SMM",
                   "reliability": options.reliability, "name": "SMM daily reports"},
        "source_ref": row["reference"],
        "observed_at": (end - timedelta(hours=24)).isoformat(),
        "observed_until": end.isoformat(),
        "time_precision": "interval",
        "narrative": row["quote"],
        "language": "en",
    }  # fmt: skip
    if row["kind"] == "observation":
        bearing = "".join(_COMPASS[part] for part in item["bearing"].split("-"))
        record.update(
            activity=item["activity"],
            count=item["count"] or 1,
            location={"observer": {"lon": place.lon, "lat": place.lat}, "bearing_deg": bearing,
                      "range_m": item["range_m"]},
        )  # fmt: skip
    else:
        record.update(
            activity="restriction_of_movement",
            location={"lon": place.lon, "lat": place.lat, "uncertainty_m": 2000},
        )
    return record


READER = Reader(
    "smm-text",
    "OSCE SMM daily-report text, JSON Lines with 'text': observations and restrictions",
    (),
    _read,
    recognise=lambda name, head: '"text"' in head and "Special Monitoring Mission" in head,
    options=SmmTextOptions,
    to_record=_to_record,
)
