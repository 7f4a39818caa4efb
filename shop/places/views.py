"""The communes of one province as JSON, for the commune <select> of every place form."""

from flask import Blueprint, jsonify, request
from flask_babel import gettext as _

from shop.places.directory import communes_of, data_version, province
from shop.site.errors import problem

bp = Blueprint("places", __name__, url_prefix="/places")
MAX_AGE = 7 * 24 * 3600  # the list changes only with the package (a new release, a deploy)


@bp.get("/provinces/<int(max=999):code>/communes.json")
def communes(code: int):
    """[{code, name}…] in reading order; cached by browsers and proxies for a week."""
    found = province(code)
    if found is None:
        return problem(404, _("Province not found"), _("No province has this code."))
    response = jsonify(
        province={"code": found.code, "name": found.name},
        communes=[{"code": c.code, "name": c.name} for c in communes_of(code)],
        data_version=data_version(),
    )
    response.cache_control.public = True
    response.cache_control.max_age = MAX_AGE
    response.add_etag()
    return response.make_conditional(request)
