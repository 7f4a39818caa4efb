"""The producer's public profile, as the farmer keeps it. Functions flush; views commit."""

from shop.extensions import db
from shop.farm.forms import ProfileForm
from shop.producers.models import Producer


def update_profile(producer: Producer, form: ProfileForm) -> Producer:
    """Copy the form onto the producer; the slug stays, so shared links keep working."""
    producer.name = form.name.data.strip()
    producer.story = (form.story.data or "").strip()
    producer.address = (form.address.data or "").strip()
    producer.set_place(form.province.place, form.commune.place)
    producer.district = form.district.data
    producer.phone = form.phone.data
    producer.email = (form.email.data or "").strip().lower()
    if form.stored_photo:
        producer.photo = form.stored_photo
    elif form.remove_photo.data:
        producer.photo = None
    db.session.flush()
    return producer
