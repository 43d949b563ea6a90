"""generator.projection: what the public may see (pure, no disk)."""

from __future__ import annotations

import datetime as dt

from generator.model.public import Home, PublicTree, Story, StoryMeta, VocabEntry, Worker
from generator.projection import project, visible_honours

VOCAB = {
    "全国劳动模范": VocabEntry(title="全国劳动模范", recipient="individual", level="national", treatment="national",
                         authority="中共中央、国务院"),
    "陕西省劳动模范": VocabEntry(title="陕西省劳动模范", recipient="individual", level="provincial",
                          treatment="provincial", authority="陕西省人民政府"),
    "北京市模范职工之家": VocabEntry(title="北京市模范职工之家", recipient="collective", level="provincial",
                            treatment="none", authority="北京市总工会"),
}
REVOKED = {"date": dt.date(2022, 9, 5), "document": "陕劳竞发〔2022〕6号"}


def worker(wid: str, honours: list[dict], **extra) -> Worker:
    return Worker(id=wid, name=extra.pop("name", "张三"), gender="男", region={"province": "陕西省"}, unit="某厂",
                  honours=honours, **extra)


def home(hid: str, honours: list[dict], parent: str | None = None) -> Home:
    return Home(id=hid, name="某工会", employer="某公司", ownership="国有", region={"province": "北京市"},
                honours=honours, parent=parent)


def story(slug: str, about: list[str]) -> Story:
    return Story(slug=slug, meta=StoryMeta(title="故事", date=dt.date(2021, 1, 1), about=about), body="正文")


def tree(**parts) -> PublicTree:
    return PublicTree(workers=parts.get("workers", {}), homes=parts.get("homes", {}),
                      stories=parts.get("stories", {}), vocab=VOCAB)


def test_revoked_honour_is_dropped_and_the_rest_sorted_by_year():
    w = worker("li-si", [{"title": "全国劳动模范", "year": 2015},
                         {"title": "陕西省劳动模范", "year": 2005, "revoked": REVOKED},
                         {"title": "陕西省劳动模范", "year": 1999}])
    shown = project(tree(workers={"li-si": w}))
    honours = shown.workers["li-si"].honours
    assert [(h.title, h.year) for h in honours] == [("陕西省劳动模范", 1999), ("全国劳动模范", 2015)]
    assert all(h.revoked is None for h in honours)
    assert w.honours[1].revoked is not None  # the input is not modified


def test_person_whose_only_honour_is_revoked_vanishes():
    gone = worker("gao-feng", [{"title": "陕西省劳动模范", "year": 2010, "revoked": REVOKED}])
    kept = worker("zhang-san", [{"title": "全国劳动模范", "year": 2015}])
    shown = project(tree(workers={"gao-feng": gone, "zhang-san": kept}))
    assert set(shown.workers) == {"zhang-san"}
    assert shown.hidden == {"gao-feng"}
    assert not shown.is_shown("gao-feng")


def test_home_with_only_revoked_honour_vanishes_and_children_lose_the_link():
    parent = home("bj-parent", [{"title": "北京市模范职工之家", "year": 2020, "revoked": REVOKED}])
    child = home("bj-child", [{"title": "北京市模范职工之家", "year": 2021}], parent="bj-parent")
    shown = project(tree(homes={"bj-parent": parent, "bj-child": child}))
    assert set(shown.homes) == {"bj-child"}
    assert shown.homes["bj-child"].parent is None


def test_story_shown_only_with_a_shown_subject_and_never_names_a_hidden_one():
    gone = worker("gao-feng", [{"title": "陕西省劳动模范", "year": 2010, "revoked": REVOKED}])
    kept = worker("zhang-san", [{"title": "全国劳动模范", "year": 2015}])
    stories = {"only-hidden": story("only-hidden", ["gao-feng"]),
               "both": story("both", ["gao-feng", "zhang-san"])}
    shown = project(tree(workers={"gao-feng": gone, "zhang-san": kept}, stories=stories))
    assert set(shown.stories) == {"both"}
    assert shown.stories["both"].meta.about == ["zhang-san"]
    assert [s.slug for s in shown.stories_about("zhang-san")] == ["both"]
    assert shown.stories_about("gao-feng") == []


def test_visible_honours_is_pure():
    w = worker("a-b", [{"title": "全国劳动模范", "year": 2015, "revoked": REVOKED}])
    assert visible_honours(w.honours) == []
    assert len(w.honours) == 1
