"""Chinese surnames read differently from pypinyin's default reading of their characters.

Shared by the search words (generator/site/searchterms.py) and by `laomo new`, which gives a person
whose surname is read differently a `name_pinyin`, so the site sorts her where readers look for her.
"""

from __future__ import annotations

# Two-character surnames (复姓) and how they are read.
COMPOUND_SURNAMES = {
    "欧阳": "ouyang", "司马": "sima", "诸葛": "zhuge", "上官": "shangguan", "东方": "dongfang",
    "皇甫": "huangfu", "尉迟": "yuchi", "公孙": "gongsun", "慕容": "murong", "令狐": "linghu",
    "长孙": "zhangsun", "宇文": "yuwen", "司徒": "situ", "夏侯": "xiahou", "轩辕": "xuanyuan",
    "端木": "duanmu", "独孤": "dugu", "南宫": "nangong", "西门": "ximen", "百里": "baili",
    "呼延": "huyan", "闻人": "wenren", "万俟": "moqi", "澹台": "tantai", "公冶": "gongye",
    "太史": "taishi", "申屠": "shentu", "钟离": "zhongli", "拓跋": "tuoba", "赫连": "helian",
    "司空": "sikong", "濮阳": "puyang", "淳于": "chunyu", "单于": "chanyu", "公羊": "gongyang",
    "仲孙": "zhongsun", "叔孙": "shusun", "宗政": "zongzheng", "第五": "diwu",
    "鲜于": "xianyu", "左丘": "zuoqiu", "东郭": "dongguo", "谷梁": "guliang", "羊舌": "yangshe",
}

# Single-character surnames whose reading as a surname differs from pypinyin's default reading
# (first reading preferred; some families use either).
SURNAME_READINGS = {
    "单": ("shan",), "仇": ("qiu",), "查": ("zha",), "曾": ("zeng",), "解": ("xie",), "朴": ("piao",),
    "区": ("ou",), "翟": ("zhai",), "覃": ("qin",), "盖": ("ge", "gai"), "缪": ("miao",), "种": ("chong",),
    "秘": ("bi",), "员": ("yun",), "召": ("shao",), "句": ("gou",), "繁": ("po",), "柏": ("bai", "bo"),
    "隗": ("wei",), "折": ("she",), "宓": ("mi", "fu"), "乐": ("yue", "le"), "薄": ("bo",), "都": ("du",),
    "牟": ("mou", "mu"), "洗": ("xian",), "冼": ("xian",), "蕃": ("pi",), "长": ("chang",), "重": ("chong",),
    "燕": ("yan",), "过": ("guo",), "尉": ("wei", "yu"), "阚": ("kan",), "逄": ("pang",), "能": ("nai",),
    "华": ("hua",), "任": ("ren",), "沈": ("shen",), "纪": ("ji",), "藏": ("zang",), "寻": ("xun",), "黑": ("he",), "卜": ("bu",),
}

# Characters of given names that families read more than one way (长顺 zhang shun or chang shun): the
# search words carry each of pypinyin's readings of these, the phrase reading first. Other characters keep
# pypinyin's reading only: its rarer readings (浩 gao, 英 yang) would make initials and pinyin nobody types.
GIVEN_NAME_POLYPHONES = frozenset("长乐重朝行觉参传盛柏蔚茜莎曾单解率都强查区召种藏和调省朴翟华说")
