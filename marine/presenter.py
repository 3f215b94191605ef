"""The overlap report as a person reads it, in any UI language: one presenter for the app,
the PDF atlas, the offline map and the CSV files of a map pack.

    shown = present_report(report, "vi")
    shown.headline   # area, perimeter (km², nm², nm), centre in DMS, where it is
    shown.warnings   # what to check first: land, agreed boundaries, protection, moratorium…
    shown.sections   # short sentences and compact tables
    shown.not_analysed  # one line per layer that was not measured, written for users

Pure: a `Report` in, frozen dataclasses of text out. No internal key, JSON or Python literal
reaches the text: layers by their translated titles, statuses by their words, numbers
formatted for the language (`format_number`, one function the whole presenter goes through).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from marine import formatting
from marine.analysis.report import LayerOverlap, PlaceHit, Report
from marine.gazetteer import LANGUAGES as GAZETTEER_LANGUAGES
from marine.gazetteer import Place, neutral_label
from marine.geo import GEOD, format_dms
from marine.i18n import translate

KM_PER_NM = 1.852
# Thresholds of the warnings. A coastal area commonly takes in a strip of shore; a tenth of
# the area on land is a drawing to check.
LAND_WARNING_SHARE = 0.10
LARGE_AREA_KM2 = 100_000.0  # "larger than a stated size": the default stated size
# Base-map themes whose area layers are land (the registry says what a layer is for).
LAND_THEMES = ("base",)
WATER_KINDS = ("sea", "gulf")  # gazetteer kinds that are waters, not landmarks


# --------------------------------------------------------------------------- numbers
def format_number(value: float, lang: str, decimals: int = 0) -> str:
    """`value` with grouping and decimals as `lang` writes them (12,345.6 / 12.345,6)."""
    return formatting.number(value, lang, decimals)


def format_share(share: float, lang: str) -> str:
    """A share of the proposal as a percentage: whole percent, one decimal below 10 %, and
    "< 0.1 %" rather than a misleading 0."""
    if 0 < share < 0.001:
        return f"< {formatting.percent(0.001, lang, 1)}"
    return formatting.percent(share, lang, 1 if share < 0.1 else 0)


def _size(value: float, lang: str) -> str:
    """Areas and lengths: no decimals from 100 up, one below, two below 1."""
    decimals = 0 if value >= 100 else 1 if value >= 1 else 2
    return format_number(value, lang, decimals)


# --------------------------------------------------------------------------- results
@dataclass(frozen=True)
class Fact:
    label: str
    value: str


@dataclass(frozen=True)
class TextTable:
    """A compact table of text; `key` names it in file names and the data dictionary."""

    key: str
    headings: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    sentences: tuple[str, ...] = ()
    table: TextTable | None = None


@dataclass(frozen=True)
class PresentedReport:
    lang: str
    headline: tuple[Fact, ...]
    warnings: tuple[str, ...]
    sections: tuple[Section, ...]
    not_analysed: tuple[str, ...]

    def facts(self) -> dict[str, str]:
        return {f.label: f.value for f in self.headline}


def _t(key: str, lang: str, **fields: object) -> str:
    return translate(f"present.{key}", lang, **fields)


def layer_name(layer_id: str, lang: str, default: str = "") -> str:
    """A layer's title in `lang`; an unknown layer by its catalogue title, never its id."""
    return translate(f"layer.{layer_id}", lang,
                     default=default or layer_id.replace("-", " ").capitalize())


def status_word(status: str, lang: str) -> str:
    return translate(f"status.{status}", lang, default=status.replace("-", " "))


# --------------------------------------------------------------------------- headline
def headline(report: Report, lang: str) -> tuple[Fact, ...]:
    m = report.measures
    facts = []
    if m.kind == "area":
        facts.append(Fact(_t("area", lang), f"{_size(m.area_km2, lang)} km² · "
                                            f"{_size(m.area_nm2, lang)} nm²"))
        facts.append(Fact(_t("perimeter", lang), f"{_size(m.perimeter_km, lang)} km · "
                                                 f"{_size(m.perimeter_nm, lang)} nm"))
    elif m.kind == "line":
        facts.append(Fact(_t("length", lang), f"{_size(m.length_km, lang)} km · "
                                              f"{_size(m.length_nm, lang)} nm"))
    else:
        facts.append(Fact(_t("points", lang), format_number(m.point_count, lang)))
    facts.append(Fact(_t("centre", lang), centre_dms(m.centroid_lon, m.centroid_lat)))
    where = nearest_named(report, lang)
    if where:
        facts.append(Fact(_t("where", lang), where))
    return tuple(facts)


def centre_dms(lon: float, lat: float) -> str:
    return f"{format_dms(lat, 'lat')} {format_dms(lon, 'lon')}"


def short_label(place: PlaceHit) -> str:
    """Every main name of a place (the gazetteer's neutral label without the alternative and
    partial names): never one name alone, short enough for a headline."""
    names = {k: v for k, v in place.names.items() if k in GAZETTEER_LANGUAGES and v}
    if not names:
        return place.label
    return neutral_label(Place(id=place.place_id, names=names, lat=0.0, lon=0.0),
                         include_other=False)


def nearest_named(report: Report, lang: str) -> str:
    """"48 nm, bearing 112°, from Vung Tau (port)": the centre seen from the nearest named
    place or port (geodesic distance and initial bearing from that place)."""
    m = report.measures
    candidates = []
    for p in report.places:  # a sea or gulf is named by a point in its middle: no landmark
        if p.lat is not None and p.lon is not None and p.kind not in WATER_KINDS:
            candidates.append((short_label(p), _t("kind.place", lang), p.lon, p.lat))
    for p in report.ports:
        if p.lat is not None and p.lon is not None:
            candidates.append((p.name, _t("kind.port", lang), p.lon, p.lat))
    best = None
    for name, kind, lon, lat in candidates:
        azimuth, _back, metres = GEOD.inv(lon, lat, m.centroid_lon, m.centroid_lat)
        if best is None or metres < best[0]:
            best = (metres, azimuth, name, kind)
    if best is None:
        return ""
    metres, azimuth, name, kind = best
    nm = metres / 1852.0
    if nm < 1:
        return _t("at_place", lang, name=name, kind=kind)
    return _t("from_place", lang, nm=_size(nm, lang), bearing=f"{round(azimuth) % 360:03d}°",
              name=name, kind=kind)


# --------------------------------------------------------------------------- warnings
def land_share(report: Report) -> float:
    shares = [lo.share for lo in report.layers
              if lo.theme in LAND_THEMES and lo.layer_kind == "area"]
    return max(shares, default=0.0)


def warnings(report: Report, lang: str, large_km2: float = LARGE_AREA_KM2) -> tuple[str, ...]:
    """What a reader should check first, most serious first."""
    out = []
    m = report.measures
    on_land = land_share(report)
    if m.kind == "area" and on_land >= LAND_WARNING_SHARE:
        out.append(_t("warn.land", lang, share=format_share(on_land, lang)))
    if report.repairs:
        out.append(_t("warn.repaired", lang))
    for hit in report.claims.agreements:
        key = {"crosses": "warn.boundary", "overlaps": "warn.joint_area"}.get(
            hit.relation, "warn.joint_points")
        out.append(_t(key, lang, agreement=hit.agreement or hit.name))
    protected = [h for h in report.environment if h.protected]
    for layer_id in dict.fromkeys(h.layer_id for h in protected):
        names = [h.name for h in protected if h.layer_id == layer_id]
        out.append(_t("warn.protected", lang, layer=layer_name(layer_id, lang),
                      count=format_number(len(names), lang), names=_listing(names, lang)))
    for hit in report.moratorium:
        out.append(_t("warn.moratorium", lang, share=format_share(hit.share, lang),
                      name=hit.name, season=season(hit.season_start, hit.season_end, lang)))
    if m.kind == "area" and m.area_km2 > large_km2:
        out.append(_t("warn.large", lang, limit=f"{format_number(large_km2, lang)} km²"))
    return tuple(out)


def _listing(names: Sequence[str], lang: str, limit: int = 3) -> str:
    shown = list(dict.fromkeys(n for n in names if n))[:limit]
    more = len(set(names)) - len(shown)
    text = _t("list_separator", lang).join(shown)
    return text + (_t("and_more", lang, count=format_number(more, lang)) if more > 0 else "")


def season(start: str, end: str, lang: str) -> str:
    """'05-01T12:00', '08-16T12:00' → '1 May – 16 August' in `lang`."""
    def day(text: str) -> str:
        month, _, rest = text.partition("-")
        try:
            return _t("date", lang, day=int(rest[:2]), month=_t(f"month.{int(month)}", lang))
        except ValueError:
            return text
    return f"{day(start)} – {day(end)}" if start and end else ""


# --------------------------------------------------------------------------- sections
def _where_section(report: Report, lang: str) -> Section | None:
    if not report.places:
        return None
    rows = tuple((p.label, _t("inside", lang) if p.inside else
                  _t("away", lang, nm=_size(p.distance_nm, lang))) for p in report.places)
    inside = sum(p.inside for p in report.places)
    sentence = _t("places_summary", lang, inside=format_number(inside, lang),
                  near=format_number(len(report.places) - inside, lang))
    table = TextTable("nearby-places", (_t("col.names", lang), _t("col.where", lang)), rows)
    return Section("nearby-places", _t("section.places", lang), (sentence,), table)


def _claims_section(report: Report, lang: str) -> Section:
    claims = report.claims
    sentences = []
    for cov in claims.envelope_coverage:
        if cov.share <= 0:
            continue
        key = ("envelope.none" if cov.count == 0 else "envelope.one" if cov.count == 1
               else "envelope.many")
        sentences.append(_t(key, lang, share=format_share(cov.share, lang),
                            count=format_number(cov.count, lang)))
    for hit in claims.agreements:
        sentences.append(_t(f"relation.{hit.relation.replace(' ', '_')}", lang,
                            agreement=hit.agreement or hit.name))
    line = claims.depicted_line
    if line is not None and line.dashes:
        if line.crosses:
            sentences.append(_t("depicted.crosses", lang,
                                count=format_number(line.dashes_crossing, lang)))
        elif line.distance_nm is not None:
            sentences.append(_t("depicted.distance", lang, nm=_size(line.distance_nm, lang)))
    if not sentences:
        sentences.append(_t("claims.none", lang))
    return Section("claims", _t("section.claims", lang), tuple(sentences))


def _fisheries_section(report: Report, lang: str) -> Section | None:
    sentences = [_t("fao", lang, name=h.name, share=format_share(h.share, lang))
                 for h in report.fao_areas]
    sentences += [_t("moratorium", lang, name=h.name, share=format_share(h.share, lang),
                     season=season(h.season_start, h.season_end, lang))
                  for h in report.moratorium]
    if not sentences:
        return None
    return Section("fisheries", _t("section.fisheries", lang), tuple(sentences))


def _shipping_section(report: Report, lang: str) -> Section | None:
    sentences = []
    r = report.routes
    if r is not None and r.segments:
        sentences.append(_t("routes", lang, count=format_number(r.segments, lang),
                            km=_size(r.length_km, lang), nm=_size(r.length_nm, lang)))
        if r.passages:
            sentences.append(_t("passages", lang, names=_listing(r.passages, lang, 5)))
    table = None
    if report.ports:
        rows = tuple((p.name, p.country, _t("inside", lang) if p.inside else
                      _t("away", lang, nm=_size(p.distance_nm, lang))) for p in report.ports)
        table = TextTable("nearest-ports", (_t("col.port", lang), _t("col.country", lang),
                                    _t("col.where", lang)), rows)
    if not sentences and table is None:
        return None
    return Section("shipping", _t("section.shipping", lang), tuple(sentences), table)


def _environment_section(report: Report, lang: str) -> Section | None:
    if not report.environment:
        return None
    rows = tuple((h.name, layer_name(h.layer_id, lang), _overlap_of(h.area_km2, h.share,
                                                                     h.count, lang))
                 for h in report.environment[:30])
    table = TextTable("environment", (_t("col.name", lang), _t("col.layer", lang),
                                      _t("col.overlap", lang)), rows)
    sentence = _t("environment", lang, count=format_number(len(report.environment), lang))
    return Section("environment", _t("section.environment", lang), (sentence,), table)


def _overlap_of(area_km2: float, share: float, count: float, lang: str) -> str:
    if area_km2:
        return f"{_size(area_km2, lang)} km² ({format_share(share, lang)})"
    if count:
        return _t("count", lang, count=format_number(count, lang))
    return _t("touches", lang)


def layer_amount(lo: LayerOverlap, lang: str) -> str:
    if lo.area_km2:
        return f"{_size(lo.area_km2, lang)} km² ({format_share(lo.share, lang)})"
    if lo.length_km:
        return f"{_size(lo.length_km, lang)} km · {_size(lo.length_nm, lang)} nm"
    return _t("count", lang, count=format_number(lo.count or lo.feature_count, lang))


def _layers_section(report: Report, lang: str) -> Section:
    rows = tuple((layer_name(lo.layer_id, lang, lo.title), status_word(lo.status, lang),
                  format_number(lo.feature_count, lang), layer_amount(lo, lang))
                 for lo in report.layers)
    if not rows:
        return Section("layers", _t("section.layers", lang), (_t("no_overlap", lang),))
    table = TextTable("layers", (_t("col.layer", lang), _t("col.status", lang),
                                 _t("col.features", lang), _t("col.overlap", lang)), rows)
    return Section("layers", _t("section.layers", lang),
                   (_t("layers_summary", lang, count=format_number(len(rows), lang)),), table)


def not_analysed(report: Report, lang: str) -> tuple[str, ...]:
    """One line per layer not measured, saying why in words meant for users."""
    empty = set(report.empty_layers) or set(report.skipped_layers)
    return tuple(
        _t("skipped.empty" if lid in empty else "skipped.failed", lang,
           layer=layer_name(lid, lang))
        for lid in sorted(report.skipped_layers, key=lambda i: layer_name(i, lang)))


def present_report(report: Report | Mapping, lang: str = "en",
                   large_km2: float = LARGE_AREA_KM2) -> PresentedReport:
    """`report` (a Report or its dict) as headline, warnings, sections and not-analysed lines."""
    if not isinstance(report, Report):
        report = Report.from_dict(dict(report))
    sections = [_where_section(report, lang), _claims_section(report, lang),
                _fisheries_section(report, lang), _shipping_section(report, lang),
                _environment_section(report, lang), _layers_section(report, lang)]
    return PresentedReport(
        lang=lang, headline=headline(report, lang),
        warnings=warnings(report, lang, large_km2),
        sections=tuple(s for s in sections if s is not None),
        not_analysed=not_analysed(report, lang))
