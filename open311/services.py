"""Filing a case through Open311: the only place this app writes.

Intake goes through `cases.services.create_case`, so validation, routing and numbering are exactly the
portal's; this module adds what belongs to the API: the integrator's key and channel, rate limits, the
Open311 token and idempotent retries.
"""

from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cases.attachments import discard_files, store_upload, validate_upload
from cases.models import Attachment, Category
from cases.services import Actor, create_case
from cases.validation import NewCase

from .documents import Open311Error
from .models import ApiKey, Submission

# attribute[code]=value and, for multivaluelist answers, attribute[code][]=value (repeated).
_ATTRIBUTE = re.compile(r"^attribute\[([^\[\]]+)\](\[\])?$")
_IDEMPOTENCY_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")
# The names our validation uses for fields, translated back to the Open311 argument a client sent.
OPEN311_FIELD_NAMES = {
    "location": "lat/long",
    "address": "address_string",
    "name": "first_name/last_name",
    "district": "address_string",
}


@dataclass
class RequestForm:
    """A POST's arguments: the case as every channel describes it (NewCase), plus what only Open311 has."""

    new_case: NewCase
    device_id: str = ""
    client_request_id: str = ""
    media_url: str = ""
    upload: UploadedFile | None = None
    problems: list[str] = field(default_factory=list)


@dataclass
class Receipt:
    submission: Submission
    replayed: bool


NOTIFY_ARGUMENTS = ("notify_email", "notify_sms", "notify_whatsapp")


def flag(post, name: str) -> bool | None:
    """An optional boolean argument: true/1/yes, false/0/no, absent or anything else = None."""
    value = (post.get(name) or "").strip().lower()
    if value in {"true", "1", "yes"}:
        return True
    if value in {"false", "0", "no"}:
        return False
    return None


def read_form(post, files) -> RequestForm:
    """Map Open311 POST arguments onto NewCase. Problems Open311 itself defines are collected here;
    everything about the content is left to the shared validation."""

    def text(name: str) -> str:
        return (post.get(name) or "").strip()

    attributes: dict[str, Any] = {}
    for key, values in post.lists():
        match = _ATTRIBUTE.match(key)
        if match:
            code, many = match.groups()
            attributes[code] = values if (many or len(values) > 1) else values[0]
    name = " ".join(part for part in (text("first_name"), text("last_name")) if part)
    form = RequestForm(
        new_case=NewCase(
            category_code=text("service_code"),
            description=post.get("description") or "",
            lat=text("lat") or None,
            lon=text("long") or None,
            address=post.get("address_string") or "",
            attributes=attributes,
            contact_name=name,
            contact_email=text("email"),
            contact_phone=text("phone"),
            # Extensions of this jurisdiction: how the citizen wants to hear back (absent = default rule).
            notify_email=flag(post, "notify_email"),
            notify_sms=flag(post, "notify_sms"),
            notify_whatsapp=flag(post, "notify_whatsapp"),
            language=(text("locale") or get_language() or settings.LANGUAGE_CODE)[:2].lower(),
        ),
        device_id=text("device_id"),
        client_request_id=text("client_request_id"),
        media_url=text("media_url"),
        upload=files.get("media"),
    )
    if not form.new_case.category_code:
        form.problems.append(_("service_code: This field is required."))
    has_point = form.new_case.lat is not None or form.new_case.lon is not None
    if not has_point and not form.new_case.address.strip():
        if text("address_id"):
            form.problems.append(
                _("address_id: This jurisdiction has no address registry; send lat and long, or address_string.")
            )
        else:
            form.problems.append(_("lat/long: A location is required: lat and long, or address_string."))
    if form.media_url:
        try:
            if len(form.media_url) > 500:
                raise ValidationError("too long")
            URLValidator(schemes=["http", "https"])(form.media_url)
        except ValidationError:
            form.problems.append(_("media_url: Enter a valid http or https address of at most 500 characters."))
    for name in NOTIFY_ARGUMENTS:
        if (post.get(name) or "").strip() and flag(post, name) is None:
            form.problems.append(_("%(name)s: Use true or false.") % {"name": name})
    if len(form.client_request_id) > 255:
        form.problems.append(_("client_request_id: At most 255 characters."))
    return form


def idempotency_key(header: str | None, form: RequestForm) -> str | None:
    """The hashed retry key: the Idempotency-Key header, else device_id + client_request_id, else None."""
    header = (header or "").strip()
    if header:
        if not _IDEMPOTENCY_KEY.match(header):
            raise Open311Error(400, _("Idempotency-Key: Use 1 to 255 visible ASCII characters."))
        return hashlib.sha256(f"header\x00{header}".encode()).hexdigest()
    if form.device_id and form.client_request_id:
        source = f"device\x00{form.device_id}\x00{form.client_request_id}"
        return hashlib.sha256(source.encode("utf-8")).hexdigest()
    return None


def device_hash(device_id: str) -> str:
    # Keyed with SECRET_KEY: device ids have little entropy, a bare hash could be reversed by guessing.
    return salted_hmac("open311.device", device_id, algorithm="sha256").hexdigest() if device_id else ""


def check_rate(api_key: ApiKey) -> None:
    """At most OPEN311_POSTS_PER_MINUTE POSTs per key per clock minute (the cache is shared by all
    web nodes in production: Redis). Raises Open311Error(429) beyond it."""
    limit = settings.OPEN311_POSTS_PER_MINUTE
    now = time.time()
    window = int(now // 60)
    counter = f"open311:posts:{api_key.pk}:{window}"
    cache.add(counter, 0, timeout=120)
    try:
        count = cache.incr(counter)
    except ValueError:  # expired between add and incr
        cache.set(counter, 1, timeout=120)
        count = 1
    if count > limit:
        retry_after = str(60 - int(now % 60))
        raise Open311Error(
            429,
            _("Too many requests with this api_key: at most %(limit)d per minute. Try again in %(seconds)s seconds.")
            % {"limit": limit, "seconds": retry_after},
            headers={"Retry-After": retry_after},
        )


def previous_submission(api_key: ApiKey, key: str) -> Submission | None:
    """The submission a retry with this key repeats, if it is recent enough to be a retry."""
    submission = Submission.objects.filter(api_key=api_key, idempotency_key=key).select_related("case").first()
    if submission is None:
        return None
    if submission.created_at < timezone.now() - timedelta(hours=settings.OPEN311_IDEMPOTENCY_HOURS):
        # Past the window the key is free again; freeing it (rather than refusing) lets long-lived
        # clients that recycle their keys keep working.
        Submission.objects.filter(pk=submission.pk).update(idempotency_key=None)
        return None
    return submission


def validation_descriptions(error: ValidationError) -> list[str]:
    """`field: message` per problem, with the Open311 argument names the client used."""
    if not hasattr(error, "error_dict"):
        return [str(message) for message in error.messages]
    descriptions = []
    for name, errors in error.error_dict.items():
        label = OPEN311_FIELD_NAMES.get(name, name)
        for problem in errors:
            if problem.code == "unknown_category":
                message = _("Unknown service: use a service_code from services.xml or services.json.")
            else:
                message = " ".join(problem.messages)
            descriptions.append(f"{label}: {message}")
    return descriptions


def submit_request(api_key: ApiKey, form: RequestForm, key: str | None) -> Receipt:
    """File the case (or return the one an earlier try with the same key filed).

    The case, its Submission and its photo are written in one transaction; a concurrent retry with the
    same key fails on the unique constraint, its whole transaction (case number included) rolls back,
    and it answers with the winner's case. Raises Open311Error(400) when the input is not acceptable.
    """
    if form.problems:
        raise Open311Error(400, *form.problems)
    if key:
        previous = previous_submission(api_key, key)
        if previous is not None:
            return Receipt(previous, replayed=True)
    try:
        # The photo is checked before anything is written: a bad file rejects the whole request.
        photo = validate_upload(form.upload) if form.upload is not None else None
    except ValidationError as error:
        raise Open311Error(400, *(f"media: {message}" for message in error.messages)) from error
    stored: list[Attachment] = []
    try:
        with transaction.atomic():
            case = create_case(
                replace(form.new_case, channel=api_key.channel),
                actor=Actor(channel=api_key.channel),
                categories=Category.objects.listed(),
            )
            submission = Submission.objects.create(
                case=case,
                api_key=api_key,
                idempotency_key=key,
                device_hash=device_hash(form.device_id),
                media_url=form.media_url,
            )
            if photo is not None:
                stored.append(store_upload(case, photo, public=True))
    except ValidationError as error:
        discard_files(stored)
        raise Open311Error(400, *validation_descriptions(error)) from error
    except IntegrityError:
        discard_files(stored)
        previous = previous_submission(api_key, key) if key else None
        if previous is None:
            raise
        return Receipt(previous, replayed=True)
    except BaseException:
        # The rows are gone with the transaction; the photo's file would stay behind.
        discard_files(stored)
        raise
    return Receipt(submission, replayed=False)


def receipt_document(receipt: Receipt) -> list[dict]:
    # realtime services answer with the id; the token is added so that clients written for batch
    # services (and GET tokens/) work too.
    return [
        {
            "service_request_id": receipt.submission.case.number,
            "token": receipt.submission.token,
            "service_notice": None,
            "account_id": None,
        }
    ]
