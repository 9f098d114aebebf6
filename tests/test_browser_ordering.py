"""Ordering in a real browser, in Norwegian and in English: Kari filters the catalogue, opens
a service and sees who will approve before she sends the order (the chain follows the
quantity); Per rejects without a reason (the error names the order) and approves inline;
Ole takes a case and assigns it to a colleague in the queue; Kari comments on her order
(long words wrap, an over-long comment gets a clear error); the delivered quantity takes a
decimal comma. Routine actions update the page in place: no full reload."""

from __future__ import annotations

import pytest
from django.conf import settings

from tests.test_browser import _login, pytestmark  # noqa: F401 - same skips
from tests.test_browser import page as page

WORDS = {
    "nb": {
        "area": "Område",
        "cleaning": "Ekstra renhold",
        "laptop": "Bærbar PC",
        "order": "Bestill",
        "quantity": "Antall (time)",
        "date": "Dato",
        "from": "Fra klokken",
        "to": "Til klokken",
        "place": "Sted (bygg, etasje, rom)",
        "send": "Send bestilling",
        "waiting": "Venter på godkjenning fra Per Testesen",
        "reject": "Avvis",
        "approve": "Godkjenn",
        "not_decided": "er ikke behandlet: Skriv en begrunnelse når du avviser.",
        "approved": "er godkjent.",
        "take": "Ta saken",
        "taken": "Du har tatt saken.",
        "assign_to": "Tildel {number} til",
        "assign": "Tildel",
        "assigned": "Saken er tildelt.",
        "comment": "Kommentar",
        "add_comment": "Legg til kommentar",
        "commented": "Kommentaren er lagt til.",
        "wrote": "Kari Testesen skrev",
        "too_long": "høyst 4\u00a0000 tegn (du skrev 5\u00a0000)",
        "delivered_qty": "Levert antall (måned)",
        "what": "Hva er levert?",
        "resolve": "Marker som levert",
        "typed_qty": "2,5",
        "shown_qty": "2,5\u00a0måneder",
    },
    "en": {
        "area": "Area",
        "cleaning": "Extra cleaning",
        "laptop": "Laptop",
        "order": "Order",
        "quantity": "Quantity (hour)",
        "date": "Date",
        "from": "From (time)",
        "to": "To (time)",
        "place": "Place (building, floor, room)",
        "send": "Send order",
        "waiting": "Waiting for approval from Per Testesen",
        "reject": "Reject",
        "approve": "Approve",
        "not_decided": "was not handled: Give a reason when you reject.",
        "approved": "is approved.",
        "take": "Take the case",
        "taken": "You have taken the case.",
        "assign_to": "Assign {number} to",
        "assign": "Assign",
        "assigned": "The case has been assigned.",
        "comment": "Comment",
        "add_comment": "Add comment",
        "commented": "The comment has been added.",
        "wrote": "Kari Testesen wrote",
        "too_long": "at most 4,000 characters (you wrote 5,000)",
        "delivered_qty": "Quantity delivered (month)",
        "what": "What was delivered?",
        "resolve": "Mark as delivered",
        "typed_qty": "2.5",
        "shown_qty": "2.5\u00a0months",
    },
}
LANGUAGES = pytest.mark.parametrize("language", ["nb", "en"])


def _sign_in(page, base: str, username: str, language: str) -> None:
    page.context.clear_cookies()
    _login(page, base, username)
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base}]
    )


def _stay(page) -> None:
    """Mark the document: a full reload would lose the mark (`_stayed`)."""
    page.evaluate("window.__fellesStay = true")


def _stayed(page) -> bool:
    return bool(page.evaluate("window.__fellesStay === true"))


def _fits(page) -> bool:
    return bool(
        page.evaluate(
            "document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1"
        )
    )


@pytest.fixture
def orders(shop):
    """Kari's orders: a mobile phone waiting for Per, one queued at DSS, one in progress
    with Ole; a DSS colleague serving KUD to assign to. Made before the browser starts."""
    from felles.core.actor import Actor
    from felles.orders import services
    from felles.organisations.models import Role
    from felles.organisations.tests.factories import make_person
    from felles.testing import answers

    actor = Actor.system("test")
    mobile, pc = shop.services["srv-mobil"], shop.services["ikt-pc"]

    def place(service):
        return services.submit_order(
            actor=actor, orderer=shop.employee, service=service, answers=answers(service)
        )

    def approved(service):
        order = place(service)
        for step in order.steps.order_by("position"):
            step.refresh_from_db()
            services.decide(
                actor=actor,
                step=step,
                decider=step.approver,
                on_behalf_of=step.approver,
                approve=True,
            )
        order.refresh_from_db()
        return order

    shop.waiting = place(mobile)
    shop.queued = approved(mobile)
    shop.working = services.take(actor=actor, order=approved(mobile), agent=shop.agent)
    shop.colleague = make_person(shop.dss, "oda", roles=[Role.PROVIDER_AGENT], serves=[shop.kud])
    shop.pc = pc
    return shop


@LANGUAGES
def test_catalogue_filter_service_and_the_approval_chain_before_sending(
    orders, live_server, page, language: str
) -> None:
    from playwright.sync_api import expect

    words, base = WORDS[language], live_server.url
    _sign_in(page, base, "kari", language)
    page.goto(f"{base}/tjenester/")
    results = page.locator("#results")
    expect(results).to_contain_text(words["laptop"])
    _stay(page)
    page.get_by_label(words["area"], exact=True).select_option("service")
    expect(results).not_to_contain_text(words["laptop"])  # filtered in place
    assert _stayed(page) and "omrade=service" in page.url  # and the list is a link
    page.get_by_role("link", name=words["cleaning"], exact=True).click()
    page.get_by_role("link", name=words["order"], exact=True).click()
    chain = page.locator("#approval-chain")
    expect(chain).to_contain_text("Per Testesen")
    expect(chain).not_to_contain_text("Hanne Testesen")
    _stay(page)
    page.get_by_label(words["quantity"]).fill("10")  # kr 5 600: over the budget holder's limit
    expect(chain).to_contain_text("Hanne Testesen")
    assert _stayed(page)
    page.get_by_label(words["date"]).fill("2026-12-10")
    page.get_by_label(words["from"]).fill("16:00")
    page.get_by_label(words["to"]).fill("20:00")
    page.get_by_label(words["place"]).fill("Møterom 4.12")
    page.get_by_role("button", name=words["send"]).click()
    expect(page.locator("main")).to_contain_text(words["waiting"])


@LANGUAGES
def test_approver_rejects_without_reason_then_approves_inline(
    orders, live_server, page, language: str
) -> None:
    from playwright.sync_api import expect

    words, base = WORDS[language], live_server.url
    number = orders.waiting.number
    step = orders.waiting.steps.get()
    _sign_in(page, base, "per", language)
    page.goto(f"{base}/godkjenning/")
    row = page.locator(f"#approval-{step.uuid}")
    _stay(page)
    row.get_by_role("button", name=words["reject"]).click()
    expect(row.get_by_role("alert")).to_contain_text(f"{number} {words['not_decided']}")
    row.get_by_role("button", name=words["approve"]).click()
    expect(row).to_contain_text(f"{number} {words['approved']}")
    assert _stayed(page)


@LANGUAGES
def test_agent_takes_and_assigns_inline_in_the_queue(
    orders, live_server, page, language: str
) -> None:
    from playwright.sync_api import expect

    words, base = WORDS[language], live_server.url
    order = orders.queued
    _sign_in(page, base, "ole", language)
    page.goto(f"{base}/ko/")
    row = page.locator(f"#q-{order.uuid}")
    _stay(page)
    page.get_by_role("button", name=f"{words['take']} {order.number}").click()
    expect(row).to_contain_text(words["taken"])
    expect(row).to_contain_text("Ole Testesen")
    page.get_by_label(words["assign_to"].format(number=order.number)).select_option(
        label="Oda Testesen"
    )
    row.get_by_role("button", name=words["assign"], exact=True).click()
    expect(row).to_contain_text(words["assigned"])
    expect(row).to_contain_text("Oda Testesen")
    assert _stayed(page)


@LANGUAGES
def test_orderer_comments_in_place_and_long_words_wrap(
    orders, live_server, page, language: str
) -> None:
    from playwright.sync_api import expect

    words, base = WORDS[language], live_server.url
    _sign_in(page, base, "kari", language)
    page.goto(f"{base}/bestillinger/{orders.working.uuid}/")
    live = page.locator("#order-live")
    _stay(page)
    page.get_by_label(words["comment"], exact=True).fill("Når kommer telefonen?")
    page.get_by_role("button", name=words["add_comment"]).click()
    expect(live).to_contain_text(words["commented"])
    expect(live.locator(".felles-timeline")).to_contain_text("Når kommer telefonen?")
    expect(live.locator(".felles-timeline")).to_contain_text(words["wrote"])
    # One 3 000-character word: the page wraps it instead of growing sideways.
    spoken = live.locator(".felles-timeline__entry--spoken")
    expect(spoken).to_have_count(1)
    page.get_by_label(words["comment"], exact=True).fill("x" * 3000)
    page.get_by_role("button", name=words["add_comment"]).click()
    expect(spoken).to_have_count(2)
    expect(page.get_by_label(words["comment"], exact=True)).to_have_value("")
    assert _fits(page)
    # Over the limit: a clear error, and the text stays for shortening.
    page.get_by_label(words["comment"], exact=True).fill("y" * 5000)
    page.get_by_role("button", name=words["add_comment"]).click()
    expect(live).to_contain_text(words["too_long"])
    assert page.get_by_label(words["comment"], exact=True).input_value() == "y" * 5000
    assert _stayed(page) and _fits(page)


@LANGUAGES
def test_the_delivered_quantity_shows_and_takes_a_decimal(
    orders, live_server, page, language: str
) -> None:
    from playwright.sync_api import expect

    words, base = WORDS[language], live_server.url
    _sign_in(page, base, "ole", language)
    page.goto(f"{base}/bestillinger/{orders.working.uuid}/")
    quantity = page.get_by_label(words["delivered_qty"])
    assert quantity.input_value() == "1"  # not an empty box
    quantity.fill(words["typed_qty"])
    page.get_by_label(words["what"]).fill("Telefon levert.")
    page.get_by_role("button", name=words["resolve"]).click()
    expect(page.locator("#order-live")).to_contain_text(words["shown_qty"])
