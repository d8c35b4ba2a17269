"""Evaluation: the chain's incidents and findings scored against a simulation's ground truth.

``ceasefire evaluate --truth DIR`` reads ``DIR/truth.json`` (:mod:`.truth`), takes the stored
incidents and findings in their published form, and scores them (:mod:`.score`): incident
precision, recall and F1, verdict accuracy, copies counted as independent, attribution. The
rules and the output object are documented in ``docs/simulation.md``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ceasefire._lazy import lazy_exports

_EXPORTS = {
    "BARS": "ceasefire.evaluation.score",
    "EVALUATION_FORMAT": "ceasefire.evaluation.score",
    "EvaluationStore": "ceasefire.evaluation.store",
    "Truth": "ceasefire.evaluation.truth",
    "evaluate": "ceasefire.evaluation.score",
    "evaluate_store": "ceasefire.evaluation.store",
    "read_truth": "ceasefire.evaluation.truth",
}
__getattr__, __dir__ = lazy_exports(__name__, globals(), _EXPORTS)

if TYPE_CHECKING:
    from ceasefire.evaluation.score import BARS, EVALUATION_FORMAT, evaluate
    from ceasefire.evaluation.store import EvaluationStore, evaluate_store
    from ceasefire.evaluation.truth import Truth, read_truth

__all__ = [
    "BARS",
    "EVALUATION_FORMAT",
    "EvaluationStore",
    "Truth",
    "evaluate",
    "evaluate_store",
    "read_truth",
]
