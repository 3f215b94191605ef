"""Data for the wording check (`marine.neutrality.lint_text`): rules per language, the rules
on the sea's names, and the one without-prejudice text.

Each rule is a regular expression (matched case-insensitively, never inside a longer word or
after a hyphen, so "non-territorial" is not "territorial") with optional contexts that
silence it: `unless_before` (the 100 characters before, e.g. "without prejudice to …
sovereign rights"), `unless_after` (the 40 after, e.g. "illegal, unreported and
unregulated fishing", a term of art) and `other_names` (anywhere in the text, e.g. another
name of the sea given alongside).

No place name is written here: the names of places and of the sea are the gazetteer's
(data/gazetteer/places.csv, with the short forms and the sea's names in each party's usage in
data/gazetteer/aliases.csv); `sea_name_rules` builds its patterns from them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from marine.gazetteer import Place

# Parties named in possessive or zone patterns, in each language.
_PARTIES_EN = (r"(?:China|the\s+Philippines|Philippines|Viet\s?Nam|Vietnam|Malaysia|Brunei|"
               r"Indonesia|Taiwan|Chinese\s+Taipei|the\s+PRC|PRC)")
_ADJ_EN = r"(?:Chinese|Philippine|Filipino|Vietnamese|Malaysian|Indonesian|Bruneian|Taiwanese)"
_PARTIES_ZH = r"(?:中国|我国|菲律宾|越南|马来西亚|文莱|印度尼西亚|印尼|台湾)"
_PARTIES_VI = (r"(?:Việt\s+Nam|Trung\s+Quốc|Philippines|Phi-líp-pin|Malaysia|Ma-lai-xi-a|"
               r"Brunei|Bru-nây|Indonesia|In-đô-nê-xi-a|Đài\s+Loan)")
_PARTIES_FIL = r"(?:Pilipinas|Tsina|China|Vietnam|Biyetnam|Malaysia|Indonesia|Brunei|Taiwan)"
_PARTIES_MS = r"(?:Malaysia|Indonesia|China|Cina|Tiongkok|Vietnam|Filipina|Brunei|Taiwan)"

# Phrases that make a mention of sovereignty neutral ("without prejudice to ...").
_WITHOUT_PREJUDICE = {
    "en": r"(?:without\s+prejudice|not\s+prejudice|no\s+prejudice|shall\s+not\s+affect|"
          r"does\s+not\s+affect|do\s+not\s+affect|without\s+affecting|neither\s+.*?\s+nor|"
          r"irrespective\s+of|regardless\s+of)",
    "zh": r"(?:不损害|不影响|无损于|不妨碍|不涉及)",
    "vi": r"(?:không\s+(?:làm\s+)?phương\s+hại|không\s+ảnh\s+hưởng|không\s+làm\s+tổn\s+hại)",
    "fil": r"(?:walang\s+pagkiling|hindi\s+makaaapekto|hindi\s+nakaaapekto|walang\s+epekto)",
    "ms": r"(?:tanpa\s+menjejaskan|tidak\s+menjejaskan|tanpa\s+prejudis)",
    "id": r"(?:tidak\s+mengurangi|tanpa\s+mengurangi|tanpa\s+prasangka|tidak\s+memengaruhi)",
}
# "Illegal, unreported and unregulated (IUU) fishing" is a term of art, not an accusation.
_IUU_AFTER = {
    "en": r"^\W*(?:unreported|IUU)",
    "zh": r"^\W*不报告",
    "vi": r"^\W*không\s+báo\s+cáo",
    "fil": r"^\W*(?:hindi\s+iniulat|hindi\s+naiuulat|unreported)",
    "ms": r"^\W*(?:tidak\s+dilaporkan|tanpa\s+laporan)",
    "id": r"^\W*(?:tidak\s+dilaporkan|tanpa\s+laporan)",
}

# The sea's names. The IHO name (S-23, 1953) "South China Sea" and its direct renderings are
# the reference; a name used by one party (or for one party's part of the sea) is flagged
# when used alone, i.e. when no other name of the sea appears in the same text.
def _rule(rule_id, lang, pattern, explanation, suggestion, severity="warning", **unless):
    return {"id": rule_id, "lang": lang, "pattern": pattern, "explanation": explanation,
            "suggestion": suggestion, "severity": severity, **unless}


_EXPLAIN = {
    "possessive": "A possessive about the sea or its features takes one party's position on "
                  "who the area belongs to.",
    "sovereignty": "Asserting sovereignty or sovereign rights over the area takes a position "
                   "the dialogue sets aside; state it as without prejudice, or describe the "
                   "activity instead.",
    "zone": "Naming the area as one party's maritime zone treats a contested area as settled.",
    "illegal": "Calling an activity illegal or unlawful passes a legal judgement the "
               "co-operative text does not need; describe what happened.",
    "occupied": "'Occupied', 'invaded' and similar words characterise a presence as wrongful; "
                "describe the presence factually.",
    "claim-as-fact": "States one party's claim as a fact ('belongs to', 'since ancient "
                     "times', 'inalienable').",
    "sea-name": "A name for the sea used by one party; used alone it may read as taking that "
                "party's position. Give the sea's other names alongside.",
}


def _lang_rules(lang, possessive, sovereignty, zone, illegal, occupied, claim, sugg):
    """The six families of rules for one language (patterns given per language)."""
    wp, iuu = _WITHOUT_PREJUDICE[lang], _IUU_AFTER[lang]
    rules = [
        _rule(f"{lang}.possessive", lang, possessive, _EXPLAIN["possessive"], sugg["possessive"]),
        _rule(f"{lang}.sovereignty", lang, sovereignty, _EXPLAIN["sovereignty"],
              sugg["sovereignty"], unless_before=wp),
        _rule(f"{lang}.zone-of-party", lang, zone, _EXPLAIN["zone"], sugg["zone"],
              unless_before=wp),
        _rule(f"{lang}.illegal", lang, illegal, _EXPLAIN["illegal"], sugg["illegal"],
              unless_after=iuu, unless_before=wp),
        _rule(f"{lang}.occupied", lang, occupied, _EXPLAIN["occupied"], sugg["occupied"]),
    ]
    if claim:
        rules.append(_rule(f"{lang}.claim-as-fact", lang, claim, _EXPLAIN["claim-as-fact"],
                           sugg["claim"], unless_before=wp))
    return rules


RULES: list[dict] = [
    *_lang_rules(
        "en",
        possessive=(rf"(?:our|my|their|his|her)\s+(?:own\s+)?(?:waters|seas?|maritime\s+"
                    rf"(?:zones?|domain|territory|areas?)|islands?|reefs?|features?|EEZ|"
                    rf"territor(?:y|ies)|fishing\s+grounds?)|{_ADJ_EN}\s+(?:waters|territory|"
                    rf"territorial\s+waters|reefs|islands|maritime\s+territory)"),
        sovereignty=(r"(?:indisputable|undisputed|inherent|historic(?:al)?|inalienable)\s+"
                     r"(?:sovereignty|rights?|title|waters)|sovereign(?:ty)?\s+(?:over|rights)"),
        zone=(rf"{_PARTIES_EN}['’]s?\s+(?:EEZ|exclusive\s+economic\s+zone|continental\s+shelf|"
              rf"territorial\s+(?:sea|waters)|maritime\s+(?:zone|territory))|"
              rf"(?:territorial\s+(?:sea|waters)|EEZ|exclusive\s+economic\s+zone|continental\s+"
              rf"shelf)\s+of\s+{_PARTIES_EN}|{_ADJ_EN}\s+(?:EEZ|exclusive\s+economic\s+zone|"
              rf"continental\s+shelf)"),
        illegal=r"illegal(?:ly)?|unlawful(?:ly)?|illegitimate",
        occupied=(r"occupied|occupation|occupying|occupier|invaded|invasion|invader|"
                  r"encroach(?:ment|ed|es|ing)?|incursions?|intrusions?|seized|stolen"),
        claim=(r"belongs?\s+to|inalienable|since\s+ancient\s+times|integral\s+part\s+of|"
               r"rightful(?:ly)?\s+(?:owner|belong)"),
        sugg={"possessive": "the waters of the proposed area",
              "sovereignty": "without prejudice to the positions of the parties",
              "zone": "the proposed area (see the claims context in the overlap report)",
              "illegal": "describe the activity (what, where, when) without a legal "
                         "characterisation",
              "occupied": "the feature where [party] maintains a presence (stated as a fact)",
              "claim": "describe the positions as positions: 'X considers that …'"},
    ),
    *_lang_rules(
        "zh",
        possessive=(r"(?:我国|我方|我们的?|咱们的?)(?:的)?(?:海域|领海|水域|岛礁|岛屿|海洋国土|"
                    r"领土|渔场|管辖海域)"),
        sovereignty=(r"(?:无可争辩|不可争辩|不容置疑|固有|神圣)的?(?:主权|领土|权利)|主权权利|"
                     r"(?:对|拥有)[^。，,]{0,12}主权"),
        zone=rf"{_PARTIES_ZH}的?(?:领海|专属经济区|大陆架|管辖海域|海洋国土)",
        illegal=r"非法|违法",
        occupied=r"侵占|占领|非法占据|入侵|侵犯|霸占|强占|侵略",
        claim=r"自古以来|不可分割的一部分|属于(?:中国|菲律宾|越南|马来西亚|文莱|印度尼西亚)",
        sugg={"possessive": "拟议区域内的海域",
              "sovereignty": "不损害各方立场",
              "zone": "拟议区域（见重叠报告中的主张背景）",
              "illegal": "客观描述有关活动（内容、地点、时间），不作法律定性",
              "occupied": "[某方]存在的地物（作为事实陈述）",
              "claim": "将立场表述为立场：“某方认为……”"},
    ),
    *_lang_rules(
        "vi",
        possessive=(r"(?:vùng\s+biển|biển\s+đảo|lãnh\s+hải|hải\s+đảo|quần\s+đảo|đảo|ngư\s+trường|"
                    r"lãnh\s+thổ)\s+(?:của\s+)?(?:chúng\s+)?(?:ta|tôi|mình)"),
        sovereignty=(r"(?:quyền\s+)?chủ\s+quyền(?:\s+không\s+thể\s+tranh\s+cãi|\s+bất\s+khả"
                     r"\s+tranh\s+nghị)?|thiêng\s+liêng"),
        zone=(rf"(?:vùng\s+biển|lãnh\s+hải|vùng\s+đặc\s+quyền\s+kinh\s+tế|thềm\s+lục\s+địa)"
              rf"\s+(?:của\s+)?{_PARTIES_VI}"),
        illegal=r"bất\s+hợp\s+pháp|phi\s+pháp|trái\s+phép|trái\s+luật",
        occupied=(r"chiếm\s+đóng|xâm\s+chiếm|xâm\s+phạm|xâm\s+lược|cưỡng\s+chiếm|"
                  r"chiếm\s+giữ|xâm\s+nhập"),
        claim=r"từ\s+xa\s+xưa|không\s+thể\s+tách\s+rời|thuộc\s+về",
        sugg={"possessive": "vùng biển thuộc khu vực đề xuất",
              "sovereignty": "không phương hại đến lập trường của các bên",
              "zone": "khu vực đề xuất (xem bối cảnh yêu sách trong báo cáo chồng lấn)",
              "illegal": "mô tả hoạt động (nội dung, địa điểm, thời gian) mà không định "
                         "tính pháp lý",
              "occupied": "thực thể nơi [bên] hiện diện (nêu như một sự kiện)",
              "claim": "nêu lập trường như lập trường: “Bên X cho rằng …”"},
    ),
    *_lang_rules(
        "fil",
        possessive=(r"(?:ating|aming|atin|amin)\s+(?:mga\s+)?(?:karagatan|dagat|teritoryo|isla|"
                    r"pulo|bahura|katubigan|pangisdaan)|(?:karagatan|dagat|teritoryo|katubigan|"
                    r"isla|bahura)\s+(?:natin|namin)"),
        sovereignty=(r"soberanya|soberanong\s+karapatan|karapatang\s+soberano|"
                     r"(?:di-mapag-aalinlanganang|hindi\s+mapag-aalinlanganang)\s+\w+"),
        zone=(rf"(?:EEZ|eksklusibong\s+sonang\s+pang-ekonomiya|teritoryal\s+na\s+dagat|"
              rf"karagatang\s+teritoryal|kalupaang\s+kontinental)\s+ng\s+{_PARTIES_FIL}"),
        illegal=r"ilegal|iligal|labag\s+sa\s+batas",
        occupied=r"sinakop|pananakop|sumakop|okupado|inokupahan|panghihimasok|nanghimasok",
        claim=r"pag-aari\s+ng|mula\s+pa\s+noong\s+unang\s+panahon",
        sugg={"possessive": "ang karagatan ng iminungkahing lugar",
              "sovereignty": "nang walang pagkiling sa mga posisyon ng mga panig",
              "zone": "ang iminungkahing lugar (tingnan ang konteksto ng mga paghahabol sa "
                      "ulat)",
              "illegal": "ilarawan ang gawain (ano, saan, kailan) nang walang legal na "
                         "paglalarawan",
              "occupied": "ang anyong-dagat kung saan may presensya ang [panig] (bilang "
                          "katotohanan)",
              "claim": "ilahad ang posisyon bilang posisyon: “Ayon sa panig X …”"},
    ),
    *[r for lang in ("ms", "id") for r in _lang_rules(
        lang,
        possessive=r"(?:perairan|laut|wilayah|pulau|terumbu|kawasan\s+laut)\s+(?:kita|kami)",
        sovereignty=r"kedaulatan|hak\s+berdaulat",
        zone=(rf"(?:ZEE|zon\s+ekonomi\s+eksklusif|zona\s+ekonomi\s+eksklusif|laut\s+wilayah|"
              rf"pelantar\s+benua|landas\s+kontinen|perairan)\s+{_PARTIES_MS}"),
        illegal=r"haram|ilegal|tidak\s+sah|melanggar\s+undang-undang|melanggar\s+hukum",
        occupied=r"diduduki|pendudukan|menduduki|dijajah|pencerobohan|diceroboh|penjajahan",
        claim=None,
        sugg={"possessive": {"ms": "perairan kawasan yang dicadangkan",
                             "id": "perairan kawasan yang diusulkan"}[lang],
              "sovereignty": {"ms": "tanpa menjejaskan pendirian pihak-pihak",
                              "id": "tanpa mengurangi posisi para pihak"}[lang],
              "zone": {"ms": "kawasan yang dicadangkan (lihat konteks tuntutan dalam laporan)",
                       "id": "kawasan yang diusulkan (lihat konteks klaim dalam laporan)"}[lang],
              "illegal": {"ms": "huraikan aktiviti (apa, di mana, bila) tanpa penilaian undang-"
                                "undang",
                          "id": "uraikan kegiatan (apa, di mana, kapan) tanpa penilaian "
                                "hukum"}[lang],
              "occupied": {"ms": "ciri di mana [pihak] mempunyai kehadiran (sebagai fakta)",
                           "id": "fitur tempat [pihak] hadir (sebagai fakta)"}[lang],
              "claim": ""},
    )],
]



def _names_pattern(names) -> str:
    """One regular expression matching any of `names` (spaces match any run of spaces)."""
    longest_first = sorted(set(names), key=lambda n: (-len(n), n))
    return "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in longest_first)


def sea_name_rules(sea: Place, aliases: Iterable[Mapping[str, str]]) -> list[dict]:
    """Advice on a name of `sea` in one party's usage given alone (one rule per usage).

    `aliases`: rows of data/gazetteer/aliases.csv (`lang`, `name`, `use`); the names come
    from the gazetteer, never from this module. A usage's names are silenced by any other
    name of the sea in the text (its gazetteer names without "(part)", variants, other usages).
    """
    rows = [r for r in aliases if r["place_id"] == sea.id]
    usages: dict[str, list[str]] = {}
    for row in rows:
        if row["use"].startswith("national:"):
            usages.setdefault(row["use"], []).append(row["name"])
    every_name = [re.sub(r"\s*\([^)]*\)$", "", name) for _, name in sea.all_names()]
    every_name += [r["name"] for r in rows if r["use"] != "short"]
    international = " / ".join(n for n in (sea.names.get("en"), sea.names.get("zh")) if n)
    return [
        _rule(f"any.sea-name.{i}", "any", _names_pattern(names), _EXPLAIN["sea-name"],
              f"{{match}} / {international}", severity="advice",
              other_names=_names_pattern(every_name))
        for i, names in enumerate(usages.values())
    ]


# The one without-prejudice text every map and export carries, in every UI language.
DISCLAIMER_TEXTS = {
    "en": (
        "Without prejudice. This material is prepared for co-operative dialogue only. It is "
        "without prejudice to the sovereignty, sovereign rights, jurisdiction or claims of any "
        "party, and to the position of any party on the delimitation of maritime boundaries. "
        "The names, lines and areas shown imply no opinion on the legal status of any "
        "territory, feature or maritime area or of its authorities, and no endorsement or "
        "acceptance of any claim. Where a place has several names, all are shown."
    ),
    "zh": (
        "不损害声明。本材料仅供合作对话使用，不损害任何一方的主权、主权权利、管辖权或主张，"
        "也不损害任何一方在海洋划界问题上的立场。所示名称、线条和区域不意味着对任何领土、"
        "地物或海域及其当局的法律地位表示任何意见，也不意味着认可或接受任何主张。"
        "一个地方有多个名称时，全部列出。"
    ),
    "vi": (
        "Không phương hại. Tài liệu này chỉ được soạn thảo để phục vụ đối thoại hợp tác. Tài "
        "liệu không phương hại đến chủ quyền, quyền chủ quyền, quyền tài phán hay yêu sách của "
        "bất kỳ bên nào, cũng như lập trường của bất kỳ bên nào về phân định ranh giới biển. "
        "Các tên gọi, đường và vùng được thể hiện không hàm ý bất kỳ quan điểm nào về quy chế "
        "pháp lý của bất kỳ lãnh thổ, thực thể địa lý hay vùng biển nào hoặc của chính quyền "
        "tại đó, cũng không hàm ý tán thành hay chấp nhận bất kỳ yêu sách nào. Khi một địa "
        "danh có nhiều tên gọi, tất cả các tên đều được thể hiện."
    ),
    "fil": (
        "Walang pagkiling. Ang materyal na ito ay inihanda para lamang sa diyalogong "
        "pangkooperasyon. Ito ay walang pagkiling sa soberanya, mga soberanong karapatan, "
        "hurisdiksiyon o mga paghahabol ng alinmang panig, at sa posisyon ng alinmang panig "
        "hinggil sa pagtatakda ng mga hangganang pandagat. Ang mga pangalan, linya at lugar "
        "na ipinapakita ay hindi nagpapahiwatig ng anumang opinyon tungkol sa legal na "
        "katayuan ng anumang teritoryo, anyong-dagat o lugar pandagat o ng mga awtoridad "
        "nito, at hindi rin ng pag-endorso o pagtanggap sa anumang paghahabol. Kapag may "
        "ilang pangalan ang isang lugar, ipinapakita ang lahat ng ito."
    ),
    "ms": (
        "Tanpa prejudis. Bahan ini disediakan untuk dialog kerjasama sahaja. Ia adalah tanpa "
        "menjejaskan kedaulatan, hak berdaulat, bidang kuasa atau tuntutan mana-mana pihak, "
        "dan pendirian mana-mana pihak mengenai persempadanan maritim. Nama, garisan dan "
        "kawasan yang ditunjukkan tidak membayangkan sebarang pendapat tentang status "
        "undang-undang mana-mana wilayah, ciri atau kawasan maritim atau pihak berkuasanya, "
        "dan tidak juga membayangkan sokongan atau penerimaan terhadap mana-mana tuntutan. "
        "Jika sesuatu tempat mempunyai beberapa nama, kesemuanya ditunjukkan."
    ),
    "id": (
        "Tanpa prasangka. Bahan ini disusun hanya untuk dialog kerja sama. Bahan ini tidak "
        "mengurangi kedaulatan, hak berdaulat, yurisdiksi, atau klaim pihak mana pun, serta "
        "posisi pihak mana pun mengenai penetapan batas maritim. Nama, garis, dan kawasan yang "
        "ditampilkan tidak menyiratkan pendapat apa pun tentang status hukum suatu wilayah, "
        "fitur, atau kawasan maritim maupun otoritasnya, dan tidak pula menyiratkan dukungan "
        "atau penerimaan atas klaim apa pun. Jika suatu tempat memiliki beberapa nama, "
        "semuanya ditampilkan."
    ),
}
