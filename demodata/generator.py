"""Realistic demo cases, deterministic: the same seed (and the same `now`) gives the same cases.

Each case's whole life is planned as plain values — no ORM objects and no query per case — from data
prepared once per run: routing decisions per category and district (taken from `route_case` itself),
pools of points inside the district polygons around the population centres, business days as look-up
tables built from `WorkCalendar`, and pools of descriptions. `demodata.store` then writes a batch
in one go (COPY on PostgreSQL, bulk_create elsewhere).

What the cases say — descriptions, places, names, answers — comes from the jurisdiction's `demo.json`, so
nothing here is specific to Panama: another country's demo speaks its own words about its own towns.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path
from typing import Any, Iterator

import numpy as np
import shapely
from django.conf import settings
from django.utils import timezone
from shapely.geometry import shape

from entities.models import District, Membership

from cases.models import Category, CategoryAttribute, RejectionReason
from cases.routing import route_case
from cases.sla import WorkCalendar

from .people import ContactNumbers

DEMO_FILE = "demo.json"
DAY = 86400
HOUR = 3600
# Office hours in which staff act on cases (seconds after local midnight).
WORK_START, WORK_END = 8 * HOUR, 16 * HOUR + 30 * 60
# How reports spread over the hours of the day (index = local hour), like a city contact center's log.
HOURLY = [1, 1, 1, 1, 1, 2, 4, 8, 12, 13, 12, 11, 9, 10, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2]
# Monday first: fewer reports at weekends, more after them.
WEEKDAY = [1.25, 1.1, 1.05, 1.05, 1.0, 0.6, 0.5]
# Points sampled per population centre (or per district without one); cases draw from these pools.
POINTS_PER_SOURCE = 256
TEXTS_PER_CATEGORY = 96


class GenerationError(Exception):
    """The database lacks what the generator needs (categories, districts): load a jurisdiction first."""


def _clean(text: str) -> str:
    """Data text without control characters or backslashes, so that writers never need to escape it."""
    text = unicodedata.normalize("NFC", str(text))
    return "".join(" " if (ch < " " or ch == "\x7f") else ch for ch in text).replace("\\", "/")


def load_demo_data(folder: Path | None = None) -> dict[str, Any]:
    """The jurisdiction's demo.json, or an empty set of hints (cases then read like their category)."""
    path = Path(folder or settings.JURISDICTION_DATA_DIR) / DEMO_FILE
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


class Clock:
    """Local days and business days over a fixed range, as look-up tables built from WorkCalendar."""

    def __init__(self, first: dt.date, last: dt.date, calendar: WorkCalendar | None = None) -> None:
        calendar = calendar or WorkCalendar()
        tz = timezone.get_default_timezone()
        self.first = first
        self.days = [first + dt.timedelta(days=i) for i in range((last - first).days + 2)]
        self.midnight = [int(timezone.make_aware(dt.datetime.combine(d, dt.time()), tz).timestamp()) for d in self.days]
        self.end_of_day = [
            int(timezone.make_aware(dt.datetime.combine(d, dt.time(23, 59, 59)), tz).timestamp()) for d in self.days
        ]
        self.business = [calendar.is_business_day(d) for d in self.days]
        self.bdays = [i for i, ok in enumerate(self.business) if ok]
        self.rank = list(accumulate(int(ok) for ok in self.business))  # business days up to and including i

    def day(self, ts: int) -> int:
        return bisect_right(self.midnight, ts) - 1

    def add_business_days(self, day: int, n: int) -> int:
        """The n-th business day after `day`, as WorkCalendar.add_business_days; clamped to the range."""
        if n <= 0:
            return day
        k = self.rank[day] + n - 1
        return self.bdays[k] if k < len(self.bdays) else self.bdays[-1]

    def due(self, day: int, sla_days: int) -> int:
        return self.end_of_day[self.add_business_days(day, sla_days)]

    def work_after(self, ts: int, business_days: int, r) -> int:
        """A moment in office hours `business_days` business days after `ts` (0: later the same working day
        when there is time left, else the next business day)."""
        day = self.day(ts)
        if business_days <= 0 and self.business[day]:
            left = self.midnight[day] + WORK_END - ts
            if left > 1200:
                start = max(ts, self.midnight[day] + WORK_START)
                return start + 600 + int(r() * min(4 * HOUR, self.midnight[day] + WORK_END - start - 600))
        target = self.add_business_days(day, max(business_days, 1))
        return self.midnight[target] + WORK_START + int(r() * (WORK_END - WORK_START))


class Places:
    """Where reports come from: pools of points inside the district polygons, dense around population
    centres (a Gaussian around each centre, kept only where it falls inside its district)."""

    def __init__(self, districts: list[District], centres: list[dict], default_weight: float, seed: int, calle: list[str]):
        nprng = np.random.default_rng(seed)
        by_name = {d.name: d for d in districts}
        covered: set[int] = set()
        self.sources: list[tuple[int, str, list[tuple[float, float]], list[str]]] = []
        weights: list[float] = []
        geometries = {d.pk: shape(d.geometry) for d in districts}
        for centre in centres:
            district = by_name.get(centre["district"])
            if district is None:
                continue
            spread = centre.get("spread_km", 1.5) / 111.0
            lon, lat = centre["lon"], centre["lat"]
            points = self._sample(
                geometries[district.pk], nprng, lambda n: (nprng.normal(lon, spread, n), nprng.normal(lat, spread, n))
            )
            if points:
                covered.add(district.pk)
                self._add(district, _clean(centre["name"]), points, centre["weight"], weights, calle, nprng)
        for district in districts:
            if district.pk in covered:
                continue
            geom = geometries[district.pk]
            x0, y0, x1, y1 = geom.bounds
            points = self._sample(geom, nprng, lambda n: (nprng.uniform(x0, x1, n), nprng.uniform(y0, y1, n)))
            if points:
                self._add(district, _clean(district.name), points, default_weight, weights, calle, nprng)
        if not self.sources:
            raise GenerationError("No point could be placed inside the loaded districts.")
        self.cum = list(accumulate(weights))
        self.total = self.cum[-1]

    @staticmethod
    def _sample(geom, nprng, draw) -> list[tuple[float, float]]:
        found: list[tuple[float, float]] = []
        for _attempt in range(40):
            xs, ys = draw(POINTS_PER_SOURCE * 4)
            inside = shapely.contains_xy(geom, xs, ys)
            found.extend(zip(np.round(ys[inside], 6).tolist(), np.round(xs[inside], 6).tolist()))
            if len(found) >= POINTS_PER_SOURCE:
                break
        return found[:POINTS_PER_SOURCE]

    def _add(self, district, name, points, weight, weights, calle, nprng) -> None:
        picks = nprng.integers(0, len(calle), 16).tolist() if calle else []
        addresses = [f"{calle[i][:1].upper()}{calle[i][1:]}, {name}" for i in picks] or [name]
        self.sources.append((district.pk, name, points, addresses))
        weights.append(float(weight))

    def pick(self, r) -> tuple[int, str, list[tuple[float, float]], list[str]]:
        return self.sources[bisect_right(self.cum, r() * self.total)]


def _email_part(name: str) -> str:
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower().replace(" ", "")


class _Fill(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


@dataclass
class CategoryPlan:
    """Everything a case of one category needs, prepared once."""

    category: Category
    located: bool
    texts: list[tuple[str, dict, str]]  # (description with a {lugar} slot, attributes, attributes as JSON)
    resolutions: list[str]
    routes: dict[int | None, tuple[int | None, str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        category = self.category
        self.sla = category.sla_business_days
        self.on_time_share = 0.85 if category.urgent else 0.72
        # Whistle-blowers mostly stay anonymous; other reporters mostly give their name.
        self.anonymous_share = (0.6 if category.sensitive else 0.35) if category.anonymous_allowed else 0.0


class Planned:
    """One generated case: the row values, its timeline, contact and survey. Times are Unix seconds."""

    __slots__ = (
        "index", "year", "category_id", "entity_id", "assignee_id", "state", "channel", "description", "lat",
        "lon", "address", "district_id", "attributes", "attributes_json", "is_anonymous", "rejection_reason",
        "duplicate_index", "place", "reopened", "due", "created", "updated", "resolved", "closed", "events",
        "contact", "survey",
    )


RECEIVED, ASSIGNED, IN_PROGRESS, WAITING_CITIZEN = "received", "assigned", "in_progress", "waiting_citizen"
RESOLVED, CLOSED, REJECTED, REOPENED = "resolved", "closed", "rejected", "reopened"
DUPLICATE, NOT_COMPETENT, SPAM = "duplicate", "not_competent", "spam"
# Cumulative percentages of satisfaction 1..5.
SATISFACTION = (6, 12, 26, 56, 100)
SATISFACTION_LATE = (30, 50, 70, 88, 100)

# The first cases of every run take these fates, so that even a small run shows every state and reason.
FORCED = [
    ("stop", RECEIVED), ("stop", ASSIGNED), ("stop", IN_PROGRESS), ("stop", WAITING_CITIZEN), ("stop", RESOLVED),
    ("stop", CLOSED), ("stop", REOPENED), ("reject", NOT_COMPETENT), ("reject", SPAM), ("reject", DUPLICATE),
]
REPLY_CHANNELS = {"web", "mobile", "whatsapp", "email", "sms"}
PHONE_CHANNELS = {"phone", "whatsapp", "sms"}


# About a year of a New York-sized city's 311 (2.5 million requests): generated history longer than that
# is spread over several years instead of crammed into one, so that a year, a month and a queue hold
# what they would in such a city.
CASES_PER_YEAR = 2_500_000
# Yearly growth of a multi-year history (people adopt the service).
YEARLY_GROWTH = 0.15


def years_for(count: int) -> int:
    """How many years `count` cases span by default: one up to a big city's year, then one more per year's worth."""
    return max(1, -(-count // CASES_PER_YEAR))


class CaseGenerator:
    """Plans cases over the `years` (by default `years_for(count)`, one for the demo) before `now`, in the
    order they were received."""

    def __init__(self, *, seed: int = 2026, now: dt.datetime | None = None, data: dict | None = None, years: int = 1) -> None:
        self.seed = seed
        self.years = max(1, years)
        self.rng = random.Random(seed)  # noqa: S311 - reproducible synthetic data, not a secret
        self.now = int((now or timezone.now()).timestamp())
        self.data = load_demo_data() if data is None else data
        categories = list(
            Category.objects.filter(active=True).select_related("owner").prefetch_related("attributes").order_by("code")
        )
        districts = list(District.objects.order_by("code"))
        if not categories or not districts:
            raise GenerationError("Load a jurisdiction first (ventanilla load_jurisdiction): no categories or districts.")
        fill = {k: [_clean(v) for v in values] for k, values in self.data.get("fill", {}).items()}
        self.fill = fill
        self.places = Places(
            districts, self.data.get("centres", []), self.data.get("default_district_weight", 5), seed, fill.get("calle", [])
        )
        tz = timezone.get_default_timezone()
        today = timezone.localtime(timezone.now() if now is None else now, tz).date()
        self.clock = Clock(today - dt.timedelta(days=365 * self.years + 3), today + dt.timedelta(days=400))
        self.start = self.now - 365 * self.years * DAY
        self._prepare_categories(categories)
        self._prepare_people()
        self._prepare_texts()

    # --- Prepared once -------------------------------------------------------------------------------

    def _prepare_categories(self, categories: list[Category]) -> None:
        weights = self.data.get("category_weights", {})
        default = self.data.get("default_category_weight", 1)
        unlocated = set(self.data.get("unlocated_categories", []))
        resolutions = self.data.get("resolutions", {})
        generic = [_clean(t) for t in resolutions.get("*", [])] or ["—"]
        self.plans: list[CategoryPlan] = []
        cum: list[float] = []
        total = 0.0
        for category in categories:
            weight = float(weights.get(category.code, default))
            if weight <= 0:
                continue
            own = [_clean(t) for t in resolutions.get(category.code, [])]
            plan = CategoryPlan(category, category.code not in unlocated, self._texts_for(category), own + generic)
            self.plans.append(plan)
            total += weight
            cum.append(total)
        if not self.plans:
            raise GenerationError("Every category has weight 0 in demo.json.")
        self.category_cum, self.category_total = cum, total
        self.plan_by_category = {plan.category.pk: plan for plan in self.plans}

    def route(self, plan: CategoryPlan, district_id: int | None) -> tuple[int | None, str]:
        """route_case's decision, asked once per category (and district, for municipal categories)."""
        key = district_id if plan.category.municipal else None
        decision = plan.routes.get(key)
        if decision is None:
            result = route_case(plan.category, District(pk=key) if key else None)
            decision = plan.routes[key] = (result.entity.pk if result.entity else None, result.reason)
        return decision

    def _prepare_people(self) -> None:
        workers: dict[int, list[int]] = {}
        supervisors: dict[int, list[int]] = {}
        agents: list[int] = []
        memberships = Membership.objects.filter(entity__active=True, user__is_active=True).order_by("user_id", "entity_id")
        for user_id, entity_id, role in memberships.values_list("user_id", "entity_id", "role"):
            if role == Membership.Role.SUPERVISOR:
                supervisors.setdefault(entity_id, []).append(user_id)
            elif role in (Membership.Role.STAFF, Membership.Role.INVESTIGATOR, Membership.Role.AGENT):
                workers.setdefault(entity_id, []).append(user_id)
            if role == Membership.Role.AGENT:
                agents.append(user_id)
        self.workers, self.supervisors, self.agents = workers, supervisors, agents
        self.teams: dict[int | None, tuple[list[int], list[int]]] = {}
        self.first_names = [_clean(n) for n in self.data.get("first_names", [])]
        self.last_names = [_clean(n) for n in self.data.get("last_names", [])]
        self.ascii_first = [_email_part(n) for n in self.first_names]
        self.ascii_last = [_email_part(n) for n in self.last_names]
        self.email_domain = self.data.get("email_domain", "example.invalid")
        self.numbers = ContactNumbers(self.data)
        channels = self.data.get("channels") or {"web": 1}
        self.channels = list(channels)
        self.channel_cum = list(accumulate(float(w) for w in channels.values()))
        self.channel_total = self.channel_cum[-1]
        self.reopen_window = settings.CASE_REOPEN_WINDOW_DAYS * DAY
        # Citizens reopen within the first part of the window.
        self.reopen_days = settings.CASE_REOPEN_WINDOW_DAYS * 0.6

    def _prepare_texts(self) -> None:
        def texts(key: str, default: str) -> list[str]:
            return [_clean(t) for t in self.data.get(key, [])] or [default]

        self.questions = texts("questions", "?")
        self.replies = texts("replies", "Ok.")
        self.reopen_reasons = texts("reopen_reasons", "—")
        self.spam = texts("spam_descriptions", "...")
        rejections = self.data.get("rejections", {})
        self.rejections = {r: [_clean(t) for t in rejections.get(r, [])] or [""] for r in RejectionReason.values}
        comments = self.data.get("survey_comments", {})
        self.good_comments = [_clean(t) for t in comments.get("good", [])] or [""]
        self.bad_comments = [_clean(t) for t in comments.get("bad", [])] or [""]

    def _texts_for(self, category: Category) -> list[tuple[str, dict, str]]:
        rng = random.Random(f"{self.seed}:{category.code}")  # noqa: S311 - synthetic data, not a secret
        templates = [_clean(t) for t in self.data.get("descriptions", {}).get(category.code, [])]
        templates = templates or [_clean(category.name_es) + ". {lugar}."]
        values = self.data.get("attribute_values", {})
        ranges = self.data.get("number_attributes", {})
        pool = []
        for _i in range(TEXTS_PER_CATEGORY):
            template = rng.choice(templates)
            attributes: dict[str, Any] = {}
            named: dict[str, str] = {}
            for attribute in category.attributes.all():
                wanted = attribute.required or rng.random() < 0.5 or "{" + attribute.code + "}" in template
                value = self._attribute_value(attribute, rng, values.get(attribute.code), ranges.get(attribute.code))
                if wanted and value is not None:
                    attributes[attribute.code] = value
                    if isinstance(value, str):
                        named[attribute.code] = value
            filler = _Fill({key: rng.choice(options) for key, options in self.fill.items() if options})
            filler.update(named)
            description = template.format_map(filler)
            pool.append((description, attributes, json.dumps(attributes, ensure_ascii=False)))
        return pool

    def _attribute_value(self, attribute: CategoryAttribute, rng: random.Random, options, bounds):
        Datatype = CategoryAttribute.Datatype
        keys = [v["key"] for v in attribute.values]
        if attribute.datatype == Datatype.SINGLEVALUELIST and keys:
            return rng.choice(keys)
        if attribute.datatype == Datatype.MULTIVALUELIST and keys:
            return sorted(rng.sample(keys, min(len(keys), rng.choice([1, 1, 2]))), key=keys.index)
        if attribute.datatype == Datatype.NUMBER:
            low, high = bounds or (1, 10)
            return rng.randint(int(low), int(high))
        if attribute.datatype == Datatype.DATETIME:
            # A text pool cannot know the case's date: only required dates get one, early enough for any case.
            if not attribute.required:
                return None
            moment = dt.datetime.fromtimestamp(self.start - rng.randint(1, 30) * DAY, dt.timezone.utc)
            return timezone.localtime(moment, timezone.get_default_timezone()).replace(second=0, microsecond=0).isoformat()
        if options:
            return _clean(rng.choice(options))
        return _clean(attribute.description_es) if attribute.required else None

    # --- When the cases arrive --------------------------------------------------------------------------

    def arrivals(self, count: int) -> Iterator[int]:
        """`count` arrival times over the generator's years in increasing order: more on weekdays, in office
        hours, and more towards the present (a service that people adopt: within one year a linear rise,
        over several a yearly growth of YEARLY_GROWTH)."""
        nprng = np.random.default_rng(self.seed)
        first_day = self.clock.day(self.start)
        last_day = self.clock.day(self.now)
        days = list(range(first_day, last_day + 1))
        span = max(len(days) - 1, 1)
        if self.years == 1:
            trend = [0.8 + 0.4 * i / span for i in range(len(days))]
        else:
            trend = [(1 + YEARLY_GROWTH) ** (self.years * i / span) for i in range(len(days))]
        weights = np.array([WEEKDAY[self.clock.days[d].weekday()] * trend[i] for i, d in enumerate(days)])
        per_day = nprng.multinomial(count, weights / weights.sum())
        hours = list(accumulate(HOURLY))
        r = self.rng.random
        for d, n in zip(days, per_day.tolist()):
            if not n:
                continue
            midnight = self.clock.midnight[d]
            moments = sorted(
                midnight + bisect_right(hours, r() * hours[-1]) * HOUR + int(r() * HOUR) for _ in range(n)
            )
            for ts in moments:
                yield min(max(ts, self.start), self.now - 60)

    # --- A case's life ----------------------------------------------------------------------------------

    def plan(self, count: int, batch_size: int = 10_000) -> Iterator[list[Planned]]:
        """The cases in batches, oldest first. A duplicate report points at an earlier case of its own batch,
        so that batches can be written independently."""
        batch: list[Planned] = []
        recent: list[Planned] = []  # what a duplicate report may repeat
        for index, created in enumerate(self.arrivals(count)):
            forced = FORCED[index - 1] if 1 <= index <= len(FORCED) else None
            case = self.plan_case(index, created, forced, recent)
            if not case.rejection_reason:
                if len(recent) < 64:
                    recent.append(case)
                else:
                    recent[index % 64] = case
            batch.append(case)
            if len(batch) >= batch_size:
                yield batch
                batch, recent = [], []
        if batch:
            yield batch

    def plan_case(self, index: int, created: int, forced, recent: list[Planned]) -> Planned:
        r = self.rng.random
        clock = self.clock
        fate, stop = forced if forced is not None else self._fate(r)
        original = None
        if fate == "reject" and stop == DUPLICATE:
            if recent:
                original = recent[int(r() * len(recent))]
            else:
                stop = NOT_COMPETENT
        case = Planned()
        if original is not None:
            # A second report of the same problem: same category and place, in other words.
            plan = self.plan_by_category[original.category_id]
            case.district_id, case.lat, case.lon = original.district_id, original.lat, original.lon
            case.address = original.address
            place = original.place
        else:
            plan = self.plans[bisect_right(self.category_cum, r() * self.category_total)]
            case.district_id, place, points, addresses = self.places.pick(r)
            if plan.located:
                case.lat, case.lon = points[int(r() * len(points))]
                case.address = addresses[int(r() * len(addresses))]
            else:
                case.lat = case.lon = None
                case.address = ""
        category = plan.category
        case.index, case.category_id, case.place = index, category.pk, place
        channel = case.channel = self.channels[bisect_right(self.channel_cum, r() * self.channel_total)]
        text, case.attributes, case.attributes_json = plan.texts[int(r() * len(plan.texts))]
        if stop == SPAM:
            case.description = self.spam[int(r() * len(self.spam))]
        else:
            case.description = text.replace("{lugar}", place)
        case.is_anonymous = anonymous = plan.anonymous_share > 0 and r() < plan.anonymous_share
        case.contact = self._contact(r, channel) if not anonymous and self.first_names and r() < 0.6 else None
        entity_id, reason = self.route(plan, case.district_id)
        case.entity_id = entity_id
        day = clock.day(created)
        case.year = clock.days[day].year
        case.created = created
        case.due = clock.end_of_day[clock.add_business_days(day, plan.sla)]
        creator = self.agents[int(r() * len(self.agents))] if channel == "phone" and self.agents else None
        events = [
            ("created", True, creator, channel, "", RECEIVED, None, "", "", created),
            ("routed", True, None, channel, "", "", entity_id, reason, "", created),
        ]
        case.duplicate_index = original.index if original is not None else None
        case.assignee_id = None
        case.reopened = False
        if fate == "reject":
            self._reject(case, stop, events, r)
        elif stop != RECEIVED:
            self._work(case, plan, fate == "normal", stop, events, r)
        self._settle(case, events, stop if fate == "reject" else "")
        return case

    def _fate(self, r) -> tuple[str, str | None]:
        x = r()
        if x < 0.07:
            y = r()
            return "reject", DUPLICATE if y < 0.45 else (NOT_COMPETENT if y < 0.85 else SPAM)
        if x < 0.10:  # a backlog that nobody works on
            return "stop", (RECEIVED, ASSIGNED, IN_PROGRESS)[int(r() * 3)]
        return "normal", None

    def _contact(self, r, channel: str) -> tuple[str, str, str, str, str, str]:
        """(name, email, phone, phone_normalized, national_id, national_id_normalized). Callers almost always
        leave a phone (the agent asks for it); about a third of reporters give their cédula."""
        i, j = int(r() * len(self.first_names)), int(r() * len(self.last_names))
        email = f"{self.ascii_first[i]}.{self.ascii_last[j]}{int(r() * 90) + 10}@{self.email_domain}" if r() < 0.7 else ""
        phone = self.numbers.phone(r) if r() < (0.95 if channel in PHONE_CHANNELS else 0.6) else ("", "")
        national_id = self.numbers.national_id(r) if r() < 0.35 else ("", "")
        return f"{self.first_names[i]} {self.last_names[j]}", email, *phone, *national_id

    def _staff(self, entity: int | None, r) -> tuple[int | None, int | None]:
        """Who works the case (assignee) and who assigns or rejects it (a supervisor when there is one)."""
        team = self.teams.get(entity)
        if team is None:
            workers = self.workers.get(entity) or self.supervisors.get(entity) or []
            team = self.teams[entity] = (workers, self.supervisors.get(entity) or workers)
        workers, bosses = team
        return (workers[int(r() * len(workers))] if workers else None, bosses[int(r() * len(bosses))] if bosses else None)

    def _reject(self, case: Planned, reason: str, events: list, r) -> None:
        entity, at = case.entity_id, case.created
        assignee, boss = self._staff(entity, r)
        state = RECEIVED
        # Duplicates are often noticed only once someone works the case; the rest at intake.
        if reason == DUPLICATE and r() < 0.3:
            at = self.clock.work_after(at, int(r() * 2), r)
            events.append(("assign", True, boss, "web", RECEIVED, ASSIGNED, entity, "", "", at))
            state, case.assignee_id = ASSIGNED, assignee
        messages = self.rejections[reason]
        at = self.clock.work_after(at, int(r() * 3), r)
        events.append(("reject", True, boss, "web", state, REJECTED, entity, reason, messages[int(r() * len(messages))], at))

    def _work(self, case: Planned, plan: CategoryPlan, free: bool, stop, events: list, r) -> None:
        """Assign, start, perhaps ask the citizen, resolve, perhaps reopen, close — as transition() records
        them. `free` cases may stall anywhere by chance; forced ones stop exactly at `stop`."""
        work_after, entity = self.clock.work_after, case.entity_id
        assignee, boss = self._staff(entity, r)
        case.assignee_id = assignee
        x = r()
        at = work_after(case.created, 0 if x < 0.55 else (1 if x < 0.85 else 2 + int(r() * 2)), r)
        events.append(("assign", True, boss, "web", RECEIVED, ASSIGNED, entity, "", "", at))
        if stop == ASSIGNED:
            return
        at = work_after(at, 0 if r() < 0.65 else 1 + int(r() * 2), r)
        events.append(("start", False, assignee, "web", ASSIGNED, IN_PROGRESS, entity, "", "", at))
        if stop == IN_PROGRESS:
            return
        citizen = case.channel if case.channel in REPLY_CHANNELS else "phone"
        if stop == WAITING_CITIZEN or (free and r() < 0.10):
            at = work_after(at, int(r() * 2), r)
            question = self.questions[int(r() * len(self.questions))]
            events.append(("request_info", True, assignee, "web", IN_PROGRESS, WAITING_CITIZEN, entity, "", question, at))
            if stop == WAITING_CITIZEN or r() < 0.2:
                return
            at += int((0.1 + r() * 5) * DAY)
            reply = self.replies[int(r() * len(self.replies))]
            events.append(("receive_reply", True, None, citizen, WAITING_CITIZEN, IN_PROGRESS, entity, "", reply, at))
        # Most cases are resolved within the service level; the rest late, some very late.
        clock, sla = self.clock, plan.sla
        total = int(r() * (sla + 1)) if r() < plan.on_time_share else sla + 1 + int(r() * sla * 1.5 + r() * 5)
        target = clock.add_business_days(clock.day(case.created), total)
        resolved = clock.midnight[target] + WORK_START + int(r() * (WORK_END - WORK_START))
        at = resolved if resolved > at else work_after(at, 0, r)
        resolutions = plan.resolutions
        resolution = resolutions[int(r() * len(resolutions))]
        events.append(("resolve", True, assignee, "web", IN_PROGRESS, RESOLVED, entity, "", resolution, at))
        if stop == REOPENED or (free and r() < 0.05):
            case.reopened = True
            at += int((0.5 + r() * self.reopen_days) * DAY)
            reason = self.reopen_reasons[int(r() * len(self.reopen_reasons))]
            events.append(("reopen", True, None, citizen, RESOLVED, REOPENED, entity, "", reason, at))
            if stop == REOPENED or r() < 0.3:
                return
            at = work_after(at, 1 + int(r() * 2), r)
            events.append(("start", False, assignee, "web", REOPENED, IN_PROGRESS, entity, "", "", at))
            at = work_after(at, 1 + int(r() * 5), r)
            resolution = resolutions[int(r() * len(resolutions))]
            events.append(("resolve", True, assignee, "web", IN_PROGRESS, RESOLVED, entity, "", resolution, at))
        if stop == RESOLVED or (free and r() < 0.12):
            return
        # Nobody reopened it within the window: the nightly job closes it.
        at += self.reopen_window + int(r() * 3 * HOUR)
        events.append(("close", True, None, "", RESOLVED, CLOSED, entity, "", "", at))

    def _settle(self, case: Planned, events: list, rejection_reason: str) -> None:
        """Cut the planned timeline at `now` and derive the case's fields from what happened."""
        now = self.now
        if events[-1][9] > now:
            events = [e for e in events if e[9] <= now]
            if case.assignee_id is not None and not any(e[0] == "assign" for e in events):
                case.assignee_id = None
        case.events = events
        state, resolved, closed, rejected = RECEIVED, None, None, ""
        for event in events:
            kind = event[0]
            if event[5]:
                state = event[5]
            if kind == "resolve":
                resolved = event[9]
            elif kind == "close":
                closed = event[9]
            elif kind == "reopen":
                closed = None
            elif kind == "reject":
                closed, rejected = event[9], rejection_reason
        case.state, case.resolved, case.closed, case.rejection_reason = state, resolved, closed, rejected
        if not rejected:
            case.duplicate_index = None
        case.updated = events[-1][9]
        case.survey = None
        if (state == RESOLVED or state == CLOSED) and self.rng.random() < 0.4:
            self._survey(case, events)

    def _survey(self, case: Planned, events: list) -> None:
        r = self.rng.random
        at = case.resolved + int((0.05 + r() * 6) * DAY)
        if at > self.now:
            return
        # Satisfaction is J-shaped, and much lower when the case was late or had to be reopened.
        late = case.reopened or case.resolved > case.due
        satisfaction = bisect_right(SATISFACTION_LATE if late else SATISFACTION, r() * 100) + 1
        solved = r() < (0.9 if satisfaction >= 4 else 0.6 if satisfaction == 3 else 0.15)
        comment = ""
        if r() < 0.3:
            pool = self.good_comments if satisfaction >= 4 else self.bad_comments
            comment = pool[int(r() * len(pool))]
        case.survey = (satisfaction, solved, comment, at)
        events.append(("survey", False, None, "web", "", "", None, "", "", at))
