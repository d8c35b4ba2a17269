"""Agreement files: YAML in, a validated :class:`~ceasefire.agreement.terms.Agreement` out.

The loader reads the *whole* file and reports every problem at once, each with the file, the
path inside it (``zones[3].buffer.km``) and the reason: the people who write agreement files
are negotiators' staff and mission analysts, and one error per run would cost them a day.

Checks come in two passes. The JSON Schema (``agreement/agreement.schema.json``) checks structure;
then Python checks meaning: references between parts, times, geometry, place names. A part the
schema found broken is skipped by the second pass, so one typo yields one problem, not ten.
"""

from __future__ import annotations

import copy
import difflib
import hashlib
import json
import math
from collections.abc import Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from ceasefire.agreement._context import LoadContext, at, read_bounded, read_time
from ceasefire.agreement.clause import Clause, clause_from_spec, source_from_spec
from ceasefire.agreement.line import ReferenceLine, line_from_spec
from ceasefire.agreement.party import Party, party_from_spec
from ceasefire.agreement.terms import Agreement
from ceasefire.agreement.weapon import (
    CalibreRange,
    Catalogue,
    Criterion,
    WeaponClass,
    WeaponFamily,
    WeaponSystem,
)
from ceasefire.agreement.zone import Zone, zone_from_spec
from ceasefire.errors import AgreementInvalid, Problem
from ceasefire.geo.gazetteer import Gazetteer, bundled
from ceasefire.geo.projection import LocalProjection, centre_of

__all__ = [
    "agreement_from_document",
    "agreement_schema",
    "load_agreement",
    "parse_agreement",
]

_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"

#: Deepest nesting of an agreement file: the deepest real part (a MultiPolygon zone) is 7 deep.
MAX_YAML_DEPTH = 64

#: How many nodes aliases (``*name``) may add beyond those written out: enough for any real
#: reuse of a block, far too few for a "billion laughs" (9 levels of 9 aliases = 9^9 nodes).
MAX_ALIAS_NODES = 10_000


try:  # libyaml's event parser is several times faster than PyYAML's pure-Python one
    from yaml._yaml import CParser as _EventParser
except ImportError:  # pragma: no cover - PyYAML built without libyaml

    class _EventParser(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)


class _Loader(
    yaml.composer.Composer,
    _EventParser,
    yaml.constructor.SafeConstructor,
    yaml.resolver.Resolver,
):
    """Safe YAML loader that keeps dates as text, notes duplicate keys and bounds its input.

    Events come from libyaml where PyYAML has it (a profile of a 60,000-item ``sources`` list
    spent most of its time in PyYAML's pure-Python scanner), but nodes are composed here in
    Python, so that depth and aliases can be bounded as they are composed.

    Dates stay strings so that the loader, not PyYAML, decides what a valid time is (PyYAML
    turns ``2015-02-15`` into a date and silently drops nothing, but loses the missing offset).
    PyYAML keeps the last of two equal keys; an agreement with two ``km:`` is an error.
    Nesting deeper than :data:`MAX_YAML_DEPTH` (PyYAML would recurse until ``RecursionError``),
    aliases that would expand past :data:`MAX_ALIAS_NODES` and an alias to the node that holds
    it (a structure with no end) are refused while the document is composed, before anything
    walks it.
    """

    duplicates: list[tuple[int, str]]
    depth: int = 0

    def __init__(self, stream: str) -> None:
        _EventParser.__init__(self, stream)
        yaml.composer.Composer.__init__(self)
        yaml.constructor.SafeConstructor.__init__(self)
        yaml.resolver.Resolver.__init__(self)

    alias_nodes: int = 0
    sizes: dict[int, int]

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        """Compose one node, refusing it when it is too deep or its aliases expand too far."""
        if self.check_event(yaml.AliasEvent):
            self._count_alias(self.peek_event())
            return super().compose_node(parent, index)
        self.depth += 1
        if self.depth > MAX_YAML_DEPTH:
            event: Any = self.peek_event()
            mark = event.start_mark
            raise _Refused(None, None, f"nested deeper than {MAX_YAML_DEPTH} levels", mark)
        try:
            node = super().compose_node(parent, index)
        finally:
            self.depth -= 1
        if node is not None:
            self.sizes[id(node)] = 1 + sum(
                self.sizes.get(id(child), 1) for child in _children(node)
            )
        return node

    def _count_alias(self, event: Any) -> None:
        node = self.anchors.get(event.anchor)
        if node is None:
            return  # PyYAML itself refuses an undefined alias
        size = self.sizes.get(id(node))
        if size is None:
            raise _Refused(
                None,
                None,
                f"alias *{event.anchor} refers to a node that contains it",
                event.start_mark,
            )
        self.alias_nodes += size
        if self.alias_nodes > MAX_ALIAS_NODES:
            raise _Refused(
                None,
                None,
                f"aliases expand to more than {MAX_ALIAS_NODES:,} nodes (a 'billion laughs'?)",
                event.start_mark,
            )


class _Refused(yaml.composer.ComposerError):
    """A document refused while composed (too deep, aliases too large): not a syntax error."""


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _TIMESTAMP_TAG]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            loader.duplicates.append((key_node.start_mark.line + 1, str(key)))
        seen.add(key)
    return dict(loader.construct_pairs(node))


_Loader.add_constructor(  # type: ignore[type-var]
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping
)


@cache
def agreement_schema() -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) of agreement files, as shipped in the package."""
    text = resources.files("ceasefire.agreement").joinpath("agreement.schema.json").read_text()
    schema: dict[str, Any] = json.loads(text)
    return schema


def load_agreement(path: Path, gazetteer: Gazetteer | None = None) -> Agreement:
    """Load and validate an agreement file.

    Args:
        path: the YAML file; ``file:`` references inside it are relative to its directory.
        gazetteer: resolves place names; defaults to the bundled gazetteer.

    Returns:
        The agreement.

    Raises:
        AgreementInvalid: the file cannot be read or breaks any rule (all problems listed).
    """
    origin = str(path)
    try:
        data = read_bounded(path)
    except OSError as exc:
        reason = f"cannot read the file: {exc.strerror}"
        raise AgreementInvalid([Problem(origin, "", reason)]) from exc
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise AgreementInvalid([Problem(origin, "", f"the file is not UTF-8: {exc}")]) from exc
    return _parse(text, origin, path.parent, gazetteer, hashlib.sha256(data).hexdigest())


def parse_agreement(
    text: str,
    origin: str,
    base_dir: Path | None = None,
    gazetteer: Gazetteer | None = None,
) -> Agreement:
    """Parse and validate agreement YAML given as text.

    Args:
        text: the YAML.
        origin: a name for it (a file name), quoted in every problem.
        base_dir: the directory ``file:`` references start from; ``None`` refuses them.
        gazetteer: resolves place names; defaults to the bundled gazetteer.

    Returns:
        The agreement.

    Raises:
        AgreementInvalid: the text breaks any rule (all problems listed).
    """
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return _parse(text, origin, base_dir, gazetteer, digest)


def agreement_from_document(doc: Mapping[str, Any]) -> Agreement:
    """Rebuild an agreement from :meth:`Agreement.to_document`, with no files and no gazetteer.

    Args:
        doc: the stored document.

    Returns:
        An agreement equal to the one the document was made from.

    Raises:
        AgreementInvalid: the document is not a valid agreement document.
    """
    body = copy.deepcopy(dict(doc))
    source_text = body.pop("source_text", "")
    sha256 = body.pop("sha256", "")
    ctx = LoadContext(origin="stored document", base_dir=None, gazetteer=None)
    if not isinstance(source_text, str) or not isinstance(sha256, str):
        ctx.add("source_text", "source_text and sha256 must be strings")
    return _build(body, ctx, source_text, sha256, Catalogue(()))


def _parse(
    text: str, origin: str, base_dir: Path | None, gazetteer: Gazetteer | None, digest: str
) -> Agreement:
    ctx = LoadContext(origin=origin, base_dir=base_dir, gazetteer=gazetteer or bundled())
    loader = _Loader(text)
    loader.duplicates = []
    loader.sizes = {}
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        reason = exc.problem if isinstance(exc, _Refused) else f"YAML syntax error: {exc.problem}"
        raise AgreementInvalid([Problem(origin, where, str(reason))]) from exc
    except RecursionError as exc:
        reason = f"nested deeper than {MAX_YAML_DEPTH} levels"
        raise AgreementInvalid([Problem(origin, "", reason)]) from exc
    except yaml.YAMLError as exc:
        raise AgreementInvalid([Problem(origin, "", f"YAML error: {exc}")]) from exc
    finally:
        loader.dispose()
    for line, key in loader.duplicates:
        ctx.add(f"line {line}", f"duplicate key {key!r} (the later one would silently win)")
    if data is None:
        raise AgreementInvalid([Problem(origin, "", "the file is empty")])
    if not isinstance(data, dict):
        reason = f"the top level must be a mapping of keys, found a {type(data).__name__}"
        raise AgreementInvalid([Problem(origin, "", reason)])
    built = _build(data, ctx, text, digest, Catalogue())
    _check_stored_form(built)
    return built


def _check_stored_form(built: Agreement) -> None:
    """Refuse an agreement whose stored document could not be read back, as ``load`` needs.

    ``agreement check`` and ``agreement load`` both come here, so what ``check`` passes is what
    ``load`` stores and ``show`` reads back: a zone whose geometry survives the projection one
    way but not back (a buffer reaching over the pole) is refused now, naming the file.

    Raises:
        AgreementInvalid: the stored document is not a valid agreement document.
    """
    try:
        agreement_from_document(built.to_document())
    except AgreementInvalid as exc:
        problems = [
            Problem(built.origin, p.path, f"cannot be stored and read back: {p.reason}")
            for p in exc.problems
        ]
        raise AgreementInvalid(problems) from None
    except (ValueError, OverflowError) as exc:
        reason = f"cannot be stored and read back: {exc}"
        raise AgreementInvalid([Problem(built.origin, "", reason)]) from None


def _non_finite(data: Any, ctx: LoadContext) -> None:
    """Record every NaN or infinite number (``.nan``, ``.inf`` in YAML) at its path.

    JSON Schema's comparisons are all false for NaN, so ``km: .nan`` would pass ``km > 0``;
    geometry then fails far from the file. Walked iteratively: the depth is already bounded.
    """
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, float) and not math.isfinite(value):
            ctx.add(path, f"{value} is not a finite number")
            ctx.broken.add(path)
        elif isinstance(value, dict):
            stack.extend((at(path, str(key)), item) for key, item in value.items())
        elif isinstance(value, list):
            stack.extend((at(path, index), item) for index, item in enumerate(value))


def _path_of(parts: Any) -> str:
    path = ""
    for part in parts:
        path = at(path, part)
    return path


@cache
def _validator() -> Draft202012Validator:
    """The schema's validator, with its plain ``$ref``s inlined.

    Resolving a ``$ref`` costs jsonschema a registry look-up per item: inlined, a 20,000-item
    ``sources`` list validates in about half the time (``benchmarks/agreement.py``). A ``$ref``
    with sibling keywords, or one that would recurse, is left for jsonschema to resolve.
    """
    schema = agreement_schema()
    return Draft202012Validator(_inlined(schema, schema.get("$defs", {}), ()))


def _inlined(node: Any, defs: dict[str, Any], seen: tuple[str, ...]) -> Any:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and len(node) == 1 and ref.startswith("#/$defs/"):
            name = ref.removeprefix("#/$defs/")
            if name in defs and name not in seen:
                return _inlined(defs[name], defs, (*seen, name))
        return {key: _inlined(value, defs, seen) for key, value in node.items()}
    if isinstance(node, list):
        return [_inlined(item, defs, seen) for item in node]
    return node


def _schema_problems(data: dict[str, Any], ctx: LoadContext) -> None:
    validator = _validator()
    for error in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.path))):
        if _path_of(error.absolute_path) not in ctx.broken:  # already said (a NaN, say)
            _translate(error, ctx)


def _translate(error: ValidationError, ctx: LoadContext) -> None:
    path = _path_of(error.absolute_path)
    instance, schema = error.instance, error.schema
    if error.validator == "additionalProperties" and isinstance(instance, dict):
        known = list(schema.get("properties", {}) if isinstance(schema, dict) else [])
        for key in instance:
            if key not in known:
                guess = difflib.get_close_matches(str(key), known, n=1)
                hint = f"; did you mean {guess[0]!r}?" if guess else f"; expected one of {known}"
                ctx.add(at(path, str(key)), f"unknown key {key!r}{hint}")
        ctx.broken.add(path)
        return
    if error.validator == "required" and isinstance(instance, dict):
        required: list[str] = list(schema.get("required", []) if isinstance(schema, dict) else [])
        for key in required:
            if key not in instance:
                ctx.add(at(path, key), "required key is missing")
        ctx.broken.add(path)
        return
    reason = schema.get("x-reason") if isinstance(schema, dict) else None
    if error.validator in ("oneOf", "anyOf", "not") and reason is None:
        reason = f"{error.message}"
    if reason is not None and error.validator not in ("oneOf", "anyOf", "not"):
        reason = f"{reason} (got {instance!r})"
    ctx.add(path, reason or error.message)
    ctx.broken.add(path)


def _unique(items: list[Any], path: str, ctx: LoadContext) -> list[str]:
    """Record duplicate ids in a list of mappings; return the string ids in order."""
    first: dict[str, int] = {}
    ids = []
    for i, item in enumerate(items):
        item_id = item.get("id") if isinstance(item, dict) else None
        if not isinstance(item_id, str):
            continue
        if item_id in first:
            also = at(path, first[item_id])
            ctx.add(at(at(path, i), "id"), f"duplicate id {item_id!r} (also {also})")
        else:
            first[item_id] = i
        ids.append(item_id)
    return ids


def _items(data: dict[str, Any], key: str) -> list[tuple[int, Any]]:
    value = data.get(key, [])
    return list(enumerate(value)) if isinstance(value, list) else []


def _intact(ctx: LoadContext, path: str, item: Any) -> bool:
    return isinstance(item, dict) and not ctx.is_broken(path)


def _weapon_systems(data: dict[str, Any], ctx: LoadContext, base: Catalogue) -> Catalogue:
    systems = []
    for i, spec in _items(data, "weapon_systems"):
        path = at("weapon_systems", i)
        if _intact(ctx, path, spec):
            systems.append(
                WeaponSystem(
                    name=spec["name"],
                    family=WeaponFamily(spec["family"]),
                    calibre_mm=float(spec["calibre_mm"]) if "calibre_mm" in spec else None,
                    aliases=tuple(spec.get("aliases", [])),
                )
            )
    try:
        return base.extended(systems)
    except ValueError as exc:
        ctx.add("weapon_systems", str(exc))
        return base


def _weapon_class(
    spec: dict[str, Any], path: str, ctx: LoadContext, catalogue: Catalogue
) -> WeaponClass | None:
    criteria = []
    ok = True
    for j, criterion in enumerate(spec["any_of"]):
        where = at(at(path, "any_of"), j)
        calibre = None
        if "calibre_mm" in criterion:
            calibre = CalibreRange.from_document(criterion["calibre_mm"])
            if calibre.is_empty():
                ctx.add(at(where, "calibre_mm"), f"no calibre can satisfy {calibre}: min > max")
                ok = False
        for k, name in enumerate(criterion.get("systems", [])):
            if catalogue.get(name) is None:
                ctx.add(
                    at(at(where, "systems"), k),
                    f"unknown weapon system {name!r}; add it under weapon_systems",
                )
                ok = False
        criteria.append(
            Criterion(
                families=frozenset(WeaponFamily(f) for f in criterion.get("families", [])),
                calibre=calibre,
                systems=tuple(criterion.get("systems", [])),
            )
        )
    if not ok:
        return None
    return WeaponClass(
        id=spec["id"],
        name=spec.get("name", spec["id"]),
        criteria=tuple(criteria),
        source=spec.get("source", ""),
    )


def _projection(
    data: dict[str, Any], ctx: LoadContext, lines: dict[str, ReferenceLine | None]
) -> LocalProjection | None:
    crs = data.get("crs")
    if isinstance(crs, dict) and not ctx.is_broken("crs"):
        if "centre" in crs:
            lon, lat = crs["centre"][0], crs["centre"][1]
            if not (-180 <= lon <= 180 and -90 <= lat <= 90):
                ctx.add(at("crs", "centre"), f"centre {lon}, {lat} is not a (lon, lat) position")
                return None
            return LocalProjection.centred_on(float(lon), float(lat))
        try:
            return LocalProjection.from_crs(crs["proj"])
        except ValueError as exc:
            ctx.add(at("crs", "proj"), str(exc))
            return None
    loaded = [line.geometry for line in lines.values() if line is not None]
    if loaded:
        return LocalProjection.centred_on(*centre_of(loaded))
    if not lines and "crs" not in data:
        ctx.add("crs", "an agreement without lines must give crs: {centre: [lon, lat]}")
    return None


def _build(
    data: dict[str, Any], ctx: LoadContext, text: str, digest: str, base: Catalogue
) -> Agreement:
    """Build the agreement section by section, in the order sections refer to each other
    (parties and lines before zones, zones before clauses), recording every problem."""
    _non_finite(data, ctx)
    _schema_problems(data, ctx)
    in_force_from = None
    if isinstance(data.get("in_force_from"), str):
        in_force_from = read_time(data["in_force_from"], "in_force_from", ctx)
    source_ids = set(_unique(data.get("sources", []) or [], "sources", ctx))
    sources = [s for i, s in _items(data, "sources") if _intact(ctx, at("sources", i), s)]
    party_ids = set(_unique(_list(data, "parties"), "parties", ctx))
    parties = _parties(data, ctx)
    lines = _lines(data, ctx, party_ids)
    projection = _projection(data, ctx, lines)
    catalogue = _weapon_systems(data, ctx, base)
    class_ids = set(_unique(_list(data, "weapon_classes"), "weapon_classes", ctx))
    classes = _classes(data, ctx, catalogue)
    zone_ids = set(_unique(_list(data, "zones"), "zones", ctx))
    zones = _zones(data, ctx, parties, lines, class_ids, projection)
    _unique(_list(data, "clauses"), "clauses", ctx)
    clauses: dict[str, Clause] = {}
    for i, spec in _items(data, "clauses"):
        if _intact(ctx, at("clauses", i), spec):
            clause = clause_from_spec(
                spec,
                at("clauses", i),
                ctx,
                party_ids=party_ids,
                zone_ids=zone_ids,
                class_ids=class_ids,
                source_ids=source_ids,
                in_force_from=in_force_from,
            )
            if clause is not None:
                clauses.setdefault(clause.id, clause)
    if ctx.problems or in_force_from is None or projection is None:
        if not ctx.problems:
            ctx.add("", "the agreement could not be built")
        raise AgreementInvalid(ctx.problems)
    return Agreement(
        id=data["id"],
        version=str(data["version"]),
        title=data["title"],
        in_force_from=in_force_from,
        parties=tuple(parties.values()),
        lines=tuple(line for line in lines.values() if line is not None),
        weapon_classes=tuple(classes.values()),
        zones=tuple(zones.values()),
        clauses=tuple(clauses.values()),
        projection=projection,
        catalogue=catalogue,
        sources=tuple(source_from_spec(spec) for spec in sources),
        description=data.get("description", ""),
        source_text=text,
        sha256=digest,
        origin=ctx.origin,
    )


def _parties(data: dict[str, Any], ctx: LoadContext) -> dict[str, Party]:
    """The parties by id (the first of a duplicated id wins; the duplicate is a problem)."""
    parties: dict[str, Party] = {}
    for i, spec in _items(data, "parties"):
        if _intact(ctx, at("parties", i), spec):
            party = party_from_spec(spec, at("parties", i), ctx)
            if party is not None:
                parties.setdefault(party.id, party)
    return parties


def _lines(
    data: dict[str, Any], ctx: LoadContext, party_ids: set[str]
) -> dict[str, ReferenceLine | None]:
    """The reference lines by id; a line that failed is kept as ``None`` so that zones naming
    it are not also told it does not exist."""
    lines: dict[str, ReferenceLine | None] = {}
    _unique(_list(data, "lines"), "lines", ctx)
    for i, spec in _items(data, "lines"):
        if isinstance(spec, dict) and isinstance(spec.get("id"), str):
            lines.setdefault(spec["id"], None)
        if _intact(ctx, at("lines", i), spec):
            line = line_from_spec(spec, at("lines", i), ctx, party_ids)
            if line is not None and lines.get(line.id) is None:
                lines[line.id] = line
    return lines


def _classes(
    data: dict[str, Any], ctx: LoadContext, catalogue: Catalogue
) -> dict[str, WeaponClass]:
    """The weapon classes by id."""
    classes: dict[str, WeaponClass] = {}
    for i, spec in _items(data, "weapon_classes"):
        if _intact(ctx, at("weapon_classes", i), spec):
            weapon_class = _weapon_class(spec, at("weapon_classes", i), ctx, catalogue)
            if weapon_class is not None:
                classes.setdefault(weapon_class.id, weapon_class)
    return classes


def _zones(
    data: dict[str, Any],
    ctx: LoadContext,
    parties: dict[str, Party],
    lines: dict[str, ReferenceLine | None],
    class_ids: set[str],
    projection: LocalProjection | None,
) -> dict[str, Zone]:
    """The zones by id, drawn from the parties' areas and the lines they refer to."""
    zones: dict[str, Zone] = {}
    for i, spec in _items(data, "zones"):
        if _intact(ctx, at("zones", i), spec):
            zone = zone_from_spec(
                spec,
                at("zones", i),
                ctx,
                parties=parties,
                lines=lines,
                class_ids=class_ids,
                projection=projection,
            )
            if zone is not None:
                zones.setdefault(zone.id, zone)
    return zones


def _list(data: dict[str, Any], key: str) -> list[Any]:
    value = data.get(key)
    return value if isinstance(value, list) else []
