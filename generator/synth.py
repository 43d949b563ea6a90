"""Synthetic record trees for scale work, tests and demos. Everything is invented.

    python -m generator.synth --workers 20000 --homes 2000 --out /tmp/big [--private /tmp/big-private] [--seed 1]

writes a public tree (workers/, homes/, stories/, photos/, vocab/honours.yml) that
follows records.md and, with --private, a private tree (workers/, homes/, units.yml).
The output depends only on the arguments: one random.Random(seed) drives every
choice, in a fixed order. Files are written with string templates (every string
value is a JSON-style double-quoted scalar, which YAML reads back unchanged).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import random
import re
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter
from pypinyin import Style, lazy_pinyin

ROOT = Path(__file__).resolve().parent.parent
VOCAB = ROOT / "records" / "vocab" / "honours.yml"

# Nothing generated is later than this, so a tree is the same whatever day it is made.
LATEST = dt.date(2026, 6, 30)
LAST_HONOUR_YEAR = 2025
SCHEMA_WORKER = "# yaml-language-server: $schema=../../schemas/worker.schema.json\n"
SCHEMA_HOME = "# yaml-language-server: $schema=../../schemas/home.schema.json\n"
FICTION_SOURCE = "合成数据（人物与单位均为虚构）"

# ---------------------------------------------------------------- phrase banks

# Surnames with their reading as a surname: pypinyin reads 单 as dan, 曾 as ceng …
SURNAMES: list[tuple[str, str, bool]] = [  # (hanzi, pinyin, polyphonic)
    ("王", "wang", False), ("李", "li", False), ("张", "zhang", False), ("刘", "liu", False),
    ("陈", "chen", False), ("杨", "yang", False), ("黄", "huang", False), ("赵", "zhao", False),
    ("吴", "wu", False), ("周", "zhou", False), ("徐", "xu", False), ("孙", "sun", False),
    ("马", "ma", False), ("朱", "zhu", False), ("胡", "hu", False), ("郭", "guo", False),
    ("何", "he", False), ("高", "gao", False), ("林", "lin", False), ("罗", "luo", False),
    ("郑", "zheng", False), ("梁", "liang", False), ("谢", "xie", False), ("宋", "song", False),
    ("唐", "tang", False), ("许", "xu", False), ("韩", "han", False), ("冯", "feng", False),
    ("邓", "deng", False), ("曹", "cao", False), ("彭", "peng", False), ("曾", "zeng", True),
    ("肖", "xiao", False), ("田", "tian", False), ("董", "dong", False), ("袁", "yuan", False),
    ("潘", "pan", False), ("于", "yu", False), ("蒋", "jiang", False), ("蔡", "cai", False),
    ("余", "yu", False), ("杜", "du", False), ("叶", "ye", False), ("程", "cheng", False),
    ("苏", "su", False), ("魏", "wei", False), ("吕", "lv", False), ("丁", "ding", False),
    ("任", "ren", False), ("沈", "shen", False), ("姚", "yao", False), ("卢", "lu", False),
    ("姜", "jiang", False), ("崔", "cui", False), ("钟", "zhong", False), ("谭", "tan", False),
    ("陆", "lu", False), ("汪", "wang", False), ("范", "fan", False), ("金", "jin", False),
    ("石", "shi", False), ("廖", "liao", False), ("贾", "jia", False), ("夏", "xia", False),
    ("韦", "wei", False), ("付", "fu", False), ("方", "fang", False), ("白", "bai", False),
    ("邹", "zou", False), ("孟", "meng", False), ("熊", "xiong", False), ("秦", "qin", False),
    ("邱", "qiu", False), ("江", "jiang", False), ("尹", "yin", False), ("薛", "xue", False),
    ("闫", "yan", False), ("段", "duan", False), ("雷", "lei", False), ("侯", "hou", False),
    ("龙", "long", False), ("史", "shi", False), ("陶", "tao", False), ("黎", "li", False),
    ("贺", "he", False), ("顾", "gu", False), ("毛", "mao", False), ("郝", "hao", False),
    ("龚", "gong", False), ("邵", "shao", False), ("万", "wan", False), ("钱", "qian", False),
    ("严", "yan", False), ("武", "wu", False), ("戴", "dai", False), ("孔", "kong", False),
    ("单", "shan", True), ("仇", "qiu", True), ("查", "zha", True), ("解", "xie", True),
    ("区", "ou", True), ("朴", "piao", True), ("盖", "ge", True), ("乐", "yue", True),
]
GIVEN_MALE = [
    "建国", "建华", "建军", "国强", "国庆", "志强", "志明", "志刚", "永生", "德忠", "海涛", "卫东",
    "红军", "学文", "宝山", "振华", "立新", "春生", "长江", "新民", "金龙", "文斌", "晓东", "俊杰",
    "宇航", "博文", "浩然", "伟", "磊", "军", "勇", "强", "刚", "斌", "鹏", "涛", "浩", "明", "超",
    "旭", "峰", "亮", "杰", "辉", "健", "凯", "家豪", "子轩", "思远", "建平", "援朝", "胜利",
]
GIVEN_FEMALE = [
    "秀英", "桂兰", "秀兰", "淑珍", "丽华", "红梅", "丽娟", "晓梅", "美玲", "玉兰", "凤英", "桂英",
    "秀珍", "海燕", "春燕", "晓玲", "雪梅", "淑华", "玉梅", "建英", "卫红", "小红", "欣怡", "雨涵",
    "思雨", "梦瑶", "燕", "芳", "敏", "静", "丽", "娟", "霞", "婷", "颖", "慧", "琳", "洁", "萍",
]
ETHNICITIES = ["汉族"] * 40 + ["回族", "满族", "蒙古族", "壮族", "土家族", "朝鲜族", "苗族", "彝族"]

BRAND_A = list("华恒鑫瑞泰永嘉宏盛远润达丰博卓振兴昌源锦弘骏晨")
BRAND_B = list("岳通源丰和昌鼎峰诚信安泰宇航川邦隆盛辉茂基业达")


@dataclass(frozen=True)
class Place:
    province: str
    city: str | None
    districts: tuple[str, ...]
    code: str  # first four digits of the 行政区划代码 used in ID numbers
    area: str  # landline area code


PLACES: list[tuple[Place, int]] = [  # (place, weight)
    (Place("北京市", None, ("东城区", "西城区", "朝阳区", "海淀区", "丰台区", "石景山区", "通州区",
                            "顺义区", "大兴区", "昌平区", "房山区", "门头沟区"), "1101", "010"), 30),
    (Place("陕西省", "西安市", ("新城区", "碑林区", "莲湖区", "雁塔区", "未央区", "灞桥区", "长安区"), "6101", "029"), 10),
    (Place("陕西省", "宝鸡市", ("渭滨区", "金台区", "陈仓区"), "6103", "0917"), 3),
    (Place("陕西省", "咸阳市", ("秦都区", "渭城区", "兴平市"), "6104", "029"), 3),
    (Place("陕西省", "榆林市", ("榆阳区", "神木市", "府谷县"), "6108", "0912"), 3),
    (Place("陕西省", "延安市", ("宝塔区", "安塞区"), "6106", "0911"), 2),
    (Place("安徽省", "合肥市", ("瑶海区", "庐阳区", "蜀山区", "包河区"), "3401", "0551"), 6),
    (Place("安徽省", "芜湖市", ("镜湖区", "鸠江区", "弋江区"), "3402", "0553"), 3),
    (Place("安徽省", "淮南市", ("田家庵区", "潘集区", "谢家集区"), "3404", "0554"), 3),
    (Place("安徽省", "安庆市", ("迎江区", "大观区", "宜秀区"), "3408", "0556"), 2),
    (Place("河南省", "郑州市", ("金水区", "中原区", "二七区"), "4101", "0371"), 3),
    (Place("山东省", "青岛市", ("市南区", "市北区", "黄岛区"), "3702", "0532"), 3),
    (Place("四川省", "成都市", ("锦江区", "青羊区", "武侯区"), "5101", "028"), 3),
    (Place("广东省", "广州市", ("越秀区", "海珠区", "天河区"), "4401", "020"), 3),
    (Place("江苏省", "南京市", ("玄武区", "秦淮区", "鼓楼区"), "3201", "025"), 3),
]
PLACE_LIST = [p for p, _ in PLACES]
PLACE_WEIGHTS = [w for _, w in PLACES]
BEIJING = PLACE_LIST[0]


@dataclass(frozen=True)
class Industry:
    name: str
    units: tuple[str, ...]  # templates: {city} {district} {brand} {n}
    positions: tuple[str, ...]
    skills: tuple[str, ...]  # 他长期从事{skill}工作
    deeds: tuple[str, ...]  # one sentence each
    quotes: tuple[str, ...]


INDUSTRIES: list[tuple[Industry, int]] = [
    (Industry(
        "制造业",
        ("{city}{brand}机械有限公司", "{city}{brand}重工集团有限公司", "{city}{brand}电子科技有限公司",
         "{city}第{n}机床厂", "{city}{brand}汽车零部件有限公司", "{city}{brand}纺织有限公司"),
        ("焊工高级技师", "数控车工技师", "钳工", "装配车间主任", "质检班班长", "设备维修电工", "工艺工程师"),
        ("焊接技术攻关", "数控加工", "精密装配", "设备维修", "工艺改进", "产品质量检验"),
        ("他主持改进的工艺让产品一次合格率提高到百分之九十八以上",
         "他带领班组连续多年实现零质量事故",
         "他提出的合理化建议每年为企业节约成本上百万元",
         "他攻克了大型构件变形控制的难题，填补了企业的技术空白",
         "他牵头编写的岗位操作规程在全厂推广"),
        ("干活就要干到最好。", "质量是做出来的，不是检出来的。", "手艺要传下去才有用。"),
    ), 30),
    (Industry(
        "铁路运输业",
        ("{brand}铁路局{city}车务段", "{brand}铁路局{city}机务段", "{brand}铁路局{city}工务段",
         "{brand}铁路局{city}电务段"),
        ("机车司机", "客运值班员", "线路工", "信号工", "检车员", "车站值班员"),
        ("行车安全", "线路养护", "信号设备维护", "旅客服务", "机车检修"),
        ("他安全行车一百余万公里无事故",
         "他总结的作业标准化方法被写进段里的培训教材",
         "他带领工区连续多年保持安全生产无事故",
         "他在春运中坚守一线，服务旅客数以万计"),
        ("安全没有小事。", "把每一趟车都当作第一趟来开。", "旅客的事就是我们的事。"),
    ), 8),
    (Industry(
        "采矿业",
        ("{city}{brand}煤矿", "{brand}矿业集团{city}分公司", "{city}{brand}矿业有限公司"),
        ("综采队队长", "掘进队班长", "机电维修工", "安全监察员", "通风工程师"),
        ("综采设备维修", "矿井安全管理", "掘进作业", "矿井通风"),
        ("他带领综采队连续多年安全生产无事故",
         "他完成的设备技术革新为企业节约维修费用数百万元",
         "他总结的“手指口述”安全确认法在全矿推广"),
        ("不安全不生产。", "井下无小事，安全大于天。"),
    ), 8),
    (Industry(
        "卫生和社会工作",
        ("{city}第{n}人民医院", "{city}{district}社区卫生服务中心", "{city}妇幼保健院", "{city}{brand}医院"),
        ("主任医师", "护士长", "全科医生", "主管护师", "急诊科医生"),
        ("临床医疗", "社区护理", "急诊救治", "基层公共卫生服务"),
        ("她（他）为辖区数百位老人建立了健康档案",
         "他牵头建立的急救协同网络大大缩短了救治时间",
         "她（他）常年坚持上门随访失能老人"),
        ("病人的事没有小事。", "医者仁心，不敢懈怠。"),
    ), 8),
    (Industry(
        "教育",
        ("{city}第{n}中学", "{city}{district}{brand}小学", "{city}{brand}职业技术学院"),
        ("数学教师", "语文教师", "班主任", "校长", "实训指导教师"),
        ("基础教育", "职业技能教学", "乡村教育", "班主任工作"),
        ("他带出的学生多人在省级技能大赛中获奖",
         "她（他）扎根乡村学校二十余年，没有让一个孩子失学",
         "他开发的校本课程在全区推广"),
        ("教书先育人。", "每个孩子都值得被看见。"),
    ), 7),
    (Industry(
        "农业",
        ("{city}{district}{brand}种植专业合作社", "{city}{brand}农场", "{city}{district}{brand}养殖专业合作社"),
        ("理事长", "农业技术员", "种植大户", "养殖场场长"),
        ("良种推广", "设施农业", "果树栽培", "科学养殖"),
        ("他带动周边数百户农户增收致富",
         "他推广的良种让小麦亩产提高了一成多",
         "她（他）免费为乡亲们提供技术指导"),
        ("地不亏人，人也不能亏地。", "让乡亲们都过上好日子。"),
    ), 7),
    (Industry(
        "建筑业",
        ("{city}{brand}建设工程有限公司", "{city}{brand}路桥集团有限公司", "{city}{brand}建筑安装有限公司"),
        ("项目经理", "钢筋班班长", "施工技术员", "安全员", "塔吊司机"),
        ("工程施工管理", "钢结构安装", "桥梁施工", "施工安全管理"),
        ("他负责的项目从未发生安全责任事故",
         "他优化的施工方案为项目节约工期近两个月",
         "他带领班组攻克了大跨度钢结构吊装难题"),
        ("工程是百年大计。", "每一根钢筋都要对得起良心。"),
    ), 7),
    (Industry(
        "电力、热力、燃气及水生产和供应业",
        ("{city}{brand}供电有限公司", "{city}{brand}热力有限公司", "{city}{brand}燃气有限公司"),
        ("输电线路工", "变电运维值班员", "热力管网维修工", "燃气抢修班班长"),
        ("输电线路检修", "变电运维", "管网抢修"),
        ("他带领抢修队在寒潮中连续奋战保障居民供暖",
         "他参与的带电作业技术革新获得省级奖励"),
        ("万家灯火就是我们的责任。",),
    ), 5),
    (Industry(
        "交通运输、仓储和邮政业",
        ("{city}{brand}公交集团有限公司", "{city}{brand}物流有限公司", "{city}{brand}出租汽车有限公司"),
        ("公交驾驶员", "车队队长", "物流调度", "快递投递员"),
        ("公交安全驾驶", "城市物流配送", "乘客服务"),
        ("他安全驾驶公交车一百余万公里",
         "他开创的“爱心专座”服务在全公司推广"),
        ("乘客满意就是我最大的心愿。",),
    ), 5),
    (Industry(
        "批发和零售业",
        ("{city}{brand}百货商场", "{city}{brand}商贸有限公司"),
        ("售货员", "店长", "营业组长"),
        ("柜台服务", "商品管理"),
        ("她（他）练就了“一口清、一手准”的售货本领",),
        ("顾客就是亲人。",),
    ), 3),
]
INDUSTRY_LIST = [i for i, _ in INDUSTRIES]
INDUSTRY_WEIGHTS = [w for _, w in INDUSTRIES]

PROVINCE_TITLES = {
    "北京市": ("北京市劳动模范", "北京市先进工作者"),
    "陕西省": ("陕西省劳动模范", "陕西省先进工作者"),
    "安徽省": ("安徽省劳动模范", "安徽省先进工作者"),
}
PROVINCE_TREATMENT = {"陕西省": "享受省部级劳模待遇（省级）", "安徽省": "享受省部级劳模待遇（省级）"}
PROVINCE_DOC = {"北京市": "京政发", "陕西省": "陕政发", "安徽省": "皖政"}
NATIONAL = ("全国劳动模范", "全国先进工作者")
HOME_TITLES = ("全国模范职工之家", "全国模范职工小家", "北京市模范职工之家", "北京市模范职工小家")
ALL_TITLES = (
    *NATIONAL, "享受全国劳模待遇", "全国五一劳动奖章", *[t for ts in PROVINCE_TITLES.values() for t in ts],
    "部级劳动模范", "部级先进工作者", "享受省部级劳模待遇（省级）", "享受省部级劳模待遇（部级）",
    "首都劳动奖章", "西城劳动奖章", "全国优秀工会工作者", "北京市优秀工会工作者", *HOME_TITLES,
)
# Years in which national 劳模 were commended (全国劳动模范和先进工作者表彰大会).
NATIONAL_YEARS = (1950, 1956, 1959, 1977, 1978, 1979, 1989, 1995, 2000, 2005, 2010, 2015, 2020, 2025)

HOME_DEPARTMENTS = ("第一车间", "第二车间", "总装车间", "质检部", "运营部", "客服中心", "技术中心", "第三车队", "后勤服务中心")
OFFICE_DEPARTMENTS = ("办公室", "后勤服务中心", "综合科", "业务一科", "服务大厅", "信息中心")
HOME_DEEDS = (
    "工会坚持每季度召开职工恳谈会，职工提出的意见件件有回复。",
    "工会推动企业与职工协商签订工资专项集体合同，职工工资稳步增长。",
    "工会建起职工书屋、母婴室和技能培训室，职工有了“家”的感觉。",
    "工会组织技能比武和“师带徒”活动，一线职工人人有技能提升计划。",
    "工会设立职工互助基金，为困难职工家庭及时提供帮扶。",
    "工会为一线职工建起“暖心驿站”，夏送清凉、冬送温暖。",
    "工会坚持厂务公开和职工代表大会制度，重大事项都听取职工意见。",
)


# ---------------------------------------------------------------- YAML writing

def q(value: str) -> str:
    """A double-quoted YAML scalar (JSON string syntax is valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


def block(text: str, indent: str = "  ") -> str:
    """A literal block scalar body; `text` has no leading spaces on any line."""
    return "".join((indent + line if line else "") + "\n" for line in text.split("\n"))


# ---------------------------------------------------------------- people

@dataclass
class Honour:
    title: str
    year: int
    document: str | None = None
    conferred_by: str | None = None
    revoked: tuple[dt.date, str] | None = None


@dataclass
class Person:
    id: str
    name: str
    name_pinyin: str | None
    gender: str
    ethnicity: str
    birth_year: int
    place: Place
    district: str
    unit: str
    position: str
    industry: Industry
    honours: list[Honour]
    died: dt.date | None = None
    photo: str | None = None
    summary: str = ""
    story: str = ""
    achievements: list[str] = field(default_factory=list)
    studio: tuple[str, int, str] | None = None


def random_date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    if end <= start:
        return start
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


class Namer:
    """Unique ids from the pinyin of a name, with a numeric suffix on collision."""

    def __init__(self) -> None:
        self.used: set[str] = set()
        self.counts: dict[str, int] = {}
        self.cache: dict[str, str] = {}

    def pinyin(self, text: str) -> str:
        if text not in self.cache:
            self.cache[text] = "".join(lazy_pinyin(text, style=Style.NORMAL, errors="ignore"))
        return self.cache[text]

    def take(self, base: str) -> str:
        base = re.sub(r"[^a-z0-9-]+", "", base.lower()).strip("-")[:56] or "record"
        candidate = base
        n = self.counts.get(base, 1)
        while candidate in self.used or len(candidate) < 3:
            n += 1
            candidate = f"{base}-{n}"
        self.counts[base] = n
        self.used.add(candidate)
        return candidate


def document_for(rng: random.Random, title: str, year: int, province: str) -> str | None:
    if rng.random() < 0.3:
        return None
    n = rng.randint(1, 60)
    if title in NATIONAL or title == "享受全国劳模待遇":
        return f"中发〔{year}〕{rng.randint(1, 20)}号"
    if title in ("全国五一劳动奖章", "全国优秀工会工作者") or title.startswith("全国模范"):
        return f"总工发〔{year}〕{n}号"
    if title.startswith("北京市模范") or title == "北京市优秀工会工作者":
        return f"京工发〔{year}〕{n}号"
    if title.startswith("部级") or title.endswith("（部级）"):
        return f"人社部发〔{year}〕{n}号"
    prefix = PROVINCE_DOC.get(province)
    return f"{prefix}〔{year}〕{n}号" if prefix else None


def pick_individual_titles(rng: random.Random, place: Place) -> list[str]:
    """One to three titles a person in `place` could plausibly hold, lower first."""
    province = place.province
    own = PROVINCE_TITLES.get(province)
    roll = rng.random()
    titles: list[str] = []
    if own:
        if roll < 0.45:
            titles.append(own[0] if rng.random() < 0.7 else own[1])
            if rng.random() < 0.3:
                titles.append(rng.choice(NATIONAL) if rng.random() < 0.8 else "享受全国劳模待遇")
        elif roll < 0.58:
            titles.append("全国五一劳动奖章")
            if rng.random() < 0.25:
                titles.append(own[0])
        elif roll < 0.66:
            titles.append(rng.choice(("部级劳动模范", "部级先进工作者", "享受省部级劳模待遇（部级）")))
        elif roll < 0.72 and province in PROVINCE_TREATMENT:
            titles.append(PROVINCE_TREATMENT[province])
        elif roll < 0.80:
            titles.append(rng.choice(NATIONAL))
        elif province == "北京市":
            if roll < 0.92:
                titles.append("首都劳动奖章")
                if rng.random() < 0.3:
                    titles.append(own[0])
            else:
                titles.append("北京市优秀工会工作者")
        else:
            titles.append("全国优秀工会工作者" if roll < 0.85 else own[1])
    else:
        if roll < 0.5:
            titles.append("全国五一劳动奖章")
            if rng.random() < 0.2:
                titles.append(rng.choice(NATIONAL))
        elif roll < 0.85:
            titles.append(rng.choice(NATIONAL))
        elif roll < 0.95:
            titles.append(rng.choice(("部级劳动模范", "部级先进工作者")))
        else:
            titles.append("全国优秀工会工作者")
    return titles


def honour_years(rng: random.Random, titles: list[str], birth_year: int) -> list[int] | None:
    earliest = max(1950, birth_year + 20)
    if earliest > LAST_HONOUR_YEAR:
        return None
    years: list[int] = []
    low = earliest
    for title in titles:
        if low > LAST_HONOUR_YEAR:
            return None
        if title in NATIONAL:
            options = [y for y in NATIONAL_YEARS if y >= low]
            if not options:
                return None
            year = options[min(len(options) - 1, int(rng.random() * min(3, len(options))))]
        else:
            year = rng.randint(low, min(LAST_HONOUR_YEAR, low + 25))
        years.append(year)
        low = year + rng.randint(3, 10)
    return years


def make_story(rng: random.Random, p: Person) -> tuple[str, str, list[str]]:
    he = "她" if p.gender == "女" else "他"
    ind = p.industry
    skill = rng.choice(ind.skills)
    start = max(p.birth_year + 17, 1950)
    deeds = rng.sample(ind.deeds, k=min(2, len(ind.deeds)))
    deeds = [d.replace("她（他）", he) for d in deeds]
    deeds = [he + d[1:] if d.startswith("他") else d for d in deeds]
    first = rng.choice((
        f"{start}年，{p.name}走上工作岗位，从一名学徒做起。",
        f"{p.name}{start}年参加工作，在{p.unit}一干就是几十年。",
        f"参加工作以来，{p.name}始终扎根一线，从最基础的岗位干起。",
    ))
    p1 = f"{first}{he}长期从事{skill}工作，肯钻研、能吃苦，很快成为单位里的业务骨干。"
    p2 = "；".join(deeds) + "。"
    p3 = f"{he}常说：“{rng.choice(ind.quotes)}”" + rng.choice((
        f"多年来，{he}带出的徒弟中已有多人成长为技术骨干。",
        f"如今，{he}仍把大部分时间花在传帮带上。",
        f"{he}的事迹在单位内外广为传颂。",
    ))
    paragraphs = [p1, p2, p3] if rng.random() < 0.7 else [p1, p2]
    summary = f"{p.position}，{deeds[0].removeprefix(he)}。"[:120]
    achievements: list[str] = []
    if rng.random() < 0.3:
        bank = [
            f"获实用新型专利{rng.randint(1, 9)}项",
            f"“{skill}”技术革新成果获省职工技术创新成果{rng.choice('一二三')}等奖",
            f"编写培训教材《{skill}实用手册》",
            f"获发明专利{rng.randint(1, 3)}项",
            f"带徒{rng.randint(5, 40)}名",
        ]
        achievements = rng.sample(bank, k=rng.randint(1, 3))
    return "\n\n".join(paragraphs), summary, achievements


def make_unit(rng: random.Random, ind: Industry, place: Place, district: str) -> str:
    city = (place.city or place.province).removesuffix("市")
    brand = rng.choice(BRAND_A) + rng.choice(BRAND_B)
    template = rng.choice(ind.units)
    return template.format(city=city, district=district, brand=brand, n=rng.randint(1, 9))


def make_people(rng: random.Random, count: int, namer: Namer) -> list[Person]:
    people: list[Person] = []
    while len(people) < count:
        gender = "女" if rng.random() < 0.38 else "男"
        surname, surname_py, polyphonic = SURNAMES[min(len(SURNAMES) - 1, int(rng.random() ** 1.6 * len(SURNAMES)))]
        given = rng.choice(GIVEN_FEMALE if gender == "女" else GIVEN_MALE)
        name = surname + given
        given_py = namer.pinyin(given)
        birth_year = int(rng.triangular(1930, 2000, 1968))
        place = rng.choices(PLACE_LIST, PLACE_WEIGHTS)[0]
        district = rng.choice(place.districts)
        titles = pick_individual_titles(rng, place)
        if "西城劳动奖章" not in titles and place is BEIJING and district == "西城区" and rng.random() < 0.15:
            titles.insert(0, "西城劳动奖章")
        years = honour_years(rng, titles, birth_year)
        if years is None:
            continue
        industry = rng.choices(INDUSTRY_LIST, INDUSTRY_WEIGHTS)[0]
        honours = [Honour(t, y, document_for(rng, t, y, place.province)) for t, y in zip(titles, years)]
        if any(t.startswith("部级") or t.endswith("（部级）") for t in titles) and rng.random() < 0.5:
            for h in honours:
                if h.title.startswith("部级") or h.title.endswith("（部级）"):
                    h.conferred_by = f"国家{industry.name.split('、')[0].removesuffix('业')}主管部门"
        person = Person(
            id=namer.take(f"{surname_py}-{given_py}"),
            name=name,
            name_pinyin=f"{surname_py} {given_py}" if polyphonic else None,
            gender=gender,
            ethnicity=rng.choice(ETHNICITIES),
            birth_year=birth_year,
            place=place,
            district=district,
            unit=make_unit(rng, industry, place, district),
            position=rng.choice(industry.positions),
            industry=industry,
            honours=honours,
        )
        # revoked honours: ~1.5 % lose one of several, ~0.5 % lose their only one
        roll = rng.random()
        if roll < 0.02 and (len(honours) > 1 or roll < 0.005):
            h = rng.choice(honours)
            when = random_date(rng, dt.date(max(h.year + 1, 2000), 1, 1), LATEST)
            h.revoked = (when, f"撤销决定〔{when.year}〕{rng.randint(1, 30)}号")
        last = max(h.year for h in honours)
        if birth_year < 1962 and rng.random() < 0.06:
            person.died = random_date(rng, dt.date(max(last + 1, 2000), 1, 1), LATEST)
        person.story, person.summary, person.achievements = make_story(rng, person)
        if person.honours[-1].title in NATIONAL + ("全国五一劳动奖章",) and rng.random() < 0.25:
            level = rng.choice(("国家级", "省级", "市级"))
            person.studio = (f"{name}{rng.choice(industry.skills)}劳模创新工作室",
                             rng.randint(max(last, 2008), LAST_HONOUR_YEAR) if last < LAST_HONOUR_YEAR else LAST_HONOUR_YEAR,
                             level)
        people.append(person)
    return people


def worker_yaml(p: Person) -> str:
    out = [SCHEMA_WORKER, f"id: {p.id}\n", f"name: {q(p.name)}\n"]
    if p.name_pinyin:
        out.append(f"name_pinyin: {q(p.name_pinyin)}\n")
    out.append(f"gender: {p.gender}\nethnicity: {q(p.ethnicity)}\nbirth_year: {p.birth_year}\n")
    out.append(f"region:\n  province: {q(p.place.province)}\n")
    if p.place.city:
        out.append(f"  city: {q(p.place.city)}\n")
    out.append(f"  district: {q(p.district)}\n")
    out.append(f"unit: {q(p.unit)}\nposition: {q(p.position)}\nindustry: {q(p.industry.name)}\n")
    out.append(honours_yaml(p.honours))
    if p.died:
        out.append(f"died: {p.died.isoformat()}\n")
    if p.photo:
        out.append(f"photo:\n  file: {q(p.photo)}\n  alt: {q(p.name + '的照片（合成示意图）')}\n  credit: {q('合成数据')}\n")
    out.append(f"summary: {q(p.summary)}\n")
    out.append("story: |\n" + block(p.story))
    if p.achievements:
        out.append("achievements:\n" + "".join(f"  - {q(a)}\n" for a in p.achievements))
    if p.studio:
        out.append(f"studio:\n  name: {q(p.studio[0])}\n  year: {p.studio[1]}\n  level: {q(p.studio[2])}\n")
    return "".join(out)


def honours_yaml(honours: list[Honour]) -> str:
    out = ["honours:\n"]
    for h in honours:
        out.append(f"  - title: {q(h.title)}\n    year: {h.year}\n")
        if h.conferred_by:
            out.append(f"    conferred_by: {q(h.conferred_by)}\n")
        if h.document:
            out.append(f"    document: {q(h.document)}\n")
        if h.revoked:
            out.append(f"    revoked:\n      date: {h.revoked[0].isoformat()}\n      document: {q(h.revoked[1])}\n")
    return "".join(out)


# ---------------------------------------------------------------- homes

@dataclass
class HomeRec:
    id: str
    name: str
    employer: str
    ownership: str
    place: Place
    district: str
    industry: str
    honours: list[Honour]
    parent: str | None = None
    dissolved: dt.date | None = None
    summary: str = ""
    story: str = ""


OWNERSHIPS = (("非公", 50), ("国有", 25), ("集体", 10), ("机关事业", 15))


def make_employer(rng: random.Random, ownership: str, place: Place, district: str) -> tuple[str, str]:
    brand = rng.choice(BRAND_A) + rng.choice(BRAND_B)
    city = (place.city or place.province).removesuffix("市")
    if ownership == "机关事业":
        kind = rng.randrange(3)
        if kind == 0:
            return f"{place.city or place.province}{district}{brand}街道办事处", "公共管理、社会保障和社会组织"
        if kind == 1:
            return f"{city}{brand}医院", "卫生和社会工作"
        return f"{place.city or place.province}{district}{brand}实验学校", "教育"
    ind = rng.choices(INDUSTRY_LIST, INDUSTRY_WEIGHTS)[0]
    if ownership == "集体":
        return f"{city}{district.removesuffix('区')}{brand}{rng.choice(('建材厂', '服装厂', '综合服务社', '农机厂'))}", "制造业"
    unit = make_unit(rng, ind, place, district)
    if ownership == "非公" and "有限公司" not in unit:
        unit = f"{city}{brand}{rng.choice(('科技', '实业', '商贸', '信息技术'))}有限公司"
        return unit, rng.choice(("制造业", "信息传输、软件和信息技术服务业", "批发和零售业"))
    return unit, ind.name


def make_homes(rng: random.Random, count: int, namer: Namer) -> list[HomeRec]:
    homes: list[HomeRec] = []
    parents: list[HomeRec] = []
    ownerships = [o for o, _ in OWNERSHIPS]
    weights = [w for _, w in OWNERSHIPS]
    while len(homes) < count:
        beijing = rng.random() < 0.8
        place = BEIJING if beijing else rng.choices(PLACE_LIST[1:], PLACE_WEIGHTS[1:])[0]
        child_of = rng.choice(parents) if parents and rng.random() < 0.2 else None
        if child_of is not None:
            place, district, ownership = child_of.place, child_of.district, child_of.ownership
            employer, industry = child_of.employer, child_of.industry
            dept = rng.choice(OFFICE_DEPARTMENTS if ownership == "机关事业" else HOME_DEPARTMENTS)
            name = f"{employer}工会{dept}分会"
            small = True
        else:
            district = rng.choice(place.districts)
            ownership = rng.choices(ownerships, weights)[0]
            employer, industry = make_employer(rng, ownership, place, district)
            small = rng.random() < 0.25
            departments = OFFICE_DEPARTMENTS if ownership == "机关事业" else HOME_DEPARTMENTS
            name = f"{employer}工会{rng.choice(departments)}分会" if small else f"{employer}工会委员会"
        kind = "小家" if small else "之家"
        if beijing:
            year = rng.randint(2008, LAST_HONOUR_YEAR)
            titles = [(f"北京市模范职工{kind}", year)]
            if rng.random() < 0.15 and year + 2 <= LAST_HONOUR_YEAR:
                titles.append((f"全国模范职工{kind}", rng.randint(year + 2, LAST_HONOUR_YEAR)))
        else:
            titles = [(f"全国模范职工{kind}", rng.randint(2000, LAST_HONOUR_YEAR))]
        honours = [Honour(t, y, document_for(rng, t, y, place.province)) for t, y in titles]
        short = employer
        for prefix in (place.province, place.province.removesuffix("市"), place.city or "", (place.city or "").removesuffix("市")):
            if prefix:
                short = short.removeprefix(prefix)
        slug_base = namer.pinyin(short[:6])
        home = HomeRec(
            id=namer.take(("home-" + slug_base)[:40]),
            name=name, employer=employer, ownership=ownership, place=place, district=district,
            industry=industry, honours=honours,
            parent=child_of.id if child_of is not None else None,
        )
        roll = rng.random()
        if roll < 0.03:
            home.dissolved = random_date(rng, dt.date(max(h.year for h in honours) + 1, 1, 1), LATEST)
        elif roll < 0.05:
            h = honours[0]
            when = random_date(rng, dt.date(h.year + 1, 1, 1), LATEST)
            h.revoked = (when, f"京工发〔{when.year}〕{rng.randint(1, 30)}号" if beijing else f"总工发〔{when.year}〕{rng.randint(1, 30)}号")
        deeds = rng.sample(HOME_DEEDS, k=3)
        home.summary = deeds[0].removeprefix("工会")[:119]
        home.story = "\n\n".join(d if i else f"{employer}{d}" for i, d in enumerate(deeds))
        homes.append(home)
        if not small:
            parents.append(home)
    return homes


def home_yaml(h: HomeRec) -> str:
    out = [SCHEMA_HOME, f"id: {h.id}\nname: {q(h.name)}\nemployer: {q(h.employer)}\nownership: {h.ownership}\n"]
    out.append(f"region:\n  province: {q(h.place.province)}\n")
    if h.place.city:
        out.append(f"  city: {q(h.place.city)}\n")
    out.append(f"  district: {q(h.district)}\nindustry: {q(h.industry)}\n")
    if h.parent:
        out.append(f"parent: {h.parent}\n")
    out.append(honours_yaml(h.honours))
    if h.dissolved:
        out.append(f"dissolved: {h.dissolved.isoformat()}\n")
    out.append(f"summary: {q(h.summary)}\nstory: |\n" + block(h.story))
    return "".join(out)


# ---------------------------------------------------------------- stories

def stories_yaml(rng: random.Random, people: list[Person], homes: list[HomeRec]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    count = max(1, (len(people) + len(homes)) // 25)
    for n in range(1, count + 1):
        if homes and rng.random() < 0.25:
            h = rng.choice(homes)
            about = [h.id]
            title = f"走进{h.name.removesuffix('工会委员会')}的“职工之家”"
            year = max(x.year for x in h.honours)
            body = h.story + "\n\n" + rng.choice(HOME_DEEDS)
        elif people:
            pair = rng.sample(people, k=min(len(people), 2 if rng.random() < 0.3 else 1))
            about = [p.id for p in pair]
            year = max(x.year for p in pair for x in p.honours)
            if len(pair) == 2:
                a, b = pair
                title = f"{a.name}和{b.name}：两位劳模的故事"
                body = f"{a.name}和{b.name}在一次劳模座谈会上相识，从此常常交流经验。\n\n{a.story}\n\n{b.story}"
            else:
                p = pair[0]
                title = rng.choice((f"{p.name}：{p.position}的坚守", f"记{p.place.province}{p.name}", f"{p.name}的工匠人生"))
                body = p.story
        else:
            break
        date = random_date(rng, dt.date(min(year + 1, LATEST.year), 1, 1), LATEST)
        text = ("---\n" f"title: {q(title)}\n" f"date: {date.isoformat()}\n" "about:\n"
                + "".join(f"  - {i}\n" for i in about)
                + f"source: {q(FICTION_SOURCE)}\n---\n\n{body}\n")
        out.append((f"story-{n:05d}", text))
    return out


# ---------------------------------------------------------------- photos

def base_images(seed: int, count: int = 6, size: tuple[int, int] = (640, 800)) -> list[Image.Image]:
    rng = random.Random(seed)
    images = []
    width, height = size
    for _ in range(count):
        top = tuple(rng.randint(20, 160) for _ in range(3))
        bottom = tuple(rng.randint(170, 245) for _ in range(3))
        column = Image.new("RGB", (1, height))
        for y in range(height):
            t = y / (height - 1)
            column.putpixel((0, y), tuple(round(a + (b - a) * t) for a, b in zip(top, bottom)))
        image = column.resize(size)
        overlay = Image.new("RGBA", size, (0, 0, 0, 0))
        draw = ImageDraw.Draw(overlay)
        for _ in range(8):
            r = rng.randint(40, 160)
            x, y = rng.randint(0, width), rng.randint(0, height)
            draw.ellipse((x - r, y - r, x + r, y + r), fill=(*[rng.randint(0, 255) for _ in range(3)], 60))
        image.paste(overlay.filter(ImageFilter.GaussianBlur(6)), (0, 0), overlay.filter(ImageFilter.GaussianBlur(6)))
        draw = ImageDraw.Draw(image)
        figure = tuple(rng.randint(20, 70) for _ in range(3))
        cx, head = width // 2, width // 8
        draw.rounded_rectangle((cx - width * 0.36, height * 0.55, cx + width * 0.36, height + 60), radius=width // 6, fill=figure)
        draw.ellipse((cx - head, height * 0.3, cx + head, height * 0.3 + head * 2.3), fill=figure)
        images.append(image)
    return images


def photo_bytes(base: Image.Image, index: int) -> bytes:
    image = base.copy()
    width = image.size[0]
    image.putpixel((index % width, (index // width) % 4), (index % 251, (index * 7) % 253, (index * 13) % 255))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


# ---------------------------------------------------------------- private tree

def id_check_digit(first17: str) -> str:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return "10X98765432"[sum(int(c) * w for c, w in zip(first17, weights)) % 11]


def make_id_number(rng: random.Random, place: Place, birth: dt.date, gender: str) -> str:
    area = place.code + f"{rng.randint(1, 30):02d}"
    seq = rng.randint(0, 99) * 10 + (rng.choice((1, 3, 5, 7, 9)) if gender == "男" else rng.choice((0, 2, 4, 6, 8)))
    first17 = f"{area}{birth:%Y%m%d}{seq:03d}"
    return first17 + id_check_digit(first17)


def mobile(rng: random.Random) -> str:
    return f"1{rng.choice('3456789')}{rng.randint(0, 999_999_999):09d}"


def landline(rng: random.Random, place: Place) -> str:
    digits = 8 if len(place.area) == 3 else 7
    return f"{place.area}-{rng.randint(2, 9)}{rng.randint(0, 10 ** (digits - 1) - 1):0{digits - 1}d}"


@dataclass
class UnitRec:
    id: str
    name: str
    kind: str


def make_units(rng: random.Random, namer: Namer) -> tuple[list[UnitRec], dict[str, str], dict[str, str], dict[str, str]]:
    units: list[UnitRec] = []
    by_city: dict[str, str] = {}
    by_district: dict[str, str] = {}
    by_industry: dict[str, str] = {}
    for place in PLACE_LIST:
        if place.city and place.city not in by_city:
            uid = "city-" + namer.pinyin(place.city.removesuffix("市"))
            units.append(UnitRec(uid, f"{place.city}总工会", "city"))
            by_city[place.city] = uid
    for district in BEIJING.districts:
        uid = "district-" + namer.pinyin(district.removesuffix("区"))
        units.append(UnitRec(uid, f"北京市{district}总工会", "district"))
        by_district[district] = uid
    for ind in INDUSTRY_LIST:
        uid = f"industry-{len(by_industry) + 1:02d}"
        units.append(UnitRec(uid, f"{ind.name.split('、')[0]}产业工会", "industry"))
        by_industry[ind.name] = uid
    return units, by_city, by_district, by_industry


def units_yaml(rng: random.Random, units: list[UnitRec]) -> str:
    out = ["# 管理单位（合成数据，均为虚构）\n"]
    for u in units:
        out.append(f"- id: {u.id}\n  name: {q(u.name)}\n  kind: {u.kind}\n")
        if u.kind in ("city", "industry"):
            out.append("  feedback:\n")
            for year in (2023, 2024, 2025):
                roll = rng.random()
                if roll < 0.1:
                    out.append(f"    - year: {year}\n")  # not submitted
                else:
                    late = roll < 0.2
                    day = random_date(rng, dt.date(year, 11, 1), dt.date(year, 12, 20)) if late \
                        else random_date(rng, dt.date(year, 9, 1), dt.date(year, 10, 31))
                    out.append(f"    - year: {year}\n      submitted: {day.isoformat()}\n")
    return "".join(out)


RELATIONS = {"男": ("配偶", "儿子", "女婿", "孙子", "侄子"), "女": ("配偶", "女儿", "儿媳", "孙女", "侄女")}
DISCIPLINE_KINDS = ("fraud", "criminal", "dismissal", "party_expulsion", "party_probation", "misconduct",
                    "illegal_exit", "other", "serious_negligence", "party_warning", "party_serious_warning",
                    "party_removal", "demerit", "major_demerit", "demotion", "removal")
AID_KINDS = ("medical", "fire", "disability", "accidental_death", "family_illness")
EVENT_KINDS = ("wage_arrears", "insurance_arrears", "no_contracts", "no_democratic_management",
               "under_investigation", "safety_accident_general", "safety_accident_major",
               "occupational_hazard", "mass_incident", "dues_unpaid", "fraud", "union_dissolved",
               "no_reelection", "other")


def private_worker_yaml(rng: random.Random, p: Person, unit_ids: tuple[str | None, str | None, str]) -> str:  # noqa: C901 - over the limit of 20 today; to be split (issue 19)
    start = dt.date(p.birth_year, 1, 1)
    birth = random_date(rng, start, dt.date(p.birth_year, 12, 31))
    out = [f"id: {p.id}\n"]
    if rng.random() < 0.95:
        out.append(f"id_number: {q(make_id_number(rng, p.place, birth, p.gender))}\n")
    if rng.random() < 0.9:
        out.append(f"birth_date: {birth.isoformat()}\n")
    roll = rng.random()
    if roll < 0.8:
        out.append(f"phone: {q(mobile(rng))}\n")
    elif roll < 0.87:
        out.append(f"phone: {q(landline(rng, p.place))}\n")
    age = LATEST.year - p.birth_year
    needs = age >= 75 or rng.random() < 0.05
    if needs:
        out.append("needs_relative_contact: true\n")
    if (needs and rng.random() < 0.75) or rng.random() < 0.1:
        sex = rng.choice(("男", "女"))
        relative = rng.choice(SURNAMES)[0] + rng.choice(GIVEN_MALE if sex == "男" else GIVEN_FEMALE)
        out.append(f"relative_contact:\n  name: {q(relative)}\n  relation: {q(rng.choice(RELATIONS[sex]))}\n"
                   f"  phone: {q(mobile(rng))}\n")
    city_unit, district_unit, industry_unit = unit_ids
    choice = rng.random()
    unit = district_unit if (district_unit and choice < 0.6) else (city_unit if (city_unit and choice < 0.85) else industry_unit)
    out.append(f"management_unit: {unit}\n")
    retire_age = 60 if p.gender == "男" else 55
    farmer = p.industry.name == "农业"
    if p.died is None:
        employment = "退休" if age >= retire_age else rng.choices(("在职", "内退", "失业"), (90, 7, 3))[0]
        out.append(f"employment: {employment}\n")
    if farmer:
        out.append("farmer: true\n")
    if rng.random() < 0.9:
        income = rng.randint(1200, 4000) if farmer else rng.randint(2000, 15000)
        out.append(f"monthly_income_yuan: {income}\n")
    if farmer and rng.random() < 0.4:
        out.append("fixed_income: false\n")
    if rng.random() < 0.04 or (age >= 80 and rng.random() < 0.3):
        out.append("lost_labour_capacity: true\n")
    checks = [random_date(rng, dt.date(y, 3, 1), min(dt.date(y, 11, 30), LATEST))
              for y in range(2022, LATEST.year + 1) if rng.random() < 0.75]
    if checks:
        out.append("health_checks:\n" + "".join(f"  - {d.isoformat()}\n" for d in checks))
    stays = sorted({random_date(rng, dt.date(2018, 1, 1), LATEST) for _ in range(rng.randint(0, 2))})
    if stays:
        out.append("sanatorium:\n" + "".join(f"  - {d.isoformat()}\n" for d in stays))
    if rng.random() < 0.06:
        out.append("aid_applications:\n")
        for _ in range(rng.randint(1, 2)):
            kind = rng.choice(AID_KINDS if p.died else AID_KINDS[:3] + AID_KINDS[4:])
            out.append(f"  - date: {random_date(rng, dt.date(2024, 1, 1), LATEST).isoformat()}\n    kind: {kind}\n")
            if kind not in ("disability", "accidental_death"):
                out.append(f"    amount_yuan: {rng.choice((3000, 8000, 9999, 10000, 12000, 15000, 30000, 86000, 120000))}\n")
            if kind == "family_illness":
                out.append(f"    relation: {rng.choice(('spouse_without_income', 'minor_child', 'other'))}\n")
    if rng.random() < 0.015:
        out.append("discipline:\n")
        when = random_date(rng, dt.date(2024, 1, 1), LATEST)
        out.append(f"  - date: {when.isoformat()}\n    kind: {rng.choice(DISCIPLINE_KINDS)}\n"
                   f"    authority: {q(p.unit + '纪检监察部门')}\n    document: {q(f'纪决〔{when.year}〕{rng.randint(1, 40)}号')}\n")
    revoked = [h for h in p.honours if h.revoked]
    if revoked:
        out.append("revocation:\n")
        for h in revoked:
            assert h.revoked is not None
            approved = h.revoked[0]
            filed = approved - dt.timedelta(days=rng.randint(20, 120))
            out.append(f"  - honour: {q(h.title)}\n    filed: {filed.isoformat()}\n    approved: {approved.isoformat()}\n")
    if p.died and rng.random() < 0.8:
        reported = min(LATEST, p.died + dt.timedelta(days=rng.choice((0, 1, 2, 2, 3, 5, 12))))
        out.append(f"death_reported: {reported.isoformat()}\n")
    if rng.random() < 0.03:
        when = random_date(rng, dt.date(2015, 1, 1), LATEST)
        out.append(f"transfers:\n  - date: {when.isoformat()}\n    from: {q(make_unit(rng, p.industry, p.place, p.district))}\n"
                   f"    to: {q(p.unit)}\n")
    return "".join(out)


def private_home_yaml(rng: random.Random, h: HomeRec, district_unit: str | None, industry_unit: str) -> str:
    out = [f"id: {h.id}\n", "years:\n"]
    good = rng.random() < 0.7
    for year in range(2022, 2026):
        def rate(low: float, high: float) -> float:
            return round(rng.uniform(low, high), 3)
        out.append(f"  - year: {year}\n"
                   f"    membership_rate: {rate(0.93 if good else 0.8, 1.0)}\n"
                   f"    info_collection_rate: {rate(0.94 if good else 0.7, 1.0)}\n"
                   f"    satisfaction_rate: {rate(0.9 if good else 0.4, 1.0)}\n"
                   f"    dissatisfaction_rate: {rate(0.0, 0.1 if good else 0.6)}\n"
                   f"    hotline_on_time_rate: {rate(0.94 if good else 0.7, 1.0)}\n"
                   f"    hotline_satisfaction_rate: {rate(0.94 if good else 0.7, 1.0)}\n")
    if rng.random() < 0.12:
        out.append("events:\n")
        for _ in range(rng.randint(1, 2)):
            out.append(f"  - date: {random_date(rng, dt.date(2022, 1, 1), LATEST).isoformat()}\n"
                       f"    kind: {rng.choice(EVENT_KINDS)}\n    note: {q('合成事件')}\n")
    beijing_title = next((x.title for x in h.honours if x.title.startswith("北京市")), None)
    if beijing_title and h.dissolved is None and rng.random() < 0.2:
        start = random_date(rng, dt.date(2026, 3, 1), dt.date(2026, 6, 1))
        end = start + dt.timedelta(days=rng.choice((4, 6, 7, 9)))
        out.append(f"recommendation:\n  year: 2026\n  title: {q(beijing_title)}\n"
                   f"  recommended_by: {district_unit or industry_unit}\n"
                   f"  publicity_start: {start.isoformat()}\n  publicity_end: {end.isoformat()}\n")
    return "".join(out)


# ---------------------------------------------------------------- entry points

MARKER = ".synth"


def _claim(root: Path) -> None:
    """Refuse to overwrite a directory that synth did not make (e.g. the real records/)."""
    if root.resolve() == (ROOT / "records").resolve():
        raise ValueError(f"{root}: refusing to overwrite the project's records")
    if root.exists() and any(root.iterdir()) and not (root / MARKER).is_file():
        raise ValueError(f"{root}: not empty and not made by synth; choose another directory")
    root.mkdir(parents=True, exist_ok=True)
    (root / MARKER).write_text("synthetic records made by generator.synth; safe to delete\n", encoding="utf-8")


def _reset(directory: Path) -> None:
    if directory.exists():
        shutil.rmtree(directory)
    directory.mkdir(parents=True)


def synth(out: Path, workers: int, homes: int, private: Path | None, seed: int = 1) -> None:
    """Write a synthetic public tree into `out` and, when given, a private tree into `private`."""
    import yaml  # only to check the copied vocabulary names every title used here

    vocab_titles = {entry["title"] for entry in yaml.safe_load(VOCAB.read_text(encoding="utf-8"))}
    missing = [t for t in ALL_TITLES if t not in vocab_titles]
    if missing:
        raise RuntimeError(f"records/vocab/honours.yml lacks titles used by synth: {missing}")
    out = Path(out)
    if private is not None:
        private = Path(private)
        if private.resolve() == out.resolve() or out.resolve() in private.resolve().parents \
                or private.resolve() in out.resolve().parents:
            raise ValueError("the private and public trees must not contain each other")

    _claim(out)
    if private is not None:
        _claim(private)
    rng = random.Random(seed)
    namer = Namer()
    people = make_people(rng, workers, namer)
    home_recs = make_homes(rng, homes, namer)
    photo_rng = random.Random(seed + 1)
    for p in people:
        if photo_rng.random() < 0.1:
            p.photo = f"{p.id}.jpg"

    for sub in ("workers", "homes", "stories", "photos", "vocab"):
        _reset(out / sub)
    shutil.copyfile(VOCAB, out / "vocab" / "honours.yml")
    for p in people:
        (out / "workers" / f"{p.id}.yml").write_text(worker_yaml(p), encoding="utf-8")
    for h in home_recs:
        (out / "homes" / f"{h.id}.yml").write_text(home_yaml(h), encoding="utf-8")
    for slug, text in stories_yaml(rng, people, home_recs):
        (out / "stories" / f"{slug}.md").write_text(text, encoding="utf-8")
    bases = base_images(seed)
    for index, photo in enumerate(x.photo for x in people if x.photo):
        (out / "photos" / photo).write_bytes(photo_bytes(bases[index % len(bases)], index))

    if private is None:
        return
    prng = random.Random(seed + 2)
    unit_namer = Namer()
    units, by_city, by_district, by_industry = make_units(prng, unit_namer)
    for sub in ("workers", "homes"):
        _reset(private / sub)
    (private / "units.yml").write_text(units_yaml(prng, units), encoding="utf-8")
    for p in people:
        if prng.random() < 0.05:
            continue  # no private record: E-CONTACT reports it as missing
        ids = (by_city.get(p.place.city or ""), by_district.get(p.district) if p.place is BEIJING else None,
               by_industry[p.industry.name])
        text = "# 合成数据，均为虚构\n" + private_worker_yaml(prng, p, ids)
        (private / "workers" / f"{p.id}.yml").write_text(text, encoding="utf-8")
    for h in home_recs:
        if prng.random() < 0.1:
            continue
        district_unit = by_district.get(h.district) if h.place is BEIJING else None
        industry_unit = by_industry.get(h.industry, next(iter(by_industry.values())))
        text = "# 合成数据，均为虚构\n" + private_home_yaml(prng, h, district_unit, industry_unit)
        (private / "homes" / f"{h.id}.yml").write_text(text, encoding="utf-8")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--workers", type=int, required=True, help="人物数量")
    parser.add_argument("--homes", type=int, required=True, help="职工之家数量")
    parser.add_argument("--out", type=Path, required=True, help="公开记录输出目录")
    parser.add_argument("--private", type=Path, default=None, help="私密记录输出目录（可选）")
    parser.add_argument("--seed", type=int, default=1, help="随机种子（默认 1）")


def run(args: argparse.Namespace) -> int:
    if args.workers < 1 or args.homes < 0:
        print("laomo synth：--workers 至少为 1，--homes 不能为负数。", file=sys.stderr)
        return 2
    began = time.perf_counter()
    synth(args.out, args.workers, args.homes, args.private, args.seed)
    where = f"{args.out}" + (f" 和 {args.private}" if args.private else "")
    print(f"已生成 {args.workers} 位人物、{args.homes} 个职工之家，写入 {where}（{time.perf_counter() - began:.1f} 秒）")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator.synth", description="生成合成的劳模馆记录（用于规模测试，内容均为虚构）")
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
