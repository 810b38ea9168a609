"""Japanese for every description in the JSON Schema of app.yaml.

Editors show a key's description while staff type, and most staff read Japanese: the schema gives each one as
"English / 日本語". Keyed by the English text, so a changed description without a new translation is caught by
tests/test_docs.py (the English stays, the Japanese is missing) instead of going out stale.
"""
from __future__ import annotations

DESCRIPTIONS_JA: dict[str, str] = {
    # AppSpec
    "One resident service: the whole of an `app.yaml`.": "住民向けサービス1つ(`app.yaml` 全体)。",
    "Name of the service.": "サービスの名前。",
    "One or two sentences about the service.": "サービスの説明(1〜2文)。",
    "Languages of the pages; the first is the default.": "ページの言語。最初のものが既定の言語です。",
    "Who to contact, shown at the foot of every page.": "問い合わせ先。全ページの下部に表示します。",
    "Data sources and licences, shown at the foot of every page.": "データの出典とライセンス。全ページの下部に表示します。",
    "Table name → table.": "テーブル名 → テーブル。",
    "Form name → form.": "フォーム名 → フォーム。",
    "List name → list page.": "一覧名 → 一覧ページ。",
    "Map name → map page.": "地図名 → 地図ページ。",
    "The first page.": "最初のページ(ホーム)。",
    "Navigation links; defaults to every public form, list, map and dashboard.":
        "ナビゲーションのリンク。省略するとすべての公開のフォーム・一覧・地図・ダッシュボード。",
    "Where points may lie.": "地点を置ける範囲。",
    "Background map of the location picker in forms and of every map without its own `basemap`: `osm`, `gsi_std`, "
    "`gsi_pale`, `none` (closed networks without a tile server) or `{url: …, attribution: …}`.":
        "フォームの地点入力と、自分の `basemap` を持たない地図の背景地図: `osm`・`gsi_std`・`gsi_pale`・"
        "`none`(タイルサーバーのない閉じたネットワーク)・`{url: …, attribution: …}`。",
    "How addresses become points.": "住所から地点を求める方法。",
    "Area set name → areas (districts, 町会).": "区域の名前 → 区域(地区・町会など)。",
    # TableSpec, SeedSpec
    "The table's former name, when it was renamed in a live app: `lowcode migrate` renames the database table and "
    "keeps every row.": "名前を変える前のテーブル名(運用中のアプリでテーブル名を変えたとき)。`lowcode migrate` がデータベースの"
    "テーブル名を変え、すべての行を残します。",
    "A data table: its fields and, optionally, rows to start with.": "データのテーブル: 項目と、必要なら最初に入れておく行。",
    "Name of the table as people say it.": "ふだんの呼び方でのテーブル名。",
    "What the rows are.": "各行が何を表すか。",
    "Field name → field. Names: lowercase letters, digits, `_`.": "項目名 → 項目。名前は半角英小文字・数字・`_`。",
    "Field that names a row in lists and links; defaults to the first text field.":
        "一覧やリンクで行の名前として使う項目。省略すると最初の文字の項目。",
    "Rows loaded on first start.": "最初の起動時に読み込む行。",
    "Rows loaded from a file in the app's `data/` folder the first time the app starts.":
        "アプリを最初に起動したときに、アプリの `data/` フォルダのファイルから読み込む行。",
    "Path inside the app folder, e.g. `data/schools.csv` (.csv or .geojson).":
        "アプリのフォルダ内のパス(例: `data/schools.csv`。.csv か .geojson)。",
    "Field name → column (or GeoJSON property) name, where they differ.": "項目名 → 列名(GeoJSON ではプロパティ名)。名前が違う場合だけ書きます。",
    "CSV column with the latitude.": "緯度の入った CSV の列。",
    "CSV column with the longitude.": "経度の入った CSV の列。",
    "Character encoding of a CSV file.": "CSV ファイルの文字コード。",
    "Column (or GeoJSON property) with when each row was made, e.g. `reported_at` holding `2025-06-12 08:15` "
    "(Japan time, or ISO 8601 with an offset): old records keep their dates, so counts per month are right. Not in "
    "the future; an empty cell, or no `created_at:`, dates the row when it is loaded.":
        "各行の作成日時の列(GeoJSON ではプロパティ)。例: `2025-06-12 08:15` の入った `reported_at`(日本時間、または"
        "時差付きの ISO 8601)。過去の記録が元の日付のまま入るので、月ごとの件数が正しくなります。未来の日時は不可。空欄の行や、"
        "`created_at:` を書かない場合は、読み込んだ日時になります。",
    # FieldSpec, ChoiceSpec
    "The field's former name, when it was renamed in a live app: `lowcode migrate` renames the column and keeps every "
    "value (without it, the old field is archived and the new one starts empty).": "名前を変える前の項目名(運用中の"
    "アプリで項目名を変えたとき)。`lowcode migrate` が列名を変え、すべての値を残します(書かないと、古い項目の値は"
    "保管庫に移され、新しい項目は空から始まります)。",
    "A column of a table and the form input that fills it.": "テーブルの列と、それを入力するフォームの欄。",
    "Kind of value: text, textarea, integer, number, boolean, date, datetime, choice, multichoice, email, phone, "
    "postal_code, url, location, image, reference, area.":
        "値の種類: text(1行の文字)・textarea(複数行の文字)・integer(整数)・number(数値)・boolean(はい/いいえ)・"
        "date(日付)・datetime(日時)・choice(選択)・multichoice(複数選択)・email・phone(電話番号)・"
        "postal_code(郵便番号)・url・location(地点)・image(写真)・reference(別テーブルの行)・area(区域)。",
    "Name shown next to the input and in lists; defaults to the field name.": "入力欄の横や一覧に表示する名前。省略すると項目名。",
    "One sentence under the input that helps people fill it.": "入力欄の下に出す、入力を助ける1文。",
    "Example shown inside an empty input.": "空の入力欄に薄く表示する例。",
    "The form cannot be sent without it.": "入力しないとフォームを送信できません(必須)。",
    "No two rows may have the same value.": "同じ値の行を2つ作れません。",
    "Value filled in when the form opens.": "フォームを開いたときに入っている値。",
    "Smallest number; for a date the earliest day, `YYYY-MM-DD` or counted from the day the form is filled in: "
    "`today`, `today-7`; for multichoice, fewest picks.":
        "最小の数値。日付では最も早い日(`YYYY-MM-DD`、または入力する日から数えて `today`・`today-7`)。"
        "multichoice では最少の選択数。",
    "Largest number; for a date the latest day (`YYYY-MM-DD`, `today`, `today+30`); for multichoice, most picks.":
        "最大の数値。日付では最も遅い日(`YYYY-MM-DD`・`today`・`today+30`)。multichoice では最多の選択数。",
    "Fewest characters.": "最少の文字数。",
    "Most characters. Without it: text 200, textarea 4,000, email 254, url 2,000 (phone 30, postal code 20).":
        "最大の文字数。書かないときは text 200・textarea 4,000・email 254・url 2,000(phone 30・postal_code 20)。",
    "Regular expression the whole value must match.": "値全体が一致しなければならない正規表現。",
    "Message shown when `pattern` does not match.": "`pattern` に一致しないときに表示するメッセージ。",
    "Options of a choice or multichoice field; a plain word (`- walk`) is a choice with that key.":
        "choice・multichoice の選択肢。語だけ(`- walk`)なら、その語をキーとする選択肢です。",
    "For `reference`: the table whose row this field points to.": "`reference` 用: この項目が指す行のテーブル。",
    "For `image`: largest upload in megabytes (default 10).": "`image` 用: アップロードできる最大サイズ(MB、既定 10)。",
    "For `image`: longest side in pixels a photo is stored with; larger photos are shrunk (default 2048).":
        "`image` 用: 保存する写真の長辺のピクセル数。大きい写真は縮小します(既定 2048)。",
    "For `postal_code`: a text field of the same table that is filled with the address found.":
        "`postal_code` 用: 見つかった住所を入れる、同じテーブルの文字の項目。",
    "Show (and store) this field only when other fields have these values, e.g. `{category: other}` or "
    "`{category: [a, b]}`.":
        "ほかの項目がこの値のときだけ、この項目を表示(して保存)します。例: `{category: other}`・`{category: [a, b]}`。",
    "`public`: residents see it; `staff`: only staff pages; `private`: personal data, never leaves staff pages.":
        "`public`: 住民に見えます。`staff`: 職員のページだけ。`private`: 個人情報で、職員のページの外には決して出ません。",
    "Fill this field from another one (area lookup).": "ほかの項目からこの項目を埋めます(区域の判定など)。",
    "For `text`: another text field of the same table holding this one's reading in kana (読み仮名), e.g. "
    "`town_kana`. Searches also match the reading (ひらがな or カタカナ) and sorting by this field follows the reading "
    "(あいうえお order). Fill it from Japan Post's data with `derive: {from: town, town_kana: true}`.":
        "`text` 用: この項目の読み仮名を持つ、同じテーブルの文字の項目(例: `town_kana`)。検索は読み(ひらがな・カタカナ)"
        "でも一致し、この項目での並べ替えは読みの順(あいうえお順)になります。日本郵便のデータから "
        "`derive: {from: town, town_kana: true}` で埋められます。",
    "For `location`: public pages, maps and the GeoJSON API show the point on a grid of this many metres (staff pages "
    "show it exactly); `0` shows it as stored. Default: 100 where a public form asks for the point (it may be a "
    "resident's home), else as stored.":
        "`location` 用: 公開ページ・地図・GeoJSON API では、地点をこのメートル間隔の格子に丸めて表示します(職員のページ"
        "では正確な地点)。`0` なら保存したまま。既定: 公開フォームで地点を尋ねる場合は 100(住民の自宅かもしれないため)、"
        "それ以外は保存したまま。",
    "One option of a choice or multichoice field.": "choice・multichoice の選択肢1つ。",
    "Stored value: a short word in lowercase letters, digits and `_`.": "保存される値: 半角英小文字・数字・`_` の短い語。",
    "What people see; defaults to the key.": "画面に表示する文字。省略するとキー。",
    "Colour on maps and badges, e.g. `#d33` or `red`.": "地図やバッジの色(例: `#d33`・`red`)。",
    # DeriveSpec
    "Fill a field from another field of the same row when the row is saved.": "行を保存するときに、同じ行のほかの項目から項目を埋めます。",
    "The field this one is computed from.": "この項目の元になる項目。",
    "From a location field: the name of the area (under `areas:`) the point lies in.":
        "地点の項目から: 地点がある区域(`areas:` の中)の名前。",
    "From a text or choice field: a table that maps its value to this field's value (e.g. 町丁目 → 校下).":
        "文字・選択の項目から: その値をこの項目の値に対応させるテーブル(例: 町丁目 → 校下)。",
    "With `lookup`: the field of that table matched against `from`; defaults to the `from` name.":
        "`lookup` と一緒に: `from` の値と照らし合わせる、そのテーブルの項目。省略すると `from` と同じ名前。",
    "With `lookup`: the field of that table copied here; defaults to this field's name.":
        "`lookup` と一緒に: ここに写す、そのテーブルの項目。省略するとこの項目と同じ名前。",
    "From a location field: the name of the nearest gazetteer place (needs `geocoder:`).":
        "地点の項目から: 地名辞書でいちばん近い地名(`geocoder:` が必要)。",
    "From a text field of town names: their reading in hiragana from Japan Post's data (広坂一丁目 → ひろさか01ちょうめ; "
    "needs `geocoder: {city: …}`). Name this field as the town field's `reading`.":
        "町名の文字の項目から: 日本郵便のデータによるひらがなの読み(広坂一丁目 → ひろさか01ちょうめ。"
        "`geocoder: {city: …}` が必要)。この項目を町名の項目の `reading` に指定してください。",
    # Areas, places, geocoder
    "A set of named areas (school districts, 町会) from a map file or from a table with an `area` field.":
        "名前の付いた区域のまとまり(校区・町会など)。地図ファイルか、`area` 項目を持つテーブルから作ります。",
    "Name of the area set as people say it, e.g. 校下.": "ふだんの呼び方での区域の名前(例: 校下)。",
    "GeoJSON or KML file in the app folder with one polygon per area.": "区域ごとに1つの多角形を持つ、アプリのフォルダ内の GeoJSON・KML ファイル。",
    "With `file`: the property (KML: the placemark field) naming each area.": "`file` と一緒に: 各区域の名前を持つプロパティ(KML では placemark の項目)。",
    "Instead of `file`: a table whose rows are the areas, maintained by staff.": "`file` の代わりに: 職員が管理する、行が区域になっているテーブル。",
    "With `table`: the field naming each area; defaults to the table's title field.":
        "`table` と一緒に: 各区域の名前の項目。省略するとテーブルのタイトル項目。",
    "With `table`: the `area` field holding the polygon; defaults to the only one.":
        "`table` と一緒に: 多角形を持つ `area` 項目。1つしかなければ省略できます。",
    "A point written with named keys, so latitude and longitude cannot be swapped by accident.":
        "名前付きのキーで書く地点(緯度と経度をうっかり入れ替えないため)。",
    "Latitude in degrees, north positive (Kanazawa station: 36.578).": "緯度(度、北が正。金沢駅: 36.578)。",
    "Longitude in degrees, east positive (Kanazawa station: 136.648).": "経度(度、東が正。金沢駅: 136.648)。",
    "An offline list of place names with points (a CSV or GeoJSON file), searched before any online service.":
        "地点付きの地名の一覧(CSV・GeoJSON ファイル)。オンラインのサービスより先に検索します。",
    "CSV or GeoJSON file in the app folder, e.g. `data/towns.csv` (one row per place).":
        "アプリのフォルダ内の CSV・GeoJSON ファイル(例: `data/towns.csv`。1地名1行)。",
    "Column (or GeoJSON property) with the place name, e.g. `town` for 町丁目 names.": "地名の列(GeoJSON ではプロパティ)。例: 町丁目名なら `town`。",
    "A picked point further than this (metres) from every place gets no town name.":
        "どの地名からもこの距離(メートル)より離れた地点には町名を付けません。",
    "How addresses become points: an offline gazetteer, an online service, or both (gazetteer first).":
        "住所から地点を求める方法: 手元の地名辞書、オンラインのサービス、またはその両方(地名辞書が先)。",
    "The city the app serves, e.g. `石川県金沢市`; residents may leave it out of addresses.":
        "アプリの対象の市町村(例: `石川県金沢市`)。住民は住所でこの部分を省略できます。",
    "Offline place names with points, searched first.": "手元にある地点付きの地名。最初に検索します。",
    "Online service for addresses the gazetteer does not know.": "地名辞書にない住所を調べるオンラインのサービス。",
    "Address searches installed packages add (e.g. the city's GIS), by name, with their settings; asked after the "
    "gazetteer, before `online`.": "インストールしたパッケージが追加する住所検索(市の GIS など)。名前ごとに設定を書きます。"
    "地名辞書の後、`online` の前に調べます。",
    "Remember online answers in the database so an address is looked up once.":
        "オンラインの回答をデータベースに保存し、同じ住所は1回だけ調べます。",
    "An online geocoding service, asked only for addresses the gazetteer does not know.":
        "地名辞書にない住所のときだけ問い合わせる、オンラインのジオコーディングサービス。",
    "The service software; `nominatim` (OpenStreetMap).": "サービスのソフトウェア: `nominatim`(OpenStreetMap)。",
    "Host name (and port) of the service, e.g. the city's own Nominatim server `nominatim.city.example.jp`.":
        "サービスのホスト名(とポート)。例: 市の Nominatim サーバー `nominatim.city.example.jp`。",
    "`https`, or `http` for a server inside the city network.": "`https`。庁内ネットワークのサーバーなら `http`。",
    "Names your app and a contact address to the service, as its usage policy asks.":
        "サービスの利用規約に従って、アプリ名と連絡先をサービスに伝えます。",
    "Seconds to wait for an answer before telling the resident to place the pin by hand.":
        "住民に手でピンを置くよう伝えるまでに、回答を待つ秒数。",
    "Least time between two requests; the public OpenStreetMap server allows one a second.":
        "問い合わせの最小の間隔。公開の OpenStreetMap サーバーは1秒に1回までです。",
    "Only search these countries (ISO codes, comma-separated).": "この国だけを検索します(ISO コード、カンマ区切り)。",
    "Language of the place names the service returns.": "サービスが返す地名の言語。",
    "Where the app's points may lie: a box, or polygons from a file.": "アプリの地点を置ける範囲: 四角形か、ファイルの多角形。",
    "What residents call the area, used in messages, e.g. `金沢市`.": "住民がふだん呼ぶ範囲の名前。メッセージで使います(例: `金沢市`)。",
    "West, south, east, north in degrees (longitude, latitude), e.g. `[136.5, 36.4, 136.8, 36.7]`.":
        "西・南・東・北の端(度。経度・緯度)。例: `[136.5, 36.4, 136.8, 36.7]`。",
    "GeoJSON or KML file in `data/` with the area's polygon(s).": "範囲の多角形を持つ `data/` 内の GeoJSON・KML ファイル。",
    # FormSpec, ListSpec, navigation, home
    "A form that adds a row to a table.": "テーブルに行を追加するフォーム。",
    "Table the form adds rows to.": "フォームが行を追加するテーブル。",
    "Heading of the form page.": "フォームのページの見出し。",
    "Paragraph above the form.": "フォームの上に出す文章。",
    "Fields in the form, in order; defaults to every field of the table.": "フォームの項目(この順に並びます)。省略するとテーブルのすべての項目。",
    "Who may submit: `public` (anyone) or `staff`.": "送信できる人: `public`(だれでも)か `staff`(職員)。",
    "Text of the send button.": "送信ボタンの文字。",
    "Message shown after sending, above the reference number.": "送信後に受付番号の上に表示するメッセージ。",
    "Show the answers on a confirmation page (確認画面) before they are sent; only that page sends them.":
        "送信の前に入力内容を確認画面で表示します。送信はその画面からだけ行います。",
    "A public list of rows with search, filters and a detail page per row.": "検索・絞り込みと行ごとの詳細ページを持つ、公開の一覧。",
    "Table whose rows are listed.": "一覧に出す行のテーブル。",
    "Heading of the list page.": "一覧のページの見出し。",
    "Paragraph above the list.": "一覧の上に出す文章。",
    "Fields shown as columns; defaults to the first public fields.": "列として表示する項目。省略すると最初のいくつかの公開項目。",
    "Text fields the search box looks in.": "検索欄が探す文字の項目。",
    "Choice, boolean, date or reference fields to filter by.": "絞り込みに使う choice・boolean・date・reference の項目。",
    "Default order: a field name, `-` in front for newest/largest first.": "既定の並び順: 項目名。新しい順・大きい順は先頭に `-`。",
    "Rows per page (1–100).": "1ページの行数(1〜100)。",
    "Only rows with these values are listed, e.g. `{status: [open, done]}`.": "この値の行だけを一覧に出します(例: `{status: [open, done]}`)。",
    "Each row links to a detail page.": "各行から詳細ページへリンクします。",
    "Fields on the detail page; defaults to every public field.": "詳細ページの項目。省略するとすべての公開項目。",
    "One link in the navigation and on the home page: to a form, a list, a map or a web address.":
        "ナビゲーションとホームのリンク1つ: フォーム・一覧・地図・ウェブのアドレスのどれかへ。",
    "Name of a form.": "フォームの名前。",
    "Name of a list.": "一覧の名前。",
    "Name of a map.": "地図の名前。",
    "A web address.": "ウェブのアドレス。",
    "Link text; defaults to the target's title.": "リンクの文字。省略するとリンク先のタイトル。",
    "One line under the link on the home page.": "ホームでリンクの下に出す1行。",
    "The app's first page.": "アプリの最初のページ(ホーム)。",
    "Paragraphs at the top; blank lines separate paragraphs.": "上部の文章。空行で段落を分けます。",
    "Big links on the home page; defaults to the navigation.": "ホームの大きなリンク。省略するとナビゲーションと同じ。",
    # Maps
    "A map page: a basemap with layers from tables and files.": "地図のページ: 背景地図に、テーブルやファイルのレイヤーを重ねます。",
    "Heading of the map page.": "地図のページの見出し。",
    "Paragraph above the map.": "地図の上に出す文章。",
    "Where the map opens, `{lat: …, lon: …}`; without it the map fits its data.": "地図を開く位置 `{lat: …, lon: …}`。省略するとデータ全体が入るように開きます。",
    "Zoom level when the map opens: 0 (world) to 20 (a building); default 14.": "地図を開くときのズーム: 0(世界)〜20(建物)。既定 14。",
    "Background map: `osm` (OpenStreetMap), `gsi_std` (地理院タイル 標準地図), `gsi_pale` (淡色地図), `none`, or "
    "`{url: …, attribution: …}` for your own tile server. Default: the app's `basemap`.":
        "背景地図: `osm`(OpenStreetMap)・`gsi_std`(地理院タイル 標準地図)・`gsi_pale`(淡色地図)・`none`、"
        "自前のタイルサーバーなら `{url: …, attribution: …}`。既定: アプリの `basemap`。",
    "Layers drawn on the basemap, bottom first.": "背景地図に重ねるレイヤー(下から順に)。",
    "Show a legend for layers coloured by a choice field or property.": "選択の項目やプロパティで色分けしたレイヤーの凡例を表示します。",
    "Which buttons the map has.": "地図に付けるボタン。",
    "Choice or reference fields residents can narrow the map by, e.g. `[school]`: a menu per field "
    "above the map narrows every table layer whose table has that field.":
        "住民が地図を絞り込める選択肢(choice)か参照(reference)の項目(例: `[school]`)。項目ごとに地図の上にメニューが出て、"
        "その項目を持つテーブルのレイヤーをすべて絞り込みます。",
    "Buttons on the map.": "地図のボタン。",
    "On the print view, list each numbered point's rows of another table under it (table layers), e.g. "
    "`{table: countermeasures, field: hazard, columns: [title, actor, timing, progress]}`.":
        "印刷用の画面で、番号の付いた点ごとに、別のテーブルの関係する行をその下に並べます(テーブルのレイヤー)。例: "
        "`{table: countermeasures, field: hazard, columns: [title, actor, timing, progress]}`。",
    "Rows of another table printed under each numbered point of the print view, e.g. a hazard's countermeasures.":
        "印刷用の画面で番号の付いた点ごとにその下に印刷する、別のテーブルの行(例: 危険箇所ごとの対策)。",
    "Table whose rows are printed under their point, e.g. `countermeasures`.": "点の下に行を印刷するテーブル(例: `countermeasures`)。",
    "Its reference field naming the layer's row, e.g. `hazard` (`to:` the layer's table).":
        "そのテーブルの、レイヤーの行を指す参照項目(例: `hazard`。`to:` がレイヤーのテーブル)。",
    "Its fields printed for each row, e.g. `[title, actor, timing, progress]`; default: its title. Only public fields, "
    "and only the rows the public may see, are ever printed.":
        "行ごとに印刷する項目(例: `[title, actor, timing, progress]`)。省略するとタイトル。公開の項目と、住民が見られる行だけが印刷されます。",
    "Only rows with these values are printed, e.g. `{progress: [planned, done]}`.":
        "この値の行だけを印刷します(例: `{progress: [planned, done]}`)。",
    "Heading of the rows under each point; defaults to the table's label.": "点の下に並べる行の見出し。省略するとテーブルの名前。",
    "Layer switcher to show and hide layers.": "レイヤーの表示・非表示を切り替えるボタン。",
    "Button that shows where the reader is (asks the browser).": "閲覧者の現在地を表示するボタン(ブラウザに尋ねます)。",
    "Button that fills the screen with the map.": "地図を全画面にするボタン。",
    "Scale bar in metres.": "縮尺(メートル)。",
    "One layer of a map: a table's rows at their location (`table:`) or as polygons (`area:`), or a file's features (`file:`).":
        "地図のレイヤー1つ: テーブルの行をその地点に(`table:`)、または区域として(`area:`)描くか、`data/` のファイルの地物(`file:`)を描きます。",
    "An `area` field of the table: its rows are drawn as their polygons (e.g. school districts staff draw), styled by "
    "`style:`, named on the map by `label_property:`.":
        "テーブルの区域(`type: area`)の項目。行をその区域(多角形)として描きます(例: 職員が描いた校区)。"
        "線と塗りは `style:`、地図上の名前は `label_property:` で決めます。",
    "Name of the layer in the layer switcher and the legend.": "レイヤー切り替えと凡例に出すレイヤー名。",
    "Table whose rows are drawn at their location.": "行をその地点に描くテーブル。",
    "Location field of the table to draw; may be left out when the table has only one.": "描く地点の項目。テーブルに1つしかなければ省略できます。",
    "Only rows with these values are drawn, e.g. `{status: [accepted, done]}`.": "この値の行だけを描きます(例: `{status: [accepted, done]}`)。",
    "Group nearby points into numbered circles (table layers).": "近くの点を数字入りの円にまとめます(テーブルのレイヤー)。",
    "Draw the rows as a heat map instead of points (table layers).": "行を点ではなくヒートマップで描きます(テーブルのレイヤー)。",
    "Choice field whose choice colours (`color:`) colour the points; adds a legend.": "選択肢の色(`color:`)で点を色分けする選択の項目。凡例も付きます。",
    "Fields (or file properties) shown when a point is tapped; defaults to the table's title field or, for files, "
    "every property. `[]` for no popup.":
        "点をタップしたときに表示する項目(ファイルではプロパティ)。省略するとテーブルのタイトル項目、ファイルでは"
        "すべてのプロパティ。`[]` で表示なし。",
    "Field (or file property) shown when the pointer rests on a point.": "点にポインターを重ねたときに表示する項目(ファイルではプロパティ)。",
    "GeoJSON, CSV or KML file in the app's `data/` folder, e.g. `data/school_routes.geojson`.":
        "アプリの `data/` フォルダの GeoJSON・CSV・KML ファイル(例: `data/school_routes.geojson`)。",
    "For a CSV file: the column with the latitude.": "CSV ファイル用: 緯度の列。",
    "For a CSV file: the column with the longitude.": "CSV ファイル用: 経度の列。",
    "For a CSV file: its character encoding.": "CSV ファイル用: 文字コード。",
    "Colours and line widths of the layer.": "レイヤーの色と線の太さ。",
    "Colour file features by a property; adds a legend.": "ファイルの地物をプロパティで色分けします。凡例も付きます。",
    "File property (or, on an `area:` layer, field) written on the map beside each feature, e.g. a district's name.":
        "各地物の横に地図上で書くファイルのプロパティ(`area:` のレイヤーでは項目)(例: 地区名)。",
    "Source of the layer's data, shown in the map's corner, e.g. `出典：国土地理院`.": "レイヤーのデータの出典。地図の隅に表示します(例: `出典：国土地理院`)。",
    "Shown when the map opens; `false` leaves it for the layer switcher.": "地図を開いたときに表示します。`false` ならレイヤー切り替えで表示します。",
    "Colour the features of a file layer by the value of one property.": "ファイルのレイヤーの地物を、1つのプロパティの値で色分けします。",
    "Property (column) whose value picks the colour.": "値で色を決めるプロパティ(列)。",
    "Value → colour, e.g. `{小学校: '#d33', 中学校: '#36c'}`.": "値 → 色(例: `{小学校: '#d33', 中学校: '#36c'}`)。",
    "Colour of features whose value is not listed; defaults to the layer's `style.color`.": "値が挙げられていない地物の色。省略するとレイヤーの `style.color`。",
    "How lines, areas and points of a layer are drawn.": "レイヤーの線・面・点の描き方。",
    "Colour of lines, area outlines and points, e.g. `#d33` or `red`.": "線・面の輪郭・点の色(例: `#d33`・`red`)。",
    "Line width in pixels.": "線の太さ(ピクセル)。",
    "Colour inside areas and points; defaults to `color`.": "面と点の内側の色。省略すると `color`。",
    "How solid the inside of areas is, 0 (clear) to 1 (solid).": "面の内側の濃さ。0(透明)〜1(塗りつぶし)。",
    "Radius of point markers in pixels.": "点の印の半径(ピクセル)。",
    "A tile server of your own (or any XYZ tile service you may use).": "自前のタイルサーバー(または利用を認められた XYZ タイルサービス)。",
    "Tile address with `{z}`, `{x}` and `{y}`, e.g. `https://tiles.city.example.jp/{z}/{x}/{y}.png`, or a path on "
    "this server such as `/tiles/{z}/{x}/{y}.png`.":
        "`{z}`・`{x}`・`{y}` を含むタイルのアドレス(例: `https://tiles.city.example.jp/{z}/{x}/{y}.png`)、"
        "またはこのサーバー上のパス(例: `/tiles/{z}/{x}/{y}.png`)。",
    "Who made the map tiles, shown in the corner of the map (plain text).": "地図タイルの作成者。地図の隅に表示します(文字だけ)。",
    "Web page the attribution links to.": "出典表示のリンク先のウェブページ。",
    "Closest zoom level the server has tiles for (default 18).": "サーバーにタイルがある最大のズーム(既定 18)。",
    # roles and workflow (lowcode/spec/workflow.py)
    "Role name → what staff accounts with that role may do. A role `admin` that may do everything exists even when "
    "not written.": "役割の名前 → その役割の職員アカウントができること。何でもできる役割 `admin` は書かなくてもあります。",
    "A staff role: what its accounts may do with each table, and the rows they see.":
        "職員の役割: そのアカウントが各テーブルでできることと、見られる行。",
    "Name of the role as staff say it; defaults to the role's name.": "職員がふだん呼ぶ役割の名前。省略すると役割の名前。",
    "`true`: may do everything with every table and take every transition.":
        "`true`: すべてのテーブルで何でもでき、すべての遷移を行えます。",
    "Table name → what the role may do: `view`, `create`, `edit`, `see_private` (personal data), `export`, `import`, "
    "`manage_areas`. Any of them lets the role view the table. Status changes are given by the transitions of the "
    "table's `workflow:` that name the role.":
        "テーブル名 → その役割ができること: `view`(閲覧)・`create`(登録)・`edit`(編集)・`see_private`(個人情報を見る)・"
        "`export`(書き出し)・`import`(取り込み)・`manage_areas`(区域の管理)。どれか1つでもあればテーブルを閲覧できます。"
        "状態の変更は、テーブルの `workflow:` のうちその役割を名指しする遷移で許されます。",
    "Table name → field: the role sees only rows whose field equals its account's value (set with `lowcode user add "
    "--scope`), e.g. `{hazards: school}`.":
        "テーブル名 → 項目: その項目がアカウントの値(`lowcode user add --scope` で設定)と等しい行だけを見られます"
        "(例: `{hazards: school}`)。",
    "Statuses the rows go through and the transitions staff make (review, moderation).":
        "行がたどる状態と、職員が行う遷移(審査・公開前の確認)。",
    "The statuses a row goes through and who moves it: a `choice` field and its transitions.":
        "行がたどる状態と、それを進める人: `choice` 型の項目とその遷移。",
    "A `choice` field of the table whose choices are the statuses (give them `public:` and `closed:`).":
        "選択肢が状態になる、このテーブルの `choice` 型の項目(選択肢に `public:` と `closed:` を付けます)。",
    "Status every submission from a public form starts in.": "公開フォームから送られた内容が最初に置かれる状態。",
    "The moves staff may make.": "職員が行える遷移。",
    "One move of a row from a status to another, taken by staff with a button.": "ある状態から別の状態への移動1つ。職員がボタンで行います。",
    "Status (or list of statuses) the row must be in; `\"*\"`: any status.": "移動前の状態(または状態のリスト)。`\"*\"` はどの状態でも。",
    "Status the row moves to.": "移動後の状態。",
    "Label of the button, e.g. `{ja: 公開する, en: Publish}`; defaults to the new status's label.":
        "ボタンの文字(例: `{ja: 公開する, en: Publish}`)。省略すると移動後の状態のラベル。",
    "Roles that may take it; roles with `all: true` (such as `admin`) always may.":
        "この遷移を行える役割。`all: true` の役割(`admin` など)はいつでも行えます。",
    "Fields that must be filled on this move, e.g. a reason when declining.": "この遷移で入力が必要な項目(例: 対応しない理由)。",
    "Message to the resident (on their private link and by e-mail).": "住民へのメッセージ(専用リンクとメールで伝えます)。",
    "For a status of a table's `workflow:`: rows in it appear on public pages, maps and the GeoJSON API.":
        "テーブルの `workflow:` の状態で使います: この状態の行は公開ページ・地図・GeoJSON API に出ます。",
    "For a status of a table's `workflow:`: the matter is finished (done, declined).":
        "テーブルの `workflow:` の状態で使います: 案件が終わっていること(対応済み・対応しないなど)。",
}


def bilingual(description: str) -> str:
    """`English / 日本語` when a translation exists, else the English alone (a test lists those)."""
    japanese = DESCRIPTIONS_JA.get(description)
    return f"{description} / {japanese}" if japanese else description
