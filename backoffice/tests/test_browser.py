"""End to end in headless Chromium at a desk's width: a supervisor writes an answer template on the
supervisors' page, a member signs in with a TOTP code and works a case from received to resolved with
that template, reassign, ask the citizen and see the reply arrive, transfer, mark a duplicate and
moderate a description."""

from __future__ import annotations

import pytest
from django.test import Client

from backoffice.models import AnswerTemplate
from backoffice.testing import current_code, device_for, login_verified
from cases.models import Case, State
from cases.services import Actor, transition
from ventanilla.browser import axe_violations, describe_violations
from ventanilla.testing import PASSWORD, SAN_MIGUELITO, make_category, new_case


@pytest.fixture
def desk(browser):
    context = browser.new_context(locale="es-PA", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def signed_in(desk, live_server, user):
    client = Client()
    login_verified(client, user)
    desk.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    return desk


def open_action(page, name):
    page.locator(f'[data-action="{name}"] summary').click()
    return page.locator(f'[data-action="{name}"]')


def write_a_template_as_supervisor(browser, live_server, world, category):
    """The supervisor writes the category's template on the supervisors' page: a wrong placeholder
    first (the error summary says which), then the right text, previewed and saved."""
    context = browser.new_context(locale="es-PA", viewport={"width": 1280, "height": 900})
    page = signed_in(context.new_page(), live_server, world.supervisor)
    page.set_default_timeout(15_000)
    page.goto(live_server.url + "/oficina/supervision/categorias/")
    page.get_by_role("link", name=f"Plantillas de respuesta (0) de {category.name}").click()
    page.get_by_label("Título").fill("Poda realizada")
    page.get_by_label("Se ofrece mientras el caso está").select_option(label="En proceso")
    page.get_by_label("Respuesta", exact=True).fill("Su caso {numero} fue atendido por {institucion}.")
    page.get_by_role("button", name="Agregar la plantilla").click()
    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    assert "{institucion}" in summary.inner_text()
    assert not AnswerTemplate.objects.exists()
    page.get_by_label("Respuesta", exact=True).fill("Su caso {numero} fue atendido por {entidad}.")
    page.get_by_role("button", name="Vista previa").click()
    assert page.locator("[data-preview]").inner_text().endswith("Su caso 2026-000123 fue atendido por Municipio de San Miguelito.")
    assert not AnswerTemplate.objects.exists()
    page.get_by_role("button", name="Agregar la plantilla").click()
    page.wait_for_selector("[data-message=success]")
    assert "Poda realizada" in page.locator("#answer-templates").inner_text()
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)
    context.close()


def test_a_supervisor_writes_a_template_and_a_member_signs_in_with_totp_and_resolves_with_it(
    desk, browser, live_server, transactional_world
):
    world = transactional_world
    pruning = make_category("PODA-ARBOLES", world.san_miguelito, name_es="Poda de árboles", name_en="Tree pruning")
    case = new_case(world, pruning, point=SAN_MIGUELITO, description="Ramas sobre los cables de la calle 3.")
    write_a_template_as_supervisor(browser, live_server, world, pruning)
    template = AnswerTemplate.objects.get()
    assert (template.category, template.state, template.history.get().history_user) == (pruning, "in_progress", world.supervisor)

    device = device_for(world.alice)
    page = desk
    page.goto(live_server.url + "/oficina/")
    page.get_by_label("Usuario").fill("alice")
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Continuar").click()
    page.get_by_label("Código de su aplicación de autenticación").fill(current_code(device))
    page.get_by_role("button", name="Entrar").click()
    page.wait_for_selector("[data-queue]")
    page.get_by_role("link", name=case.number).click()
    page.get_by_role("button", name="Tomar el caso").click()
    page.wait_for_selector('[data-state="assigned"]')
    page.get_by_role("button", name="Empezar el trabajo").click()
    page.wait_for_selector('[data-state="in_progress"]')
    resolve = open_action(page, "resolve")
    resolve.get_by_role("button", name="Usar esta plantilla").click()  # JavaScript fills the box in place
    answer = resolve.locator("textarea")
    assert answer.input_value() == f"Su caso {case.number} fue atendido por Municipio de San Miguelito."
    answer.fill(answer.input_value() + " Gracias.")
    resolve.get_by_role("button", name="Resolver el caso").click()
    page.wait_for_selector('[data-state="resolved"]')
    resolved = Case.objects.get(pk=case.pk)
    assert resolved.state == State.RESOLVED
    assert resolved.events.filter(kind="resolve").get().message == f"Su caso {case.number} fue atendido por Municipio de San Miguelito. Gracias."
    assert "Gracias." in page.locator("[data-timeline]").inner_text()
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)


def test_reassign_request_information_reply_transfer_duplicate_and_moderate(desk, browser, live_server, transactional_world):
    world = transactional_world
    case = new_case(world, world.rubbish, point=SAN_MIGUELITO, description="Basura frente a la casa de Ana, tel. 6123-4567.")
    original = new_case(world, world.rubbish, point=SAN_MIGUELITO)
    transition(case, "assign", Actor(world.supervisor), assignee=world.alice)
    page = signed_in(desk, live_server, world.supervisor)
    page.goto(f"{live_server.url}/oficina/casos/{case.number}/")
    reassign = open_action(page, "reassign")
    reassign.locator("select").select_option(label="sofia")
    reassign.get_by_role("button", name="Reasignar").click()
    page.wait_for_selector("[data-message=success]")
    assert page.locator("[data-assignee]").inner_text() == "sofia"

    ask = open_action(page, "request_info")
    ask.locator("textarea").fill("¿En qué número de casa?")
    ask.get_by_role("button", name="Enviar la pregunta").click()
    page.wait_for_selector('[data-state="waiting_citizen"]')

    citizen = browser.new_context(locale="es-PA").new_page()
    citizen.goto(f"{live_server.url}/seguimiento/{case.tracking_token}/")
    citizen.locator("#reply").fill("Casa 14, junto a la tienda.")
    citizen.get_by_role("button", name="Enviar la respuesta").click()
    citizen.wait_for_load_state()
    citizen.context.close()
    page.reload()
    page.wait_for_selector('[data-state="in_progress"]')
    assert "Casa 14, junto a la tienda." in page.locator("[data-timeline]").inner_text()

    moderate = open_action(page, "moderate")
    box = moderate.locator("textarea")
    assert "6123-4567" not in box.input_value()  # the suggested redaction
    box.fill("Basura frente a una casa.")
    moderate.get_by_role("button", name="Guardar la vista pública").click()
    page.wait_for_selector("[data-public-description]")
    assert Case.objects.get(pk=case.pk).public_text == "Basura frente a una casa."

    duplicate = open_action(page, "duplicate")
    duplicate.locator("input[type=text]").fill(original.number)
    duplicate.get_by_role("button", name="Marcar como duplicado").click()
    page.wait_for_selector("[data-duplicate-of]")
    assert Case.objects.get(pk=case.pk).duplicate_of_id == original.pk

    page.goto(f"{live_server.url}/oficina/casos/{original.number}/")
    transfer = open_action(page, "transfer")
    transfer.locator("select").select_option(value=world.idaan.code)
    transfer.locator("textarea").fill("Es una fuga de agua potable.")
    transfer.get_by_role("button", name="Trasladar").click()
    page.wait_for_load_state()
    assert Case.objects.get(pk=original.pk).entity == world.idaan
