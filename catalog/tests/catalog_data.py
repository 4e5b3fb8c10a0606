"""A small, realistic catalog for the catalog's tests, loaded through the real loader.

Exact assertions (names, costs, rankings) are made against this data, which only these tests own, so a
later edit of the demo file data/jurisdictions/pa/procedures.json cannot break them. The relevance test
over the demo file (test_search_relevance.py) only asserts aggregate figures.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from cases.models import CategoryAttribute
from catalog.loaders import load_procedures, load_themes
from catalog.models import Procedure
from entities.models import Entity
from ventanilla.testing import World, make_category, make_entity

THEMES = [
    {"code": "identidad", "name_es": "Identidad y documentos", "name_en": "Identity and documents"},
    {"code": "vehiculos", "name_es": "Vehículos y conducción", "name_en": "Vehicles and driving"},
    {"code": "impuestos", "name_es": "Impuestos", "name_en": "Taxes"},
    {"code": "empresa", "name_es": "Empresa y trabajo", "name_en": "Business and work"},
    {"code": "vivienda", "name_es": "Vivienda y propiedad", "name_en": "Housing and property"},
    {"code": "municipal", "name_es": "Servicios municipales", "name_en": "Municipal services"},
]

ENTITIES = [
    ("TE", "Tribunal Electoral", Entity.Kind.INDEPENDENT),
    ("APAP", "Autoridad de Pasaportes de Panamá", Entity.Kind.AUTHORITY),
    ("ATTT", "Autoridad del Tránsito y Transporte Terrestre", Entity.Kind.AUTHORITY),
    ("DGI", "Dirección General de Ingresos", Entity.Kind.AUTONOMOUS),
    ("PN", "Policía Nacional", Entity.Kind.AUTONOMOUS),
    ("MICI", "Ministerio de Comercio e Industrias", Entity.Kind.MINISTRY),
]


def _reviewed(days_ago: int) -> str:
    return (timezone.localdate() - dt.timedelta(days=days_ago)).isoformat()


def procedure_rows() -> list[dict]:
    return [
        {
            "slug": "cedula-primera-vez",
            "entity": "TE",
            "name": "Primera cédula de identidad personal",
            "name_en": "First personal identity card (cédula)",
            "summary": "Expedición de la primera cédula de identidad personal a panameños que cumplen la mayoría de edad.",
            "summary_en": "Issuance of the first identity card to Panamanians who come of age.",
            "who_may_apply": "Panameños que cumplen 18 años.",
            "requirements": ["Tener el nacimiento inscrito en el Registro Civil.", "Presentarse personalmente."],
            "documents": ["Cédula juvenil, si la tiene."],
            "steps": ["Acuda a una oficina de Cedulación.", "Permita la toma de foto y huellas.", "Retire su cédula."],
            "cost": "0.00",
            "cost_notes": "La cédula por primera vez no tiene costo.",
            "channels": {
                "online_url": "https://www.tribunal-electoral.gob.pa/",
                "offices": [{"name": "Sede central del Tribunal Electoral", "address": "Ancón, ciudad de Panamá", "hours": "Lunes a viernes, 8:00 a. m. a 4:00 p. m."}],
                "phone": "507-8000",
            },
            "legal_basis": "Código Electoral.",
            "keywords": ["cedula", "primera cedula", "identidad", "mayoria de edad"],
            "themes": ["identidad"],
            "last_reviewed": _reviewed(40),
            "source_url": "https://www.tribunal-electoral.gob.pa/",
        },
        {
            "slug": "cedula-duplicado",
            "entity": "TE",
            "name": "Duplicado de cédula por pérdida, hurto o deterioro",
            "name_en": "Replacement cédula (loss, theft or damage)",
            "summary": "Nueva impresión de la cédula cuando se perdió, fue robada o está deteriorada.",
            "summary_en": "A new print of the identity card when it was lost, stolen or damaged.",
            "requirements": ["Presentarse personalmente en una oficina del Tribunal Electoral."],
            "documents": ["Denuncia de hurto, si la cédula fue robada."],
            "steps": ["Solicite el duplicado.", "Pague la tasa.", "Retire la cédula."],
            "cost": "35.00",
            "channels": {"online_url": "", "offices": [{"name": "Oficinas distritales del Tribunal Electoral", "address": "En todo el país"}], "phone": "507-8000"},
            "keywords": ["cedula perdida", "duplicado", "robo de cedula"],
            "themes": ["identidad"],
            "last_reviewed": _reviewed(60),
        },
        {
            "slug": "certificado-nacimiento",
            "entity": "TE",
            "name": "Certificado de nacimiento",
            "name_en": "Birth certificate",
            "summary": "Certificación de los datos de la inscripción de nacimiento en el Registro Civil.",
            "summary_en": "Certified copy of a birth registration in the Civil Registry.",
            "documents": ["Número de cédula o datos del inscrito."],
            "steps": ["Solicítelo en línea o en una oficina.", "Pague la tasa.", "Descargue o retire el certificado."],
            "cost": "2.00",
            "channels": {"online_url": "https://www.tribunal-electoral.gob.pa/", "offices": [], "phone": ""},
            "keywords": ["partida de nacimiento", "acta de nacimiento"],
            "themes": ["identidad"],
            "last_reviewed": _reviewed(90),
        },
        {
            "slug": "pasaporte-ordinario",
            "entity": "APAP",
            "name": "Pasaporte ordinario (primera vez o renovación)",
            "name_en": "Ordinary passport (first-time or renewal)",
            "summary": "Expedición o renovación del pasaporte ordinario para viajar al extranjero.",
            "summary_en": "Issuance or renewal of the ordinary passport for travelling abroad.",
            "who_may_apply": "Panameños con cédula vigente.",
            "requirements": ["Cédula vigente.", "Pago de la tasa."],
            "documents": ["Cédula de identidad personal.", "Pasaporte anterior, si lo tiene."],
            "steps": ["Pague la tasa en el banco.", "Acuda a la Autoridad de Pasaportes.", "Retire su pasaporte."],
            "cost": "100.00",
            "duration": "Entrega el mismo día en la sede central.",
            "channels": {"online_url": "https://www.pasaportes.gob.pa/", "offices": [{"name": "Sede de la Autoridad de Pasaportes", "address": "Vía España, ciudad de Panamá", "hours": "Lunes a viernes, 7:30 a. m. a 3:30 p. m."}], "phone": "503-1000"},
            "legal_basis": "Ley 3 de 2015.",
            "keywords": ["pasaporte", "renovar pasaporte", "viajar"],
            "themes": ["identidad"],
            "last_reviewed": _reviewed(30),
            "source_url": "https://www.pasaportes.gob.pa/",
        },
        {
            "slug": "licencia-conducir-primera-vez",
            "entity": "ATTT",
            "name": "Licencia de conducir por primera vez",
            "name_en": "First driver's licence",
            "summary": "Licencia para conducir vehículos particulares, tras aprobar el curso y los exámenes.",
            "summary_en": "Licence to drive private vehicles, after passing the course and tests.",
            "requirements": ["Tener 18 años.", "Aprobar el examen teórico y el práctico."],
            "documents": ["Cédula.", "Certificado del curso de manejo.", "Certificado de tipo de sangre."],
            "steps": ["Tome el curso de manejo.", "Apruebe los exámenes.", "Pague y retire la licencia."],
            "cost": "40.00",
            "channels": {"online_url": "", "offices": [{"name": "Centros de licencias", "address": "En todo el país"}], "phone": ""},
            "keywords": ["licencia de conducir", "brevet", "examen de manejo"],
            "themes": ["vehiculos"],
            "last_reviewed": _reviewed(100),
        },
        {
            "slug": "licencia-conducir-renovacion",
            "entity": "ATTT",
            "name": "Renovación de licencia de conducir",
            "name_en": "Driver's licence renewal",
            "summary": "Renovación de la licencia de conducir vencida o por vencer.",
            "summary_en": "Renewal of an expired or expiring driver's licence.",
            "documents": ["Cédula.", "Licencia anterior.", "Certificado médico."],
            "steps": ["Haga el examen médico.", "Pague la renovación.", "Retire la licencia."],
            "cost": "40.00",
            "channels": {"online_url": "", "offices": [], "phone": ""},
            "keywords": ["renovar licencia", "brevet vencido"],
            "themes": ["vehiculos"],
            "last_reviewed": _reviewed(100),
        },
        {
            "slug": "record-policivo",
            "entity": "PN",
            "name": "Certificado de antecedentes penales",
            "name_en": "Criminal record certificate",
            "summary": "Certificado que indica si una persona tiene antecedentes penales, pedido para empleos y trámites migratorios.",
            "summary_en": "Certificate stating whether a person has a criminal record, asked for jobs and immigration.",
            "documents": ["Cédula o pasaporte."],
            "steps": ["Solicítelo en línea.", "Pague la tasa.", "Descargue el certificado."],
            "cost": "5.00",
            "channels": {"online_url": "https://www.panamadigital.gob.pa/", "offices": [], "phone": ""},
            "keywords": ["antecedentes", "certificado de antecedentes"],
            "themes": ["identidad"],
            "last_reviewed": _reviewed(200),
        },
        {
            "slug": "paz-y-salvo-dgi",
            "entity": "DGI",
            "name": "Certificado de paz y salvo de la DGI",
            "name_en": "DGI tax clearance certificate",
            "summary": "Certificado de que el contribuyente no tiene deudas tributarias con el Estado.",
            "summary_en": "Certificate that the taxpayer owes no national taxes.",
            "documents": ["Número de RUC."],
            "steps": ["Entre a e-Tax 2.0.", "Descargue el paz y salvo."],
            "cost": None,
            "cost_notes": "Gratuito en línea para quien está al día.",
            "channels": {"online_url": "https://etax2.mef.gob.pa/", "offices": [], "phone": ""},
            "keywords": ["paz y salvo nacional", "certificado tributario"],
            "themes": ["impuestos"],
            "last_reviewed": _reviewed(150),
        },
        {
            "slug": "inscripcion-ruc",
            "entity": "DGI",
            "name": "Inscripción en el Registro Único de Contribuyente",
            "name_en": "Taxpayer registration",
            "summary": "Registro de personas y empresas como contribuyentes ante la Dirección General de Ingresos.",
            "summary_en": "Registration of people and companies as taxpayers with the tax authority.",
            "documents": ["Cédula o pasaporte.", "Pacto social, si es una sociedad."],
            "steps": ["Complete el formulario en e-Tax 2.0.", "Reciba su número de contribuyente."],
            "cost": "0.00",
            "channels": {"online_url": "https://etax2.mef.gob.pa/", "offices": [], "phone": ""},
            "keywords": ["registro de contribuyente", "numero tributario"],
            "themes": ["impuestos", "empresa"],
            "last_reviewed": _reviewed(150),
        },
        {
            "slug": "aviso-de-operacion",
            "entity": "MICI",
            "name": "Aviso de operación",
            "name_en": "Business operating notice",
            "summary": "Registro en línea que permite iniciar una actividad comercial o industrial.",
            "summary_en": "Online registration that allows starting a commercial or industrial activity.",
            "documents": ["Cédula del titular.", "Dirección del establecimiento."],
            "steps": ["Ingrese a Panamá Emprende.", "Complete el formulario.", "Imprima el aviso."],
            "cost": None,
            "channels": {"online_url": "https://www.panamaemprende.gob.pa/", "offices": [], "phone": ""},
            "keywords": ["abrir negocio", "emprender"],
            "themes": ["empresa"],
            "last_reviewed": _reviewed(500),
        },
        {
            "slug": "placa-san-miguelito",
            "entity": "MUNSM",
            "name": "Impuesto de circulación y placa (San Miguelito)",
            "name_en": "",
            "summary": "Pago anual del impuesto de circulación vehicular y entrega de la placa o calcomanía en San Miguelito.",
            "summary_en": "",
            "documents": ["Registro vehicular.", "Revisado vigente."],
            "steps": ["Pase el revisado.", "Pague el impuesto.", "Retire la placa."],
            "cost": "26.00",
            "channels": {"online_url": "", "offices": [{"name": "Tesorería Municipal de San Miguelito", "address": "Paraíso, San Miguelito"}], "phone": ""},
            "keywords": ["placa", "calcomania", "impuesto de circulacion"],
            "themes": ["vehiculos", "municipal"],
            "last_reviewed": _reviewed(20),
        },
        {
            "slug": "conexion-agua-potable",
            "entity": "IDAAN",
            "name": "Solicitud de nueva conexión de agua potable",
            "name_en": "New drinking water connection",
            "summary": "Instalación de una nueva acometida de agua potable para una vivienda o un local.",
            "summary_en": "Installation of a new drinking water connection for a home or business.",
            "documents": ["Cédula del propietario.", "Certificado de propiedad de la finca.", "Paz y salvo del IDAAN."],
            "steps": ["Presente la solicitud.", "Espere la inspección.", "Pague la conexión."],
            "cost": None,
            "channels": {"online_url": "", "offices": [], "phone": "523-8570"},
            "keywords": ["agua", "conexion", "acometida"],
            "themes": ["vivienda"],
            "last_reviewed": _reviewed(10),
        },
    ]


def load_sample_catalog(world: World) -> dict[str, Procedure]:
    """The sample catalog on top of `build_world()`, and the outdated-information category."""
    for code, name, kind in ENTITIES:
        make_entity(code, name, kind)
    load_themes(THEMES)
    load_procedures(procedure_rows())
    category = make_category(
        "TRAMITE-INFO-DESACTUALIZADA",
        world.contact_center,
        public=False,
        name_es="Información desactualizada de un trámite",
        name_en="Outdated procedure information",
        sla_business_days=10,
    )
    CategoryAttribute.objects.create(
        category=category,
        code="dato_incorrecto",
        datatype=CategoryAttribute.Datatype.MULTIVALUELIST,
        description_es="¿Qué información está desactualizada?",
        description_en="What information is out of date?",
        values=[
            {"key": "requisitos", "name_es": "Requisitos", "name_en": "Requirements"},
            {"key": "costo", "name_es": "Costo", "name_en": "Fee"},
            {"key": "horario", "name_es": "Horario de atención", "name_en": "Opening hours"},
        ],
    )
    return {p.slug: p for p in Procedure.objects.select_related("entity")}
