"""Readers split files into records and say where each one is."""

from __future__ import annotations

import pytest

from ceasefire.errors import UnknownFormat
from ceasefire.intake.readers import Format, detect_format, read_records


def test_jsonl_positions_are_line_numbers_and_blank_lines_skipped() -> None:
    """JSONL records are located by their line in the file; blank lines are not records."""
    records = list(read_records("a.jsonl", '{"a": 1}\n\n{oops\n{"b": 2}\n'))
    assert [r.position for r in records] == ["line 1", "line 3", "line 4"]
    assert records[1].data is None
    assert records[1].error is not None
    assert records[1].raw == "{oops"


def test_csv_rows_keep_raw_text_even_across_quoted_newlines() -> None:
    """A CSV row with a quoted newline is one record with both lines as its raw text."""
    text = 'a,b\n1,"two\nlines"\n3,4,5\n'
    records = list(read_records("x.csv", text))
    assert records[0].data == {"a": "1", "b": "two\nlines"}
    assert records[0].raw == '1,"two\nlines"\n'
    assert records[1].position == "line 4"
    assert records[1].error is not None
    assert "3 cells" in records[1].error.reason


def test_csv_header_with_duplicate_columns_is_refused() -> None:
    """A header naming a column twice refuses the file rather than guessing which one counts."""
    [record] = list(read_records("x.csv", "a,a\n1,2\n"))
    assert record.error is not None
    assert "duplicate" in record.error.reason


def test_json_list_and_wrapper_forms() -> None:
    """A JSON file may hold a list, one object, or {records: [...]}; items are located by index."""
    assert [r.position for r in read_records("x.json", '[{"a":1}, 3]')] == ["item [0]", "item [1]"]
    assert len(list(read_records("x.json", '{"records": [{"a":1},{"b":2}]}'))) == 2
    assert next(iter(read_records("x.json", '{"a": 1}'))).data == {"a": 1}


def test_geojson_point_becomes_the_location() -> None:
    """A Feature's Point becomes the report's location; a Polygon is refused for a report."""
    text = (
        '{"type":"FeatureCollection","features":['
        '{"type":"Feature","geometry":{"type":"Point","coordinates":[37.5,48.0]},"properties":{"activity":"explosion"}},'
        '{"type":"Feature","geometry":{"type":"Polygon","coordinates":[]},"properties":{}}]}'
    )
    point, polygon = read_records("x.geojson", text)
    assert point.data is not None
    assert point.data["location"] == {"lon": 37.5, "lat": 48.0}
    assert polygon.error is not None
    assert polygon.error.field == "geometry"


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("a.ndjson", "", Format.JSONL),
        ("a.txt", '{"type": "FeatureCollection", "features": []}', Format.GEOJSON),
        ("a.json", '{"a": 1}\n{"b": 2}\n', Format.JSONL),
        ("a.dat", "[1]", Format.JSON),
    ],
)
def test_format_detection(name: str, text: str, expected: Format) -> None:
    """The format is told from the extension first, then from the content."""
    assert detect_format(name, text) is expected


def test_undetectable_format_is_refused() -> None:
    """A file whose format cannot be told is refused with a hint to name it."""
    with pytest.raises(UnknownFormat, match="--format"):
        detect_format("notes.txt", "hello")
