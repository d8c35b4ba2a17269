"""The nouns of the domain: what is reported, by whom, where and with what evidence; what fusion
and verification make of it.

One module per noun. Each noun reads itself from its JSON form with an error that names the field
at fault, and writes the form that is stored and committed to the ledger. One way for all of them:

* **writing** is a method, ``noun.to_dict()``: the JSON form, as stored and hashed;
* **reading** is a free function beside the class, ``<noun>_from_dict(data, ...)``
  (``report_from_dict``, ``coverage_from_dict``, ``source_from_dict``, ``evidence_from_dict``,
  ``location_from_dict``, ``incident_from_dict``), because reading needs more than the data (the
  gazetteer, the arrival time, the registered sources) and names the field at fault
  (:class:`ceasefire.errors.RecordRejected`).
"""

from __future__ import annotations

__all__: list[str] = []
