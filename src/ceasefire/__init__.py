"""ceasefire: monitoring and verification of a ceasefire.

The public API is re-exported here; implementation lives in one module per noun of the domain
(``agreement``, ``zone``, ``report``, ``source``, ``evidence``, ``coverage``, ``incident``,
``finding``, ``intake``, ``ledger``, ``store``, ...). Nothing here does any work on import beyond
importing those modules, and nothing imports a CLI library or database driver.
"""

from ceasefire.activity import Activity
from ceasefire.agreement import Agreement, version_in_force
from ceasefire.agreement_file import agreement_from_document, load_agreement, parse_agreement
from ceasefire.clock import Clock, FixedClock, SystemClock
from ceasefire.coverage import Coverage, CoverageStatus
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
from ceasefire.evidence import CustodyAction, CustodyEvent, Evidence
from ceasefire.finding import Finding, Verdict
from ceasefire.gazetteer import Gazetteer, Place, bundled, load_geonames_csv
from ceasefire.incident import Incident, ReviewState
from ceasefire.intake import Intake, Outcome, Receipt, RecordOutcome
from ceasefire.intake_format import Format, RawRecord, read_records
from ceasefire.location import BearingLocation, PlaceLocation, PlacePrecision, PointLocation
from ceasefire.quarantine import QuarantinedRecord
from ceasefire.report import Credibility, Report, TimePrecision, WeaponObservation
from ceasefire.source import Reliability, Source, SourceKind
from ceasefire.store import Store, StoredAgreement, open_store

__version__ = "0.1.0"

__all__ = [
    "Activity",
    "Agreement",
    "AgreementInvalid",
    "BearingLocation",
    "CeasefireError",
    "CheckpointInvalid",
    "Clock",
    "Coverage",
    "CoverageStatus",
    "Credibility",
    "CustodyAction",
    "CustodyEvent",
    "Evidence",
    "Finding",
    "FixedClock",
    "Format",
    "Gazetteer",
    "Incident",
    "InputRefused",
    "Intake",
    "LedgerError",
    "NotFound",
    "Outcome",
    "Place",
    "PlaceLocation",
    "PlacePrecision",
    "PointLocation",
    "Problem",
    "ProofInvalid",
    "QuarantinedRecord",
    "RawRecord",
    "Receipt",
    "RecordOutcome",
    "RecordRejected",
    "Reliability",
    "Report",
    "ReviewState",
    "SchemaTooNew",
    "SignatureInvalid",
    "Source",
    "SourceKind",
    "Store",
    "StoreError",
    "StoredAgreement",
    "SystemClock",
    "TimePrecision",
    "UnknownFormat",
    "UnknownPlace",
    "Verdict",
    "WeaponObservation",
    "__version__",
    "agreement_from_document",
    "bundled",
    "load_agreement",
    "load_geonames_csv",
    "open_store",
    "parse_agreement",
    "read_records",
    "version_in_force",
]
