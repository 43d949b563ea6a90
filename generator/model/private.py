"""Private records: staff only. The public site must never import this module."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from generator.model.common import HasId, Strict

Employment = Literal["在职", "退休", "内退", "失业"]
AidKind = Literal["medical", "fire", "disability", "accidental_death", "family_illness"]
AidRelation = Literal["spouse_without_income", "minor_child", "other"]
DisciplineKind = Literal[
    "fraud", "criminal", "dismissal", "party_expulsion", "party_probation", "misconduct",
    "illegal_exit", "other", "serious_negligence", "party_warning", "party_serious_warning",
    "party_removal", "demerit", "major_demerit", "demotion", "removal",
]
EventKind = Literal[
    "wage_arrears", "insurance_arrears", "no_contracts", "no_democratic_management",
    "under_investigation", "safety_accident_general", "safety_accident_major",
    "occupational_hazard", "mass_incident", "dues_unpaid", "fraud", "union_dissolved",
    "no_reelection", "other",
]
UnitKind = Literal["city", "industry", "district", "grassroots"]
Rate = float


class RelativeContact(Strict):
    name: str = Field(min_length=1)
    relation: str = Field(min_length=1)
    phone: str


class AidApplication(Strict):
    date: dt.date
    kind: AidKind
    amount_yuan: float | None = Field(default=None, ge=0)
    relation: AidRelation | None = None


class Discipline(Strict):
    date: dt.date
    kind: DisciplineKind
    authority: str | None = None
    document: str | None = None


class Revocation(Strict):
    honour: str = Field(min_length=1)
    filed: dt.date | None = None
    approved: dt.date | None = None


class Transfer(Strict):
    date: dt.date
    from_: str | None = Field(default=None, alias="from")
    to: str | None = None


class PrivateWorker(HasId):
    id_number: str | None = None
    birth_date: dt.date | None = None
    phone: str | None = None
    needs_relative_contact: bool = False
    relative_contact: RelativeContact | None = None
    management_unit: str | None = None
    employment: Employment | None = None
    farmer: bool = False
    monthly_income_yuan: float | None = Field(default=None, ge=0)
    fixed_income: bool = True
    lost_labour_capacity: bool = False
    health_checks: list[dt.date] = Field(default_factory=list)
    sanatorium: list[dt.date] = Field(default_factory=list)
    aid_applications: list[AidApplication] = Field(default_factory=list)
    discipline: list[Discipline] = Field(default_factory=list)
    revocation: list[Revocation] = Field(default_factory=list)
    death_reported: dt.date | None = None
    transfers: list[Transfer] = Field(default_factory=list)


class HomeYear(Strict):
    year: int
    membership_rate: Rate | None = Field(default=None, ge=0, le=1)
    info_collection_rate: Rate | None = Field(default=None, ge=0, le=1)
    satisfaction_rate: Rate | None = Field(default=None, ge=0, le=1)
    dissatisfaction_rate: Rate | None = Field(default=None, ge=0, le=1)
    hotline_on_time_rate: Rate | None = Field(default=None, ge=0, le=1)
    hotline_satisfaction_rate: Rate | None = Field(default=None, ge=0, le=1)


class HomeEvent(Strict):
    date: dt.date
    kind: EventKind
    note: str | None = None


class Recommendation(Strict):
    year: int
    title: str = Field(min_length=1)
    recommended_by: str | None = None
    publicity_start: dt.date | None = None
    publicity_end: dt.date | None = None


class PrivateHome(HasId):
    years: list[HomeYear] = Field(default_factory=list)
    events: list[HomeEvent] = Field(default_factory=list)
    recommendation: Recommendation | None = None


class Feedback(Strict):
    year: int
    submitted: dt.date | None = None


class Unit(Strict):
    id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    kind: UnitKind
    feedback: list[Feedback] = Field(default_factory=list)


class PrivateTree(Strict):
    workers: dict[str, PrivateWorker]
    homes: dict[str, PrivateHome]
    units: dict[str, Unit]

