"""ceasefire: monitoring and verification of a ceasefire.

The way data walks, one subpackage per stage, with the nouns and the shared kernel beside them::

    agreement/   the terms as data (parties, lines, zones, clauses), versioned
    model/       the nouns: report, source, evidence, location, coverage, incident, finding
    geo/         the shared geometry: projections, GeoJSON, the gazetteer
    intake/      raw records in (one reader per format), reports stored, the rest quarantined
    publication/ what each audience is shown
    ledger/      the tamper-evident RFC 6962 log and its signed checkpoints
    store/       the one Store interface and its implementations (shells over the core)
    cli/         the ``ceasefire`` command line (a shell)

The public API is re-exported here *lazily* (PEP 562): ``import ceasefire`` costs nothing until a
name is used, so ``ceasefire --help`` and the outsider's ``ceasefire-verify`` do not pay for
shapely, pyproj or jsonschema. ``__all__`` is the list of public names, and a test checks that
it and the importable names agree both ways.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ceasefire._lazy import lazy_exports

__version__ = "0.1.0"

#: Each public name and the module it lives in.
_EXPORTS: dict[str, str] = {
    "Activity": "ceasefire.model.activity",
    "Agreement": "ceasefire.agreement.terms",
    "AgreementInvalid": "ceasefire.errors",
    "BearingLocation": "ceasefire.model.location",
    "CeasefireError": "ceasefire.errors",
    "CheckpointInvalid": "ceasefire.errors",
    "Clock": "ceasefire.clock",
    "Coverage": "ceasefire.model.coverage",
    "CoverageStatus": "ceasefire.model.coverage",
    "Credibility": "ceasefire.model.report",
    "CustodyAction": "ceasefire.model.evidence",
    "CustodyEvent": "ceasefire.model.evidence",
    "Evidence": "ceasefire.model.evidence",
    "Finding": "ceasefire.model.finding",
    "FixedClock": "ceasefire.clock",
    "Format": "ceasefire.intake.readers",
    "Gazetteer": "ceasefire.geo.gazetteer",
    "Incident": "ceasefire.model.incident",
    "InputRefused": "ceasefire.errors",
    "Intake": "ceasefire.intake",
    "LedgerError": "ceasefire.errors",
    "NotFound": "ceasefire.errors",
    "Outcome": "ceasefire.intake.receipt",
    "Place": "ceasefire.geo.gazetteer",
    "PlaceLocation": "ceasefire.model.location",
    "PlacePrecision": "ceasefire.model.location",
    "PointLocation": "ceasefire.model.location",
    "Problem": "ceasefire.errors",
    "ProofInvalid": "ceasefire.errors",
    "QuarantinedRecord": "ceasefire.model.quarantine",
    "RawRecord": "ceasefire.intake.readers",
    "Receipt": "ceasefire.intake.receipt",
    "RecordOutcome": "ceasefire.intake.receipt",
    "RecordRejected": "ceasefire.errors",
    "Reliability": "ceasefire.model.source",
    "Report": "ceasefire.model.report",
    "ReviewState": "ceasefire.model.incident",
    "SchemaTooNew": "ceasefire.errors",
    "SignatureInvalid": "ceasefire.errors",
    "Source": "ceasefire.model.source",
    "SourceKind": "ceasefire.model.source",
    "Store": "ceasefire.store",
    "StoreError": "ceasefire.errors",
    "StoredAgreement": "ceasefire.agreement.stored",
    "SystemClock": "ceasefire.clock",
    "TimePrecision": "ceasefire.model.report",
    "UnknownFormat": "ceasefire.errors",
    "UnknownPlace": "ceasefire.errors",
    "Verdict": "ceasefire.model.finding",
    "WeaponObservation": "ceasefire.model.report",
    "agreement_from_document": "ceasefire.agreement.loader",
    "bundled": "ceasefire.geo.gazetteer",
    "load_agreement": "ceasefire.agreement.loader",
    "load_geonames_csv": "ceasefire.geo.gazetteer",
    "open_store": "ceasefire.store",
    "parse_agreement": "ceasefire.agreement.loader",
    "read_records": "ceasefire.intake.readers",
    "version_in_force": "ceasefire.agreement.terms",
}

__all__ = sorted([*_EXPORTS, "__version__"])


__getattr__, __dir__ = lazy_exports(__name__, globals(), _EXPORTS)


if TYPE_CHECKING:  # the type checker sees the names as if imported eagerly
    from ceasefire.agreement.loader import agreement_from_document, load_agreement, parse_agreement
    from ceasefire.agreement.stored import StoredAgreement
    from ceasefire.agreement.terms import Agreement, version_in_force
    from ceasefire.clock import Clock, FixedClock, SystemClock
    from ceasefire.errors import (
        AgreementInvalid,
        CeasefireError,
        CheckpointInvalid,
        InputRefused,
        LedgerError,
        NotFound,
        Problem,
        ProofInvalid,
        RecordRejected,
        SchemaTooNew,
        SignatureInvalid,
        StoreError,
        UnknownFormat,
        UnknownPlace,
    )
    from ceasefire.geo.gazetteer import Gazetteer, Place, bundled, load_geonames_csv
    from ceasefire.intake import Intake
    from ceasefire.intake.readers import Format, RawRecord, read_records
    from ceasefire.intake.receipt import Outcome, Receipt, RecordOutcome
    from ceasefire.model.activity import Activity
    from ceasefire.model.coverage import Coverage, CoverageStatus
    from ceasefire.model.evidence import CustodyAction, CustodyEvent, Evidence
    from ceasefire.model.finding import Finding, Verdict
    from ceasefire.model.incident import Incident, ReviewState
    from ceasefire.model.location import (
        BearingLocation,
        PlaceLocation,
        PlacePrecision,
        PointLocation,
    )
    from ceasefire.model.quarantine import QuarantinedRecord
    from ceasefire.model.report import Credibility, Report, TimePrecision, WeaponObservation
    from ceasefire.model.source import Reliability, Source, SourceKind
    from ceasefire.store import Store, open_store
