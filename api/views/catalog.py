"""Reference data: categories (what can be reported), entities (who answers), procedures (trámites)."""

from __future__ import annotations

from django.db.models import prefetch_related_objects
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from cases.models import Category
from catalog.models import Procedure
from catalog.search import search_procedures
from entities.models import Entity

from .. import permissions
from ..fields import StrictCharField
from ..filters import ProcedureFilter
from ..pagination import CodeCursor, SlugCursor
from ..serializers import (
    CategorySerializer,
    EntitySerializer,
    ProcedureDetailSerializer,
    ProcedureSearchSerializer,
    ProcedureSummarySerializer,
)
from .base import JsonApiMixin, errors


@extend_schema_view(
    list=extend_schema(
        summary=_("Categories"),
        description=_("Back-office users get every active category (sensitive ones included) with the questions "
        "a new case must answer; others get the publicly listed ones, with `attributes` null."),
        responses={200: CategorySerializer(many=True), **errors(401, 404)},
    ),
    retrieve=extend_schema(summary=_("A category"), responses={200: CategorySerializer, **errors(401, 404)}),
)
class CategoryViewSet(JsonApiMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = CategorySerializer
    lookup_field = "code"
    lookup_value_regex = r"[A-Za-z0-9_\-]{1,64}"
    pagination_class = CodeCursor
    filter_backends: list = []

    def get_queryset(self):
        back_office = permissions.is_back_office(self.request.user)
        categories = Category.objects.active() if back_office else Category.objects.listed()
        return categories.select_related("owner").prefetch_related("attributes")


@extend_schema_view(
    list=extend_schema(summary=_("Entities"), responses={200: EntitySerializer(many=True), **errors(401, 404)}),
    retrieve=extend_schema(summary=_("An entity"), responses={200: EntitySerializer, **errors(401, 404)}),
)
class EntityViewSet(JsonApiMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = EntitySerializer
    lookup_field = "code"
    lookup_value_regex = r"[A-Za-z0-9_\-]{1,32}"
    pagination_class = CodeCursor
    filter_backends: list = []

    def get_queryset(self):
        return Entity.objects.active().select_related("parent", "district")


class ProcedureSearchParams(serializers.Serializer):
    q = StrictCharField(max_length=200, help_text=_("Words to look for, in the citizen's own terms."))
    entity = StrictCharField(required=False, max_length=32, help_text=_("Only this entity's procedures (code)."))
    theme = StrictCharField(required=False, max_length=40, help_text=_("Only procedures under this theme (code)."))
    limit = serializers.IntegerField(required=False, default=20, min_value=1, max_value=50)


@extend_schema_view(
    list=extend_schema(
        summary=_("Published procedures"),
        description=_("In alphabetical order of their slug, cursor-paginated."),
        responses={200: ProcedureSummarySerializer(many=True), **errors(400, 401, 404)},
    ),
    retrieve=extend_schema(summary=_("A procedure"), responses={200: ProcedureDetailSerializer, **errors(401, 404)}),
)
class ProcedureViewSet(JsonApiMixin, viewsets.ReadOnlyModelViewSet):
    lookup_field = "slug"
    lookup_value_regex = r"[A-Za-z0-9_\-]{1,120}"
    pagination_class = SlugCursor
    filterset_class = ProcedureFilter

    def get_queryset(self):
        return Procedure.objects.published().select_related("entity").prefetch_related("themes")

    def get_serializer_class(self):
        return ProcedureDetailSerializer if self.action == "retrieve" else ProcedureSummarySerializer

    def get_object(self) -> Procedure:
        return get_object_or_404(self.get_queryset(), slug=self.kwargs["slug"])

    @extend_schema(
        summary=_("Search procedures"),
        description=_("The catalog's search, best match first (not paginated: at most `limit` results)."),
        parameters=[ProcedureSearchParams],
        responses={200: ProcedureSearchSerializer, **errors(400, 401)},
    )
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def search(self, request):
        # A plain dict, so that `?theme=` is refused as blank instead of being read as "not given".
        params = ProcedureSearchParams(data=request.query_params.dict())
        params.is_valid(raise_exception=True)
        data = params.validated_data
        found = search_procedures(data["q"], entity=data.get("entity"), theme=data.get("theme"), limit=data["limit"])
        prefetch_related_objects(found, "themes")
        context = self.get_serializer_context()
        return Response({"results": ProcedureSummarySerializer(found, many=True, context=context).data})
