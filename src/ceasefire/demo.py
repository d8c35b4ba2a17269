"""The demo: the whole chain, so far, on the bundled samples, in one directory.

``ceasefire demo`` calls :func:`build_demo`. It copies the sample inputs into the directory (so a
reader can open what went in), loads the Minsk agreement, ingests every channel's file and writes
the zones and reports as GeoJSON for a map. Running it twice is harmless: the second run stores
nothing new and its result says so. It grows with each stage of the pipeline (fusion,
verification, the daily report, the ledger) until it runs all of it.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from ceasefire.agreement import Agreement
from ceasefire.agreement_file import load_agreement
from ceasefire.clock import Clock
from ceasefire.coverage import CoverageStatus
from ceasefire.gazetteer import bundled
from ceasefire.intake import Intake, Receipt
from ceasefire.intake_format import read_records
from ceasefire.sketch_map import MapPoint, render_svg
from ceasefire.store import Store, StoreCounts, StoredAgreement, open_store

__all__ = ["DEMO_INPUTS", "DemoResult", "build_demo"]

#: The sample files, in the order the demo ingests them (sources are registered by the first).
DEMO_INPUTS = ("patrols.jsonl", "cameras.csv", "complaints.geojson", "coverage.json")


@dataclass(frozen=True, slots=True)
class DemoResult:
    """What the demo did.

    Args:
        directory: where everything was written.
        database: the SQLite store.
        agreement: "<id> <version>" of the agreement loaded.
        agreement_added: ``False`` when that version was already stored.
        receipts: the intake receipt of each input file, by file name.
        counts: what the store holds afterwards.
        map_layers: the sketch map (SVG) and the GeoJSON layers written for a GIS.
    """

    directory: Path
    database: Path
    agreement: str
    agreement_added: bool
    receipts: dict[str, Receipt]
    counts: StoreCounts
    map_layers: tuple[Path, ...]


def build_demo(directory: Path, clock: Clock) -> DemoResult:
    """Build (or refresh) the demo in ``directory`` and return what was done.

    Raises:
        AgreementInvalid: the bundled agreement no longer validates (a bug).
    """
    samples = resources.files("ceasefire").joinpath("samples")
    inputs = directory / "inputs"
    inputs.mkdir(parents=True, exist_ok=True)
    agreement_path = inputs / "agreement.yaml"
    with resources.as_file(samples.joinpath("minsk", "agreement.yaml")) as source:
        shutil.copyfile(source, agreement_path)
    for name in DEMO_INPUTS:
        with resources.as_file(samples.joinpath("reports", name)) as source:
            shutil.copyfile(source, inputs / name)

    agreement = load_agreement(agreement_path)
    database = directory / "ceasefire.db"
    with open_store(database) as store:
        added = store.add_agreement(StoredAgreement.of(agreement, loaded_at=clock.now()))
        intake = Intake(store, clock, bundled())
        receipts = {}
        for name in DEMO_INPUTS:
            text = (inputs / name).read_text(encoding="utf-8")
            receipts[name] = intake.ingest(read_records(name, text))
        counts = store.counts()
        zones_path = directory / "zones.geojson"
        zones_path.write_text(json.dumps(agreement.zones_geojson(), indent=1), encoding="utf-8")
        reports_path = directory / "reports.geojson"
        reports_path.write_text(json.dumps(_reports_geojson(store), indent=1), encoding="utf-8")
        map_path = directory / "map.svg"
        map_path.write_text(_sketch(agreement, store), encoding="utf-8")
    return DemoResult(
        directory=directory,
        database=database,
        agreement=f"{agreement.id} {agreement.version}",
        agreement_added=added,
        receipts=receipts,
        counts=counts,
        map_layers=(map_path, zones_path, reports_path),
    )


def _sketch(agreement: Agreement, store: Store) -> str:
    """Draw the zones, the placeable reports and the sectors nobody could observe."""
    points = []
    for report in store.iter_reports():
        estimate = report.location.estimate()
        if estimate is not None:
            label = f"{report.activity.value} ×{report.count}, {report.observed_at:%Y-%m-%d %H:%M}"
            points.append(MapPoint(estimate.lon, estimate.lat, estimate.uncertainty_m, label))
    blind = [c.sector for c in store.iter_coverage() if c.status is not CoverageStatus.OBSERVING]
    return render_svg(agreement, points, blind, title=f"{agreement.title}: demo reports")


def _reports_geojson(store: Store) -> dict[str, Any]:
    """Return the stored reports that can be placed as points, as a FeatureCollection."""
    features = []
    for report in store.iter_reports():
        estimate = report.location.estimate()
        if estimate is None:
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [estimate.lon, estimate.lat]},
                "properties": {
                    "id": report.id,
                    "source": report.source.id,
                    "activity": report.activity.value,
                    "count": report.count,
                    "observed_at": report.observed_at.isoformat(),
                    "uncertainty_m": round(estimate.uncertainty_m),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}
