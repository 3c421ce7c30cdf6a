"""A realistic, bounded load: lookups most, then contact logging, reviews and approvals.

Run by ``make load`` against gunicorn on 127.0.0.1 (never any other host), after
``manage.py seed_bench``. Bench users sign in with ``BENCH_PASSWORD``; the two Heads of
Department also confirm a one-time code from the keys ``manage.py prepare_load`` gave them
(``LOAD_DECIDERS``, set by ``scripts/load.sh``).
"""

import os
import random
import re
from itertools import count

from django_otp.oath import TOTP  # plain Python: no Django set-up needed
from formdata import form_values
from locust import HttpUser, between, task

PASSWORD = os.environ.get("BENCH_PASSWORD", "bench-password-2026")
FRAGMENTS = ["smi", "jon", "pat", "wil", "tay", "bro", "kha", "ali", "eva", "tho", "rob", "wal"]
FULL_NAMES = ["oliver smith", "amelia jones", "jack patel", "grace taylor", "noah brown"]
SIGNED_IN = [0]  # users whose on_start has finished (the open-loop shape waits for all)
# 12.3: the form shown again to confirm a channel warning (the hidden field set to the channel).
WARNING = re.compile(r'<input(?=[^>]*name="warning_acknowledged")(?=[^>]*value="phone")[^>]*>')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CUSTOMER_LINK = re.compile(r'href="/customers/(\d+)/"')
DECIDE_LINK = re.compile(r'href="(/restrictions/\d+/decide/)"')
DECIDED = re.compile(r"/restrictions/\d+/$")


class SignedInUser(HttpUser):
    abstract = True
    wait_time = between(0.5, 2.0)
    username_prefix = "bench-staff-"
    count = 100

    def on_start(self) -> None:
        self.customer_ids: list[str] = []
        self.sign_in(self.username())
        SIGNED_IN[0] += 1

    def username(self) -> str:
        width = 3 if self.username_prefix == "bench-manager-" else 4
        return f"{self.username_prefix}{random.randrange(self.count):0{width}d}"

    def sign_in(self, username: str):
        page = self.client.get("/accounts/sign-in/", name="sign in (GET)")
        token = CSRF.search(page.text).group(1)
        return self.client.post("/accounts/sign-in/", name="sign in (POST)",
                                data={"username": username, "password": PASSWORD,
                                      "csrfmiddlewaretoken": token})


class Caseworker(SignedInUser):
    weight = 8

    @task(6)
    def lookup(self) -> None:
        query = random.choice(FRAGMENTS + FULL_NAMES)
        response = self.client.get(f"/customers/?q={query}", name="lookup")
        self.customer_ids = CUSTOMER_LINK.findall(response.text)[:5] or self.customer_ids

    @task(2)
    def customer_page(self) -> None:
        if self.customer_ids:
            self.client.get(f"/customers/{random.choice(self.customer_ids)}/",
                            name="customer page")

    @task(1)
    def log_contact(self) -> None:
        if not self.customer_ids:
            return
        customer = random.choice(self.customer_ids)
        form = self.client.get(f"/customers/{customer}/contacts/new/", name="log contact (GET)")
        match = CSRF.search(form.text)
        if match is None:
            return
        started = re.search(r'name="started_at"[^>]*value="([^"]+)"', form.text)
        data = {"csrfmiddlewaretoken": match.group(1), "channel": "phone",
                "direction": "inbound", "case_reference": "",
                "started_at": started.group(1) if started else "", "summary": "Load test call"}
        with self.client.post(f"/customers/{customer}/contacts/new/", name="log contact (POST)",
                              data=data, catch_response=True) as response:
            if response.ok and not response.history and WARNING.search(response.text):
                # 12.3: the customer's terms restrict telephone contact (a request approved
                # during the run may have restricted them): the caseworker reads the warning
                # and confirms, as on the real screen. Not a failure.
                response.success()
                self._confirm_warning(customer, data)
                return
            # Saved means redirected to the customer; the form shown again means not saved.
            if response.ok and not response.history:
                errors = re.findall(r'<a href="#[^"]*">([^<]+)</a>', response.text)[:2]
                response.failure(f"the contact was not logged ({'; '.join(errors) or '?'})")


    def _confirm_warning(self, customer: int, data: dict) -> None:
        with self.client.post(f"/customers/{customer}/contacts/new/",
                              name="log contact (POST, warning confirmed)",
                              data={**data, "warning_acknowledged": "phone"},
                              catch_response=True) as response:
            if response.ok and not response.history:
                response.failure("the contact was not logged after confirming the warning")


class Manager(SignedInUser):
    weight = 2
    username_prefix = "bench-manager-"
    count = 20

    @task(3)
    def review_queue(self) -> None:
        self.client.get("/call-logs/reviews/", name="review queue")

    @task(1)
    def contacts_queue(self) -> None:
        self.client.get("/customers/queue/", name="contacts to action")


DECIDERS = [pair.split(":", 1) for pair in os.environ.get("LOAD_DECIDERS", "").split(",") if pair]
NEXT_DECIDER = count()


class HeadOfDepartment(SignedInUser):
    """The bench Head of Department and acting Head: their requests to decide, approvals."""

    abstract = not DECIDERS  # run without prepare_load: no deciders
    fixed_count = len(DECIDERS)  # one user per account: a one-time code is used once

    def username(self) -> str:
        self.username_, self.key = DECIDERS[next(NEXT_DECIDER) % len(DECIDERS)]
        return self.username_

    def sign_in(self, username: str):
        page = super().sign_in(username)  # the password, then the authenticator code
        token = CSRF.search(page.text).group(1)
        code = f"{TOTP(bytes.fromhex(self.key)).token():06d}"
        self.client.post(page.url, name="two-factor code (POST)",
                         data={"token": code, "csrfmiddlewaretoken": token})

    @task(3)
    def to_decide(self) -> None:
        self.client.get("/restrictions/to-decide/", name="requests to decide")

    @task(1)
    def approve(self) -> None:
        queue = self.client.get("/restrictions/to-decide/", name="requests to decide")
        links = DECIDE_LINK.findall(queue.text)
        if not links:
            return
        link = random.choice(links[:10])
        page = self.client.get(link, name="decide a request (GET)")
        fields = [(k, v) for k, v in form_values(page.text, "decision") if k != "decision"]
        with self.client.post(link, name="approve a request (POST)",
                              data=[*fields, ("decision", "approve")],
                              catch_response=True) as response:
            # Another decider may have approved it a moment ago: a clear refusal, not an error.
            if DECIDED.search(response.url) or "has already been decided" in response.text:
                response.success()
            else:
                errors = re.findall(r'<a href="#[^"]*">([^<]+)</a>', response.text)[:2]
                response.failure(f"the approval was not recorded ({response.status_code}: "
                                 f"{'; '.join(errors) or 'no error shown'})")


if os.environ.get("LOAD_OPEN_LOOP"):
    # Capacity mode (scripts/load.sh --open-loop): the offered rate is stepped up by a load
    # shape and every user paces its tasks to it, instead of waiting 0.5-2 s between them.
    from openloop import SteppedRate, paced  # noqa: F401 - locust finds the shape here

    for _cls in (Caseworker, Manager, HeadOfDepartment):
        _cls.wait_time = paced
    del _cls  # locust would take a module-level name holding a user class for another user
