"""The nouns of the domain: what is reported, by whom, where and with what evidence; what fusion
and verification make of it.

One module per noun. Each noun reads itself from its JSON form with an error that names the field
at fault, and writes the form that is stored and committed to the ledger.
"""

from __future__ import annotations

__all__: list[str] = []
