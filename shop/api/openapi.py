"""The OpenAPI 3.1 description of /api/v1, written by hand next to the code it describes.

Each endpoint adds its path to PATHS and its bodies to SCHEMAS; openapi_document() puts them
together with the server URL of this installation.
"""

from shop.catalogue.forms import MAX_PAGE, MAX_PRICE_VND
from shop.catalogue.models import OcopGroup
from shop.catalogue.search import SORTS
from shop.checkout.cart import MAX_QUANTITY
from shop.checkout.forms import KEY_PATTERN, MAX_ITEMS
from shop.checkout.models import OrderStatus, PaymentMethod
from shop.places.directory import provinces
from shop.trace.models import EventType


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _problem_response(description: str, schema: str = "Problem") -> dict:
    return {
        "description": description,
        "content": {"application/problem+json": {"schema": _ref(schema)}},
    }


def _query(name: str, description: str, schema: dict, deprecated: bool = False) -> dict:
    parameter = {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
    }
    if deprecated:
        parameter["deprecated"] = True
    return parameter


PLACE_PROPERTIES: dict[str, dict] = {
    "commune": {"type": ["string", "null"], "examples": ["Xã Xuân Hòa"]},
    "commune_code": {"type": ["integer", "null"], "examples": [15520]},
    "province": {"type": ["string", "null"], "examples": ["Thanh Hóa"]},
    "province_code": {"type": ["integer", "null"], "examples": [38]},
    "district": {
        "type": ["string", "null"],
        "description": "The district before July 2025 (a note, never a key).",
        "examples": ["Thọ Xuân"],
    },
}

SCHEMAS: dict[str, dict] = {
    "Place": {
        "type": "object",
        "description": "Where something is since Vietnam's 1 July 2025 reform: a commune or ward "
        "and one of the 34 provinces, with the official codes of the General Statistics Office "
        "(from the vietnam-provinces data). `district` is the name of the district before the "
        "reform, kept only as a note (districts no longer exist); null when not known.",
        "required": list(PLACE_PROPERTIES),
        "properties": PLACE_PROPERTIES,
    },
    "ProductItem": {
        "type": "object",
        "description": "A listed product as it appears in search results.",
        "required": ["id", "slug", "name", "price_vnd", "stock", "ocop_stars", "gtin", "producer"],
        "properties": {
            "id": {"type": "integer"},
            "slug": {"type": "string", "description": "The product page is /products/{slug}."},
            "name": {"type": "string"},
            "price_vnd": {"type": "integer", "minimum": 0, "description": "Price in đồng."},
            "stock": {"type": "integer", "minimum": 0},
            "ocop_stars": {
                "type": ["integer", "null"],
                "enum": [3, 4, 5, None],
                "description": "Stars of the current verified OCOP certificate; null when none "
                "is current (a certificate is valid for 36 months).",
            },
            "gtin": {
                "type": ["string", "null"],
                "pattern": "^[0-9]{14}$",
                "description": "GTIN in its canonical 14-digit form.",
            },
            "producer": {
                "type": "object",
                "description": "The producer and where it is (see Place).",
                "required": ["name", *PLACE_PROPERTIES],
                "properties": {"name": {"type": "string"}, **PLACE_PROPERTIES},
            },
        },
    },
    "ProductList": {
        "type": "object",
        "required": ["items", "total", "page", "pages", "page_size"],
        "properties": {
            "items": {"type": "array", "items": _ref("ProductItem")},
            "total": {"type": "integer", "description": "Hits on all pages together."},
            "page": {"type": "integer", "minimum": 1},
            "pages": {"type": "integer", "minimum": 0},
            "page_size": {"type": "integer", "minimum": 1},
        },
    },
    "Certificate": {
        "type": "object",
        "description": "A current OCOP certificate: 3–4★ decided by the provincial People's "
        "Committee, 5★ by the Ministry.",
        "required": ["stars", "decision_number", "decision_date", "issuer", "expires_on"],
        "properties": {
            "stars": {"type": "integer", "enum": [3, 4, 5]},
            "decision_number": {"type": "string"},
            "decision_date": {"type": "string", "format": "date"},
            "issuer": {"type": "string"},
            "expires_on": {"type": "string", "format": "date"},
        },
    },
    "ProductDetail": {
        "allOf": [
            _ref("ProductItem"),
            {
                "type": "object",
                "required": ["description", "unit", "url", "photos", "certificate", "batches"],
                "properties": {
                    "description": {"type": "string"},
                    "unit": {"type": "string", "description": "What one item is: hộp, chai, kg…"},
                    "url": {"type": "string", "format": "uri"},
                    "photos": {"type": "array", "items": {"type": "string", "format": "uri"}},
                    "certificate": {"oneOf": [_ref("Certificate"), {"type": "null"}]},
                    "batches": {
                        "type": "array",
                        "description": "Its batches (lots) on sale, oldest first.",
                        "items": _ref("BatchLink"),
                    },
                },
            },
        ]
    },
    "BatchLink": {
        "type": "object",
        "required": ["lot", "url"],
        "properties": {
            "lot": {"type": "string"},
            "url": {
                "type": "string",
                "format": "uri",
                "description": "The origin page: the GS1 Digital Link its QR label carries.",
            },
        },
    },
    "CodeStatus": {
        "type": "string",
        "enum": ["active", "suspended", "revoked", "expired"],
        "description": "Only 'active' is valid; 'expired' is an active code past its expiry date.",
    },
    "GrowingArea": {
        "type": "object",
        "description": "The registered growing area (mã số vùng trồng) the batch came from.",
        "required": [
            "code",
            "status",
            "name",
            "crop",
            "area_hectares",
            "households",
            "location",
            "gap_scheme",
        ],
        "properties": {
            "code": {"type": "string"},
            "status": _ref("CodeStatus"),
            "name": {"type": "string"},
            "crop": {"type": "string"},
            "area_hectares": {"type": ["number", "null"], "minimum": 0},
            "households": {"type": ["integer", "null"], "minimum": 0},
            "location": {"type": "string", "description": "Commune or ward, province."},
            **PLACE_PROPERTIES,
            "gap_scheme": {"type": ["string", "null"], "enum": ["vietgap", "globalgap", None]},
        },
    },
    "PackingHouse": {
        "type": "object",
        "description": "The registered packing house (mã số cơ sở đóng gói).",
        "required": ["code", "status"],
        "properties": {"code": {"type": "string"}, "status": _ref("CodeStatus")},
    },
    "BatchEvent": {
        "type": "object",
        "required": [
            "seq",
            "type",
            "occurred_at",
            "place",
            "actor",
            "notes",
            "details",
            "corrects",
            "altered",
        ],
        "properties": {
            "seq": {"type": "integer", "minimum": 1, "description": "Order of recording."},
            "type": {"type": "string", "enum": [t.value for t in EventType]},
            "occurred_at": {
                "type": "string",
                "format": "date-time",
                "description": "Local time with its UTC offset (+07:00 in Vietnam).",
            },
            "place": {"type": "string"},
            "actor": {"type": "string"},
            "notes": {"type": "string"},
            "details": {
                "type": "object",
                "description": "What the step involved, e.g. input, dose, phi_days.",
            },
            "corrects": {
                "type": ["integer", "null"],
                "description": "seq of the event this one corrects; that event stays listed.",
            },
            "altered": {
                "type": "boolean",
                "description": "True when the stored record no longer matches its hash.",
            },
        },
    },
    "Batch": {
        "type": "object",
        "description": "A batch (lot) of a product: its origin and what happened to it.",
        "required": [
            "gtin",
            "lot",
            "product",
            "harvest_date",
            "packing_date",
            "best_before",
            "quantity",
            "quantity_unit",
            "url",
            "growing_area",
            "packing_house",
            "events",
            "chain_intact",
            "recall",
            "label_png_url",
            "label_pdf_url",
        ],
        "properties": {
            "gtin": {"type": "string", "pattern": "^[0-9]{14}$"},
            "lot": {"type": "string"},
            "product": _ref("ProductItem"),
            "harvest_date": {"type": ["string", "null"], "format": "date"},
            "packing_date": {"type": ["string", "null"], "format": "date"},
            "best_before": {"type": ["string", "null"], "format": "date"},
            "quantity": {"type": "integer", "minimum": 1},
            "quantity_unit": {"type": "string"},
            "url": {"type": "string", "format": "uri", "description": "The scan page."},
            "growing_area": {"oneOf": [_ref("GrowingArea"), {"type": "null"}]},
            "packing_house": {"oneOf": [_ref("PackingHouse"), {"type": "null"}]},
            "events": {
                "type": "array",
                "description": "Oldest first.",
                "items": _ref("BatchEvent"),
            },
            "chain_intact": {
                "type": "boolean",
                "description": "False when any record was changed after it was entered.",
            },
            "recall": {
                "description": "null, or the recall of this lot: do not sell or use it.",
                "oneOf": [
                    {"type": "null"},
                    {
                        "type": "object",
                        "required": ["reason", "advice", "recalled_at"],
                        "properties": {
                            "reason": {"type": "string"},
                            "advice": {"type": "string"},
                            "recalled_at": {"type": "string", "format": "date-time"},
                        },
                    },
                ],
            },
            "label_png_url": {"type": "string", "format": "uri"},
            "label_pdf_url": {
                "type": "string",
                "format": "uri",
                "description": "An A4 sheet of labels that all carry the batch URL.",
            },
        },
    },
    "OrderRequest": {
        "type": "object",
        "description": "What to order, for whom, and how it will be paid. Prices come from the "
        "shop, never from the request.",
        "required": ["items", "customer", "payment_method"],
        "properties": {
            "items": {
                "type": "array",
                "minItems": 1,
                "maxItems": MAX_ITEMS,
                "items": {
                    "type": "object",
                    "required": ["product_id", "quantity"],
                    "properties": {
                        "product_id": {"type": "integer", "minimum": 1},
                        "quantity": {"type": "integer", "minimum": 1, "maximum": MAX_QUANTITY},
                    },
                },
            },
            "customer": {
                "type": "object",
                "required": ["name", "phone", "email", "address", "province"],
                "properties": {
                    "name": {"type": "string", "maxLength": 120},
                    "phone": {
                        "type": "string",
                        "description": "A Vietnamese mobile number: 0xxxxxxxxx or +84xxxxxxxxx.",
                    },
                    "email": {"type": "string", "format": "email", "maxLength": 254},
                    "address": {"type": "string", "maxLength": 300},
                    "province": {
                        "type": "string",
                        "description": "One of the 34 provinces and cities since 1 July 2025: its "
                        "official code ('38') or its name, with or without diacritics or "
                        "'Thành phố' ('Thanh Hóa', 'thanh hoa', 'Hà Nội').",
                        "examples": [p.name for p in provinces()[:3]],
                    },
                    "commune": {
                        "type": "string",
                        "description": "Optional: the commune or ward in that province, by "
                        "official code ('15520') or name ('Xã Xuân Hòa', 'xuan hoa').",
                    },
                    "note": {"type": "string", "maxLength": 500},
                },
            },
            "payment_method": {
                "type": "string",
                "enum": [m.value for m in PaymentMethod],
                "description": "'stripe' only where the shop has card payments configured.",
            },
        },
    },
    "OrderCreated": {
        "type": "object",
        "required": ["code", "token", "status", "total_vnd", "payment"],
        "properties": {
            "code": {
                "type": "string",
                "pattern": "^[A-Z0-9]+$",
                "description": "Also the bank-transfer memo.",
            },
            "token": {
                "type": "string",
                "description": "Keep it private: it opens the order (X-Order-Token).",
            },
            "status": {"type": "string", "enum": ["pending_payment"]},
            "total_vnd": {"type": "integer", "minimum": 0},
            "payment": _ref("Payment"),
        },
    },
    "Payment": {
        "type": "object",
        "required": ["method"],
        "properties": {
            "method": {"type": "string", "enum": [m.value for m in PaymentMethod]},
            "vietqr_payload": {
                "type": ["string", "null"],
                "description": "The EMVCo VietQR string for the total, while the order awaits "
                "payment (bank transfer orders).",
            },
            "checkout_url": {
                "type": "string",
                "format": "uri",
                "description": "Stripe's hosted payment page (card orders); the shop's order "
                "page when Stripe could not be reached.",
            },
            "paid_at": {"type": ["string", "null"], "format": "date-time"},
        },
    },
    "OrderItem": {
        "type": "object",
        "required": ["product_id", "name", "quantity", "unit_price_vnd", "lot"],
        "properties": {
            "product_id": {"type": ["integer", "null"]},
            "name": {"type": "string"},
            "quantity": {"type": "integer", "minimum": 1},
            "unit_price_vnd": {"type": "integer", "minimum": 0},
            "lot": {
                "type": ["string", "null"],
                "description": "The lot these units came from (a product sold from two lots "
                "has two items).",
            },
            "lot_url": {"type": ["string", "null"], "format": "uri"},
        },
    },
    "Order": {
        "type": "object",
        "required": ["code", "status", "total_vnd", "items", "payment"],
        "properties": {
            "code": {"type": "string"},
            "status": {"type": "string", "enum": [s.value for s in OrderStatus]},
            "subtotal_vnd": {"type": "integer"},
            "shipping_vnd": {"type": "integer"},
            "total_vnd": {"type": "integer"},
            "created_at": {"type": "string", "format": "date-time"},
            "expires_at": {
                "type": "string",
                "format": "date-time",
                "description": "Unpaid by then, the order expires and its stock is released.",
            },
            "items": {"type": "array", "items": _ref("OrderItem")},
            "payment": _ref("Payment"),
        },
    },
    "OutOfStockProblem": {
        "allOf": [
            _ref("Problem"),
            {
                "type": "object",
                "required": ["product_id", "product_name", "available"],
                "properties": {
                    "product_id": {"type": "integer"},
                    "product_name": {"type": "string"},
                    "available": {"type": "integer", "minimum": 0},
                },
            },
        ]
    },
    "Problem": {
        "type": "object",
        "description": "RFC 9457 problem details.",
        "required": ["type", "title", "status"],
        "properties": {
            "type": {"type": "string"},
            "title": {"type": "string"},
            "status": {"type": "integer"},
            "detail": {"type": "string"},
        },
    },
    "ValidationProblem": {
        "allOf": [
            _ref("Problem"),
            {
                "type": "object",
                "required": ["errors"],
                "properties": {
                    "errors": {
                        "type": "object",
                        "description": "Messages for each invalid query parameter or field "
                        "(customer.phone, items[0].quantity…).",
                        "additionalProperties": {"type": "array", "items": {"type": "string"}},
                    }
                },
            },
        ]
    },
}

PATHS: dict[str, dict] = {
    "/products": {
        "get": {
            "operationId": "listProducts",
            "summary": "Search listed products",
            "description": "Words match with or without Vietnamese diacritics, in the product "
            "or its producer ('nuoc mam' finds 'Nước mắm'). A page past the last one is empty.",
            "parameters": [
                _query("q", "Search words.", {"type": "string", "maxLength": 100}),
                _query(
                    "group", "OCOP group.", {"type": "string", "enum": [g.value for g in OcopGroup]}
                ),
                _query(
                    "stars",
                    "Exactly this many current OCOP stars.",
                    {"type": "integer", "enum": [3, 4, 5]},
                ),
                _query(
                    "province",
                    "The producer's province: official code ('38') or name, with or without "
                    "diacritics or 'Thành phố' ('Thanh Hóa', 'thanh hoa').",
                    {"type": "string"},
                ),
                _query(
                    "commune",
                    "The producer's commune or ward: official code ('15520') or name ('Xã Xuân "
                    "Hòa', 'xuan hoa'); a name found in several provinces matches all of them "
                    "unless `province` narrows it.",
                    {"type": "string"},
                ),
                _query(
                    "district",
                    "Deprecated: the producer's district before July 2025 (districts no longer "
                    "exist), with or without diacritics. Use `commune` and `province`.",
                    {"type": "string"},
                    deprecated=True,
                ),
                _query(
                    "price_min",
                    "Lowest price in đồng.",
                    {"type": "integer", "minimum": 0, "maximum": MAX_PRICE_VND},
                ),
                _query(
                    "price_max",
                    "Highest price in đồng.",
                    {"type": "integer", "minimum": 0, "maximum": MAX_PRICE_VND},
                ),
                _query(
                    "sort",
                    "Order of the results.",
                    {"type": "string", "enum": list(SORTS), "default": "relevance"},
                ),
                _query(
                    "page",
                    "Page number, from 1.",
                    {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1},
                ),
            ],
            "responses": {
                "200": {
                    "description": "One page of results.",
                    "content": {"application/json": {"schema": _ref("ProductList")}},
                },
                "422": _problem_response("A query parameter is not valid.", "ValidationProblem"),
            },
        }
    },
    "/products/{id}": {
        "get": {
            "operationId": "getProduct",
            "summary": "One listed product",
            "parameters": [
                {
                    "name": "id",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "integer", "minimum": 1},
                }
            ],
            "responses": {
                "200": {
                    "description": "The product.",
                    "content": {"application/json": {"schema": _ref("ProductDetail")}},
                },
                "404": _problem_response("No listed product has this id."),
            },
        }
    },
    "/batches/{gtin}/{lot}": {
        "get": {
            "operationId": "getBatch",
            "summary": "One batch (lot) with its origin and events",
            "description": "The same facts as the scan page /01/{gtin}/10/{lot}.",
            "parameters": [
                {
                    "name": "gtin",
                    "in": "path",
                    "required": True,
                    "description": "GTIN-8, -12, -13 or -14 with a valid check digit.",
                    "schema": {"type": "string", "pattern": "^([0-9]{8}|[0-9]{12,14})$"},
                },
                {
                    "name": "lot",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "string", "minLength": 1, "maxLength": 20},
                },
            ],
            "responses": {
                "200": {
                    "description": "The batch.",
                    "content": {"application/json": {"schema": _ref("Batch")}},
                },
                "404": _problem_response("No batch has this GTIN and lot."),
            },
        }
    },
    "/orders": {
        "post": {
            "operationId": "createOrder",
            "summary": "Place an order",
            "description": "Reserves the stock (and the lots it comes from) for "
            "ORDER_RESERVATION_MINUTES; unpaid by then, the order expires. Send an "
            "Idempotency-Key to retry safely: the same key and body answer the same order.",
            "parameters": [
                {
                    "name": "Idempotency-Key",
                    "in": "header",
                    "required": False,
                    "description": "8–64 letters, digits, '-', '_', ':' or '.'.",
                    "schema": {"type": "string", "pattern": f"^{KEY_PATTERN.pattern}$"},
                }
            ],
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": _ref("OrderRequest")}},
            },
            "responses": {
                "201": {
                    "description": "The order, awaiting payment.",
                    "headers": {"Location": {"schema": {"type": "string"}}},
                    "content": {"application/json": {"schema": _ref("OrderCreated")}},
                },
                "200": {
                    "description": "This Idempotency-Key placed the order before: the same answer.",
                    "content": {"application/json": {"schema": _ref("OrderCreated")}},
                },
                "409": _problem_response(
                    "A product has too little stock left (named in the problem).",
                    "OutOfStockProblem",
                ),
                "415": _problem_response("The body is not application/json."),
                "422": _problem_response(
                    "Invalid input, an unknown or unlisted product, or an Idempotency-Key "
                    "used for a different order.",
                    "ValidationProblem",
                ),
            },
        }
    },
    "/orders/{code}": {
        "get": {
            "operationId": "getOrder",
            "summary": "An order's status, items and payment",
            "parameters": [
                {"name": "code", "in": "path", "required": True, "schema": {"type": "string"}},
                {
                    "name": "X-Order-Token",
                    "in": "header",
                    "required": True,
                    "description": "The token returned when the order was placed.",
                    "schema": {"type": "string"},
                },
            ],
            "responses": {
                "200": {
                    "description": "The order.",
                    "content": {"application/json": {"schema": _ref("Order")}},
                },
                "404": _problem_response("No order has this code and token."),
            },
        }
    },
    "/openapi.json": {
        "get": {
            "operationId": "getOpenApi",
            "summary": "This document",
            "responses": {
                "200": {"description": "OpenAPI 3.1 document.", "content": {"application/json": {}}}
            },
        }
    },
}


def openapi_document(base_url: str) -> dict:
    """The whole description, with this installation's public origin as the server."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "OCOP Shop API",
            "version": "1.0.0",
            "description": "Certified OCOP farm products and their origin. Money is in whole đồng; "
            "errors are application/problem+json.",
            "license": {"name": "AGPL-3.0-or-later", "identifier": "AGPL-3.0-or-later"},
        },
        "servers": [{"url": base_url.rstrip("/") + "/api/v1"}],
        "paths": PATHS,
        "components": {"schemas": SCHEMAS},
    }
