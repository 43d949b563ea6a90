"""Each public check fails at the right line, and passes when the record is right."""

from __future__ import annotations

import datetime as dt
import json
import struct
import zlib

from generator.cli import main
from generator.validate.run import validate_public
from tests.conftest import HOME, WORKER


def problems(tree, severity="error"):
    return [d for d in validate_public(tree.records).diagnostics if d.severity == severity]


def only(tree):
    found = problems(tree)
    assert len(found) == 1, found
    return found[0]


def test_valid_tree_has_no_problems(tree):
    tree.worker()
    tree.home()
    assert validate_public(tree.records).diagnostics == []


def test_unknown_field_is_reported_at_its_key(tree):
    tree.worker(text=WORKER.format(id="zhang-jianguo").replace("honours:", "honors:"))
    found = problems(tree)
    assert any(d.line == 9 and "honors" in d.message and "拼写" in d.message for d in found), found
    assert any("honours" in d.message and "缺少" in d.message for d in found)


def test_missing_field_points_at_its_mapping(tree):
    text = WORKER.format(id="zhang-jianguo").replace("    year: 2015\n", "")
    tree.worker(text=text)
    d = only(tree)
    assert (d.line, d.column) == (10, 5)
    assert "year" in d.message and "缺少" in d.message


def test_wrong_enumeration(tree):
    tree.worker(text=WORKER.format(id="zhang-jianguo").replace("gender: 男", "gender: 男性"))
    d = only(tree)
    assert d.line == 3 and "性别" in d.message


def test_id_must_equal_file_stem(tree):
    tree.write("workers/zhang-jianguo.yml", WORKER.format(id="zhang-jian"))
    d = only(tree)
    assert d.line == 1 and "文件名" in d.message


def test_id_format(tree):
    tree.write("workers/Zhang_JG.yml", WORKER.format(id="Zhang_JG"))
    d = only(tree)
    assert d.line == 1 and "小写字母" in d.message


def test_id_unique_across_workers_and_homes(tree):
    tree.worker("zhang-jianguo")
    tree.home("zhang-jianguo")
    d = only(tree)
    assert d.path.endswith("homes/zhang-jianguo.yml") and d.line == 1 and "唯一" in d.message


def test_duplicate_key(tree):
    tree.worker(text=WORKER.format(id="zhang-jianguo") + "unit: 另一个单位\n")
    d = only(tree)
    assert d.line == 12 and "重复" in d.message and "第 8 行" in d.message


def test_honour_title_must_be_in_vocabulary(tree):
    tree.worker(text=WORKER.format(id="zhang-jianguo").replace("全国劳动模范", "全国劳动模范们"))
    d = only(tree)
    assert (d.line, d.column) == (10, 12) and "称号表" in d.message


def test_honour_must_fit_recipient(tree):
    tree.worker(text=WORKER.format(id="zhang-jianguo").replace("全国劳动模范", "北京市模范职工之家"))
    d = only(tree)
    assert d.line == 10 and "集体" in d.message
    tree.home(text=HOME.format(id="mou-home").replace("北京市模范职工之家", "全国劳动模范"))
    assert any(x.path.endswith("mou-home.yml") and x.line == 8 and "个人" in x.message for x in problems(tree))


def test_honour_year_bounds(tree):
    tree.worker(text=WORKER.format(id="zhang-jianguo").replace("year: 2015", "year: 1949"))
    assert only(tree).line == 11
    tree.worker(text=WORKER.format(id="zhang-jianguo").replace("year: 2015", "year: 1950").replace("birth_year: 1970", "birth_year: 1930"))
    assert problems(tree) == []
    next_year = dt.date.today().year + 1
    tree.worker(text=WORKER.format(id="zhang-jianguo").replace("year: 2015", f"year: {next_year}"))
    assert only(tree).line == 11


def test_honour_not_before_sixteenth_birthday(tree):
    tree.worker(text=WORKER.format(id="zhang-jianguo").replace("year: 2015", "year: 1985"))
    d = only(tree)
    assert d.line == 11 and "16 岁" in d.message
    tree.worker(text=WORKER.format(id="zhang-jianguo").replace("year: 2015", "year: 1986"))
    assert problems(tree) == []


def test_private_field_in_public_record(tree):
    tree.worker(text=WORKER.format(id="zhang-jianguo") + "phone: '13812345678'\n")
    d = only(tree)
    assert d.line == 12 and "phone" in d.message and "私密" in d.message


def test_not_a_real_date(tree):
    tree.worker(text=WORKER.format(id="zhang-jianguo") + "died: 2023-02-30\n")
    d = only(tree)
    assert (d.line, d.column) == (12, 7) and "真实" in d.message


def test_photo_must_exist_and_have_alt(tree):
    tree.worker(text=WORKER.format(id="zhang-jianguo") + "photo:\n  file: missing.jpg\n  alt: 张建国在车间\n")
    d = only(tree)
    assert d.line == 13 and "找不到" in d.message
    tree.photo("missing.jpg")
    assert problems(tree) == []
    tree.worker(text=WORKER.format(id="zhang-jianguo") + "photo:\n  file: missing.jpg\n")
    d = only(tree)
    assert d.line == 13 and "alt" in d.message


def test_photo_may_not_leave_the_folder(tree):
    (tree.root / "secret.jpg").write_bytes(b"x")
    tree.worker(text=WORKER.format(id="zhang-jianguo") + "photo:\n  file: ../../secret.jpg\n  alt: x\n")
    d = only(tree)
    assert d.line == 13 and "records/photos/" in d.message


def test_photo_symlink_out_of_tree_is_refused(tree):
    outside = tree.root / "outside.jpg"
    tree.photo("real.jpg").rename(outside)
    (tree.records / "photos" / "link.jpg").symlink_to(outside)
    tree.worker(text=WORKER.format(id="zhang-jianguo") + "photo:\n  file: link.jpg\n  alt: x\n")
    assert only(tree).line == 13


def _png_header_only(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)) + chunk(b"IEND", b"")


def test_decompression_bomb_is_refused_without_decoding(tree):
    (tree.records / "photos" / "bomb.png").write_bytes(_png_header_only(30000, 30000))
    tree.worker(text=WORKER.format(id="zhang-jianguo") + "photo:\n  file: bomb.png\n  alt: x\n")
    d = only(tree)
    assert d.line == 13 and "过大" in d.message


def test_malformed_image(tree):
    (tree.records / "photos" / "broken.jpg").write_bytes(b"not an image at all")
    tree.worker(text=WORKER.format(id="zhang-jianguo") + "photo:\n  file: broken.jpg\n  alt: x\n")
    d = only(tree)
    assert d.line == 13 and "无法识别" in d.message


def test_story_about_must_exist(tree):
    tree.worker()
    tree.write("stories/hanjie.md", "---\ntitle: 焊花\ndate: 2024-05-01\nabout:\n  - zhang-jianguo\n  - nobody-here\n---\n正文\n")
    d = only(tree)
    assert d.line == 6 and "nobody-here" in d.message
    tree.write("stories/hanjie.md", "---\ntitle: 焊花\ndate: 2024-05-01\nabout:\n  - zhang-jianguo\n---\n正文\n")
    assert problems(tree) == []


def test_story_without_front_matter(tree):
    tree.write("stories/plain.md", "只有正文\n")
    assert "信息区" in only(tree).message


def test_home_parent_must_exist(tree):
    tree.home("mou-home", HOME.format(id="mou-home") + "parent: no-such-home\n")
    d = only(tree)
    assert d.line == 10 and "上级" in d.message


def test_not_utf8_names_the_encoding(tree):
    path = tree.records / "workers" / "zhang-jianguo.yml"
    path.write_bytes(WORKER.format(id="zhang-jianguo").encode("gb18030"))
    d = only(tree)
    assert "UTF-8" in d.message and "GB" in d.message and d.line == 2


def test_alias_bomb_is_refused(tree):
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 9):
        prev, cur = chr(96 + i), chr(97 + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    tree.worker(text="\n".join(lines) + "\n")
    assert "别名" in only(tree).message


def test_huge_file_is_refused(tree):
    tree.worker(text=WORKER.format(id="zhang-jianguo") + "story: |\n" + ("  很长的文字\n" * 200_000))
    assert "太大" in only(tree).message


def test_yaml_syntax_error_points_at_line(tree):
    tree.worker(text=WORKER.format(id="zhang-jianguo").replace("unit: 西安某某机械厂", "unit: 西安: 某某机械厂"))
    d = only(tree)
    assert d.line == 8 and "冒号" in d.message


def test_all_problems_at_once(tree):
    tree.worker("a-one", WORKER.format(id="a-one").replace("gender: 男", "gender: x"))
    tree.worker("b-two", WORKER.format(id="b-two").replace("honours:", "honors:"))
    tree.home("c-three", HOME.format(id="c-three").replace("ownership: 国有", "ownership: 私营"))
    paths = {d.path.rsplit("/", 1)[-1] for d in problems(tree)}
    assert paths == {"a-one.yml", "b-two.yml", "c-three.yml"}


def test_cli_formats_and_exit_codes(tree, capsys):
    tree.worker(text=WORKER.format(id="zhang-jianguo").replace("gender: 男", "gender: x"))
    assert main(["validate", "--records", str(tree.records)]) == 1
    out = capsys.readouterr().out
    assert ":3:9: error: " in out
    assert main(["validate", "--records", str(tree.records), "--format", "github"]) == 1
    assert "::error file=" in capsys.readouterr().out
    assert main(["validate", "--records", str(tree.records), "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data[0]["line"] == 3 and data[0]["severity"] == "error"
    tree.worker()
    assert main(["validate", "--records", str(tree.records)]) == 0
    assert main(["validate", "--records", str(tree.root / "nope")]) == 2


# ---- issue 22: editors' mistakes ---------------------------------------------------------------

def test_story_about_a_worker_whose_file_is_broken_is_not_a_second_error(tree):
    tree.worker(text=WORKER.format(id="zhang-jianguo").replace("unit: ", "unit："))
    tree.write("stories/hanjie.md", "---\ntitle: 焊花\ndate: 2024-05-01\nabout:\n  - zhang-jianguo\n---\n正文\n")
    d = only(tree)
    assert d.path.endswith("zhang-jianguo.yml") and d.line == 8 and "全角冒号" in d.message


def test_messages_name_the_key(tree):
    text = WORKER.format(id="zhang-jianguo").replace("year: 2015", "year: 2035").replace("birth_year: 1970",
                                                                                         "birth_year: 1880")
    tree.worker(text=text)
    messages = [d.message for d in problems(tree)]
    assert any(m.startswith("获奖年份（year）2035 不合理") for m in messages), messages
    assert any(m.startswith("出生年份（birth_year）1880 不合理") for m in messages), messages


def test_yes_is_quoted_as_written(tree):
    tree.worker(text=WORKER.format(id="zhang-jianguo") + "ethnicity: yes\n")
    d = only(tree)
    assert "现在是“yes”" in d.message and "True" not in d.message


def test_province_short_name_gets_the_official_one(tree):
    tree.worker(text=WORKER.format(id="zhang-jianguo").replace("province: 陕西省", "province: 陕西"))
    d = only(tree)
    assert d.line == 6 and "“陕西省”" in d.message and "province" in d.message


def test_city_is_checked_within_its_province(tree):
    tree.worker(text=WORKER.format(id="zhang-jianguo").replace("city: 西安市", "city: 合肥市"))
    assert "属于安徽省" in only(tree).message
    tree.worker(text=WORKER.format(id="zhang-jianguo").replace("city: 西安市", "city: 西安"))
    assert "“西安市”" in only(tree).message
    tree.worker(text=WORKER.format(id="zhang-jianguo").replace("city: 西安市", "city: 长安县"))
    assert problems(tree) == [] and "地级行政区名单" in problems(tree, "warning")[0].message


def test_municipality_districts_and_direct_county_cities_are_cities(tree):
    tree.home(text=HOME.format(id="mou-home").replace("  province: 北京市\n", "  province: 北京市\n  city: 朝阳区\n"))
    tree.worker(text=WORKER.format(id="zhang-jianguo").replace("province: 陕西省\n  city: 西安市",
                                                              "province: 湖北省\n  city: 仙桃市"))
    assert validate_public(tree.records).diagnostics == []


def test_industry_that_fits_no_section_is_a_warning(tree):
    tree.worker(text=WORKER.format(id="zhang-jianguo") + "industry: 铁路运输业\n")
    assert validate_public(tree.records).diagnostics == []
    tree.worker(text=WORKER.format(id="zhang-jianguo") + "industry: 先进个人\n")
    assert problems(tree) == []
    warning = problems(tree, "warning")[0]
    assert warning.line == 12 and "GB/T 4754-2017" in warning.message


def test_a_48_megapixel_phone_photo_is_accepted_and_decoded_small(tree):
    from generator.site.photos import MAX_PIXELS, _open_pixels
    from generator.validate.photos import MAX_PHOTO_PIXELS

    path = tree.photo("phone.jpg", size=(8000, 6000))
    tree.worker(text=WORKER.format(id="zhang-jianguo") + "photo:\n  file: phone.jpg\n  alt: x\n")
    assert problems(tree) == []
    assert _open_pixels(path).size == (2000, 1500)  # draft: JPEG decoded at a quarter of each side
    assert MAX_PIXELS == MAX_PHOTO_PIXELS  # what the validator accepts, the site can render


def test_an_absurd_photo_is_refused_with_its_size_and_the_limit(tree):
    (tree.records / "photos" / "huge.png").write_bytes(_png_header_only(12000, 9000))
    tree.worker(text=WORKER.format(id="zhang-jianguo") + "photo:\n  file: huge.png\n  alt: x\n")
    d = only(tree)
    assert "12000×9000" in d.message and "上限 5000 万像素" in d.message and "解压炸弹" not in d.message


def test_a_broken_vocabulary_is_one_error_not_one_per_honour(tree):
    vocab = tree.records / "vocab" / "honours.yml"
    vocab.write_text(vocab.read_text(encoding="utf-8").replace("  level: national", "  level：national", 1),
                     encoding="utf-8")
    tree.worker()
    tree.worker("li-ming", WORKER.format(id="li-ming"))
    d = only(tree)
    assert d.path.endswith("honours.yml") and "全角冒号" in d.message


def test_an_invalid_vocabulary_entry_is_reported_there_only(tree):
    vocab = tree.records / "vocab" / "honours.yml"
    vocab.write_text(vocab.read_text(encoding="utf-8").replace("  level: national", "  level: nation", 1),
                     encoding="utf-8")
    tree.worker()
    d = only(tree)
    assert d.path.endswith("honours.yml") and "level" in d.message


def test_a_quoted_iso_date_is_still_a_date(tree):
    # Only years are strict integers: "2024-01-05" in quotes is an ISO date as records.md writes it.
    tree.worker(text=WORKER.format(id="zhang-jianguo") + 'died: "2023-02-28"\n')
    assert problems(tree) == []


def test_a_quoted_year_is_refused(tree):
    tree.worker(text=WORKER.format(id="zhang-jianguo").replace("birth_year: 1970", 'birth_year: "1970"'))
    d = only(tree)
    assert "引号" in d.message and "birth_year" in d.message
