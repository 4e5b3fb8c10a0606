"""Generated reporters leave phones and cédulas the back office can find them by (COPY bypasses save())."""

from django.utils import timezone

from cases.contact import normalize_national_id, normalize_phone
from cases.models import Case, CaseContact
from demodata.store import generate_cases

COUNT = 300


def test_generated_contacts_carry_phones_and_cedulas_with_their_normalised_forms(world):
    generate_cases(COUNT, seed=11, now=timezone.now())
    contacts = list(CaseContact.objects.all())
    with_phone = [c for c in contacts if c.phone]
    with_id = [c for c in contacts if c.national_id]
    assert len(with_phone) > len(contacts) / 2
    assert len(with_id) > len(contacts) / 6
    for contact in with_phone:
        assert contact.phone_normalized == normalize_phone(contact.phone) != ""
    for contact in with_id:
        assert contact.national_id_normalized == normalize_national_id(contact.national_id) != ""
    # Phones differ from reporter to reporter, as in real life.
    assert len({c.phone_normalized for c in with_phone}) > len(with_phone) * 0.9


def test_a_caller_is_found_by_the_phone_as_they_say_it(world):
    generate_cases(COUNT, seed=12, now=timezone.now())
    contact = CaseContact.objects.exclude(phone="").select_related("case").first()
    spoken = contact.phone.replace("-", " ")
    found = Case.objects.filter(contact__phone_normalized=normalize_phone(spoken))
    assert contact.case in found


def test_a_pattern_with_a_trunk_prefix_still_normalises_correctly(world, settings):
    from demodata.generator import load_demo_data

    # Numbers written with a national trunk prefix ("0") are not "+country code + digits": the generator
    # notices at start-up and normalises each such number with normalize_phone instead.
    settings.PHONE_REGION = "GB"
    data = load_demo_data()
    data["phone_patterns"] = ["07### ######"]
    generate_cases(120, seed=13, now=timezone.now(), data=data)
    phones = CaseContact.objects.exclude(phone="")
    assert phones.exists()
    for contact in phones:
        assert contact.phone_normalized.startswith("+447")
        assert contact.phone_normalized == normalize_phone(contact.phone, "GB")


def test_generation_leaves_the_tables_analysed_for_the_planner(world):
    from cases.maintenance import planner_has_statistics
    from cases.models import CaseEvent

    assert not planner_has_statistics(Case)
    generate_cases(COUNT, seed=14, now=timezone.now())
    assert planner_has_statistics(Case)
    assert planner_has_statistics(CaseEvent)
