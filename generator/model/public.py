"""Public records: everything here may appear on the site."""

from __future__ import annotations

import datetime as dt

from pydantic import Field, field_validator

from generator.model.common import (
    Gender,
    HasId,
    Honour,
    Level,
    Ownership,
    Photo,
    Recipient,
    Region,
    Strict,
    Studio,
    Treatment,
    Year,
)
from generator.model.text import check_name, check_plain


class _Described(HasId):
    """What workers and homes share: a summary is plain text (shown as written, on the page and in search)."""

    @field_validator("summary", check_fields=False)
    @classmethod
    def _plain_summary(cls, value: str | None) -> str | None:
        return check_plain(value)


class Worker(_Described):
    name: str = Field(min_length=1, max_length=20)
    name_pinyin: str | None = None
    gender: Gender
    ethnicity: str | None = None
    birth_year: Year | None = None
    region: Region
    unit: str = Field(min_length=1)
    position: str | None = None
    industry: str | None = None
    honours: list[Honour] = Field(min_length=1)
    died: dt.date | None = None
    photo: Photo | None = None
    summary: str | None = Field(default=None, max_length=120)
    story: str | None = None
    achievements: list[str] = Field(default_factory=list)
    studio: Studio | None = None

    @field_validator("name", "name_pinyin", "unit")
    @classmethod
    def _visible_name(cls, value: str | None) -> str | None:
        return check_name(value)


class Home(_Described):
    name: str = Field(min_length=1)
    employer: str = Field(min_length=1)
    ownership: Ownership
    region: Region
    industry: str | None = None
    parent: str | None = None
    honours: list[Honour] = Field(min_length=1)
    dissolved: dt.date | None = None
    photo: Photo | None = None
    summary: str | None = Field(default=None, max_length=120)
    story: str | None = None
    achievements: list[str] = Field(default_factory=list)

    @field_validator("name", "employer", "parent")
    @classmethod
    def _visible_name(cls, value: str | None) -> str | None:
        return check_name(value)


class StoryMeta(Strict):
    title: str = Field(min_length=1)
    date: dt.date
    about: list[str] = Field(min_length=1)
    source: str | None = None

    @field_validator("title")
    @classmethod
    def _visible_title(cls, value: str) -> str:
        return check_name(value)


class Story(Strict):
    slug: str
    meta: StoryMeta
    body: str


class VocabEntry(Strict):
    title: str = Field(min_length=1)
    recipient: Recipient
    level: Level
    treatment: Treatment
    authority: str = Field(min_length=1)
    revocation_route: str | None = None


class PublicTree(Strict):
    """Everything loaded from `records/`, validated record by record."""

    workers: dict[str, Worker]
    homes: dict[str, Home]
    stories: dict[str, Story]
    vocab: dict[str, VocabEntry]
