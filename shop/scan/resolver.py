"""GS1 Digital Link resolver behaviour (GS1-Conformant Resolver 1.2): link types, linksets, CORS.

On a scan URL, `?linkType=linkset` (or `all`, or Accept: application/linkset+json) answers the
RFC 9264 linkset, `?linkType=gs1:<type>` redirects to that link (404 when there is none), and
Accept: application/ld+json gets the batch's events as EPCIS 2.0. Without a link type the page
is the default link. Every answer carries CORS headers and a Link header to its linkset;
/.well-known/gs1resolver describes all this to other resolvers.
"""

import json
from urllib.parse import urlencode, urlsplit, urlunsplit

from flask import current_app, redirect, request, url_for
from flask_babel import gettext as _

from shop.catalogue.models import Product
from shop.scan import epcis
from shop.scan.links import absolute, batch_url
from shop.scan.timeline import build_timeline
from shop.trace.models import Batch

GS1_VOCABULARY = "https://ref.gs1.org/voc/"
#: Spellings of the GS1 Web vocabulary a request may use (its older namespaces included).
VOCABULARY_PREFIXES = (
    "gs1:",
    GS1_VOCABULARY,
    "http://ref.gs1.org/voc/",
    "https://gs1.org/voc/",
    "http://gs1.org/voc/",
    "https://www.gs1.org/voc/",
)
LINKSET_TYPE = "application/linkset+json"
LINKSET_CONTEXT = "https://ref.gs1.org/standards/resolver/linkset-context"
LINK_TYPES = ("pip", "traceability", "certificationInfo", "defaultLink")
NEGOTIATED = ("text/html", epcis.MEDIA_TYPE, LINKSET_TYPE)
LINKSET = "linkset"
UNKNOWN = "unknown"
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Accept-Language, Content-Type, Cache-Control, Range",
    "Access-Control-Expose-Headers": "Link, Location, Vary, Content-Type, Content-Language",
    "Access-Control-Max-Age": "86400",
}


class Unavailable(Exception):
    """A link type was asked for that this identifier has no link of (answered 404)."""


def link_type(value: str | None) -> str | None:
    """'gs1:pip', 'https://ref.gs1.org/voc/pip' → 'pip'; 'linkset'/'all' → 'linkset';
    no link type → None; anything else → UNKNOWN."""
    value = (value or "").strip()
    if not value:
        return None
    if value in ("linkset", "all"):
        return LINKSET
    for prefix in VOCABULARY_PREFIXES:
        if value.startswith(prefix) and value[len(prefix) :] in LINK_TYPES:
            return value[len(prefix) :]
    return UNKNOWN


def allow_cross_origin(response):
    """CORS for a resolver answer: any origin may read it (a browser-based scanner)."""
    response.headers.update(CORS_HEADERS)
    return response


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


def default_link(href: str, title: str) -> dict[str, list[dict]]:
    """The one default link of an identifier: a target and a title, nothing else (1.2 §5.6)."""
    return {"defaultLink": [{"href": href, "title": title}]}


def batch_links(batch: Batch, anchor: str) -> dict[str, list[dict]]:
    """The links of a batch (or unit) URL, keyed by GS1 link type without prefix."""
    traceability = f"{anchor}?linkType=gs1:traceability"
    api = absolute(url_for("api.batch", gtin=batch.product.gtin, lot=batch.lot))
    links = {
        **default_link(anchor, _("Origin of this batch")),
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
    """The links of /01/<gtin> of a listed product: its page (the default), its certificate,
    its batches on sale."""
    links = product_page_links(product)
    batches = [b for b in product.batches if b.on_sale]
    if batches:
        links["traceability"] = [
            {"href": batch_url(b), "title": _("Batch %(lot)s", lot=b.lot), "type": "text/html"}
            for b in batches
        ]
    links.update(default_link(links["pip"][0]["href"], links["pip"][0]["title"]))
    return links


def product_anchor(product: Product) -> str:
    return absolute(url_for("scan.product", gtin=product.gtin))


def linkset(*levels: tuple[str, dict[str, list[dict]]]) -> dict:
    """An RFC 9264 JSON linkset, one context per level of the identifier up to its GTIN."""
    contexts = []
    for anchor, links in levels:
        context = {"anchor": anchor}
        context.update({GS1_VOCABULARY + name: targets for name, targets in links.items()})
        contexts.append(context)
    return {"linkset": contexts}


def json_response(document: dict, content_type: str):
    body = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    response = current_app.response_class(body, content_type=content_type)
    response.vary.add("Accept")
    return response


def linkset_response(anchor: str, *levels):
    response = json_response(linkset(*levels), LINKSET_TYPE)
    response.headers["Link"] = ", ".join(
        (
            linkset_header(anchor),
            f'<{LINKSET_CONTEXT}>; rel="http://www.w3.org/ns/json-ld#context"; '
            'type="application/ld+json"',
        )
    )
    return response


def epcis_response(batch: Batch):
    def media_url(name: str) -> str:
        return absolute(url_for("site.media", name=name))

    document = epcis.epcis_document(batch, build_timeline(batch), media_url)
    return json_response(document, epcis.MEDIA_TYPE)


def passed_on(href: str, args) -> str:
    """The target with the request's query string passed on (all but linkType), 1.2 §5.19."""
    pairs = [(k, v) for k, v in args.items(multi=True) if k != "linkType"]
    if not pairs:
        return href
    scheme, netloc, path, query, fragment = urlsplit(href)
    query = "&".join(part for part in (query, urlencode(pairs)) if part)
    return urlunsplit((scheme, netloc, path, query, fragment))


def redirect_to(href: str, anchor: str, args):
    """A 307 to a link, pointing at the linkset of the identifier it was asked for."""
    response = redirect(passed_on(href, args), 307)
    response.headers["Link"] = linkset_header(anchor)
    response.vary.add("Accept")
    return response


def wants_linkset(wanted: str | None) -> bool:
    return wanted == LINKSET or (wanted is None and negotiated() == LINKSET_TYPE)


def best_link(targets: list[dict]) -> dict:
    """Of several links of one type, the one whose media type the client accepts best."""
    types = [target.get("type", "text/html") for target in targets]
    return targets[types.index(request.accept_mimetypes.best_match(types, default=types[0]))]


def answer_for_batch(batch: Batch, anchor: str, args):
    """A resolver answer for a batch or unit URL, or None when the page itself is wanted."""
    wanted = link_type(args.get("linkType"))
    links = batch_links(batch, anchor)
    if wants_linkset(wanted):
        levels = [(anchor, links)]
        if batch.product.is_listed:
            levels.append((product_anchor(batch.product), product_links(batch.product)))
        return linkset_response(anchor, *levels)
    if wanted is None and negotiated() == epcis.MEDIA_TYPE:
        return epcis_response(batch)
    if wanted is None or wanted == "defaultLink":
        return None
    if wanted not in links:
        raise Unavailable(wanted)
    target = best_link(links[wanted])
    if target.get("type") == epcis.MEDIA_TYPE:
        return epcis_response(batch)  # that link is this very URL: answered here
    return redirect_to(target["href"], anchor, args)


def answer_for_product(product: Product, anchor: str, args):
    """The resolver answer for /01/<gtin> of a listed product: its linkset, or a link (307)."""
    wanted = link_type(args.get("linkType"))
    links = product_links(product)
    if wants_linkset(wanted):
        return linkset_response(anchor, (anchor, links))
    targets = links.get(wanted or "defaultLink")
    if targets is None:
        raise Unavailable(wanted)
    return redirect_to(best_link(targets)["href"], anchor, args)


def linkset_header(anchor: str) -> str:
    """The HTTP Link header pointing at a URL's linkset (GS1 resolver standard)."""
    return f'<{anchor}?linkType=linkset>; rel="linkset"; type="{LINKSET_TYPE}"'


def same_as_header(uncompressed: str) -> str:
    """Link header of a compressed request: the uncompressed URI it stands for (1.2 §5.5)."""
    return f'<{uncompressed}>; rel="owl:sameAs"'


def resolver_description() -> dict:
    """/.well-known/gs1resolver: what this resolver understands (GS1 description schema 1.2)."""
    return {
        "name": current_app.config["SHOP_NAME"],
        "resolverRoot": current_app.config["SHOP_BASE_URL"].rstrip("/"),
        "supportedPrimaryKeys": ["01"],
        "supportedLinkType": [{"namespace": GS1_VOCABULARY, "prefix": "gs1:"}],
        "linkTypeDefaultCanBeLinkset": False,
        "jsonLdContextLocation": LINKSET_CONTEXT,
        "contact": {"fn": current_app.config["SHOP_NAME"]},
    }
