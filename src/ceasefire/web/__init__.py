"""The web service (``ceasefire serve``): the JSON API, in the ``[server]`` extra.

Importing this package needs FastAPI; ``ceasefire serve`` says which extra to install when it
is missing.
"""

from __future__ import annotations

__all__: list[str] = []
