"""Data for the measure templates (`marine.templates`): working groups, fields (label and
help in every UI language) and templates. Adding a template touches only this file.

Working groups follow the South China Sea workshops ("Managing Potential Conflicts in the
South China Sea", from 1990): marine scientific research; resources assessment; marine
environmental protection; safety of navigation, shipping and communication; legal matters.
Choice values are stable codes (stored with proposals); the UI shows them as given.
"""

from __future__ import annotations

from marine.i18n import LANGUAGES

LANGS = tuple(LANGUAGES)  # every label and help below is given in each of these

GROUPS = {
    "marine-scientific-research": {
        "en": "Marine scientific research", "zh": "海洋科学研究",
        "vi": "Nghiên cứu khoa học biển", "fil": "Pananaliksik na siyentipiko sa karagatan",
        "ms": "Penyelidikan saintifik marin", "id": "Riset ilmiah kelautan"},
    "resources-assessment": {
        "en": "Resources assessment", "zh": "资源评估", "vi": "Đánh giá nguồn lợi",
        "fil": "Pagtatasa ng mga yaman", "ms": "Penilaian sumber", "id": "Penilaian sumber daya"},
    "marine-environmental-protection": {
        "en": "Marine environmental protection", "zh": "海洋环境保护",
        "vi": "Bảo vệ môi trường biển", "fil": "Pangangalaga sa kapaligirang pandagat",
        "ms": "Perlindungan alam sekitar marin", "id": "Perlindungan lingkungan laut"},
    "safety-of-navigation": {
        "en": "Safety of navigation and communication", "zh": "航行安全与通信",
        "vi": "An toàn hàng hải và thông tin liên lạc",
        "fil": "Kaligtasan ng paglalayag at komunikasyon",
        "ms": "Keselamatan pelayaran dan komunikasi", "id": "Keselamatan pelayaran dan komunikasi"},
    "legal-matters": {
        "en": "Legal matters", "zh": "法律事务", "vi": "Các vấn đề pháp lý",
        "fil": "Mga usaping legal", "ms": "Hal ehwal undang-undang", "id": "Masalah hukum"},
}


def _f(ftype, label, help_, **extra):
    return {"type": ftype, "label": label, "help": help_, **extra}


FIELDS = {
    "title": _f("text", {
        "en": "Title", "zh": "标题", "vi": "Tiêu đề", "fil": "Pamagat", "ms": "Tajuk",
        "id": "Judul"}, {
        "en": "A short descriptive title, naming the activity rather than any party's claim.",
        "zh": "简短的描述性标题，说明活动内容，而不是任何一方的主张。",
        "vi": "Tiêu đề ngắn mô tả hoạt động, không nêu yêu sách của bất kỳ bên nào.",
        "fil": "Maikling pamagat na naglalarawan ng gawain, hindi ng paghahabol ng alinmang panig.",
        "ms": "Tajuk ringkas yang menerangkan aktiviti, bukan tuntutan mana-mana pihak.",
        "id": "Judul singkat yang menggambarkan kegiatan, bukan klaim pihak mana pun."},
        max_length=200),
    "summary": _f("longtext", {
        "en": "Summary", "zh": "概要", "vi": "Tóm tắt", "fil": "Buod", "ms": "Ringkasan",
        "id": "Ringkasan"}, {
        "en": "What the measure does, who takes part and what each participant contributes.",
        "zh": "该措施的内容、参与方以及各参与方的贡献。",
        "vi": "Nội dung của biện pháp, các bên tham gia và đóng góp của từng bên.",
        "fil": "Ano ang ginagawa ng hakbang, sino ang kalahok at ano ang ambag ng bawat isa.",
        "ms": "Apa yang dilakukan oleh langkah ini, siapa yang mengambil bahagian dan sumbangan "
              "setiap peserta.",
        "id": "Apa yang dilakukan langkah ini, siapa yang ikut serta, dan kontribusi setiap "
              "peserta."},
        max_length=5000),
    "participants": _f("text", {
        "en": "Participants", "zh": "参与方", "vi": "Các bên tham gia", "fil": "Mga kalahok",
        "ms": "Peserta", "id": "Peserta"}, {
        "en": "Participating authorities or institutions, separated by commas; all take part "
              "on an equal footing.",
        "zh": "参与的主管部门或机构，用逗号分隔；各方平等参与。",
        "vi": "Các cơ quan hoặc tổ chức tham gia, cách nhau bằng dấu phẩy; các bên tham gia "
              "trên cơ sở bình đẳng.",
        "fil": "Mga kalahok na awtoridad o institusyon, pinaghihiwalay ng kuwit; pantay-pantay "
               "ang pakikilahok ng lahat.",
        "ms": "Pihak berkuasa atau institusi yang mengambil bahagian, dipisahkan dengan koma; "
              "semua mengambil bahagian secara setara.",
        "id": "Otoritas atau lembaga peserta, dipisahkan dengan koma; semua ikut serta secara "
              "setara."},
        max_length=1000),
    "start_date": _f("date", {
        "en": "Start date", "zh": "开始日期", "vi": "Ngày bắt đầu", "fil": "Petsa ng simula",
        "ms": "Tarikh mula", "id": "Tanggal mulai"}, {
        "en": "When the measure would begin (YYYY-MM-DD).",
        "zh": "措施拟开始的日期（年-月-日）。",
        "vi": "Ngày dự kiến bắt đầu biện pháp (YYYY-MM-DD).",
        "fil": "Kailan magsisimula ang hakbang (YYYY-MM-DD).",
        "ms": "Bila langkah ini akan bermula (YYYY-MM-DD).",
        "id": "Kapan langkah ini akan dimulai (YYYY-MM-DD)."}),
    "end_date": _f("date", {
        "en": "End date", "zh": "结束日期", "vi": "Ngày kết thúc", "fil": "Petsa ng pagtatapos",
        "ms": "Tarikh tamat", "id": "Tanggal selesai"}, {
        "en": "When the measure would end or be reviewed (YYYY-MM-DD); not before the start "
              "date.",
        "zh": "措施拟结束或复审的日期（年-月-日），不得早于开始日期。",
        "vi": "Ngày dự kiến kết thúc hoặc rà soát biện pháp (YYYY-MM-DD); không sớm hơn ngày "
              "bắt đầu.",
        "fil": "Kailan matatapos o rerepasuhin ang hakbang (YYYY-MM-DD); hindi bago ang petsa "
               "ng simula.",
        "ms": "Bila langkah ini akan tamat atau dikaji semula (YYYY-MM-DD); tidak lebih awal "
              "daripada tarikh mula.",
        "id": "Kapan langkah ini berakhir atau ditinjau ulang (YYYY-MM-DD); tidak sebelum "
              "tanggal mulai."}),
    "without_prejudice": _f("bool", {
        "en": "Without-prejudice clause", "zh": "不损害条款", "vi": "Điều khoản không phương hại",
        "fil": "Sugnay na walang pagkiling", "ms": "Klausa tanpa prejudis",
        "id": "Klausul tanpa prasangka"}, {
        "en": "Confirm that the measure is without prejudice to the positions of any party on "
              "sovereignty, sovereign rights, jurisdiction and boundaries.",
        "zh": "确认该措施不损害任何一方在主权、主权权利、管辖权和边界问题上的立场。",
        "vi": "Xác nhận rằng biện pháp không phương hại đến lập trường của bất kỳ bên nào về "
              "chủ quyền, quyền chủ quyền, quyền tài phán và ranh giới.",
        "fil": "Kumpirmahin na ang hakbang ay walang pagkiling sa mga posisyon ng alinmang "
               "panig sa soberanya, mga soberanong karapatan, hurisdiksiyon at mga hangganan.",
        "ms": "Sahkan bahawa langkah ini tanpa menjejaskan pendirian mana-mana pihak mengenai "
              "kedaulatan, hak berdaulat, bidang kuasa dan sempadan.",
        "id": "Pastikan bahwa langkah ini tidak mengurangi posisi pihak mana pun mengenai "
              "kedaulatan, hak berdaulat, yurisdiksi, dan batas."},
        must_be_true=True),
    "survey_type": _f("choice", {
        "en": "Survey type", "zh": "调查类型", "vi": "Loại khảo sát", "fil": "Uri ng survey",
        "ms": "Jenis tinjauan", "id": "Jenis survei"}, {
        "en": "The main discipline of the survey.",
        "zh": "调查的主要学科。",
        "vi": "Lĩnh vực chính của cuộc khảo sát.",
        "fil": "Ang pangunahing larangan ng survey.",
        "ms": "Bidang utama tinjauan.",
        "id": "Bidang utama survei."},
        choices=("oceanography", "marine-biology", "geology", "hydrography", "meteorology")),
    "vessels": _f("integer", {
        "en": "Vessels", "zh": "船只数量", "vi": "Số tàu", "fil": "Bilang ng sasakyang-dagat",
        "ms": "Bilangan kapal", "id": "Jumlah kapal"}, {
        "en": "How many research or response vessels take part (0–50).",
        "zh": "参与的科研船或应急船数量（0–50）。",
        "vi": "Số tàu nghiên cứu hoặc ứng phó tham gia (0–50).",
        "fil": "Ilang sasakyang-dagat na pampananaliksik o pantugon ang kalahok (0–50).",
        "ms": "Bilangan kapal penyelidikan atau tindak balas yang mengambil bahagian (0–50).",
        "id": "Jumlah kapal riset atau tanggap darurat yang ikut serta (0–50)."},
        minimum=0, maximum=50),
    "data_types": _f("text", {
        "en": "Data exchanged", "zh": "交换的数据", "vi": "Dữ liệu trao đổi",
        "fil": "Datos na ipagpapalitan", "ms": "Data yang ditukar", "id": "Data yang dipertukarkan"}, {
        "en": "Which data are shared (e.g. temperature profiles, catch and effort, tide "
              "records).",
        "zh": "共享哪些数据（例如温度剖面、渔获量与捕捞努力量、潮汐记录）。",
        "vi": "Những dữ liệu được chia sẻ (ví dụ: mặt cắt nhiệt độ, sản lượng và cường lực "
              "khai thác, số liệu thủy triều).",
        "fil": "Aling datos ang ibabahagi (hal. profile ng temperatura, huli at pagsisikap sa "
               "pangingisda, talaan ng tubig).",
        "ms": "Data yang dikongsi (cth. profil suhu, tangkapan dan usaha menangkap ikan, rekod "
              "pasang surut).",
        "id": "Data yang dibagikan (mis. profil suhu, hasil tangkapan dan upaya penangkapan, "
              "catatan pasang surut)."},
        max_length=1000),
    "exchange_frequency": _f("choice", {
        "en": "Exchange frequency", "zh": "交换频率", "vi": "Tần suất trao đổi",
        "fil": "Dalas ng palitan", "ms": "Kekerapan pertukaran", "id": "Frekuensi pertukaran"}, {
        "en": "How often data or information are exchanged.",
        "zh": "数据或信息交换的频率。",
        "vi": "Dữ liệu hoặc thông tin được trao đổi thường xuyên như thế nào.",
        "fil": "Gaano kadalas ipinagpapalitan ang datos o impormasyon.",
        "ms": "Seberapa kerap data atau maklumat ditukar.",
        "id": "Seberapa sering data atau informasi dipertukarkan."},
        choices=("per-event", "monthly", "quarterly", "annually")),
    "species": _f("text", {
        "en": "Species", "zh": "物种", "vi": "Loài", "fil": "Mga uri (species)",
        "ms": "Spesies", "id": "Spesies"}, {
        "en": "Species or stocks concerned, with scientific names where known.",
        "zh": "涉及的物种或种群，尽可能注明学名。",
        "vi": "Các loài hoặc đàn cá liên quan, kèm tên khoa học nếu biết.",
        "fil": "Mga uri o stock na saklaw, kasama ang pangalang siyentipiko kung alam.",
        "ms": "Spesies atau stok berkaitan, dengan nama saintifik jika diketahui.",
        "id": "Spesies atau stok terkait, dengan nama ilmiah bila diketahui."},
        max_length=500),
    "habitat": _f("choice", {
        "en": "Habitat", "zh": "生境", "vi": "Sinh cảnh", "fil": "Tirahan", "ms": "Habitat",
        "id": "Habitat"}, {
        "en": "The habitat the measure protects.",
        "zh": "该措施所保护的生境。",
        "vi": "Sinh cảnh mà biện pháp bảo vệ.",
        "fil": "Ang tirahang pinangangalagaan ng hakbang.",
        "ms": "Habitat yang dilindungi oleh langkah ini.",
        "id": "Habitat yang dilindungi oleh langkah ini."},
        choices=("coral-reef", "seagrass", "turtle-nesting-foraging", "mangrove",
                 "spawning-nursery-ground")),
    "management_measures": _f("longtext", {
        "en": "Management measures", "zh": "管理措施", "vi": "Biện pháp quản lý",
        "fil": "Mga hakbang sa pamamahala", "ms": "Langkah pengurusan",
        "id": "Langkah pengelolaan"}, {
        "en": "What changes in the area (e.g. gear restrictions, closed seasons, monitoring), "
              "agreed by all participants.",
        "zh": "区域内的具体变化（例如渔具限制、休渔期、监测），须经全体参与方同意。",
        "vi": "Những thay đổi trong khu vực (ví dụ: hạn chế ngư cụ, mùa cấm khai thác, giám "
              "sát), được tất cả các bên tham gia đồng ý.",
        "fil": "Ano ang magbabago sa lugar (hal. limitasyon sa gamit, saradong panahon, "
               "pagsubaybay), na sinang-ayunan ng lahat ng kalahok.",
        "ms": "Apa yang berubah di kawasan itu (cth. sekatan peralatan, musim tutup, "
              "pemantauan), dipersetujui oleh semua peserta.",
        "id": "Apa yang berubah di kawasan itu (mis. pembatasan alat tangkap, musim tutup, "
              "pemantauan), disepakati semua peserta."},
        max_length=5000),
    "season": _f("text", {
        "en": "Season", "zh": "季节", "vi": "Mùa vụ", "fil": "Panahon", "ms": "Musim",
        "id": "Musim"}, {
        "en": "Months or dates when the measure applies (e.g. spawning season).",
        "zh": "措施适用的月份或日期（例如产卵季节）。",
        "vi": "Các tháng hoặc ngày áp dụng biện pháp (ví dụ: mùa sinh sản).",
        "fil": "Mga buwan o petsa kung kailan ipinatutupad ang hakbang (hal. panahon ng "
               "pangingitlog).",
        "ms": "Bulan atau tarikh langkah ini terpakai (cth. musim bertelur).",
        "id": "Bulan atau tanggal berlakunya langkah ini (mis. musim pemijahan)."},
        max_length=200),
    "contact_points": _f("text", {
        "en": "Contact points", "zh": "联络点", "vi": "Đầu mối liên lạc", "fil": "Mga contact point",
        "ms": "Pusat hubungan", "id": "Titik kontak"}, {
        "en": "Centres or offices that notify one another (e.g. rescue co-ordination centres, "
              "spill response centres).",
        "zh": "相互通报的中心或办公室（例如搜救协调中心、溢油应急中心）。",
        "vi": "Các trung tâm hoặc cơ quan thông báo cho nhau (ví dụ: trung tâm phối hợp tìm "
              "kiếm cứu nạn, trung tâm ứng phó sự cố tràn dầu).",
        "fil": "Mga sentro o tanggapang nag-aabisuhan sa isa't isa (hal. rescue co-ordination "
               "centre, sentro sa pagtugon sa tagas ng langis).",
        "ms": "Pusat atau pejabat yang saling memaklumkan (cth. pusat penyelarasan menyelamat, "
              "pusat tindak balas tumpahan minyak).",
        "id": "Pusat atau kantor yang saling memberi tahu (mis. pusat koordinasi penyelamatan, "
              "pusat penanggulangan tumpahan minyak)."},
        max_length=1000),
    "aid_type": _f("choice", {
        "en": "Aid to navigation", "zh": "助航设施", "vi": "Phương tiện hỗ trợ hàng hải",
        "fil": "Pantulong sa paglalayag", "ms": "Alat bantuan pelayaran",
        "id": "Sarana bantu navigasi"}, {
        "en": "The kind of aid to navigation at each point.",
        "zh": "各点位的助航设施类型。",
        "vi": "Loại phương tiện hỗ trợ hàng hải tại mỗi điểm.",
        "fil": "Ang uri ng pantulong sa paglalayag sa bawat punto.",
        "ms": "Jenis alat bantuan pelayaran di setiap titik.",
        "id": "Jenis sarana bantu navigasi di setiap titik."},
        choices=("lighthouse", "buoy", "beacon", "ais-aid", "weather-station")),
    "legal_basis": _f("text", {
        "en": "Instruments referred to", "zh": "援引的文书", "vi": "Văn kiện viện dẫn",
        "fil": "Mga instrumentong tinutukoy", "ms": "Instrumen yang dirujuk",
        "id": "Instrumen yang dirujuk"}, {
        "en": "Instruments the measure builds on (e.g. UNCLOS Article 123, the 2002 "
              "Declaration on the Conduct of Parties).",
        "zh": "该措施所依据的文书（例如《联合国海洋法公约》第123条、2002年《南海各方行为宣言》）。",
        "vi": "Các văn kiện làm cơ sở cho biện pháp (ví dụ: Điều 123 UNCLOS, Tuyên bố về ứng "
              "xử của các bên năm 2002).",
        "fil": "Mga instrumentong pinagbabatayan ng hakbang (hal. Artikulo 123 ng UNCLOS, ang "
               "2002 Declaration on the Conduct of Parties).",
        "ms": "Instrumen yang menjadi asas langkah ini (cth. Perkara 123 UNCLOS, Deklarasi "
              "Tatalaku Pihak-Pihak 2002).",
        "id": "Instrumen yang menjadi dasar langkah ini (mis. Pasal 123 UNCLOS, Deklarasi "
              "tentang Tata Perilaku Para Pihak 2002)."},
        max_length=1000),
    "review_months": _f("integer", {
        "en": "Review period (months)", "zh": "复审周期（月）", "vi": "Chu kỳ rà soát (tháng)",
        "fil": "Panahon ng pagrepaso (buwan)", "ms": "Tempoh kajian semula (bulan)",
        "id": "Periode peninjauan (bulan)"}, {
        "en": "After how many months the participants review the arrangement (1–120).",
        "zh": "参与方在多少个月后复审该安排（1–120）。",
        "vi": "Sau bao nhiêu tháng các bên rà soát thỏa thuận (1–120).",
        "fil": "Pagkaraan ng ilang buwan rerepasuhin ng mga kalahok ang kaayusan (1–120).",
        "ms": "Selepas berapa bulan peserta mengkaji semula pengaturan ini (1–120).",
        "id": "Setelah berapa bulan para peserta meninjau ulang pengaturan ini (1–120)."},
        minimum=1, maximum=120),
}

COMMON = (("title", True), ("summary", True), ("participants", True), ("start_date", False),
          ("end_date", False), ("without_prejudice", True))


def _t(group, kinds, title, *fields):
    return {"group": group, "geometry_kinds": kinds, "title": title, "fields": (*COMMON, *fields)}


TEMPLATES = {
    "joint-survey": _t("marine-scientific-research", ("area", "line"), {
        "en": "Joint scientific survey", "zh": "联合科学考察", "vi": "Khảo sát khoa học chung",
        "fil": "Magkasanib na siyentipikong survey", "ms": "Tinjauan saintifik bersama",
        "id": "Survei ilmiah bersama"},
        ("survey_type", True), ("vessels", False), ("data_types", False)),
    "data-sharing": _t("marine-scientific-research", ("area",), {
        "en": "Scientific data sharing", "zh": "科学数据共享", "vi": "Chia sẻ dữ liệu khoa học",
        "fil": "Pagbabahagi ng datos na siyentipiko", "ms": "Perkongsian data saintifik",
        "id": "Berbagi data ilmiah"},
        ("data_types", True), ("exchange_frequency", True)),
    "research-station": _t("marine-scientific-research", ("points",), {
        "en": "Research or monitoring station", "zh": "研究或监测站",
        "vi": "Trạm nghiên cứu hoặc quan trắc", "fil": "Istasyon ng pananaliksik o pagsubaybay",
        "ms": "Stesen penyelidikan atau pemantauan", "id": "Stasiun riset atau pemantauan"},
        ("survey_type", True), ("data_types", False)),
    "joint-stock-assessment": _t("resources-assessment", ("area",), {
        "en": "Joint fish stock assessment", "zh": "联合渔业资源评估",
        "vi": "Đánh giá chung nguồn lợi cá", "fil": "Magkasanib na pagtatasa ng stock ng isda",
        "ms": "Penilaian stok ikan bersama", "id": "Pengkajian stok ikan bersama"},
        ("species", True), ("vessels", False), ("data_types", False)),
    "fishing-effort-exchange": _t("resources-assessment", ("area",), {
        "en": "Fishing-effort data exchange", "zh": "捕捞努力量数据交换",
        "vi": "Trao đổi dữ liệu cường lực khai thác",
        "fil": "Palitan ng datos sa pagsisikap sa pangingisda",
        "ms": "Pertukaran data usaha menangkap ikan", "id": "Pertukaran data upaya penangkapan"},
        ("species", False), ("data_types", True), ("exchange_frequency", True)),
    "oil-spill-response": _t("marine-environmental-protection", ("area",), {
        "en": "Pollution and oil-spill response", "zh": "污染与溢油应急",
        "vi": "Ứng phó ô nhiễm và sự cố tràn dầu",
        "fil": "Pagtugon sa polusyon at tagas ng langis",
        "ms": "Tindak balas pencemaran dan tumpahan minyak",
        "id": "Penanggulangan pencemaran dan tumpahan minyak"},
        ("contact_points", True), ("vessels", False)),
    "reef-protection": _t("marine-environmental-protection", ("area", "points"), {
        "en": "Reef protection", "zh": "珊瑚礁保护", "vi": "Bảo vệ rạn san hô",
        "fil": "Pangangalaga sa bahura", "ms": "Perlindungan terumbu",
        "id": "Perlindungan terumbu karang"},
        ("habitat", True), ("management_measures", True)),
    "turtle-seagrass-protection": _t("marine-environmental-protection", ("area", "points"), {
        "en": "Sea turtle and seagrass protection", "zh": "海龟与海草保护",
        "vi": "Bảo vệ rùa biển và cỏ biển", "fil": "Pangangalaga sa pawikan at damong-dagat",
        "ms": "Perlindungan penyu dan rumput laut", "id": "Perlindungan penyu dan lamun"},
        ("habitat", True), ("species", False), ("management_measures", True)),
    "fisheries-refugium": _t("marine-environmental-protection", ("area",), {
        "en": "Fisheries refugium", "zh": "渔业庇护区", "vi": "Khu bảo tồn nguồn lợi thủy sản",
        "fil": "Kanlungan ng pangisdaan", "ms": "Refugia perikanan", "id": "Refugia perikanan"},
        ("species", True), ("season", False), ("management_measures", True)),
    "search-and-rescue": _t("safety-of-navigation", ("area",), {
        "en": "Search and rescue co-operation", "zh": "搜寻救助合作",
        "vi": "Hợp tác tìm kiếm cứu nạn", "fil": "Pagtutulungan sa paghahanap at pagsagip",
        "ms": "Kerjasama mencari dan menyelamat", "id": "Kerja sama pencarian dan pertolongan"},
        ("contact_points", True), ("vessels", False)),
    "hydrographic-survey": _t("safety-of-navigation", ("area", "line"), {
        "en": "Joint hydrographic survey", "zh": "联合水文测量", "vi": "Khảo sát thủy đạc chung",
        "fil": "Magkasanib na hidrograpikong survey", "ms": "Ukur hidrografi bersama",
        "id": "Survei hidrografi bersama"},
        ("vessels", False), ("data_types", False)),
    "navigation-aids": _t("safety-of-navigation", ("points",), {
        "en": "Aids to navigation", "zh": "助航设施", "vi": "Phương tiện hỗ trợ hàng hải",
        "fil": "Mga pantulong sa paglalayag", "ms": "Alat bantuan pelayaran",
        "id": "Sarana bantu navigasi"},
        ("aid_type", True), ("contact_points", False)),
    "information-exchange": _t("legal-matters", ("area", "line", "points"), {
        "en": "Legal information exchange", "zh": "法律信息交流", "vi": "Trao đổi thông tin pháp lý",
        "fil": "Palitan ng impormasyong legal", "ms": "Pertukaran maklumat undang-undang",
        "id": "Pertukaran informasi hukum"},
        ("legal_basis", False), ("exchange_frequency", True)),
    "without-prejudice-arrangement": _t("legal-matters", ("area",), {
        "en": "Without-prejudice provisional arrangement", "zh": "不损害立场的临时安排",
        "vi": "Thỏa thuận tạm thời không phương hại",
        "fil": "Pansamantalang kaayusang walang pagkiling",
        "ms": "Pengaturan sementara tanpa prejudis",
        "id": "Pengaturan sementara tanpa prasangka"},
        ("legal_basis", True), ("review_months", True), ("management_measures", False)),
}

# What a reader sees for each stored choice code, in every UI language (the code itself is
# never shown). Every choice of FIELDS has an entry; a test checks it.
CHOICE_LABELS = {
    "survey_type": {
        "oceanography": {"en": "Oceanography", "zh": "海洋学", "vi": "Hải dương học",
                         "fil": "Oseanograpiya", "ms": "Oseanografi", "id": "Oseanografi"},
        "marine-biology": {"en": "Marine biology", "zh": "海洋生物学", "vi": "Sinh học biển",
                           "fil": "Biyolohiyang pandagat", "ms": "Biologi marin",
                           "id": "Biologi laut"},
        "geology": {"en": "Geology", "zh": "地质学", "vi": "Địa chất học", "fil": "Heolohiya",
                    "ms": "Geologi", "id": "Geologi"},
        "hydrography": {"en": "Hydrography", "zh": "水文测量", "vi": "Thủy đạc",
                        "fil": "Hidrograpiya", "ms": "Hidrografi", "id": "Hidrografi"},
        "meteorology": {"en": "Meteorology", "zh": "气象学", "vi": "Khí tượng học",
                        "fil": "Meteorolohiya", "ms": "Meteorologi", "id": "Meteorologi"},
    },
    "exchange_frequency": {
        "per-event": {"en": "At each event", "zh": "每次事件时", "vi": "Theo từng sự kiện",
                      "fil": "Sa bawat pangyayari", "ms": "Bagi setiap kejadian",
                      "id": "Setiap kejadian"},
        "monthly": {"en": "Monthly", "zh": "每月", "vi": "Hằng tháng", "fil": "Buwanan",
                    "ms": "Bulanan", "id": "Bulanan"},
        "quarterly": {"en": "Quarterly", "zh": "每季度", "vi": "Hằng quý",
                      "fil": "Kada tatlong buwan", "ms": "Suku tahunan", "id": "Triwulanan"},
        "annually": {"en": "Annually", "zh": "每年", "vi": "Hằng năm", "fil": "Taunan",
                     "ms": "Tahunan", "id": "Tahunan"},
    },
    "habitat": {
        "coral-reef": {"en": "Coral reef", "zh": "珊瑚礁", "vi": "Rạn san hô",
                       "fil": "Bahura ng korales", "ms": "Terumbu karang", "id": "Terumbu karang"},
        "seagrass": {"en": "Seagrass bed", "zh": "海草床", "vi": "Thảm cỏ biển",
                     "fil": "Parang ng damong-dagat", "ms": "Padang rumput laut",
                     "id": "Padang lamun"},
        "turtle-nesting-foraging": {
            "en": "Turtle nesting and foraging ground", "zh": "海龟筑巢和觅食地",
            "vi": "Bãi đẻ và kiếm ăn của rùa biển",
            "fil": "Pugaran at pakainan ng pawikan",
            "ms": "Kawasan bertelur dan mencari makan penyu",
            "id": "Tempat bertelur dan mencari makan penyu"},
        "mangrove": {"en": "Mangrove", "zh": "红树林", "vi": "Rừng ngập mặn", "fil": "Bakawan",
                     "ms": "Bakau", "id": "Mangrove"},
        "spawning-nursery-ground": {
            "en": "Spawning and nursery ground", "zh": "产卵场和育幼场",
            "vi": "Bãi đẻ và bãi ương nuôi", "fil": "Pangitlugan at alagaan ng mga batang isda",
            "ms": "Kawasan pembiakan dan asuhan", "id": "Daerah pemijahan dan asuhan"},
    },
    "aid_type": {
        "lighthouse": {"en": "Lighthouse", "zh": "灯塔", "vi": "Hải đăng", "fil": "Tore ng ilaw",
                       "ms": "Rumah api", "id": "Mercusuar"},
        "buoy": {"en": "Buoy", "zh": "浮标", "vi": "Phao tiêu", "fil": "Boya", "ms": "Boya",
                 "id": "Pelampung suar"},
        "beacon": {"en": "Beacon", "zh": "立标", "vi": "Đèn hiệu", "fil": "Senyales na ilaw",
                   "ms": "Rambu", "id": "Rambu suar"},
        "ais-aid": {"en": "AIS aid to navigation", "zh": "AIS 助航设施",
                    "vi": "Phương tiện hỗ trợ hàng hải AIS", "fil": "AIS na pantulong sa paglalayag",
                    "ms": "Alat bantuan pelayaran AIS", "id": "Sarana bantu navigasi AIS"},
        "weather-station": {"en": "Weather station", "zh": "气象站", "vi": "Trạm khí tượng",
                            "fil": "Istasyon ng panahon", "ms": "Stesen cuaca",
                            "id": "Stasiun cuaca"},
    },
}
