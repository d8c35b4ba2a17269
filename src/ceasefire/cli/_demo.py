"""The demo: the whole chain, so far, on the bundled samples, in one directory.

``ceasefire demo`` calls :func:`build_demo`. It copies the sample inputs into the directory (so a
reader can open what went in), loads the Minsk agreement, ingests every channel's file, draws a
map and writes the zones and reports as GeoJSON; then it signs a checkpoint of the ledger with
two demo keys, audits the store against it and writes a bundle anyone can check offline. Running
it twice is harmless: the second run stores nothing new and its result says so. It grows with
each stage of the pipeline (fusion, verification, the daily report) until it runs all of it.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from ceasefire.agreement.loader import load_agreement
from ceasefire.agreement.stored import StoredAgreement
from ceasefire.agreement.terms import Agreement
from ceasefire.clock import Clock
from ceasefire.fusion.run import FusionOutcome, fuse
from ceasefire.geo.gazetteer import bundled
from ceasefire.intake import Intake, Receipt
from ceasefire.intake.readers import read_records
from ceasefire.ledger import Signer, generate_key, load_signer, save_signer, save_verifier
from ceasefire.ledger.keeper import LogKeeper
from ceasefire.model.coverage import CoverageStatus
from ceasefire.publication.sketch_map import MapPoint, render_svg
from ceasefire.store import Store, StoreCounts, open_store
from ceasefire.verification.engine import VerificationResult, verify_store

__all__ = ["DEMO_INPUTS", "DEMO_SIGNERS", "DemoLedger", "DemoResult", "build_demo"]

#: The sample files, in the order the demo ingests them (sources are registered by the first).
DEMO_INPUTS = ("patrols.jsonl", "cameras.csv", "complaints.geojson", "coverage.json")
#: The demo's checkpoint signers: the lead nation's log key and one participating nation's witness.
DEMO_SIGNERS = ("demo-lead", "demo-witness")


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
        ledger: the checkpoint, the audit and the bundle.
        fusion: what fusing the reports into incidents did.
        verification: the findings of the incidents against the agreement.
        daily_report: the public's daily report of the samples' day (PDF).
    """

    directory: Path
    database: Path
    agreement: str
    agreement_added: bool
    receipts: dict[str, Receipt]
    counts: StoreCounts
    map_layers: tuple[Path, ...]
    ledger: DemoLedger
    daily_report: Path
    fusion: FusionOutcome | None = None
    verification: VerificationResult | None = None


@dataclass(frozen=True, slots=True)
class DemoLedger:
    """What the demo did with the ledger.

    Args:
        size: entries in the log.
        checkpoint_size: size of the latest signed checkpoint.
        signed_now: ``False`` when the latest checkpoint already covered the log.
        signers: names of the demo keys that sign checkpoints.
        problems: what ``ledger verify`` found (nothing, unless someone edited the demo store).
        bundle: a bundle of one report with its proof, for ``ceasefire-verify``.
        keys: where the demo's keys are (the ``.pub`` files are what a verifier trusts).
    """

    size: int
    checkpoint_size: int
    signed_now: bool
    signers: tuple[str, ...]
    problems: tuple[str, ...]
    bundle: Path
    keys: Path


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
        fusion = fuse(store)
        verification = verify_store(store)
        counts = store.counts()
        zones_path = directory / "zones.geojson"
        zones_path.write_text(json.dumps(agreement.zones_geojson(), indent=1), encoding="utf-8")
        reports_path = directory / "reports.geojson"
        reports_path.write_text(json.dumps(_reports_geojson(store), indent=1), encoding="utf-8")
        map_path = directory / "map.svg"
        map_path.write_text(_sketch(agreement, store), encoding="utf-8")
        daily = _daily_step(directory, store, clock)
        ledger = _ledger_step(directory, store, clock)
    return DemoResult(
        directory=directory,
        database=database,
        agreement=f"{agreement.id} {agreement.version}",
        agreement_added=added,
        receipts=receipts,
        counts=counts,
        map_layers=(map_path, zones_path, reports_path),
        ledger=ledger,
        daily_report=daily,
        fusion=fusion,
        verification=verification,
    )


#: The day the bundled samples report on, and the audience of the demo's daily report.
DEMO_DAY = date(2020, 9, 16)


def _daily_step(directory: Path, store: Store, clock: Clock) -> Path:
    """Issue the public's daily report of the samples' day as a PDF (once: a report issued for
    a day and an audience stays issued, so a second run of the demo issues nothing new)."""
    from ceasefire.publication.audience import PUBLIC
    from ceasefire.publication.issue import issue_daily_report

    path = directory / f"daily-report-{DEMO_DAY.isoformat()}-public.pdf"
    issued = [p for p in store.publications() if p.day == DEMO_DAY and p.audience == "public"]
    if issued and path.exists():
        return path
    report = issue_daily_report(store, DEMO_DAY, PUBLIC, pdf=True, clock=clock)
    path.write_bytes(report.content)
    return path


def _ledger_step(directory: Path, store: Store, clock: Clock) -> DemoLedger:
    """Sign a checkpoint with two demo keys (lead nation and witness), audit, write a bundle."""
    keys = directory / "ledger-keys"
    signers = [_demo_key(keys, name) for name in DEMO_SIGNERS]
    keeper = LogKeeper(store, clock)
    checkpoints = store.checkpoints()
    signed_now = not checkpoints or checkpoints[-1].size != store.ledger_size()
    if signed_now:
        keeper.checkpoint(signers)
    result = keeper.verify([signer.verifier() for signer in signers])
    bundle = directory / "bundle.json"
    first = next(store.iter_reports())
    document = keeper.bundle([first.id], [signer.verifier() for signer in signers])
    bundle.write_text(json.dumps(document, indent=1, ensure_ascii=False), encoding="utf-8")
    return DemoLedger(
        size=result.size,
        checkpoint_size=keeper.latest_checkpoint().size,
        signed_now=signed_now,
        signers=DEMO_SIGNERS,
        problems=tuple(result.problems),
        bundle=bundle,
        keys=keys,
    )


def _demo_key(folder: Path, name: str) -> Signer:
    """Load the demo's key ``name``, making it the first time. Demo keys sign nothing real."""
    path = folder / f"{name}.key"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        signer = Signer.from_string(generate_key(name)[0])
        save_signer(path, signer)
        save_verifier(folder / f"{name}.pub", signer.verifier())
    return load_signer(path)


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
