"""GS1 Digital Link resolver behaviour: link types, RFC 9264 linksets, content negotiation.

On a scan URL, `?linkType=all` (or Accept: application/linkset+json) answers the linkset,
`?linkType=gs1:<type>` goes to that link, and Accept: application/ld+json gets the batch's
events as EPCIS 2.0. Anything else — including a link type we do not have — gets the page,
which is the default link. /.well-known/gs1resolver describes all this to other resolvers.
"""

import json

from flask import current_app, redirect, request, url_for
from flask_babel import gettext as _

from shop.catalogue.models import Product
from shop.scan import epcis
from shop.scan.links import absolute, batch_url
from shop.scan.timeline import build_timeline
from shop.trace.models import Batch

GS1_VOCABULARY = "https://gs1.org/voc/"
LINKSET_TYPE = "application/linkset+json"
LINK_TYPES = ("pip", "traceability", "certificationInfo", "defaultLink")
NEGOTIATED = ("text/html", epcis.MEDIA_TYPE, LINKSET_TYPE)


def link_type(value: str | None) -> str | None:
    """'gs1:pip', 'https://gs1.org/voc/pip' → 'pip'; 'all' stays; anything else → None."""
    value = (value or "").strip()
    if value == "all":
        return "all"
    for prefix in ("gs1:", GS1_VOCABULARY, "http://gs1.org/voc/"):
        if value.startswith(prefix) and value[len(prefix) :] in LINK_TYPES:
            return value[len(prefix) :]
    return None


def negotiated() -> str:
    """What the client prefers of the page, the EPCIS events and the linkset."""
    return request.accept_mimetypes.best_match(NEGOTIATED, default="text/html")


def _languages() -> list[str]:
    return list(current_app.config["LANGUAGES"])


def product_page_links(product: Product) -> dict[str, list[dict]]:
    """pip and certificationInfo: only for a listed product, and only a current certificate."""
    if not product.is_listed:
        return {}
    page = absolute(url_for("catalogue.product", slug=product.slug))
    links = {
        "pip": [
            {
                "href": page,
                "title": _("Product page"),
                "type": "text/html",
                "hreflang": _languages(),
            }
        ]
    }
    if product.current_certificate() is not None:
        links["certificationInfo"] = [
            {"href": page, "title": _("OCOP certificate"), "type": "text/html"}
        ]
    return links


def batch_links(batch: Batch, anchor: str) -> dict[str, list[dict]]:
    """The links of a batch (or unit) URL, keyed by GS1 link type without prefix."""
    traceability = f"{anchor}?linkType=gs1:traceability"
    api = absolute(url_for("api.batch", gtin=batch.product.gtin, lot=batch.lot))
    links = {
        "defaultLink": [
            {
                "href": anchor,
                "title": _("Origin of this batch"),
                "type": "text/html",
                "hreflang": _languages(),
            }
        ],
        **product_page_links(batch.product),
        "traceability": [
            {"href": traceability, "title": _("Events (EPCIS 2.0)"), "type": epcis.MEDIA_TYPE},
            {"href": api, "title": _("Batch and events (JSON)"), "type": "application/json"},
        ],
    }
    if batch.product.current_certificate() is not None:
        links["certificationInfo"] = [
            {"href": f"{anchor}#certificate", "title": _("OCOP certificate"), "type": "text/html"}
        ]
    return links


def product_links(product: Product) -> dict[str, list[dict]]:
    """The links of /01/<gtin>: the product page, its certificate, its batches on sale."""
    links = product_page_links(product)
    batches = [b for b in product.batches if b.on_sale]
    if batches:
        links["traceability"] = [
            {"href": batch_url(b), "title": _("Batch %(lot)s", lot=b.lot), "type": "text/html"}
            for b in batches
        ]
    if "pip" in links:
        links["defaultLink"] = links["pip"]
    return links


def linkset(anchor: str, links: dict[str, list[dict]]) -> dict:
    """An RFC 9264 JSON linkset with GS1 link relation types as full URIs."""
    context = {"anchor": anchor}
    context.update({GS1_VOCABULARY + name: targets for name, targets in links.items()})
    return {"linkset": [context]}


def json_response(document: dict, content_type: str):
    body = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    response = current_app.response_class(body, content_type=content_type)
    response.vary.add("Accept")
    return response


def linkset_response(anchor: str, links: dict[str, list[dict]]):
    return json_response(linkset(anchor, links), LINKSET_TYPE)


def epcis_response(batch: Batch):
    def media_url(name: str) -> str:
        return absolute(url_for("site.media", name=name))

    document = epcis.epcis_document(batch, build_timeline(batch), media_url)
    return json_response(document, epcis.MEDIA_TYPE)


def answer_for_batch(batch: Batch, anchor: str):
    """A resolver answer for a batch or unit URL, or None when the page itself is wanted."""
    wanted = link_type(request.args.get("linkType"))
    if wanted == "all" or (wanted is None and negotiated() == LINKSET_TYPE):
        return linkset_response(anchor, batch_links(batch, anchor))
    if wanted == "traceability" or (wanted is None and negotiated() == epcis.MEDIA_TYPE):
        return epcis_response(batch)
    links = batch_links(batch, anchor)
    if wanted in links and wanted != "defaultLink":
        return redirect(links[wanted][0]["href"], 307)
    return None


def answer_for_product(product: Product, anchor: str):
    """The resolver answer for /01/<gtin> of a listed product: its linkset, or a link (307)."""
    wanted = link_type(request.args.get("linkType"))
    links = product_links(product)
    if wanted == "all" or (wanted is None and negotiated() == LINKSET_TYPE):
        return linkset_response(anchor, links)
    target = links.get(wanted or "defaultLink") or links["defaultLink"]
    return redirect(target[0]["href"], 307)


def linkset_header(anchor: str) -> str:
    """The HTTP Link header pointing at a URL's linkset (GS1 resolver standard)."""
    return f'<{anchor}?linkType=all>; rel="linkset"; type="{LINKSET_TYPE}"'


def resolver_description() -> dict:
    """/.well-known/gs1resolver: what this resolver understands."""
    return {
        "name": current_app.config["SHOP_NAME"],
        "resolverRoot": current_app.config["SHOP_BASE_URL"].rstrip("/"),
        "supportedPrimaryKeys": ["gtin"],
        "supportedQualifiers": ["10", "21"],
        "supportedLinkTypes": [
            {
                "namespace": GS1_VOCABULARY,
                "prefix": "gs1:",
                "profile": "https://gs1.org/voc/?show=linktypes",
                "linkTypes": [f"gs1:{name}" for name in LINK_TYPES],
            }
        ],
        "linkTypeDefaultCanBeLinkset": False,
        "linksetMediaType": LINKSET_TYPE,
        "supportedLanguages": _languages(),
        "contentNegotiation": {
            "text/html": "the origin page",
            epcis.MEDIA_TYPE: "the batch's events as an EPCIS 2.0 document",
            LINKSET_TYPE: "the linkset (same as linkType=all)",
        },
    }
