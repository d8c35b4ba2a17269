"""Publication: what each audience is shown (maps so far; daily reports, exports and the audience
filter as they arrive)."""

from __future__ import annotations

__all__: list[str] = []
