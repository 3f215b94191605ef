"""The gazetteer: every disputed place carries several names and is found by any of them."""

import pytest

from layers.gazetteer import load_gazetteer, read_place_records
from marine.gazetteer import (
    EXACT,
    LANGUAGES,
    Gazetteer,
    Place,
    neutral_label,
    normalise,
    split_names,
)

GAZ = load_gazetteer()
NAMED = [(p.id, lang, name) for p in GAZ for lang, name in p.all_names()]


def _strip_marks(text: str) -> str:
    """The same name as a user without a Vietnamese/pinyin keyboard would type it."""
    return normalise(text).upper()


def test_gazetteer_reads_every_row_with_a_position():
    records = read_place_records()
    assert len(GAZ) == len(records) >= 20
    for r in records:
        assert -5 <= r["lat"] <= 28 and 95 <= r["lon"] <= 125, r["place_id"]
        assert r["accuracy"].strip() and r["position_source"].strip() and r["name_source"].strip()


def test_every_disputed_place_has_at_least_two_names():
    disputed = [p for p in GAZ if p.disputed]
    assert len(disputed) >= 15
    for place in disputed:
        main_names = {place.names.get(k, "") for k in ("en", "zh", "vi", "fil", "ms")} - {""}
        assert len(main_names) >= 2, place.id


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


@pytest.mark.parametrize(
    "query,expected",
    [
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
