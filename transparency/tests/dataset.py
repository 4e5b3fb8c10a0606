"""A small fixed month with every edge case the methodology names, for hand-computed expectations.

March 2026 in Panama, with Tuesday 10 March declared a non-working day. Cases are filed and worked
through the real services, then their timestamps are set to the fixed dates below (the services stamp
"now"; a published month is about the past). Expected figures are computed by hand in
test_indicators.py from the comments here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from backoffice.models import InformationContact
from cases.models import Case, CaseEvent, Channel, NonWorkingDay, SurveyResponse
from cases.services import Actor, reject, resolve, submit_survey, transfer, transition
from cases.sla import WorkCalendar
from ventanilla.testing import DAVID, World, new_case

YEAR, MONTH = 2026, 3


def at(month: int, day: int, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime(2026, month, day, hour), timezone.get_default_timezone())


@dataclass
class Dataset:
    world: World
    cases: dict[str, Case]


PEOPLE = [
    # name, e-mail, phone, cédula: what the personal-data scanner looks for.
    ("Rigoberta Quintanilla", "rigoberta.quintanilla@correo.example", "+507 6123-4567", "8-123-4567"),
    ("Anselmo Batista", "anselmo.batista@correo.example", "6987-6543", "4-765-1234"),
]
FREE_TEXT = "Frente a la casa amarilla de Rigoberta, el tubo madre reventado"


def _file(world: World, category, contact_index: int | None = None, **fields) -> Case:
    people = {}
    if contact_index is not None:
        name, email, phone, cedula = PEOPLE[contact_index]
        people = dict(contact_name=name, contact_email=email, contact_phone=phone, contact_national_id=cedula)
    return new_case(world, category, description=fields.pop("description", FREE_TEXT), **people, **fields)


def _work(case: Case, world: World) -> Case:
    return transition(case, "assign", Actor(world.agent))


def _resolve(case: Case, world: World) -> Case:
    return resolve(case, Actor(world.agent), "Reparado por la cuadrilla.")


def build_month(world: World) -> Dataset:
    NonWorkingDay.objects.create(date=dt.date(2026, 3, 10), name_es="Día decretado")
    agent = Actor(world.agent)
    w, c = world.water, {}
    # IDAAN, water (2 business days).
    for key in ("W1", "W2", "W3", "W4", "W9", "I1"):
        c[key] = _file(world, w, 0, channel=Channel.PHONE if key == "W2" else Channel.WEB)
        _resolve(_work(c[key], world), world)
    submit_survey(c["W1"], 5, True, "Muy bien, gracias Rigoberta")
    SurveyResponse.objects.filter(case=c["W1"]).update(accessibility=4, affordability=3, equal_treatment=2, effective_delivery=0)
    submit_survey(c["W2"], 2, False)
    SurveyResponse.objects.filter(case=c["W2"]).update(
        accessibility=1, affordability=0, equal_treatment=3, effective_delivery=3, timeliness=4
    )
    submit_survey(c["W3"], 4, True)
    transition(c["W4"], "reopen", Actor(), message="Sigue sin agua")
    _resolve(c["W4"], world)
    for key in ("W6", "W7", "W8", "W10"):
        c[key] = _file(world, w, 1)
    c["D1"] = _file(world, w, 1)
    reject(c["D1"], "duplicate", agent, duplicate_of=c["W1"])
    c["NC1"] = _file(world, w)
    reject(c["NC1"], "not_competent", agent)
    c["SPAM"] = _file(world, w, 1)
    reject(c["SPAM"], "spam", agent)
    # Municipio de David -> Municipio de San Miguelito (rubbish, 5 business days).
    c["T1"] = _file(world, world.rubbish, 1, point=DAVID)
    transfer(c["T1"], world.san_miguelito, agent, "La dirección es de San Miguelito")
    _resolve(_work(c["T1"], world), world)
    # Oversight body, corruption (sensitive, 30 business days).
    c["S1"] = new_case(world, world.corruption, point=None, is_anonymous=True, description=FREE_TEXT)
    _resolve(_work(c["S1"], world), world)

    timeline = {
        "W1": (at(3, 2), at(3, 4)),
        "W2": (at(3, 9), at(3, 12)),
        "W3": (at(3, 5), at(3, 16)),
        "W4": (at(3, 2), at(3, 18)),
        "W9": (at(2, 20), at(3, 3)),
        "I1": (at(3, 11), at(3, 12)),
        "W6": (at(3, 20), None),
        "W7": (at(2, 25), None),
        "W8": (at(3, 30), None),
        "W10": (at(3, 25), None),
        "D1": (at(3, 3), None),
        "NC1": (at(3, 4), None),
        "SPAM": (at(3, 3), None),
        "T1": (at(3, 2), at(3, 6)),
        "S1": (at(3, 2), at(3, 6)),
    }
    calendar = WorkCalendar()
    for key, (created, resolved) in timeline.items():
        case = c[key]
        Case.objects.filter(pk=case.pk).update(
            created_at=created,
            due_at=calendar.due_at(created, case.category.sla_business_days),
            resolved_at=resolved,
        )
        CaseEvent.objects.filter(case=case, kind__in=["created", "routed"]).update(created_at=created)
    rejected_on = {"D1": at(3, 3, 15), "NC1": at(3, 5), "SPAM": at(3, 3, 16)}
    for key, when in rejected_on.items():
        Case.objects.filter(pk=c[key].pk).update(closed_at=when)
    Case.objects.filter(pk=c["I1"].pk).update(source="legacy311", source_id="A-77")
    CaseEvent.objects.filter(case=c["W4"], kind="reopen").update(created_at=at(3, 5))
    CaseEvent.objects.filter(case=c["T1"], kind="transfer").update(created_at=at(3, 3))
    for key in ("W1", "W2", "W3"):
        SurveyResponse.objects.filter(case=c[key]).update(created_at=at(3, 20))
    for channel, day in ((Channel.PHONE, 3), (Channel.PHONE, 4), (Channel.WEB, 5), (Channel.PHONE, None)):
        InformationContact.objects.create(
            topic="Horario de atención", channel=channel, created_at=at(3, day) if day else at(2, 27)
        )
    return Dataset(world=world, cases={k: Case.objects.get(pk=v.pk) for k, v in c.items()})
