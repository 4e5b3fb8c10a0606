"""The JSON webhook for simple sensors (`/operaciones/sensores/`): one reading that crossed a threshold
becomes one alert. The same reading id from the same key twice makes one alert."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cases.models import Channel
from cases.services import Actor
from cases.validation import NewCase
from open311.models import ApiKey

from .cap import Intake, rules
from .models import AlertSource
from .services import AlertDetails, file_alert_once


@dataclass
class SensorError(Exception):
    status: int
    errors: dict[str, str]


def ingest_reading(api_key: ApiKey, body: Any) -> Intake:
    if not isinstance(body, dict):
        raise SensorError(400, {"body": _("Send one JSON object.")})
    errors: dict[str, str] = {}
    reading_id = str(body.get("id") or "").strip()
    if not reading_id or len(reading_id) > 200:
        errors["id"] = _("Give the reading's id (1 to 200 characters); a retry sends the same id.")
    events = rules().get("sensor_events", {})
    event = str(body.get("event") or "")
    if event not in events:
        errors["event"] = _("Unknown event; known events: %(events)s.") % {"events": ", ".join(sorted(events))}
    severity = body.get("severity", settings.OPERATIONS_DEFAULT_SEVERITY)
    if not isinstance(severity, int) or isinstance(severity, bool) or not 1 <= severity <= 5:
        errors["severity"] = _("Severity is a whole number from 1 to 5.")
    for name in ("lat", "lon"):
        if not isinstance(body.get(name), (int, float)) or isinstance(body.get(name), bool):
            errors[name] = _("Give the sensor's position as decimal numbers.")
    message = body.get("message", "")
    if not isinstance(message, str):
        errors["message"] = _("The message is text.")
    if errors:
        raise SensorError(400, errors)
    sensor = str(body.get("sensor") or api_key.name)[:100]
    description = (message.strip() or _("Sensor %(sensor)s reported %(event)s.") % {"sensor": sensor, "event": event})
    new_case = NewCase(
        category_code=events[event],
        description=description[: settings.CASE_DESCRIPTION_MAX_LENGTH],
        channel=Channel.SENSOR,
        lat=body["lat"],
        lon=body["lon"],
    )
    details = AlertDetails(
        severity=severity,
        exercise=bool(body.get("exercise")),
        source=AlertSource.SENSOR,
        cap_sender=f"sensor-key:{api_key.pk}",
        cap_identifier=reading_id,
    )
    try:
        alert, created = file_alert_once(new_case, details, actor=Actor(channel=Channel.SENSOR))
    except ValidationError as error:
        fields = error.error_dict if hasattr(error, "error_dict") else {"body": [error]}
        raise SensorError(422, {name: " ".join(e.messages[0] for e in problems) for name, problems in fields.items()}) from error
    return Intake(alert, created)
