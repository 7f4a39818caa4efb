"""Cart, checkout and the customer's order pages."""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.exc import OperationalError

from shop.checkout import cart as carts
from shop.checkout.forms import (
    CartAddForm,
    CartRemoveForm,
    CartUpdateForm,
    CheckoutForm,
    OrderTokenForm,
)
from shop.checkout.models import Order, OrderStatus, PaymentMethod
from shop.checkout.orders import (
    AlreadyPlaced,
    CannotOrder,
    KeyReused,
    cancel_order,
    find_order,
    place_order,
    placed_with_key,
    send_order_emails,
)
from shop.checkout.payment import card_payment_url, card_payments_offered, close_card_payment
from shop.checkout.queries import customer_orders, last_order, lock_order_for_change
from shop.checkout.shipping import shipping_fee
from shop.extensions import db

bp = Blueprint("checkout", __name__)


@bp.app_context_processor
def cart_context():
    """`cart_units()` for the header: called only by templates that show it."""
    return {"cart_units": lambda: carts.cart_units(current_user)}


def _first_error(form) -> str:
    return next(str(m) for messages in form.errors.values() for m in messages)


def render_cart(status: int = 200, error: str | None = None):
    cart = carts.load_cart(current_user)
    config = current_app.config
    return render_template(
        "checkout/cart.html",
        cart=cart,
        error=error,
        free_from=config.get("FREE_SHIPPING_FROM_VND"),
        shipping_fees=sorted(
            set(config["SHIPPING_FEES_VND"].values()) | {config["SHIPPING_FEE_VND"]}
        ),
    ), status


@bp.get("/cart")
def cart():
    return render_cart()


@bp.post("/cart/add")
def cart_add():
    """From the product page: add, capped by the stock; a product not on sale is refused."""
    form = CartAddForm()
    if not form.validate():
        return render_cart(400, _first_error(form))
    try:
        product, note = carts.add_to_cart(current_user, form.product_id.data, form.quantity.data)
    except carts.CartRefused as refusal:
        db.session.rollback()
        return render_cart(409, str(refusal.message))
    db.session.commit()
    flash(
        str(note) if note else _("Added “%(name)s” to your cart.", name=product.name),
        "info" if note else "success",
    )
    return redirect(url_for(".cart"), 303)


@bp.post("/cart/update")
def cart_update():
    form = CartUpdateForm()
    if not form.validate():
        return render_cart(400, _first_error(form))
    try:
        note = carts.set_quantity(current_user, form.product_id.data, form.new_quantity)
    except carts.CartRefused as refusal:
        db.session.rollback()
        return render_cart(409, str(refusal.message))
    db.session.commit()
    if note:
        flash(str(note), "info")
    return redirect(url_for(".cart"), 303)


@bp.post("/cart/remove")
def cart_remove():
    form = CartRemoveForm()
    if not form.validate():
        return render_cart(400, _first_error(form))
    carts.remove_from_cart(current_user, form.product_id.data)
    db.session.commit()
    return redirect(url_for(".cart"), 303)


def _customer():
    return current_user if current_user.is_authenticated else None


def render_checkout(form: CheckoutForm, cart, status: int = 200, error: str | None = None):
    province = form.province.data or ""
    shipping = shipping_fee(province, cart.subtotal_vnd)  # free from the threshold, anywhere
    return render_template(
        "checkout/checkout.html",
        form=form,
        cart=cart,
        error=error,
        shipping=shipping if province or shipping == 0 else None,
    ), status


@bp.route("/checkout", methods=["GET", "POST"])
def checkout():
    """Who and where, how to pay; placing the order reserves the stock (one order per key)."""
    form = CheckoutForm()
    if form.is_submitted() and (placed := placed_with_key(form.idempotency_key.data)):
        return _show_placed(*placed)  # a double click: the first click's order
    cart = carts.load_cart(current_user)
    if cart.is_empty or cart.has_problems:
        if not cart.is_empty:
            flash(_("Some items in your cart cannot be ordered as they are."), "error")
        return redirect(url_for(".cart"), 303)
    form.prefill(current_user, last_order(current_user) if _customer() else None)
    if not form.validate_on_submit():
        return render_checkout(form, cart, 400 if form.is_submitted() else 200)
    return _place(form, cart)


def _place(form: CheckoutForm, cart):
    """Place the order, empty the cart, send the e-mail, go and pay; or say why not."""
    try:
        order, token = place_order(
            cart.items(),
            form.customer(),
            form.payment_method.data,
            user=_customer(),
            idempotency_key=form.idempotency_key.data,
        )
    except AlreadyPlaced as placed:
        db.session.rollback()
        return _show_placed(placed.order, placed.token)
    except (CannotOrder, KeyReused) as refusal:
        db.session.rollback()
        message = getattr(refusal, "message", _("Please check your order and try again."))
        return render_checkout(form, carts.load_cart(current_user), 409, str(message))
    except OperationalError:  # SQLite's write lock not free within busy_timeout, and the like
        db.session.rollback()
        current_app.logger.warning("database busy: order not placed", exc_info=True)
        message = _("The shop is very busy right now. Please press “Place order” again.")
        return render_checkout(form, carts.load_cart(current_user), 503, message)
    carts.clear_cart(current_user)
    db.session.commit()
    send_order_emails()
    return redirect(_payment_step(order, token), 303)


def _show_placed(order: Order, token: str):
    """The order a key placed already; this browser's cart is empty since then."""
    carts.clear_cart(current_user)
    db.session.commit()
    return redirect(url_for(".order", code=order.code, token=token), 303)


def _payment_step(order: Order, token: str) -> str:
    """Where the customer goes next: the order page (VietQR), or Stripe's payment page."""
    order_page = url_for(".order", code=order.code, token=token)
    if order.payment_method != PaymentMethod.STRIPE:
        return order_page
    return _card_payment(order) or order_page


def _card_payment(order: Order) -> str | None:
    url, problem = card_payment_url(order)
    if problem:
        flash(problem, "error")
    return url


def _viewable_order(code: str, token: str | None) -> Order:
    order = find_order(code, token, current_user)
    if order is None:
        abort(404)
    return order


@bp.get("/orders/<code>")
def order(code: str):
    """The order's status, lines and lots, and how to pay: with its token, or for its owner."""
    token = request.args.get("token")
    order = _viewable_order(code, token)
    html = render_template(
        "checkout/order.html",
        order=order,
        token=token if order.check_token(token) else None,
        form=OrderTokenForm(token=token),
        card_ready=card_payments_offered(),
    )
    response = make_response(html)
    response.headers["Referrer-Policy"] = "no-referrer"  # the token stays in this address
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/orders/<code>/cancel")
def cancel(code: str):
    """The customer cancels an order they have not paid: the stock goes back at once."""
    form = OrderTokenForm()
    order = _viewable_order(code, form.token.data)
    if not form.validate() or order.status != OrderStatus.PENDING_PAYMENT:
        flash(_("This order can no longer be cancelled here. Please contact us."), "error")
        return redirect(url_for(".order", code=code, token=form.token.data), 303)
    if reason := close_card_payment(order):
        flash(reason, "error")
        return redirect(url_for(".order", code=code, token=form.token.data), 303)
    order = lock_order_for_change(code)
    if order.status == OrderStatus.PENDING_PAYMENT:
        cancel_order(order, by=_customer())
        db.session.commit()
        send_order_emails()
        flash(_("Your order %(code)s is cancelled.", code=code), "success")
    return redirect(url_for(".order", code=code, token=form.token.data), 303)


@bp.post("/orders/<code>/pay")
def pay(code: str):
    """Open Stripe's payment page again for an unpaid card order."""
    form = OrderTokenForm()
    order = _viewable_order(code, form.token.data)
    order_page = url_for(".order", code=code, token=form.token.data)
    if not form.validate() or order.status != OrderStatus.PENDING_PAYMENT:
        return redirect(order_page, 303)
    if order.payment_method != PaymentMethod.STRIPE:
        return redirect(order_page, 303)
    return redirect(_card_payment(order) or order_page, 303)


@bp.get("/account/orders")
@login_required
def my_orders():
    return render_template("checkout/my_orders.html", orders=customer_orders(current_user))
