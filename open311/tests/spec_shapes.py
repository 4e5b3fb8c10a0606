"""The shape of every GeoReport v2 answer, as the examples of the specification lay it out
(http://wiki.open311.org/GeoReport_v2): element names, nesting and order. Values are ours.

The contract tests compare our XML against these skeletons tag by tag, and our JSON keys against the
same order (the spec's JSON is the Spark mapping of its XML).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

DISCOVERY = """<discovery>
  <changeset>2026-01-01T00:00:00-05:00</changeset><contact>x</contact><key_service>x</key_service>
  <endpoints><endpoint>
    <specification>http://wiki.open311.org/GeoReport_v2</specification><url>x</url>
    <changeset>x</changeset><type>production</type><formats><format>text/xml</format></formats>
  </endpoint></endpoints>
</discovery>"""

SERVICES = """<services><service>
  <service_code>x</service_code><service_name>x</service_name><description>x</description>
  <metadata>true</metadata><type>realtime</type><keywords>x</keywords><group>x</group>
</service></services>"""

SERVICE_DEFINITION = """<service_definition>
  <service_code>x</service_code>
  <attributes><attribute>
    <variable>true</variable><code>x</code><datatype>singlevaluelist</datatype><required>true</required>
    <datatype_description></datatype_description><order>1</order><description>x</description>
    <values><value><key>x</key><name>x</name></value></values>
  </attribute></attributes>
</service_definition>"""

# The spec returns either service_request_id or token; we return both (see docs/open311.md), the token
# right after the id, where the spec's field table lists it.
POST_RESPONSE = """<service_requests><request>
  <service_request_id>x</service_request_id><token>x</token><service_notice></service_notice><account_id></account_id>
</request></service_requests>"""

TOKEN = """<service_requests><request>
  <service_request_id>x</service_request_id><token>x</token>
</request></service_requests>"""

REQUESTS = """<service_requests><request>
  <service_request_id>x</service_request_id><status>open</status><status_notes></status_notes>
  <service_name>x</service_name><service_code>x</service_code><description></description>
  <agency_responsible></agency_responsible><service_notice></service_notice>
  <requested_datetime>x</requested_datetime><updated_datetime>x</updated_datetime>
  <expected_datetime>x</expected_datetime><address>x</address><address_id>x</address_id>
  <zipcode>x</zipcode><lat>1</lat><long>1</long><media_url>x</media_url>
</request></service_requests>"""

ERRORS = """<errors><error><code>403</code><description>x</description></error></errors>"""


def tags(xml: str) -> list[str]:
    """The child element names of the first item (or of the root when it is not a list)."""
    return [child.tag for child in first_item(ET.fromstring(xml))]


def first_item(root: ET.Element) -> ET.Element:
    if root.tag in ("services", "service_requests", "errors"):
        return root[0]
    return root
