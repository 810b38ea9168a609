"""Catalogue entries for the core cross-reference checks."""
from __future__ import annotations

from .problems import Message, register_messages

register_messages(
    {
        "E_INTERNAL_CHECK": Message(
            "lowcode could not finish the check '{check}' ({detail}).",
            "lowcode がチェック '{check}' を最後まで実行できませんでした({detail})。",
            "This is a fault in lowcode, not in your file: the other checks ran. Please report this line.",
            "これはファイルではなく lowcode の不具合です(ほかのチェックは実行済み)。この行を添えて報告してください。",
        ),
        "E_BAD_NAME": Message(
            "The name '{name}' cannot be used for a {kind}.",
            "'{name}' は{kind}の名前に使えません。",
            "Use lowercase letters a–z, digits and `_`, starting with a letter, e.g. `school_name`.",
            "半角英小文字・数字・`_` で、英字から始めてください(例: `school_name`)。",
        ),
        "E_RESERVED_NAME": Message(
            "The field name '{name}' is used by the system.",
            "項目名 '{name}' はシステムが使っています。",
            "Choose another name; these are taken: {options}.",
            "別の名前にしてください。使えない名前: {options}。",
        ),
        "E_UNKNOWN_TABLE": Message(
            "There is no table '{name}'.",
            "テーブル '{name}' はありません。",
            "Tables in this app: {options}.",
            "このアプリのテーブル: {options}。",
        ),
        "E_UNKNOWN_FIELD": Message(
            "The table '{table}' has no field '{name}'.",
            "テーブル '{table}' に項目 '{name}' はありません。",
            "Fields of '{table}': {options}.",
            "'{table}' の項目: {options}。",
        ),
        "E_UNKNOWN_CHOICE": Message(
            "'{name}' is not a choice of the field '{field}'.",
            "'{name}' は項目 '{field}' の選択肢にありません。",
            "Choices of '{field}': {options}.",
            "'{field}' の選択肢: {options}。",
        ),
        "E_UNKNOWN_FORM": Message("There is no form '{name}'.", "フォーム '{name}' はありません。", "Forms: {options}.", "フォーム: {options}。"),
        "E_UNKNOWN_LIST": Message("There is no list '{name}'.", "一覧 '{name}' はありません。", "Lists: {options}.", "一覧: {options}。"),
        "E_UNKNOWN_MAP": Message("There is no map '{name}'.", "地図 '{name}' はありません。", "Maps: {options}.", "地図: {options}。"),
        "E_UNKNOWN_LANGUAGE": Message(
            "'{name}' is not a language of this app.",
            "'{name}' はこのアプリの言語ではありません。",
            "Use one of: {options} (set them in `languages:`).",
            "次のどれかを使ってください: {options}(`languages:` で設定します)。",
        ),
        "W_MISSING_TRANSLATION": Message(
            "This text has no '{lang}' version.",
            "この文字列には '{lang}' の訳がありません。",
            "Add `{lang}: …` so that every reader sees it in their language.",
            "`{lang}: …` を追加すると、どの利用者にも自分の言語で表示されます。",
            severity="warning",
        ),
        "E_OPTION_NOT_FOR_TYPE": Message(
            "'{option}' does not apply to fields of type {type}.",
            "'{option}' は {type} 型の項目には使えません。",
            "Remove it, or change `type:`. Settings for type {type}: {options}.",
            "削除するか `type:` を変えてください。{type} 型で使える設定: {options}。",
        ),
        "E_CHOICES_MISSING": Message(
            "The {type} field '{field}' has no choices.",
            "{type} 型の項目 '{field}' に選択肢がありません。",
            "Add `choices:` with items like `- {{key: walk, label: 徒歩}}`.",
            "`choices:` に `- {{key: walk, label: 徒歩}}` のような項目を追加してください。",
        ),
        "E_CHOICE_NEEDS_KEY": Message(
            "The choices of '{field}' are written as plain words ({labels}), but the stored value (the key) must be "
            "lowercase letters a–z, digits and `_`.",
            "項目 '{field}' の選択肢が言葉だけ({labels})で書かれていますが、保存される値(キー)は半角英小文字・数字・`_` "
            "でなければなりません。",
            "Give each choice a key and keep the word as its label: `- {{key: received, label: {label}}}`. "
            "Choose the keys once: they are stored with every answer, so changing the labels later is safe, "
            "changing the keys is not.",
            "選択肢ごとにキーを付け、言葉はラベルにしてください: `- {{key: received, label: {label}}}`。"
            "キーは回答と一緒に保存されるので一度決めたら変えないでください(ラベルは後から変えても大丈夫です)。",
        ),
        "E_DUPLICATE_CHOICE": Message(
            "The choice key '{name}' appears twice.",
            "選択肢のキー '{name}' が2回あります。",
            "Give each choice its own key.",
            "選択肢ごとに別のキーにしてください。",
        ),
        "E_REFERENCE_TARGET": Message(
            "The reference field '{field}' does not say which table it points to.",
            "参照項目 '{field}' に参照先のテーブルがありません。",
            "Add `to: TABLE_NAME`.",
            "`to: テーブル名` を追加してください。",
        ),
        "E_BAD_PATTERN": Message(
            "The pattern is not a valid regular expression: {detail}.",
            "pattern が正しい正規表現ではありません: {detail}。",
            "Check brackets and backslashes; test it on an example value.",
            "括弧とバックスラッシュを確かめ、例の値で試してください。",
        ),
        "E_SLOW_PATTERN": Message(
            "The pattern '{pattern}' repeats a part that itself repeats; checking one answer could take minutes.",
            "pattern '{pattern}' は、繰り返しの中にさらに繰り返しがあり、1件の回答の確認に何分もかかることがあります。",
            "Repeat each part once, e.g. `^[a-z0-9]+$` instead of `^([a-z0-9]+)+$`, or separate the repeated group "
            "with a fixed character, e.g. `^[a-z]+(-[a-z]+)*$`.",
            "繰り返しは1段にしてください(例: `^([a-z0-9]+)+$` ではなく `^[a-z0-9]+$`)。または繰り返すまとまりを決まった文字で"
            "区切ってください(例: `^[a-z]+(-[a-z]+)*$`)。",
        ),
        "E_BAD_DEFAULT": Message(
            "The default '{value}' is not a valid {type} value.",
            "既定値 '{value}' は {type} 型の値として使えません。",
        ),
        "E_BAD_VALUE_FOR_FIELD": Message(
            "'{value}' is not a valid value of the {type} field '{field}'.",
            "'{value}' は {type} 型の項目 '{field}' の値として使えません。",
        ),
        "E_MIN_ABOVE_MAX": Message(
            "min ({min}) is larger than max ({max}).",
            "min ({min}) が max ({max}) より大きくなっています。",
            "Swap them.",
            "入れ替えてください。",
        ),
        "E_BAD_DATE": Message(
            "'{value}' is not a date.",
            "'{value}' は日付ではありません。",
            "Write a date as YYYY-MM-DD with hyphens, e.g. 2026-04-01, or count from the day the form is filled in: "
            "`today`, `today+30`, `today-7`.",
            "日付は半角のハイフンで YYYY-MM-DD と書くか(例: 2026-04-01)、フォームに入力する日から数えて "
            "`today`・`today+30`・`today-7` のように書いてください。",
        ),
        "E_SHOW_IF_SELF": Message(
            "A field cannot depend on itself in `show_if`.",
            "`show_if` で自分自身を条件にすることはできません。",
        ),
        "E_NOT_SEARCHABLE": Message(
            "The field '{name}' is of type {type}; search looks only in text fields.",
            "項目 '{name}' は {type} 型です。検索できるのは文字の項目だけです。",
            "Text fields of this table: {options}.",
            "このテーブルの文字の項目: {options}。",
        ),
        "E_NOT_FILTERABLE": Message(
            "The field '{name}' is of type {type} and cannot be a filter.",
            "項目 '{name}' は {type} 型なので絞り込みに使えません。",
            "Filters work on choice, multichoice, boolean, date, datetime and reference fields: {options}.",
            "絞り込みに使えるのは choice・multichoice・boolean・date・datetime・reference 型の項目です: {options}。",
        ),
        "E_NOT_PUBLIC": Message(
            "The field '{name}' is {visibility} and cannot be shown on a public page.",
            "項目 '{name}' は {visibility} なので、公開ページには表示できません。",
            "Remove it here, or set `visibility: public` on the field if residents may see it.",
            "ここから外すか、住民に見せてよい項目なら `visibility: public` にしてください。",
        ),
        "E_PRIVATE_ON_PUBLIC_PAGE": Message(
            "The field '{name}' is private (personal data such as a name, an address or a phone number) and is never "
            "shown on a public page.",
            "項目 '{name}' は private(氏名・住所・電話番号などの個人情報)なので、公開ページには決して表示されません。",
            "Take it off this page. To show residents something about it, add a separate public field that reveals no "
            "one, e.g. the district instead of the address.",
            "このページから外してください。住民に何か示したいときは、個人が分からない別の公開項目"
            "(例: 住所ではなく地区)を追加してください。",
        ),
        "E_REQUIRED_NOT_IN_FORM": Message(
            "The required field '{name}' is not in the form, so the form can never be saved.",
            "必須項目 '{name}' がフォームに含まれていないため、このフォームは保存できません。",
            "Add '{name}' to the form's `fields:`, or give the field a `default:`.",
            "フォームの `fields:` に '{name}' を加えるか、項目に `default:` を付けてください。",
        ),
        "E_FILE_MISSING": Message(
            "The file '{name}' does not exist in the app folder.",
            "ファイル '{name}' がアプリのフォルダにありません。",
            "Put the file there (usually in `data/`) or correct the path.",
            "ファイルを置く(ふつうは `data/` の中)か、パスを直してください。",
        ),
        "E_NAV_TARGET": Message(
            "A link must name exactly one of form, list, map, dashboard or url.",
            "リンクには form・list・map・dashboard・url のどれか1つだけを書いてください。",
        ),
        "E_NAV_URL": Message(
            "A link to a '{scheme}:' address cannot be used: it could run a program in the resident's browser.",
            "'{scheme}:' で始まるアドレスへのリンクは使えません(住民のブラウザでプログラムが動くおそれがあります)。",
            "Write a web address starting with https://, or a mailto: or tel: address (allowed: {options}).",
            "https:// で始まるウェブのアドレスか、mailto:・tel: のアドレスを書いてください(使えるもの: {options})。",
        ),
        "E_DUPLICATE_ITEM": Message(
            "'{name}' is listed twice.",
            "'{name}' が2回書かれています。",
        ),
        "E_BAD_SORT": Message(
            "Cannot sort by '{name}'.",
            "'{name}' で並べ替えることはできません。",
            "Use a field name or created_at/updated_at, with `-` in front for descending: {options}.",
            "項目名か created_at/updated_at を使い、降順は先頭に `-` を付けてください: {options}。",
        ),
        "E_SEED_COLUMN": Message(
            "The seed file has no column '{name}'.",
            "初期データのファイルに列 '{name}' がありません。",
            "Columns in the file: {options}.",
            "ファイルの列: {options}。",
        ),
        "E_SEED_UNREADABLE": Message(
            "The seed file cannot be read: {detail}.",
            "初期データのファイルを読めません: {detail}。",
            "Save it as UTF-8 CSV with a header row, or as GeoJSON.",
            "見出し行付きの UTF-8 の CSV か GeoJSON で保存してください。",
        ),
        "E_SEED_VALUE": Message(
            "Row {row} of the seed file: '{value}' in column '{name}' is not a valid value ({reason}).",
            "初期データの {row} 行目: 列 '{name}' の '{value}' は正しい値ではありません({reason})。",
            "Correct the value in the file, or leave the cell empty.",
            "ファイルの値を直すか、空欄にしてください。",
        ),
        "E_NO_LOCATION_FIELD": Message(
            "The seed file has coordinates but the table '{table}' has no location field.",
            "初期データに座標がありますが、テーブル '{table}' に location 型の項目がありません。",
            "Add a field with `type: location`.",
            "`type: location` の項目を追加してください。",
        ),
        "E_TITLE_FIELD": Message(
            "The title field '{name}' is not a field of this table.",
            "タイトル項目 '{name}' はこのテーブルの項目ではありません。",
            "Fields: {options}.",
            "項目: {options}。",
        ),
    }
)
