"""/alerta/ on a phone in headless Chromium: written while offline, the alert waits on the phone and
arrives once when the connection returns."""

import pytest

from operations.models import Alert
from ventanilla.testing import SAN_MIGUELITO

pytestmark = pytest.mark.browser


def test_an_alert_written_offline_arrives_once_when_back_online(page, live_server, transactional_ops):
    context = page.context
    context.grant_permissions(["geolocation"], origin=live_server.url)
    context.set_geolocation({"latitude": SAN_MIGUELITO[0], "longitude": SAN_MIGUELITO[1]})
    page.goto(live_server.url + "/alerta/")
    # The service worker installs and keeps the page for offline use.
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")

    context.set_offline(True)
    page.locator("input[value=INUNDACION]").check()
    page.locator("#alerta-locate").click()
    page.wait_for_selector("text=9.043000")
    page.locator("#phone").fill("6123-4567")
    page.locator("#alerta-form button[type=submit]").click()
    page.wait_for_selector("body[data-alerta-queued='1']")
    assert page.locator("#alerta-status").is_visible()
    assert Alert.objects.count() == 0

    context.set_offline(False)
    page.wait_for_selector("#alerta-result:not([hidden])")
    number = page.locator("#alerta-result [data-field=number]").inner_text()
    alert = Alert.objects.select_related("case").get()
    assert alert.case.number == number and alert.case.category.code == "INUNDACION"

    # Reloading (the page flushes its queue again) sends nothing twice.
    page.reload()
    page.wait_for_selector("body[data-alerta-queued='0']")
    assert Alert.objects.count() == 1


def test_the_alert_page_opens_offline_from_the_service_worker(page, live_server, transactional_ops):
    page.goto(live_server.url + "/alerta/")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # now controlled by the worker, which keeps a copy
    page.context.set_offline(True)
    page.reload()
    assert page.locator("#alerta-form").is_visible()
