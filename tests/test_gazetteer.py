"""The gazetteer: every disputed place carries several names and is found by any of them."""

import re

import opencc
import pytest
import shapely
from pyproj import Geod

from layers._common import region_land
from layers.gazetteer import load_gazetteer, read_place_records
from marine.gazetteer import (
    EXACT,
    LANGUAGES,
    Gazetteer,
    Place,
    neutral_label,
    normalise,
    split_names,
    to_simplified,
)

GAZ = load_gazetteer()
NAMED = [(p.id, lang, name) for p in GAZ for lang, name in p.all_names()]
# Counts in data/gazetteer/places.csv: a lost or duplicated row fails here.
PLACES_TOTAL = 202
DISPUTED_TOTAL = 164
WATER_KINDS = {"sea", "gulf", "strait"}
WITHIN_KM = 10.0
CONFIRMED_BY_GSHHS, MARKED_APPROXIMATE = 95, 89  # the other 18 places are water bodies


def _strip_marks(text: str) -> str:
    """The same name as a user without a Vietnamese/pinyin keyboard would type it."""
    return normalise(text).upper()


def test_gazetteer_reads_every_row_with_a_position():
    records = read_place_records()
    assert len(GAZ) == len(records) == PLACES_TOTAL
    assert sum(p.disputed for p in GAZ) == DISPUTED_TOTAL
    for r in records:
        assert -5 <= r["lat"] <= 28 and 95 <= r["lon"] <= 125, r["place_id"]
        assert r["accuracy"].strip() and r["position_source"].strip() and r["name_source"].strip()


def distinct_names(place: Place) -> set[str]:
    """Different names of a place: pinyin (a spelling of its characters) and traditional
    forms (the same name in another script) do not count as a second name; glosses such as
    "(1935 name)" are dropped."""
    names = set()
    for lang, name in place.all_names():
        if lang == "zh_pinyin":
            continue
        bare = re.sub(r"\s*\(.*?\)\s*", " ", name).strip()
        names.add(normalise(to_simplified(bare)))
    return names - {""}


def test_every_disputed_place_has_at_least_two_names():
    disputed = [p for p in GAZ if p.disputed]
    assert len(disputed) == DISPUTED_TOTAL
    for place in disputed:
        assert len(distinct_names(place)) >= 2, place.id
    # most carry names in at least two of the main languages, not only variants
    two_languages = [p for p in disputed
                     if len({p.names.get(k, "") for k in ("en", "zh", "vi", "fil", "ms")} - {""}) >= 2]
    assert len(two_languages) >= 150


def _nearest_land_km(land, tree, geod, lon, lat) -> float:
    point = shapely.Point(lon, lat)
    best = float("inf")
    for i in tree.query(point.buffer(0.2)):
        if land[i].contains(point):
            return 0.0
        near = shapely.ops.nearest_points(land[i], point)[0]
        best = min(best, geod.inv(lon, lat, near.x, near.y)[2] / 1000)
    return best


def test_each_position_is_within_10_km_of_gshhs_land_or_marked_approximate():
    import shapely.ops  # noqa: F401  (nearest_points)

    land = list(region_land("f"))
    tree, geod = shapely.STRtree(land), Geod(ellps="WGS84")
    confirmed = approximate = 0
    for record in read_place_records():
        accuracy = record["accuracy"]
        if record["kind"] in WATER_KINDS:
            assert record["note"].startswith("water body"), record["place_id"]
            continue
        km = _nearest_land_km(land, tree, geod, record["lon"], record["lat"])
        if km <= WITHIN_KM:
            confirmed += 1
        else:
            assert accuracy.startswith("approximate"), (record["place_id"], round(km, 1))
            approximate += 1
    assert (confirmed, approximate) == (CONFIRMED_BY_GSHHS, MARKED_APPROXIMATE), (confirmed, approximate)


def test_the_sea_itself_carries_all_its_names():
    sea = GAZ.get("south-china-sea")
    label = neutral_label(sea)
    for name in ("South China Sea", "南海", "Biển Đông"):
        assert name in label
    others = split_names(sea.names["other"])
    assert "East Sea" in others
    assert any("West Philippine Sea" in n for n in others)
    assert any("Laut Natuna Utara" in n for n in others)


@pytest.mark.parametrize("place_id,lang,name", NAMED, ids=[f"{p}-{lang}-{n}" for p, lang, n in NAMED])
def test_lookup_finds_a_place_by_each_of_its_names(place_id, lang, name):
    assert place_id in [p.id for p in GAZ.lookup(name)]
    assert place_id in [p.id for p in GAZ.lookup(_strip_marks(name))]
    assert place_id in [p.id for p in GAZ.lookup(f"  {name.lower()}  ")]


S2T = opencc.OpenCC("s2t")  # an independent converter: the data holds simplified names
TRADITIONAL = [(p.id, S2T.convert(p.names["zh"])) for p in GAZ
               if p.names.get("zh") and S2T.convert(p.names["zh"]) != p.names["zh"]]


def test_traditional_forms_are_many_and_differ():
    assert len(TRADITIONAL) >= 100


@pytest.mark.parametrize("place_id,traditional", TRADITIONAL, ids=[t for _, t in TRADITIONAL])
def test_lookup_by_traditional_characters_finds_the_place(place_id, traditional):
    assert place_id in [p.id for p in GAZ.lookup(traditional)]


def _toneless(text: str) -> str:
    return normalise(text)


@pytest.mark.parametrize(
    "query,expected",
    [
        ("Spratly Island", "spratly-island"),
        ("Spratly Islands", "spratly-islands"),
        ("Woody Island", "woody-island"),
        ("Vanguard Bank", "vanguard-bank"),
        ("Bãi Tư Chính", "vanguard-bank"),
        ("萬安灘", "vanguard-bank"),
        ("Wàn'ān Tān", "vanguard-bank"),
        ("Wan an Tan", "vanguard-bank"),
        ("Amphitrite Group", "amphitrite-group"),
        ("宣德群島", "amphitrite-group"),
        ("Xuande Qundao", "amphitrite-group"),
        ("Crescent Group", "crescent-group"),
        ("永樂群島", "crescent-group"),
        ("Nhom Trang Khuyet", "crescent-group"),
        ("Zhongjiandao", "triton-island"),
        ("Yǒngxīng Dǎo", "woody-island"),
        ("南威島", "spratly-island"),
        ("Pulau Ujong", "singapore-island"),
        ("Teluk Siam", "gulf-of-thailand"),
        ("Bajo de Masinloc", "scarborough-shoal"),
        ("bajo  de MASINLOC", "scarborough-shoal"),
        ("Quan dao Truong Sa", "spratly-islands"),
        ("quần đảo trường sa", "spratly-islands"),
        ("Dao Phu Lam", "woody-island"),
        ("da chu thap", "fiery-cross-reef"),
        ("Rén'ài Jiāo", "second-thomas-shoal"),
        ("renai jiao", "second-thomas-shoal"),
        ("太平岛", "itu-aba"),
        ("太平島", "itu-aba"),
        ("南沙", "spratly-islands"),
        ("Pag-asa", "thitu"),
        ("Terumbu Layang Layang", "swallow-reef"),
        ("Beting Patinggi Ali", "luconia-shoals"),
        ("West Philippine Sea", "south-china-sea"),
        ("Vịnh Bắc Bộ", "gulf-of-tonkin"),
    ],
)
def test_lookup_is_accent_case_space_and_script_insensitive(query, expected):
    assert GAZ.lookup(query)[0].id == expected


def test_partial_matches_are_ranked_after_exact_ones():
    matches = GAZ.search("Reef")
    assert len(matches) >= 5
    assert all(m.rank > EXACT for m in matches)
    exact = GAZ.search("Mischief Reef")
    assert exact[0].place.id == "mischief-reef" and exact[0].rank == EXACT
    ranks = [m.rank for m in GAZ.search("sha")]
    assert ranks == sorted(ranks)


def test_unknown_or_empty_query_finds_nothing():
    assert GAZ.lookup("Atlantis Bank") == []
    assert GAZ.lookup("   ") == []


def test_neutral_label_respects_the_users_order():
    itu = GAZ.get("itu-aba")
    main = dict(include_other=False)
    assert neutral_label(itu, **main) == "Itu Aba / 太平岛 Taiping Dao / Ba Bình / Ligaw"
    assert neutral_label(itu, order=("vi", "fil", "zh", "en"), **main) == (
        "Ba Bình / Ligaw / 太平岛 Taiping Dao / Itu Aba"
    )
    # languages left out of the order still appear, after the chosen ones
    assert neutral_label(itu, order=("fil",), **main).split(" / ") == [
        "Ligaw", "Itu Aba", "太平岛 Taiping Dao", "Ba Bình"
    ]
    # other names (traditional characters, alternatives) follow unless left out
    assert neutral_label(itu).startswith("Itu Aba / 太平岛 Taiping Dao / Ba Bình / Ligaw / ")
    assert "太平島" in neutral_label(itu)
    # the user may place them anywhere
    assert neutral_label(itu, order=("other", "en")).split(" / ")[0] == "太平島"


def test_labels_carry_every_name_of_the_sea():
    label = neutral_label(GAZ.get("south-china-sea"))
    for name in ("South China Sea", "南海", "Biển Đông", "East Sea", "West Philippine Sea (part)",
                 "Laut Natuna Utara (part)", "Laut China Selatan", "Dagat Timog Tsina"):
        assert name in label.split(" / ") or name in label


def test_every_label_shows_each_name_once():
    for place in GAZ:
        parts = neutral_label(place).split(" / ")
        assert len(parts) == len(set(parts)), place.id


def test_neutral_label_rejects_unknown_languages():
    with pytest.raises(ValueError, match="unknown languages"):
        neutral_label(GAZ.get("thitu"), order=("en", "xx"))
    with pytest.raises(ValueError, match="unknown languages"):
        neutral_label(GAZ.get("thitu"), order=("zh_pinyin",))  # pinyin goes with its characters


def test_place_and_gazetteer_check_their_inputs():
    with pytest.raises(ValueError, match="no name"):
        Place("nameless", {"en": " "}, 10, 114)
    with pytest.raises(ValueError, match="unknown languages"):
        Place("x", {"klingon": "x"}, 10, 114)
    with pytest.raises(ValueError, match="out of range"):
        Place("x", {"en": "x"}, 100, 114)
    p = Place("a", {"en": "A"}, 10, 114)
    with pytest.raises(ValueError, match="twice"):
        Gazetteer([p, p])
    with pytest.raises(KeyError, match="look it up"):
        GAZ.get("no-such-place")


def test_place_languages_are_the_declared_ones():
    for place in GAZ:
        assert set(place.names) <= set(LANGUAGES)
