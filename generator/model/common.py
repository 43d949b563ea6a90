"""Pieces shared by public and private records."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

import pydantic
from pydantic import BaseModel, ConfigDict, Field, field_validator

from generator.model.text import check_name, check_text, check_texts

RECORD_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}[a-z0-9]$")

Gender = Literal["男", "女"]
Ownership = Literal["国有", "集体", "非公", "机关事业"]
Recipient = Literal["individual", "collective"]
Level = Literal["national", "provincial", "ministerial", "municipal", "district", "enterprise"]
Treatment = Literal["national", "provincial", "none"]
TREATMENT_RANK: dict[str, int] = {"none": 0, "provincial": 1, "national": 2}

# A year is a YAML integer: "2020" in quotes is text, as the JSON Schema says (one rule for both).
# Dates stay lax on purpose: a quoted "2024-01-05" is still an ISO date.
Year = Annotated[int, pydantic.Strict()]

# Field names of the private records (records.md). The public loader refuses them by
# name without importing the private model; a test keeps this list equal to it.
PRIVATE_FIELD_NAMES: frozenset[str] = frozenset({
    "id_number", "birth_date", "phone", "needs_relative_contact", "relative_contact",
    "management_unit", "employment", "farmer", "monthly_income_yuan", "fixed_income",
    "lost_labour_capacity", "health_checks", "sanatorium", "aid_applications", "discipline",
    "revocation", "death_reported", "transfers", "years", "events", "recommendation",
})


class Strict(BaseModel):
    """Unknown fields are errors: they are usually typos (`honors`)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # Every field of every model, so that no text field can be added without it; the error is at the
    # field's (or the list item's) line. It costs about 7 µs a worker record (0.14 s for 20,000).
    @field_validator("*")
    @classmethod
    def _no_control_characters(cls, value: object) -> object:
        if type(value) is str:
            return check_text(value)
        if type(value) is list:
            return check_texts(value)
        return value


class Region(Strict):
    province: str = Field(min_length=1)
    city: str | None = None
    district: str | None = None


class Revoked(Strict):
    date: dt.date
    document: str | None = None


class Honour(Strict):
    title: str = Field(min_length=1)
    year: Year
    conferred_by: str | None = None
    document: str | None = None
    revoked: Revoked | None = None


class Photo(Strict):
    file: str = Field(min_length=1)
    alt: str = Field(min_length=1)
    credit: str | None = None


class Studio(Strict):
    name: str = Field(min_length=1)
    year: Year | None = None
    level: str | None = None

    @field_validator("name")
    @classmethod
    def _visible_name(cls, value: str) -> str:
        return check_name(value)


def check_record_id(value: str) -> str:
    check_name(value)  # an invisible character is named as such, not as a wrong format
    if not RECORD_ID.match(value):
        raise ValueError("id_format")
    return value


class HasId(Strict):
    id: str

    @field_validator("id")
    @classmethod
    def _id_format(cls, value: str) -> str:
        return check_record_id(value)
