"""Words that go inside catalogue messages and must themselves be translated (see problems._show)."""
from __future__ import annotations

from ..geo.drawn_area import MAX_AREA_POINTS

Word = dict[str, str]

VALUE_REASONS: dict[str, Word] = {
    "not_integer": {"en": "not a whole number", "ja": "整数ではありません"},
    "not_number": {"en": "not a number", "ja": "数値ではありません"},
    "not_boolean": {"en": "not true or false", "ja": "true/false(はい/いいえ)ではありません"},
    "not_date": {"en": "not a date (YYYY-MM-DD)", "ja": "日付(YYYY-MM-DD)ではありません"},
    "not_datetime": {"en": "not a date and time", "ja": "日時ではありません"},
    "datetime_in_future": {"en": "a date and time still to come", "ja": "まだ来ていない日時です"},
    "not_email": {"en": "not an email address", "ja": "メールアドレスではありません"},
    "not_phone": {"en": "not a phone number of 10 or 11 digits", "ja": "10桁か11桁の電話番号ではありません"},
    "not_postal_code": {"en": "not a 7-digit postal code", "ja": "7桁の郵便番号ではありません"},
    "not_url": {"en": "not a web address starting with http(s)://", "ja": "http(s):// で始まるWebアドレスではありません"},
    "not_location": {"en": "not a place", "ja": "場所ではありません"},
    "not_area": {"en": "not a GeoJSON Polygon or MultiPolygon", "ja": "GeoJSON の Polygon・MultiPolygon ではありません"},
    "area_empty": {"en": "the area encloses nothing", "ja": "区域に広さがありません"},
    "area_crosses_itself": {"en": "the outline of the area crosses itself", "ja": "区域の輪郭が交差しています"},
    "area_out_of_range": {"en": "a point is outside longitude -180 to 180 or latitude -90 to 90",
                          "ja": "経度 -180〜180・緯度 -90〜90 の外にある点があります"},
    "area_too_many_points": {"en": f"the area has more than {MAX_AREA_POINTS:,} points",
                             "ja": f"区域の点が {MAX_AREA_POINTS:,} を超えています"},
}

FILE_REASONS: dict[str, Word] = {
    "unknown_format": {"en": "the file type is not .csv, .geojson, .json or .kml", "ja": "ファイルの種類が .csv・.geojson・.json・.kml ではありません"},
    "bad_encoding": {"en": "the characters are not in the encoding given", "ja": "文字コードが指定と違います"},
    "bad_json": {"en": "it is not valid JSON", "ja": "JSON として正しくありません"},
    "not_geojson": {"en": "it is JSON but not GeoJSON", "ja": "JSON ですが GeoJSON ではありません"},
    "missing_columns": {"en": "columns are missing", "ja": "列が足りません"},
    "bad_coordinate": {"en": "a coordinate is not a number", "ja": "座標が数値ではありません"},
    "bad_xml": {"en": "it is not valid KML (XML)", "ja": "KML(XML)として正しくありません"},
}


def value_reason(key: str) -> Word:
    return VALUE_REASONS.get(key, {"en": key, "ja": key})


def file_reason(reason: str, detail: str = "") -> Word:
    word = FILE_REASONS.get(reason, {"en": reason, "ja": reason})
    if not detail:
        return word
    return {lang: f"{text} ({detail})" for lang, text in word.items()}
