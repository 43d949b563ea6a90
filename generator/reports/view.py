"""The private view: validated public and private records seen on an as-of date.

Nothing dated after the as-of date is taken into account: such dates are
dropped here (list entries after it are left out, single dates after it read
as absent), so the rule functions never need to check for them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TypeVar

from generator.model.common import Honour
from generator.model.private import (
    AidApplication,
    Discipline,
    Feedback,
    HomeEvent,
    HomeYear,
    PrivateHome,
    PrivateTree,
    PrivateWorker,
    Recommendation,
    RelativeContact,
    UnitKind,
)
from generator.model.public import Home, PublicTree, Worker
from generator.reports.dates import age_on, birth_date_from_id_number


def _until(day: dt.date | None, as_of: dt.date) -> dt.date | None:
    return day if day is not None and day <= as_of else None


@dataclass(frozen=True)
class RevocationEntry:
    """A private `revocation` entry for one honour, as known on the as-of date."""

    filed: dt.date | None
    approved: dt.date | None


@dataclass(frozen=True)
class HonourView:
    title: str
    year: int
    treatment: str  # national / provincial / none (vocabulary)
    level: str  # vocabulary level
    route: str | None  # vocabulary revocation_route
    public_revoked: dt.date | None  # `revoked.date` in the public record
    revocations: tuple[RevocationEntry, ...]  # private entries naming this title

    @property
    def revoked_on(self) -> dt.date | None:
        """The first date on which the honour stands revoked, publicly or by an approved private revocation."""
        dates = [d for d in [self.public_revoked, *(r.approved for r in self.revocations)] if d is not None]
        return min(dates) if dates else None

    def held_on(self, day: dt.date) -> bool:
        """Conferred in or before the year of `day` and not revoked on or before `day`."""
        revoked = self.revoked_on
        return self.year <= day.year and (revoked is None or revoked > day)


@dataclass(frozen=True)
class PrivateFacts:
    """The private worker record with the as-of date applied."""

    id_number: str | None
    birth_date: dt.date | None
    phone: str | None
    needs_relative_contact: bool
    relative_contact: RelativeContact | None
    management_unit: str | None
    employment: str | None
    farmer: bool
    monthly_income_yuan: float | None
    fixed_income: bool
    lost_labour_capacity: bool
    health_checks: tuple[dt.date, ...]
    sanatorium: tuple[dt.date, ...]
    aid_applications: tuple[AidApplication, ...]
    discipline: tuple[Discipline, ...]
    death_reported: dt.date | None


@dataclass(frozen=True)
class WorkerView:
    id: str
    name: str
    gender: str
    unit: str  # current work unit (public record)
    died: dt.date | None  # None when alive on the as-of date
    birth: dt.date | None  # birth_date, else from id_number
    honours: tuple[HonourView, ...]
    private: PrivateFacts | None  # None: no private record at all

    def living_on(self, day: dt.date) -> bool:
        """No `died` on or before `day` (rules.md): on the day of death a person is no longer living."""
        return self.died is None or day < self.died

    def died_before(self, day: dt.date) -> bool:
        """Died before `day`: treatment ends the day after the death (rules.md, Treatment)."""
        return self.died is not None and day > self.died

    def age_on(self, day: dt.date) -> int | None:
        return age_on(self.birth, day) if self.birth is not None else None


@dataclass(frozen=True)
class HomeView:
    id: str
    name: str
    employer: str
    ownership: str
    dissolved: dt.date | None
    honours: tuple[HonourView, ...]
    years: dict[int, HomeYear]  # by year, up to the as-of year
    events: tuple[HomeEvent, ...]
    recommendation: Recommendation | None
    has_private: bool


@dataclass(frozen=True)
class UnitView:
    """A management unit with the homes it recommends for the as-of year."""

    id: str
    name: str
    kind: UnitKind
    feedback: tuple[Feedback, ...]
    recommended: tuple[HomeView, ...]


@dataclass(frozen=True)
class ReportView:
    as_of: dt.date
    workers: tuple[WorkerView, ...]  # sorted by id
    homes: tuple[HomeView, ...]  # sorted by id
    units: tuple[UnitView, ...]  # sorted by id


def _honours(honours: list[Honour], tree: PublicTree, revocations: dict[str, list[RevocationEntry]],
             as_of: dt.date) -> tuple[HonourView, ...]:
    views: list[HonourView] = []
    for honour in honours:
        if honour.year > as_of.year:
            continue
        vocab = tree.vocab.get(honour.title)
        views.append(HonourView(
            title=honour.title,
            year=honour.year,
            treatment=vocab.treatment if vocab else "none",
            level=vocab.level if vocab else "",
            route=vocab.revocation_route if vocab else None,
            public_revoked=_until(honour.revoked.date if honour.revoked else None, as_of),
            revocations=tuple(revocations.get(honour.title, ())),
        ))
    return tuple(views)


def _dates_until(days: list[dt.date], as_of: dt.date) -> tuple[dt.date, ...]:
    """The dates up to the as-of date, in order."""
    return tuple(sorted(d for d in days if d <= as_of)) if days else ()


Dated = TypeVar("Dated", AidApplication, Discipline, HomeEvent)


def _dated_until(entries: list[Dated], as_of: dt.date) -> tuple[Dated, ...]:
    """The entries (each with a `date`) up to the as-of date, in date order."""
    return tuple(sorted((e for e in entries if e.date <= as_of), key=lambda e: e.date)) if entries else ()


def _private_facts(record: PrivateWorker, as_of: dt.date) -> PrivateFacts:
    return PrivateFacts(
        id_number=record.id_number,
        birth_date=record.birth_date,
        phone=record.phone,
        needs_relative_contact=record.needs_relative_contact,
        relative_contact=record.relative_contact,
        management_unit=record.management_unit,
        employment=record.employment,
        farmer=record.farmer,
        monthly_income_yuan=record.monthly_income_yuan,
        fixed_income=record.fixed_income,
        lost_labour_capacity=record.lost_labour_capacity,
        health_checks=_dates_until(record.health_checks, as_of),
        sanatorium=_dates_until(record.sanatorium, as_of),
        aid_applications=_dated_until(record.aid_applications, as_of),
        discipline=_dated_until(record.discipline, as_of),
        death_reported=_until(record.death_reported, as_of),
    )


def worker_view(worker: Worker, record: PrivateWorker | None, tree: PublicTree, as_of: dt.date) -> WorkerView:
    revocations: dict[str, list[RevocationEntry]] = {}
    if record is not None:
        for entry in record.revocation:
            revocations.setdefault(entry.honour, []).append(
                RevocationEntry(_until(entry.filed, as_of), _until(entry.approved, as_of)))
    birth = None
    if record is not None:
        birth = record.birth_date or birth_date_from_id_number(record.id_number)
    return WorkerView(
        id=worker.id,
        name=worker.name,
        gender=worker.gender,
        unit=worker.unit,
        died=_until(worker.died, as_of),
        birth=birth,
        honours=_honours(worker.honours, tree, revocations, as_of),
        private=_private_facts(record, as_of) if record is not None else None,
    )


def home_view(home: Home, record: PrivateHome | None, tree: PublicTree, as_of: dt.date) -> HomeView:
    years: dict[int, HomeYear] = {}
    events: tuple[HomeEvent, ...] = ()
    recommendation = None
    if record is not None:
        years = {y.year: y for y in record.years if y.year <= as_of.year}
        events = _dated_until(record.events, as_of)
        recommendation = record.recommendation
    return HomeView(
        id=home.id,
        name=home.name,
        employer=home.employer,
        ownership=home.ownership,
        dissolved=_until(home.dissolved, as_of),
        honours=_honours(home.honours, tree, {}, as_of),
        years=years,
        events=events,
        recommendation=recommendation,
        has_private=record is not None,
    )


def build_view(public: PublicTree, private: PrivateTree, as_of: dt.date) -> ReportView:
    workers = tuple(worker_view(public.workers[wid], private.workers.get(wid), public, as_of)
                    for wid in sorted(public.workers))
    homes = tuple(home_view(public.homes[hid], private.homes.get(hid), public, as_of)
                  for hid in sorted(public.homes))
    recommended: dict[str, list[HomeView]] = {}
    for home in homes:
        if home.recommendation is not None and home.recommendation.year == as_of.year \
                and home.recommendation.recommended_by:
            recommended.setdefault(home.recommendation.recommended_by, []).append(home)
    units = tuple(UnitView(u.id, u.name, u.kind, tuple(u.feedback), tuple(recommended.get(u.id, ())))
                  for u in sorted(private.units.values(), key=lambda u: u.id))
    return ReportView(as_of, workers, homes, units)
