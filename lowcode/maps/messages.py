"""Catalogue entries for maps: the YAML checks of maps and service areas (the picker's words are in Babel).

Kept apart from the code so that translators see every map message in one place.
"""
from __future__ import annotations

from ..spec.problems import Message, register_messages

register_messages(
    {
        "E_MAP_BASEMAP_UNKNOWN": Message(
            "There is no basemap '{name}'.",
            "背景地図 '{name}' はありません。",
            "Use one of: {options}; or `{{url: …, attribution: …}}` for your own tile server.",
            "次のどれかを使ってください: {options}。自前のタイルサーバーなら `{{url: …, attribution: …}}` と書きます。",
        ),
        "E_MAP_TILE_URL": Message(
            "The tile address '{url}' is not a tile URL template.",
            "タイルのアドレス '{url}' はタイルURLのひな形になっていません。",
            "Start it with https:// (or / for this server) and include {{z}}, {{x}} and {{y}}, "
            "e.g. https://tiles.example.jp/{{z}}/{{x}}/{{y}}.png.",
            "https://(このサーバーなら /)で始め、{{z}}・{{x}}・{{y}} を含めてください"
            "(例: https://tiles.example.jp/{{z}}/{{x}}/{{y}}.png)。",
        ),
        "E_MAP_LINK_URL": Message(
            "The link '{url}' is not a web address.",
            "リンク '{url}' はWebアドレスではありません。",
            "Start it with https://.",
            "https:// で始めてください。",
        ),
        "W_MAP_NO_VIEW": Message(
            "This map has no centre and no layers, and the app has no service area, so it opens on the whole world.",
            "この地図には中心もレイヤーもなく、アプリにサービス区域もないため、世界全体が表示されます。",
            "Add `center: {{lat: …, lon: …}}` and `zoom:`, or a `service_area:` for the app.",
            "`center: {{lat: …, lon: …}}` と `zoom:` を書くか、アプリに `service_area:` を設定してください。",
            severity="warning",
        ),
        "W_MAP_OWN_BASEMAP": Message(
            "This map uses the basemap '{own}', but the location picker and the detail pages use the app's '{app}': "
            "residents would see two different maps of one place.",
            "この地図の背景地図は '{own}' ですが、位置の選択と詳細ページの地図はアプリの '{app}' を使うため、"
            "住民には同じ場所が別の地図で表示されます。",
            "Write `basemap: {own}` once at the top of app.yaml and remove it here (or keep it here on purpose).",
            "app.yaml の最上位に `basemap: {own}` を一度だけ書き、ここからは消してください(意図して変える場合はそのままで構いません)。",
            severity="warning",
        ),
        "W_MAP_CENTER_OUTSIDE_AREA": Message(
            "The map's centre (lat {lat}, lon {lon}) is outside the service area.",
            "地図の中心(緯度 {lat}、経度 {lon})がサービス区域の外です。",
            "Check that the numbers are right and that lat and lon are not swapped.",
            "数値が正しいか、緯度と経度が入れ替わっていないか確かめてください。",
            severity="warning",
        ),
        "E_MAP_LAYER_SOURCE": Message(
            "A layer needs either `table:` or `file:` (exactly one).",
            "レイヤーには `table:` か `file:` のどちらか一方が必要です。",
            "Write `table: NAME` to draw a table's rows, or `file: data/NAME.geojson` to draw a file.",
            "テーブルの行を描くなら `table: 名前`、ファイルを描くなら `file: data/名前.geojson` と書いてください。",
        ),
        "E_MAP_TABLE_OPTION": Message(
            "'{option}' applies only to table layers, and this layer draws a file.",
            "'{option}' はテーブルのレイヤーにだけ使えます。このレイヤーはファイルを描いています。",
            "Remove it, or draw a table with `table:` instead of `file:`.",
            "削除するか、`file:` の代わりに `table:` を使ってください。",
        ),
        "E_MAP_FILE_OPTION": Message(
            "'{option}' applies only to file layers, and this layer draws a table.",
            "'{option}' はファイルのレイヤーにだけ使えます。このレイヤーはテーブルを描いています。",
            "Remove it.",
            "削除してください。",
        ),
        "E_MAP_KIND_OPTION": Message(
            "'{option}' applies only to {kind} layers, and this layer is of the {this} kind.",
            "'{option}' は {kind} のレイヤーにだけ使えます。このレイヤーは {this} のレイヤーです。",
            "Remove it, or change the layer's source to one that uses it.",
            "削除するか、この項目を使う種類のレイヤーに書き換えてください。",
        ),
        "W_MAP_CLUSTER_AND_HEATMAP": Message(
            "`cluster: true` has no effect on a heat map.",
            "ヒートマップでは `cluster: true` は効きません。",
            "Remove `cluster:`, or set `heatmap: false` to draw points.",
            "`cluster:` を削除するか、点で描くなら `heatmap: false` にしてください。",
            severity="warning",
        ),
        "E_MAP_COLOR": Message(
            "'{color}' is not a colour.",
            "'{color}' は色として使えません。",
            "Write a colour code such as `#d33` or `#3388ff`, or a colour name such as `red`.",
            "`#d33`・`#3388ff` のような色コードか、`red` のような色の名前を書いてください。",
        ),
        "E_MAP_NOT_LOCATION": Message(
            "The field '{name}' is a {type} field, not a location field.",
            "項目 '{name}' は {type} 型で、位置(location)の項目ではありません。",
            "A layer draws a location field: {options}.",
            "地図に描けるのは位置の項目です: {options}。",
        ),
        "E_MAP_FIELD_IS_AREA": Message(
            "The field '{name}' is an area field: `field:` names a location field, whose points a layer draws.",
            "項目 '{name}' は区域(area)の項目です。`field:` には点を描く位置(location)の項目を書きます。",
            "To draw its polygons, write `area: {name}` instead of `field: {name}`.",
            "区域を地図に描くには `field: {name}` の代わりに `area: {name}` と書いてください。",
        ),
        "E_MAP_NO_LOCATION_HAS_AREA": Message(
            "The table '{table}' has no location field to draw as points; it has the area field '{name}'.",
            "テーブル '{table}' には点として描ける位置(location)の項目がありません。区域(area)の項目 '{name}' があります。",
            "To draw its polygons, add `area: {name}` to this layer.",
            "区域を地図に描くには、このレイヤーに `area: {name}` を書き足してください。",
        ),
        "E_MAP_NOT_AREA": Message(
            "The field '{name}' is a {type} field, not an area field.",
            "項目 '{name}' は {type} 型で、区域(area)の項目ではありません。",
            "`area:` names a field with `type: area` of the layer's table: {options}.",
            "`area:` にはレイヤーのテーブルの `type: area` の項目を書きます: {options}。",
        ),
        "E_MAP_NO_LOCATION_FIELD": Message(
            "The table '{table}' has no location field to draw.",
            "テーブル '{table}' には地図に描ける位置(location)の項目がありません。",
            "Add a field with `type: location` to the table.",
            "テーブルに `type: location` の項目を追加してください。",
        ),
        "E_MAP_WHICH_LOCATION": Message(
            "The table '{table}' has several location fields; say which one this layer draws.",
            "テーブル '{table}' には位置の項目が複数あります。このレイヤーで描く項目を指定してください。",
            "Add `field:` with one of: {options}.",
            "`field:` に次のどれかを書いてください: {options}。",
        ),
        "E_MAP_FILTER_UNKNOWN": Message(
            "No table layer of this map has a field '{name}' to filter by.",
            "この地図のテーブルのレイヤーには、絞り込みに使う項目 '{name}' がありません。",
            "Name a field of a table the map draws: {options}.",
            "地図が表示するテーブルの項目を書いてください: {options}。",
        ),
        "E_PRINT_RELATED_FIELD": Message(
            "`print_related` needs a reference field of '{table}' with `to: {parent}`, and '{name}' is not one.",
            "`print_related` には '{table}' の `to: {parent}` の参照(reference)項目が必要ですが、'{name}' は違います。",
            "Reference fields of '{table}' that name a row of '{parent}': {options}.",
            "'{table}' の項目で '{parent}' の行を参照するもの: {options}。",
        ),
        "E_PRINT_RELATED_HEATMAP": Message(
            "A heat map's points are not numbered on the print view, so there is nothing to print `print_related` rows under.",
            "ヒートマップの点は印刷で番号が付かないため、`print_related` の行を並べる先がありません。",
            "Move `print_related:` to a layer of points (`heatmap: false`) of the same table.",
            "`print_related:` は同じテーブルの点のレイヤー(`heatmap: false`)に書いてください。",
        ),
        "E_MAP_FILTER_TYPE": Message(
            "A map filter needs a choice or reference field, and '{name}' is a {type} field.",
            "地図の絞り込みには選択肢(choice)か参照(reference)の項目が必要ですが、'{name}' は {type} 型です。",
            "Fields of the map's tables that can be filters: {options}.",
            "この地図のテーブルで絞り込みに使える項目: {options}。",
        ),
        "E_MAP_COLOR_BY_TYPE": Message(
            "`color_by` needs a choice field, and '{name}' is a {type} field.",
            "`color_by` には選択肢(choice)の項目が必要ですが、'{name}' は {type} 型です。",
            "Choice fields of this table: {options}.",
            "このテーブルの選択肢の項目: {options}。",
        ),
        "E_MAP_FILE_NOT_IN_DATA": Message(
            "The file '{name}' is not in the app's data/ folder.",
            "ファイル '{name}' がアプリの data/ フォルダの中にありません。",
            "Put map files in `data/` and write the path from the app folder, e.g. `data/districts.geojson`.",
            "地図のファイルは `data/` に置き、アプリのフォルダからのパスで書いてください(例: `data/districts.geojson`)。",
        ),
        "E_MAP_FILE_TYPE": Message(
            "The file '{name}' is not of a kind this can draw.",
            "ファイル '{name}' はここで使える形式ではありません。",
            "Use one of: {options}.",
            "次の形式を使ってください: {options}。",
        ),
        "E_MAP_FILE_UNREADABLE": Message(
            "The file '{name}' cannot be read: {detail}.",
            "ファイル '{name}' を読めません: {detail}。",
            "Open it in a GIS or a text editor and save it again as GeoJSON, KML or CSV.",
            "GIS やテキストエディタで開き、GeoJSON・KML・CSV として保存し直してください。",
        ),
        "E_MAP_CSV_COLUMN": Message(
            "The CSV file '{file}' has no column '{name}'.",
            "CSVファイル '{file}' に列 '{name}' はありません。",
            "Columns of the file: {options}.",
            "ファイルの列: {options}。",
        ),
        "E_MAP_FILE_SWAPPED": Message(
            "The coordinates in '{name}' look swapped: most points fall outside the service area (or off the globe) "
            "but inside it when latitude and longitude trade places.",
            "'{name}' の座標は緯度と経度が逆になっているようです。ほとんどの点がサービス区域(または地球)の外にあり、"
            "緯度と経度を入れ替えると中に入ります。",
            "GeoJSON and KML write longitude first, [lon, lat]; save the file again with the order corrected.",
            "GeoJSON と KML は経度が先([経度, 緯度])です。順序を直して保存し直してください。",
        ),
        "E_MAP_FILE_SWAPPED_CSV": Message(
            "The coordinates in '{name}' look swapped: most points fall outside the service area (or off the globe) "
            "but inside it when latitude and longitude trade places.",
            "'{name}' の座標は緯度と経度が逆になっているようです。ほとんどの点がサービス区域(または地球)の外にあり、"
            "緯度と経度を入れ替えると中に入ります。",
            "Check `lat: {lat}` and `lon: {lon}`: the latitude column (in Japan 20 to 46) goes in `lat:`, "
            "the longitude column (122 to 154) in `lon:`.",
            "`lat: {lat}` と `lon: {lon}` を確かめてください。緯度の列(日本では20〜46)を `lat:` に、"
            "経度の列(122〜154)を `lon:` に書きます。",
        ),
        "E_MAP_UNKNOWN_PROPERTY": Message(
            "The file '{file}' has no property '{name}'.",
            "ファイル '{file}' に属性 '{name}' はありません。",
            "Properties in the file: {options}.",
            "ファイルの属性: {options}。",
        ),
        "E_SERVICE_AREA_SOURCE": Message(
            "The service area needs either `bbox:` or `file:` (exactly one).",
            "サービス区域(service_area)には `bbox:` か `file:` のどちらか一方が必要です。",
            "Write `bbox: [west, south, east, north]` in degrees, or `file: data/area.geojson` with the area's polygon.",
            "`bbox: [西, 南, 東, 北]`(度)か、区域の多角形を収めた `file: data/area.geojson` を書いてください。",
        ),
        "E_SERVICE_AREA_BBOX_ORDER": Message(
            "The bbox [{bbox}] looks like latitude first; it must be [west, south, east, north], longitude first.",
            "bbox [{bbox}] は緯度が先になっているようです。[西, 南, 東, 北](経度が先)で書いてください。",
            "Swap the numbers, e.g. [136.5, 36.4, 136.8, 36.7] for Kanazawa.",
            "数値を入れ替えてください(金沢市なら例えば [136.5, 36.4, 136.8, 36.7])。",
        ),
        "E_SERVICE_AREA_BBOX": Message(
            "The bbox [{bbox}] is not a box: write [west, south, east, north] with west < east and south < north.",
            "bbox [{bbox}] は範囲になっていません。西 < 東、南 < 北 となるよう [西, 南, 東, 北] で書いてください。",
            "Longitudes run from -180 to 180, latitudes from -90 to 90.",
            "経度は -180〜180、緯度は -90〜90 です。",
        ),
        "E_SERVICE_AREA_FILE": Message(
            "The service area file '{name}' cannot be used: {detail}.",
            "サービス区域のファイル '{name}' は使えません: {detail}。",
            "It must hold at least one Polygon or MultiPolygon.",
            "Polygon か MultiPolygon を1つ以上含めてください。",
        ),
    }
)
