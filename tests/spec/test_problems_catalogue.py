"""Every problem the core reports, triggered by a small app and asserted word for word in English and Japanese.

Each case is what a member of staff might write; the expected line is exactly what `lowcode validate` prints:
`file:line:column [CODE] what is wrong. How to fix. Did you mean …?`
"""
from __future__ import annotations

import ast
import importlib
import string
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import lowcode
from lowcode.spec.problems import CATALOGUE

LOWCODE = Path(lowcode.__file__).parent
# The modules whose codes belong to the core (maps and places test their own codes).
CORE_MODULES = (
    "spec/yamlload.py", "spec/fullwidth.py", "spec/pydantic_errors.py", "spec/misplaced.py", "spec/loader.py",
    "spec/check_messages.py",
)

REPORTS = """\
title: 道路の通報
tables:
  reports:
    fields:
      title: {type: text, required: true}
      count: {type: integer}
      seen_on: {type: date}
      category: {type: choice, choices: [{key: road, label: 道路}, {key: park, label: 公園}]}
      phone: {type: phone, visibility: private}
"""
# REPORTS has 9 lines: whatever a case adds starts on line 10.


@dataclass(frozen=True)
class Case:
    code: str
    yaml: str | None
    en: str
    ja: str
    folder: str = "demo"
    target: str | None = None
    files: dict[str, str | bytes] = field(default_factory=dict)
    also: tuple[str, ...] = ()  # other codes the same mistake rightly causes
    bug: str | None = None  # an engine bug: the expected lines are what the catalogue promises
    ja_bug: str | None = None


CASES = [
    # --- reading the YAML -------------------------------------------------------------------------------
    Case(
        "E_YAML_SYNTAX",
        """
        title: 道路の通報
        tables:
          reports:
            fields:
              title: {type: text}
             body: {type: textarea}
        """,
        "demo/app.yaml:6:6 [E_YAML_SYNTAX] The YAML cannot be read: the indentation of this line does not match the "
        "lines above. Check the indentation and the colons on this line and the one above it.",
        "demo/app.yaml:6:6 [E_YAML_SYNTAX] YAML として読めません: この行の字下げが上の行とそろっていません。 "
        "この行と前の行の字下げとコロン(:)を確かめてください。",
    ),
    Case(
        "E_DUPLICATE_KEY",
        """
        title: 道路の通報
        tables:
          reports:
            fields:
              title: {type: text}
              title: {type: textarea}
        """,
        "demo/app.yaml:6:7 [E_DUPLICATE_KEY] The key 'title' appears twice in the same block (first on line 5). "
        "Remove one of them or give it another name.",
        "demo/app.yaml:6:7 [E_DUPLICATE_KEY] キー 'title' が同じブロックに2回あります(最初は 5 行目)。 "
        "どちらかを削除するか、別の名前にしてください。",
    ),
    Case(
        # Issue 7, item 14: ten levels of ten aliases ("billion laughs") took minutes and gigabytes.
        "E_YAML_ALIAS",
        REPORTS + "      kind: &kinds {type: choice, choices: [{key: a}]}\n      kind2: *kinds\n",
        "demo/app.yaml:11:14 [E_YAML_ALIAS] '*kinds' repeats the block marked '&kinds'; app files do not use repeats "
        "(anchors and aliases). Write the settings out again where they are needed. If the text really starts with "
        "'*', put it in quotes.",
        "demo/app.yaml:11:14 [E_YAML_ALIAS] '*kinds' は '&kinds' の付いたブロックを繰り返しています。アプリのファイルでは"
        "繰り返し(アンカーとエイリアス)は使えません。 必要な所に設定をもう一度書いてください。「*」で始まる文字列なら"
        "引用符で囲んでください。",
    ),
    Case(
        # Issue 7, item 31: full-width characters typed with a Japanese keyboard, named where they are.
        "E_FULLWIDTH_INDENT",
        "title: 道路の通報\ntables:\n  reports:\n    fields:\n\u3000\u3000  title: {type: text}\n",
        "demo/app.yaml:5:1 [E_FULLWIDTH_INDENT] A full-width space (全角スペース) is in the indentation of this line. "
        "Indent with half-width spaces only: delete it and type ordinary spaces (two per level).",
        "demo/app.yaml:5:1 [E_FULLWIDTH_INDENT] この行の字下げに全角スペースがあります。 "
        "字下げは半角スペースだけで書きます。全角スペースを消して、半角スペース(1段につき2つ)を入れてください。",
    ),
    Case(
        "E_FULLWIDTH_COLON",
        "title： 道路の通報\ntables:\n  reports:\n    fields:\n      title: {type: text}\n",
        "demo/app.yaml:1:6 [E_FULLWIDTH_COLON] 'title' is followed by a full-width colon '：'. "
        "Write a half-width colon and a half-width space: `title: …`.",
        "demo/app.yaml:1:6 [E_FULLWIDTH_COLON] 'title' の後ろのコロンが全角の「：」です。 "
        "半角のコロンと半角スペースにしてください: `title: …`。",
    ),
    Case(
        "E_FULLWIDTH_SPACE_AFTER_COLON",
        REPORTS + "      body:\n        type:\u3000textarea\n",
        "demo/app.yaml:11:14 [E_FULLWIDTH_SPACE_AFTER_COLON] A full-width space (全角スペース) follows the ':' after "
        "'type'. Replace it with a half-width space: `type: …`.",
        "demo/app.yaml:11:14 [E_FULLWIDTH_SPACE_AFTER_COLON] 'type' の「:」の後ろが全角スペースです。 "
        "半角スペースにしてください: `type: …`。",
    ),
    Case(
        "E_COMPLEX_KEY",
        """
        title: 道路の通報
        tables:
          reports:
            fields:
              [title, body]: {type: text}
        """,
        "demo/app.yaml:5:7 [E_COMPLEX_KEY] A key must be a plain word, not a list or a block.",
        "demo/app.yaml:5:7 [E_COMPLEX_KEY] キーはリストやブロックではなく、単語で書いてください。",
    ),
    Case(
        "E_YAML_CHARACTER",
        "title: 道路の通報\ndescription: 壊れた\x07道路\ntables: {}\n",
        "demo/app.yaml:2:17 [E_YAML_CHARACTER] The file contains a character YAML does not allow (U+0007). "
        "Delete it; it is often invisible, pasted together with text from another program.",
        "demo/app.yaml:2:17 [E_YAML_CHARACTER] YAML で使えない文字 (U+0007) が含まれています。 "
        "その文字を削除してください。ほかのソフトから貼り付けたときに紛れ込む、見えない文字のことがよくあります。",
    ),
    Case(
        "E_NOT_UTF8",
        None,
        "demo/app.yaml:2:1 [E_NOT_UTF8] The file is not saved as UTF-8 (it looks like Shift_JIS). "
        "Save it again choosing the UTF-8 encoding (in Notepad: File → Save As → Encoding: UTF-8).",
        "demo/app.yaml:2:1 [E_NOT_UTF8] ファイルが UTF-8 で保存されていません(Shift_JIS のようです)。 "
        "文字コードに UTF-8 を選んで保存し直してください(メモ帳: ファイル → 名前を付けて保存 → 文字コード: UTF-8)。",
        files={"app.yaml": "# sample\ntitle: 道路の通報\ntables: {}\n".encode("cp932")},
    ),
    Case(
        "E_EMPTY_FILE",
        """
        # 道路の通報(これから書く)
        """,
        "demo/app.yaml:1:1 [E_EMPTY_FILE] The file is empty. Start from the file that `lowcode new NAME` writes.",
        "demo/app.yaml:1:1 [E_EMPTY_FILE] ファイルが空です。 `lowcode new 名前` で作られるファイルから始めてください。",
    ),
    Case(
        "E_TOP_NOT_MAPPING",
        """
        - title: 道路の通報
        - tables: {}
        """,
        "demo/app.yaml:1:1 [E_TOP_NOT_MAPPING] The file must be a block of `key: value` lines (title, tables, forms, …). "
        "Start from the file that `lowcode new NAME` writes.",
        "demo/app.yaml:1:1 [E_TOP_NOT_MAPPING] ファイルは `キー: 値` の行のまとまり(title, tables, forms など)で書いてください。 "
        "`lowcode new 名前` で作られるファイルから始めてください。",
    ),
    # --- shape of each setting (pydantic) --------------------------------------------------------------------
    Case(
        "E_UNKNOWN_KEY",
        REPORTS + "      size:\n        type: choice\n        choices:\n          - {key: small, lable: 小さい}\n",
        "demo/app.yaml:13:26 [E_UNKNOWN_KEY] 'lable' is not a setting of 'tables.reports.fields.size.choices.0'. "
        "Check the spelling or remove the line. Settings here: closed, color, key, label, public. Did you mean 'label'?",
        "demo/app.yaml:13:26 [E_UNKNOWN_KEY] 'lable' は 'tables.reports.fields.size.choices.0' の設定にはありません。 "
        "綴りを確かめるか、この行を削除してください。ここで使える設定: closed, color, key, label, public。 もしかして: label",
    ),
    Case(
        "E_MISSING_KEY",
        REPORTS + "forms:\n  report: {title: 通報する}\n",
        "demo/app.yaml:11:11 [E_MISSING_KEY] 'forms.report' needs the setting 'table'. Add a line `table: …` to it.",
        "demo/app.yaml:11:11 [E_MISSING_KEY] 'forms.report' には設定 'table' が必要です。 `table: …` の行を追加してください。",
    ),
    Case(
        # Issue 7, item 34: once read as a table named "forms" that "needs 'fields'".
        "E_TOP_KEY_INDENTED",
        REPORTS + "  forms:\n    report: {table: reports}\n",
        "demo/app.yaml:10:3 [E_TOP_KEY_INDENTED] 'forms' is a top-level setting, but it is indented inside 'tables'. "
        "Move `forms:` to the start of the line (no spaces before it), and indent the lines under it by two spaces.",
        "demo/app.yaml:10:3 [E_TOP_KEY_INDENTED] 'forms' はいちばん外側の設定ですが、'tables' の中に字下げされています。 "
        "`forms:` を行の先頭(前にスペースなし)に移し、その下の行を半角スペース2つで字下げしてください。",
    ),
    Case(
        "E_NOT_ONE_OF",
        REPORTS + "      place: {type: txt}\n",
        "demo/app.yaml:10:21 [E_NOT_ONE_OF] 'txt' is not a possible value of 'type'. Use one of: text, textarea, "
        "integer, number, boolean, date, datetime, choice, multichoice, email, phone, postal_code, url, location, "
        "image, reference, area. Did you mean 'text'?",
        "demo/app.yaml:10:21 [E_NOT_ONE_OF] 'txt' は 'type' に使える値ではありません。 次のどれかを使ってください: text, "
        "textarea, integer, number, boolean, date, datetime, choice, multichoice, email, phone, postal_code, url, "
        "location, image, reference, area。 もしかして: text",
    ),
    Case(
        "E_NOT_BOOLEAN",
        REPORTS + "      body: {type: textarea, required: はい}\n",
        "demo/app.yaml:10:40 [E_NOT_BOOLEAN] 'required' must be true or false, not 'はい'. "
        "Write `required: true` or `required: false`.",
        "demo/app.yaml:10:40 [E_NOT_BOOLEAN] 'required' は true か false で書いてください('はい' になっています)。 "
        "`required: true` または `required: false` と書いてください。",
    ),
    Case(
        "E_NOT_INTEGER",
        REPORTS + "lists:\n  all: {table: reports, page_size: 二十}\n",
        "demo/app.yaml:11:36 [E_NOT_INTEGER] 'page_size' must be a whole number, not '二十'. "
        "Write digits only, e.g. `page_size: 10`.",
        "demo/app.yaml:11:36 [E_NOT_INTEGER] 'page_size' は整数で書いてください('二十' になっています)。 "
        "数字だけで書いてください(例: `page_size: 10`)。",
    ),
    Case(
        "E_NOT_NUMBER",
        REPORTS + "      photo: {type: image, max_size_mb: 5MB}\n",
        "demo/app.yaml:10:41 [E_NOT_NUMBER] 'max_size_mb' must be a number, not '5MB'. Write a number such as `1.5`.",
        "demo/app.yaml:10:41 [E_NOT_NUMBER] 'max_size_mb' は数値で書いてください('5MB' になっています)。 "
        "`1.5` のような数値で書いてください。",
    ),
    Case(
        "E_TOO_SMALL",
        REPORTS + "lists:\n  all: {table: reports, page_size: 0}\n",
        "demo/app.yaml:11:36 [E_TOO_SMALL] 'page_size' must be at least 1, not 0.",
        "demo/app.yaml:11:36 [E_TOO_SMALL] 'page_size' は 1 以上にしてください(0 になっています)。",
    ),
    Case(
        "E_TOO_LARGE",
        REPORTS + "lists:\n  all: {table: reports, page_size: 500}\n",
        "demo/app.yaml:11:36 [E_TOO_LARGE] 'page_size' must be at most 100, not 500.",
        "demo/app.yaml:11:36 [E_TOO_LARGE] 'page_size' は 100 以下にしてください(500 になっています)。",
    ),
    Case(
        "E_TOO_FEW_ITEMS",
        REPORTS + "languages: []\n",
        "demo/app.yaml:10:12 [E_TOO_FEW_ITEMS] 'languages' needs at least 1 item(s).",
        "demo/app.yaml:10:12 [E_TOO_FEW_ITEMS] 'languages' には少なくとも 1 個の項目が必要です。",
    ),
    Case(
        "E_NOT_MAPPING",
        """
        title: 道路の通報
        tables:
          reports:
            fields: [title, body]
        """,
        "demo/app.yaml:4:13 [E_NOT_MAPPING] 'fields' must be a block of `name: value` lines. "
        "Indent the lines under 'fields:' by two spaces.",
        "demo/app.yaml:4:13 [E_NOT_MAPPING] 'fields' は `名前: 値` の行のまとまりで書いてください。 "
        "'fields:' の下の行を半角スペース2つで字下げしてください。",
    ),
    Case(
        "E_NOT_LIST",
        REPORTS + "lists:\n  all: {table: reports, search: title}\n",
        "demo/app.yaml:11:33 [E_NOT_LIST] 'search' must be a list. "
        "Write each item on its own line starting with `- `, or as `[a, b]`.",
        "demo/app.yaml:11:33 [E_NOT_LIST] 'search' はリストで書いてください。 "
        "項目ごとに `- ` で始まる行にするか、`[a, b]` と書いてください。",
    ),
    Case(
        "E_NOT_TEXT",
        REPORTS + "      body: {type: textarea, label: [内容, 詳細]}\n",
        "demo/app.yaml:10:37 [E_NOT_TEXT] 'label' must be text, or text per language. "
        "Write `label: …` or `label: {ja: …, en: …}`.",
        "demo/app.yaml:10:37 [E_NOT_TEXT] 'label' は文字列、または言語ごとの文字列で書いてください。 "
        "`label: …` または `label: {ja: …, en: …}` と書いてください。",
    ),
    Case(
        "E_TEXT_SPLIT",
        REPORTS + "      body: {type: textarea, label: {ja: 内容, en: Road, street or path}}\n",
        "demo/app.yaml:10:37 [E_TEXT_SPLIT] A comma inside {…} ended the text of 'label' too early. "
        'Put the text in double quotes: `en: "Hello, world"`.',
        "demo/app.yaml:10:37 [E_TEXT_SPLIT] {…} の中の半角カンマ「,」で 'label' の文字列が途中で切れています。 "
        '文字列をダブルクォートで囲んでください: `en: "Hello, world"`。',
    ),
    Case(
        # The core's own models give no other pydantic error; a five-number bbox is the nearest mistake that does.
        "E_BAD_VALUE",
        REPORTS + "service_area: {bbox: [136.5, 36.4, 136.8, 36.7, 0]}\n",
        "demo/app.yaml:10:22 [E_BAD_VALUE] 'bbox' has a value that cannot be used: "
        "Tuple should have at most 4 items after validation, not 5.",
        "demo/app.yaml:10:22 [E_BAD_VALUE] 'bbox' の値が使えません: Tuple should have at most 4 items after validation, not 5。",
        also=("E_SERVICE_AREA_SOURCE",),
    ),
    # --- folders -------------------------------------------------------------------------------------------------
    Case(
        "E_NO_APP_FILE",
        None,
        "road_reports:1:1 [E_NO_APP_FILE] There is no app.yaml in 'road_reports'. "
        "Create one with `lowcode new NAME`, or point to the folder that holds app.yaml.",
        "road_reports:1:1 [E_NO_APP_FILE] 'road_reports' に app.yaml がありません。 "
        "`lowcode new 名前` で作るか、app.yaml のあるフォルダを指定してください。",
        target="road_reports",
    ),
    Case(
        "E_NO_APPS",
        None,
        "apps:1:1 [E_NO_APPS] 'apps' holds no app folder (a folder with an app.yaml). Create one with `lowcode new NAME`.",
        "apps:1:1 [E_NO_APPS] 'apps' にアプリのフォルダ(app.yaml のあるフォルダ)がありません。 `lowcode new 名前` で作ってください。",
        folder="apps",
        files={"notes/memo.txt": "まだ何もない"},
    ),
    Case(
        "E_APP_FOLDER_NAME",
        REPORTS,
        "Road-Reports/app.yaml:1:1 [E_APP_FOLDER_NAME] The app folder name 'Road-Reports' cannot be used in web "
        "addresses. Rename the folder with lowercase letters a–z, digits and `_`.",
        "Road-Reports/app.yaml:1:1 [E_APP_FOLDER_NAME] アプリのフォルダ名 'Road-Reports' はWebアドレスに使えません。 "
        "フォルダ名を半角英小文字・数字・`_` に変えてください。",
        folder="Road-Reports",
    ),
    # --- cross-references (spec/check.py) ----------------------------------------------------------------------
    Case(
        "E_BAD_NAME",
        REPORTS + "      Address: {type: text}\n",
        "demo/app.yaml:10:7 [E_BAD_NAME] The name 'Address' cannot be used for a field. "
        "Use lowercase letters a–z, digits and `_`, starting with a letter, e.g. `school_name`.",
        "demo/app.yaml:10:7 [E_BAD_NAME] 'Address' は項目の名前に使えません。 "
        "半角英小文字・数字・`_` で、英字から始めてください(例: `school_name`)。",
    ),
    Case(
        "E_RESERVED_NAME",
        REPORTS + "      id: {type: text, label: 管理番号}\n",
        "demo/app.yaml:10:7 [E_RESERVED_NAME] The field name 'id' is used by the system. "
        "Choose another name; these are taken: assigned_to, bbox, created_at, format, id, lang, limit, page, q, ref, sort, track_hash, updated_at.",
        "demo/app.yaml:10:7 [E_RESERVED_NAME] 項目名 'id' はシステムが使っています。 "
        "別の名前にしてください。使えない名前: assigned_to, bbox, created_at, format, id, lang, limit, page, q, ref, sort, track_hash, updated_at。",
    ),
    Case(
        "E_UNKNOWN_TABLE",
        REPORTS + "forms:\n  report: {table: report}\n",
        "demo/app.yaml:11:19 [E_UNKNOWN_TABLE] There is no table 'report'. Tables in this app: reports. "
        "Did you mean 'reports'?",
        "demo/app.yaml:11:19 [E_UNKNOWN_TABLE] テーブル 'report' はありません。 このアプリのテーブル: reports。 もしかして: reports",
    ),
    Case(
        "E_UNKNOWN_FIELD",
        REPORTS + "lists:\n  all: {table: reports, columns: [titel, category]}\n",
        "demo/app.yaml:11:35 [E_UNKNOWN_FIELD] The table 'reports' has no field 'titel'. "
        "Fields of 'reports': title, count, seen_on, category, phone. Did you mean 'title'?",
        "demo/app.yaml:11:35 [E_UNKNOWN_FIELD] テーブル 'reports' に項目 'titel' はありません。 "
        "'reports' の項目: title, count, seen_on, category, phone。 もしかして: title",
    ),
    Case(
        "E_UNKNOWN_CHOICE",
        REPORTS + "lists:\n  roads: {table: reports, where: {category: rod}}\n",
        "demo/app.yaml:11:45 [E_UNKNOWN_CHOICE] 'rod' is not a choice of the field 'category'. "
        "Choices of 'category': road, park. Did you mean 'road'?",
        "demo/app.yaml:11:45 [E_UNKNOWN_CHOICE] 'rod' は項目 'category' の選択肢にありません。 "
        "'category' の選択肢: road, park。 もしかして: road",
    ),
    Case(
        "E_UNKNOWN_FORM",
        REPORTS + "forms:\n  report: {table: reports}\nnav:\n  - {form: repot}\n",
        "demo/app.yaml:13:12 [E_UNKNOWN_FORM] There is no form 'repot'. Forms: report. Did you mean 'report'?",
        "demo/app.yaml:13:12 [E_UNKNOWN_FORM] フォーム 'repot' はありません。 フォーム: report。 もしかして: report",
    ),
    Case(
        "E_UNKNOWN_LIST",
        REPORTS + "lists:\n  all: {table: reports}\nhome:\n  links:\n    - {list: al}\n",
        "demo/app.yaml:14:14 [E_UNKNOWN_LIST] There is no list 'al'. Lists: all. Did you mean 'all'?",
        "demo/app.yaml:14:14 [E_UNKNOWN_LIST] 一覧 'al' はありません。 一覧: all。 もしかして: all",
    ),
    Case(
        "E_UNKNOWN_MAP",
        REPORTS + "nav:\n  - {map: town}\n",
        "demo/app.yaml:11:11 [E_UNKNOWN_MAP] There is no map 'town'. Maps: -.",
        "demo/app.yaml:11:11 [E_UNKNOWN_MAP] 地図 'town' はありません。 地図: -。",
    ),
    Case(
        "E_UNKNOWN_LANGUAGE",
        REPORTS + "      body: {type: textarea, label: {ja: 内容, en: Details}}\nlanguages: [ja]\n",
        "demo/app.yaml:10:46 [E_UNKNOWN_LANGUAGE] 'en' is not a language of this app. "
        "Use one of: ja (set them in `languages:`).",
        "demo/app.yaml:10:46 [E_UNKNOWN_LANGUAGE] 'en' はこのアプリの言語ではありません。 "
        "次のどれかを使ってください: ja(`languages:` で設定します)。",
    ),
    Case(
        "W_MISSING_TRANSLATION",
        REPORTS + "      body: {type: textarea, label: {ja: 内容}}\n",
        "demo/app.yaml:10:37 [W_MISSING_TRANSLATION] This text has no 'en' version. "
        "Add `en: …` so that every reader sees it in their language.",
        "demo/app.yaml:10:37 [W_MISSING_TRANSLATION] この文字列には 'en' の訳がありません。 "
        "`en: …` を追加すると、どの利用者にも自分の言語で表示されます。",
    ),
    Case(
        "E_OPTION_NOT_FOR_TYPE",
        REPORTS + "      age: {type: integer, max_length: 3}\n",
        "demo/app.yaml:10:28 [E_OPTION_NOT_FOR_TYPE] 'max_length' does not apply to fields of type integer. "
        "Remove it, or change `type:`. Settings for type integer: default, derive, help, label, max, min, placeholder, "
        "renamed_from, required, show_if, unique, visibility.",
        "demo/app.yaml:10:28 [E_OPTION_NOT_FOR_TYPE] 'max_length' は integer 型の項目には使えません。 "
        "削除するか `type:` を変えてください。integer 型で使える設定: default, derive, help, label, max, min, placeholder, "
        "renamed_from, required, show_if, unique, visibility。",
    ),
    Case(
        "E_CHOICES_MISSING",
        REPORTS + "      damage: {type: multichoice}\n",
        "demo/app.yaml:10:15 [E_CHOICES_MISSING] The multichoice field 'damage' has no choices. "
        "Add `choices:` with items like `- {key: walk, label: 徒歩}`.",
        "demo/app.yaml:10:15 [E_CHOICES_MISSING] multichoice 型の項目 'damage' に選択肢がありません。 "
        "`choices:` に `- {key: walk, label: 徒歩}` のような項目を追加してください。",
    ),
    Case(
        "E_DUPLICATE_CHOICE",
        REPORTS + "      size: {type: choice, choices: [{key: small}, {key: small}]}\n",
        "demo/app.yaml:10:58 [E_DUPLICATE_CHOICE] The choice key 'small' appears twice. Give each choice its own key.",
        "demo/app.yaml:10:58 [E_DUPLICATE_CHOICE] 選択肢のキー 'small' が2回あります。 選択肢ごとに別のキーにしてください。",
    ),
    Case(
        # Issue 7, item 33: a plain list of labels got "indent by two spaces", three times.
        "E_CHOICE_NEEDS_KEY",
        REPORTS + "      status:\n        type: choice\n        choices:\n          - 受付\n          - 対応中\n          - done\n",
        "demo/app.yaml:13:13 [E_CHOICE_NEEDS_KEY] The choices of 'status' are written as plain words (受付, 対応中), but "
        "the stored value (the key) must be lowercase letters a–z, digits and `_`. Give each choice a key and keep the "
        "word as its label: `- {key: received, label: 受付}`. Choose the keys once: they are stored with every answer, "
        "so changing the labels later is safe, changing the keys is not.",
        "demo/app.yaml:13:13 [E_CHOICE_NEEDS_KEY] 項目 'status' の選択肢が言葉だけ(受付, 対応中)で書かれていますが、"
        "保存される値(キー)は半角英小文字・数字・`_` でなければなりません。 選択肢ごとにキーを付け、言葉はラベルに"
        "してください: `- {key: received, label: 受付}`。キーは回答と一緒に保存されるので一度決めたら変えないで"
        "ください(ラベルは後から変えても大丈夫です)。",
    ),
    Case(
        "E_REFERENCE_TARGET",
        REPORTS + "      parent: {type: reference}\n",
        "demo/app.yaml:10:15 [E_REFERENCE_TARGET] The reference field 'parent' does not say which table it points to. "
        "Add `to: TABLE_NAME`.",
        "demo/app.yaml:10:15 [E_REFERENCE_TARGET] 参照項目 'parent' に参照先のテーブルがありません。 `to: テーブル名` を追加してください。",
    ),
    Case(
        "E_BAD_PATTERN",
        REPORTS + "      code: {type: text, pattern: '[0-9'}\n",
        "demo/app.yaml:10:35 [E_BAD_PATTERN] The pattern is not a valid regular expression: unterminated character set "
        "at position 0. Check brackets and backslashes; test it on an example value.",
        "demo/app.yaml:10:35 [E_BAD_PATTERN] pattern が正しい正規表現ではありません: unterminated character set at "
        "position 0。 括弧とバックスラッシュを確かめ、例の値で試してください。",
    ),
    Case(
        # Issue 7, item 14: `(a+)+$` cost a worker 8 s per request.
        "E_SLOW_PATTERN",
        REPORTS + "      code: {type: text, pattern: '^([a-z0-9]+)+$'}\n",
        "demo/app.yaml:10:35 [E_SLOW_PATTERN] The pattern '^([a-z0-9]+)+$' repeats a part that itself repeats; checking "
        "one answer could take minutes. Repeat each part once, e.g. `^[a-z0-9]+$` instead of `^([a-z0-9]+)+$`, or "
        "separate the repeated group with a fixed character, e.g. `^[a-z]+(-[a-z]+)*$`.",
        "demo/app.yaml:10:35 [E_SLOW_PATTERN] pattern '^([a-z0-9]+)+$' は、繰り返しの中にさらに繰り返しがあり、1件の回答の"
        "確認に何分もかかることがあります。 繰り返しは1段にしてください(例: `^([a-z0-9]+)+$` ではなく `^[a-z0-9]+$`)。"
        "または繰り返すまとまりを決まった文字で区切ってください(例: `^[a-z]+(-[a-z]+)*$`)。",
    ),
    Case(
        "E_BAD_DEFAULT",
        REPORTS + "      age: {type: integer, default: 二十}\n",
        "demo/app.yaml:10:37 [E_BAD_DEFAULT] The default '二十' is not a valid integer value.",
        "demo/app.yaml:10:37 [E_BAD_DEFAULT] 既定値 '二十' は integer 型の値として使えません。",
    ),
    Case(
        "E_BAD_VALUE_FOR_FIELD",
        REPORTS + "      note: {type: text, show_if: {count: many}}\n",
        "demo/app.yaml:10:43 [E_BAD_VALUE_FOR_FIELD] 'many' is not a valid value of the integer field 'count'.",
        "demo/app.yaml:10:43 [E_BAD_VALUE_FOR_FIELD] 'many' は integer 型の項目 'count' の値として使えません。",
    ),
    Case(
        "E_MIN_ABOVE_MAX",
        REPORTS + "      age: {type: integer, min: 120, max: 0}\n",
        "demo/app.yaml:10:33 [E_MIN_ABOVE_MAX] min (120) is larger than max (0). Swap them.",
        "demo/app.yaml:10:33 [E_MIN_ABOVE_MAX] min (120) が max (0) より大きくなっています。 入れ替えてください。",
    ),
    Case(
        "E_BAD_DATE",
        REPORTS + "      due: {type: date, min: 2026/12/08}\n",  # issue 7, item 32: was "a number such as 1.5"
        "demo/app.yaml:10:30 [E_BAD_DATE] '2026/12/08' is not a date. Write a date as YYYY-MM-DD with hyphens, e.g. "
        "2026-04-01, or count from the day the form is filled in: `today`, `today+30`, `today-7`. "
        "Did you mean '2026-12-08'?",
        "demo/app.yaml:10:30 [E_BAD_DATE] '2026/12/08' は日付ではありません。 日付は半角のハイフンで YYYY-MM-DD と書くか"
        "(例: 2026-04-01)、フォームに入力する日から数えて `today`・`today+30`・`today-7` のように書いてください。 "
        "もしかして: 2026-12-08",
    ),
    Case(
        "E_SHOW_IF_SELF",
        REPORTS + "      note: {type: text, show_if: {note: その他}}\n",
        "demo/app.yaml:10:36 [E_SHOW_IF_SELF] A field cannot depend on itself in `show_if`.",
        "demo/app.yaml:10:36 [E_SHOW_IF_SELF] `show_if` で自分自身を条件にすることはできません。",
    ),
    Case(
        "E_NOT_SEARCHABLE",
        REPORTS + "lists:\n  all: {table: reports, search: [title, seen_on]}\n",
        "demo/app.yaml:11:41 [E_NOT_SEARCHABLE] The field 'seen_on' is of type date; search looks only in text fields. "
        "Text fields of this table: title.",
        "demo/app.yaml:11:41 [E_NOT_SEARCHABLE] 項目 'seen_on' は date 型です。検索できるのは文字の項目だけです。 "
        "このテーブルの文字の項目: title。",
    ),
    Case(
        "E_NOT_FILTERABLE",
        REPORTS + "lists:\n  all: {table: reports, filters: [title]}\n",
        "demo/app.yaml:11:35 [E_NOT_FILTERABLE] The field 'title' is of type text and cannot be a filter. "
        "Filters work on choice, multichoice, boolean, date, datetime and reference fields: seen_on, category.",
        "demo/app.yaml:11:35 [E_NOT_FILTERABLE] 項目 'title' は text 型なので絞り込みに使えません。 "
        "絞り込みに使えるのは choice・multichoice・boolean・date・datetime・reference 型の項目です: seen_on, category。",
    ),
    Case(
        "E_NOT_PUBLIC",
        REPORTS + "      memo: {type: text, visibility: staff}\nlists:\n  all: {table: reports, columns: [title, memo]}\n",
        "demo/app.yaml:12:42 [E_NOT_PUBLIC] The field 'memo' is staff and cannot be shown on a public page. "
        "Remove it here, or set `visibility: public` on the field if residents may see it.",
        "demo/app.yaml:12:42 [E_NOT_PUBLIC] 項目 'memo' は staff なので、公開ページには表示できません。 "
        "ここから外すか、住民に見せてよい項目なら `visibility: public` にしてください。",
    ),
    Case(
        # Issue 7, item 35: a private field (a name, an address) is never offered `visibility: public` as a fix.
        "E_PRIVATE_ON_PUBLIC_PAGE",
        REPORTS + "lists:\n  all: {table: reports, columns: [title, phone]}\n",
        "demo/app.yaml:11:42 [E_PRIVATE_ON_PUBLIC_PAGE] The field 'phone' is private (personal data such as a name, an "
        "address or a phone number) and is never shown on a public page. Take it off this page. To show residents "
        "something about it, add a separate public field that reveals no one, e.g. the district instead of the address.",
        "demo/app.yaml:11:42 [E_PRIVATE_ON_PUBLIC_PAGE] 項目 'phone' は private(氏名・住所・電話番号などの個人情報)"
        "なので、公開ページには決して表示されません。 このページから外してください。住民に何か示したいときは、"
        "個人が分からない別の公開項目(例: 住所ではなく地区)を追加してください。",
    ),
    Case(
        "E_REQUIRED_NOT_IN_FORM",
        REPORTS + "forms:\n  report: {table: reports, fields: [category, count]}\n",
        "demo/app.yaml:11:36 [E_REQUIRED_NOT_IN_FORM] The required field 'title' is not in the form, so the form can "
        "never be saved. Add 'title' to the form's `fields:`, or give the field a `default:`.",
        "demo/app.yaml:11:36 [E_REQUIRED_NOT_IN_FORM] 必須項目 'title' がフォームに含まれていないため、このフォームは保存"
        "できません。 フォームの `fields:` に 'title' を加えるか、項目に `default:` を付けてください。",
    ),
    Case(
        "E_FILE_MISSING",
        REPORTS + "    seed: {file: data/reports.csv}\n",
        "demo/app.yaml:10:18 [E_FILE_MISSING] The file 'data/reports.csv' does not exist in the app folder. "
        "Put the file there (usually in `data/`) or correct the path.",
        "demo/app.yaml:10:18 [E_FILE_MISSING] ファイル 'data/reports.csv' がアプリのフォルダにありません。 "
        "ファイルを置く(ふつうは `data/` の中)か、パスを直してください。",
    ),
    Case(
        "E_NAV_TARGET",
        REPORTS + "nav:\n  - {label: 市のホームページ}\n",
        "demo/app.yaml:11:5 [E_NAV_TARGET] A link must name exactly one of form, list, map, dashboard or url.",
        "demo/app.yaml:11:5 [E_NAV_TARGET] リンクには form・list・map・dashboard・url のどれか1つだけを書いてください。",
    ),
    Case(
        "E_NAV_URL",
        REPORTS + "nav:\n  - {url: \"JavaScript:alert(1)\", label: 市}\n",
        "demo/app.yaml:11:11 [E_NAV_URL] A link to a 'javascript:' address cannot be used: it could run a program in "
        "the resident's browser. Write a web address starting with https://, or a mailto: or tel: address "
        "(allowed: http, https, mailto, tel).",
        "demo/app.yaml:11:11 [E_NAV_URL] 'javascript:' で始まるアドレスへのリンクは使えません(住民のブラウザでプログラムが"
        "動くおそれがあります)。 https:// で始まるウェブのアドレスか、mailto:・tel: のアドレスを書いてください"
        "(使えるもの: http, https, mailto, tel)。",
    ),
    Case(
        "E_DUPLICATE_ITEM",
        REPORTS + "lists:\n  all: {table: reports, columns: [title, category, title]}\n",
        "demo/app.yaml:11:52 [E_DUPLICATE_ITEM] 'title' is listed twice.",
        "demo/app.yaml:11:52 [E_DUPLICATE_ITEM] 'title' が2回書かれています。",
    ),
    Case(
        "E_BAD_SORT",
        REPORTS + "lists:\n  all: {table: reports, sort: titel}\n",
        "demo/app.yaml:11:31 [E_BAD_SORT] Cannot sort by 'titel'. Use a field name or created_at/updated_at, with `-` "
        "in front for descending: created_at, updated_at, id, title, count, seen_on, category. Did you mean 'title'?",
        "demo/app.yaml:11:31 [E_BAD_SORT] 'titel' で並べ替えることはできません。 項目名か created_at/updated_at を使い、"
        "降順は先頭に `-` を付けてください: created_at, updated_at, id, title, count, seen_on, category。 もしかして: title",
    ),
    Case(
        "E_TITLE_FIELD",
        REPORTS + "    title_field: name\n",
        "demo/app.yaml:10:18 [E_TITLE_FIELD] The title field 'name' is not a field of this table. "
        "Fields: title, count, seen_on, category, phone.",
        "demo/app.yaml:10:18 [E_TITLE_FIELD] タイトル項目 'name' はこのテーブルの項目ではありません。 "
        "項目: title, count, seen_on, category, phone。",
    ),
    # --- seed files (read by `lowcode validate` before the first start) -----------------------------------------
    Case(
        "E_SEED_COLUMN",
        REPORTS + "    seed: {file: data/reports.csv, columns: {title: 件名}}\n",
        "demo/app.yaml:10:18 [E_SEED_COLUMN] The seed file has no column '件名'. Columns in the file: count, タイトル.",
        "demo/app.yaml:10:18 [E_SEED_COLUMN] 初期データのファイルに列 '件名' がありません。 ファイルの列: count, タイトル。",
        files={"data/reports.csv": "タイトル,count\n側溝のふた,2\n"},
    ),
    Case(
        "E_SEED_UNREADABLE",
        REPORTS + "    seed: {file: data/reports.csv}\n",
        "demo/app.yaml:10:18 [E_SEED_UNREADABLE] The seed file cannot be read: the characters are not in the encoding given (utf-8 (byte 0)). "
        "Save it as UTF-8 CSV with a header row, or as GeoJSON.",
        "demo/app.yaml:10:18 [E_SEED_UNREADABLE] 初期データのファイルを読めません: 文字コードが指定と違います (utf-8 (byte 0))。 "
        "見出し行付きの UTF-8 の CSV か GeoJSON で保存してください。",
        files={"data/reports.csv": "件名,count\n側溝のふた,2\n".encode("cp932")},
    ),
    Case(
        "E_SEED_VALUE",
        REPORTS + "    seed: {file: data/reports.csv}\n",
        "demo/app.yaml:10:18 [E_SEED_VALUE] Row 3 of the seed file: 'たくさん' in column 'count' is not a valid value "
        "(not a whole number). Correct the value in the file, or leave the cell empty.",
        "demo/app.yaml:10:18 [E_SEED_VALUE] 初期データの 3 行目: 列 'count' の 'たくさん' は正しい値ではありません"
        "(整数ではありません)。 ファイルの値を直すか、空欄にしてください。",
        files={"data/reports.csv": "title,count\n側溝のふた,2\n街灯,たくさん\n"},
    ),
    Case(
        "E_NO_LOCATION_FIELD",
        REPORTS + "    seed: {file: data/reports.csv}\n",
        "demo/app.yaml:10:18 [E_NO_LOCATION_FIELD] The seed file has coordinates but the table 'reports' has no "
        "location field. Add a field with `type: location`.",
        "demo/app.yaml:10:18 [E_NO_LOCATION_FIELD] 初期データに座標がありますが、テーブル 'reports' に location 型の"
        "項目がありません。 `type: location` の項目を追加してください。",
        files={"data/reports.csv": "title,lat,lon\n側溝のふた,36.56,136.65\n"},
    ),
]


def case_params() -> Iterator[object]:
    for case in CASES:
        for lang in ("en", "ja"):
            reason = case.bug or (case.ja_bug if lang == "ja" else None)
            marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
            yield pytest.param(case, lang, id=f"{case.code}-{lang}", marks=marks)


@pytest.mark.parametrize(("case", "lang"), list(case_params()))
def test_problem_is_reported_word_for_word(
    case: Case, lang: str, workdir: Path, write_app: Callable[..., Path], validate: Callable[..., list[str]]
) -> None:
    folder = workdir / case.folder
    if case.yaml is not None:
        write_app(folder, case.yaml, case.files)
    elif case.files:
        for name, content in case.files.items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                (folder / name).write_bytes(content)
            else:
                (folder / name).write_text(content, encoding="utf-8")

    lines = validate(case.target or case.folder, lang)

    assert [line for line in lines if f" [{case.code}] " in line] == [getattr(case, lang)]
    assert {code_of(line) for line in lines} == {case.code, *case.also}


def code_of(line: str) -> str:
    return line.split(" [", 1)[1].split("]", 1)[0]


def core_codes() -> set[str]:
    """The codes the core modules register, read from their source so a new code cannot go untested."""
    codes: set[str] = set()
    for module in CORE_MODULES:
        tree = ast.parse((LOWCODE / module).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "register_messages":
                codes |= {key.value for key in node.args[0].keys if isinstance(key, ast.Constant)}  # type: ignore[attr-defined]
    return codes


# Codes no YAML can cause: each has its own test (named here) instead of a case.
NOT_FROM_YAML = {"E_INTERNAL_CHECK"}  # tests/spec/test_internal_faults.py


def test_every_core_code_has_a_case() -> None:
    codes = core_codes() - NOT_FROM_YAML
    assert len(codes) > 50  # the source was read, not an empty set compared with itself
    assert codes - {case.code for case in CASES} == set()


def all_catalogue_codes() -> list[str]:
    """Import every module that registers messages (maps and places too), then list the whole catalogue."""
    for path in LOWCODE.rglob("*.py"):
        if "register_messages(" in path.read_text(encoding="utf-8"):
            module = ".".join(path.relative_to(LOWCODE.parent).with_suffix("").parts)
            importlib.import_module(module)
    return sorted(CATALOGUE)


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("code", all_catalogue_codes())
def test_catalogue_entry_has_english_and_japanese(code: str) -> None:
    entry = CATALOGUE[code]
    assert entry.en.strip() and entry.ja.strip()
    assert bool(entry.hint_en.strip()) == bool(entry.hint_ja.strip())
    assert entry.en != entry.ja


@pytest.mark.parametrize("code", all_catalogue_codes())
def test_catalogue_placeholders_match_between_languages(code: str) -> None:
    entry = CATALOGUE[code]
    assert placeholders(entry.en) == placeholders(entry.ja)
    assert placeholders(entry.hint_en) == placeholders(entry.hint_ja)


@pytest.mark.parametrize("code", all_catalogue_codes())
def test_catalogue_code_says_its_severity(code: str) -> None:
    expected = {"E_": "error", "W_": "warning"}[code[:2]]
    assert CATALOGUE[code].severity == expected
