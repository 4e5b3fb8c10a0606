"""Cases: list, detail, timeline, filing, transitions and comments. Every case comes from
`Case.objects.visible_to(request.user)`: a case the user may not see is a 404, whatever the method."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, PolymorphicProxySerializer, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ErrorDetail, PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from cases.models import Case
from cases.services import InvalidTransition

from .. import permissions
from .. import services as api_services
from ..errors import closed_by_citizen, from_django, invalid_transition
from ..filters import CaseFilter
from ..inputs import NEW_CASE_ERROR_FIELDS, TRANSITION_REQUESTS, CaseCreateRequest, CommentRequest
from ..pagination import CaseCursor, TimelineCursor
from ..serializers import CaseCreatedSerializer, CaseDetailSerializer, CaseSummarySerializer, EventSerializer
from .base import JsonApiMixin, errors

CASE_NUMBER = OpenApiParameter(
    "number",
    str,
    OpenApiParameter.PATH,
    description=gettext_lazy("Public case number, e.g. 2026-000123."),
    pattern=r"^[0-9]{4}-[0-9]{1,12}$",
)

TRANSITION_REQUEST = PolymorphicProxySerializer(
    component_name="TransitionRequest",
    serializers=TRANSITION_REQUESTS,
    resource_type_field_name="action",
)


@extend_schema_view(
    list=extend_schema(
        summary=gettext_lazy("List the cases you may see"),
        description=gettext_lazy("Newest first, cursor-paginated. No personal data in lists."),
        responses={200: CaseSummarySerializer(many=True), **errors(400, 401, 404)},
    ),
    retrieve=extend_schema(
        summary=gettext_lazy("A case"),
        description=gettext_lazy(
            "`contact` holds the reporter's details only for the staff of the entity in charge, 311 agents "
            "and (sensitive cases) oversight investigators; otherwise it is null."
        ),
        parameters=[CASE_NUMBER],
        responses={200: CaseDetailSerializer, **errors(401, 404)},
    ),
)
class CaseViewSet(JsonApiMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    lookup_field = "number"
    # Anything that is not shaped like a case number matches no route and gets the JSON 404 of api.urls.
    lookup_value_regex = r"[0-9]{4}-[0-9]{1,12}"
    filterset_class = CaseFilter
    pagination_class = CaseCursor
    serializer_class = CaseSummarySerializer

    def get_queryset(self):
        return Case.objects.visible_to(self.request.user).select_related(
            "category", "entity", "district", "assignee", "procedure", "duplicate_of"
        )

    def get_serializer_class(self):
        return CaseDetailSerializer if self.action == "retrieve" else CaseSummarySerializer

    def get_permissions(self):
        if self.action == "create":
            return [IsAuthenticated(), permissions.FilesCases()]
        return super().get_permissions()

    def get_object(self) -> Case:
        # Query parameters filter lists, never the lookup of one case.
        return get_object_or_404(self.get_queryset(), number=self.kwargs["number"])

    def _detail(self, case: Case) -> dict:
        return CaseDetailSerializer(case, context=self.get_serializer_context()).data

    @extend_schema(
        summary=gettext_lazy("File a case"),
        description=gettext_lazy(
            "For integrations and 311 agents filing on someone's behalf. `channel` says how the report "
            "arrived (`phone` for a caller). The answer carries the tracking key to give to the reporter. "
            "An urgent category's case is an alert on the operations board; `alert` gives its severity, people "
            "affected and exercise flag (urgent categories only, otherwise a 400)."
        ),
        request=CaseCreateRequest,
        responses={201: CaseCreatedSerializer, **errors(400, 401, 403, 415)},
    )
    def create(self, request, *args, **kwargs):
        request_data = CaseCreateRequest(data=request.data)
        request_data.is_valid(raise_exception=True)
        try:
            case = api_services.file_case(request_data, request.user)
        except DjangoValidationError as exc:
            raise from_django(exc, NEW_CASE_ERROR_FIELDS)
        location = reverse("api:case-detail", kwargs={"number": case.number})
        return Response(
            CaseCreatedSerializer(case, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": location},
        )

    @extend_schema(
        summary=gettext_lazy("A case's timeline"),
        description=gettext_lazy(
            "Oldest first. Back-office users see internal and public events; others only public ones."
        ),
        parameters=[CASE_NUMBER],
        responses={200: EventSerializer(many=True), **errors(401, 404)},
    )
    @action(detail=True, methods=["get"], pagination_class=TimelineCursor, filter_backends=[])
    def timeline(self, request, number=None):
        case = self.get_object()
        events = case.events.all() if permissions.is_back_office(request.user) else case.events.public()
        page = self.paginate_queryset(events.select_related("actor", "entity", "previous_entity"))
        context = self.get_serializer_context()
        return self.get_paginated_response(EventSerializer(page, many=True, context=context).data)

    @extend_schema(
        summary=gettext_lazy("Apply a lifecycle transition"),
        description=gettext_lazy(
            "One of assign, start, request_info, resolve, reject, reopen, transfer, with its "
            "parameters. A transition the current state does not allow is a 409 and changes nothing. "
            "`close` is always a 409 (code closed_by_citizen): the citizen confirms the solution, or the case "
            "closes by itself when the reopen window ends."
        ),
        parameters=[CASE_NUMBER],
        request=TRANSITION_REQUEST,
        responses={200: CaseDetailSerializer, **errors(400, 401, 403, 404, 409, 415)},
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def transitions(self, request, number=None):
        case = self.get_object()
        if not permissions.works_case(request.user, case):
            raise PermissionDenied(_("You can see this case but not work on it."))
        request_data = self._transition_request(request.data)
        request_data.is_valid(raise_exception=True)
        if not permissions.may_apply(request.user, case, request_data.validated_data["action"]):
            raise closed_by_citizen(case)
        try:
            case = api_services.apply_transition(case, request.user, request_data.validated_data)
        except InvalidTransition as exc:
            raise invalid_transition(exc)
        except DjangoValidationError as exc:
            raise from_django(exc)
        return Response(self._detail(case))

    @staticmethod
    def _transition_request(data) -> serializers.Serializer:
        action_name = data.get("action") if isinstance(data, dict) else None
        request_class = TRANSITION_REQUESTS.get(action_name) if isinstance(action_name, str) else None
        if request_class is None:
            message = _("Choose one of: %(actions)s.") % {"actions": ", ".join(TRANSITION_REQUESTS)}
            raise serializers.ValidationError({"action": [ErrorDetail(message, code="invalid_choice")]})
        return request_class(data=data)

    @extend_schema(
        summary=gettext_lazy("Comment on a case"),
        description=gettext_lazy(
            "A public comment appears on the citizen's timeline; an internal one only to staff."
        ),
        parameters=[CASE_NUMBER],
        request=CommentRequest,
        responses={201: EventSerializer, **errors(400, 401, 403, 404, 415)},
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def comments(self, request, number=None):
        case = self.get_object()
        if not permissions.may_comment(request.user, case):
            raise PermissionDenied(_("You cannot comment on this case."))
        request_data = CommentRequest(data=request.data)
        request_data.is_valid(raise_exception=True)
        try:
            event = api_services.comment(case, request.user, request_data.validated_data)
        except DjangoValidationError as exc:
            raise from_django(exc)
        event_data = EventSerializer(event, context=self.get_serializer_context()).data
        return Response(event_data, status=status.HTTP_201_CREATED)
