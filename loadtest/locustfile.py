"""A realistic, bounded load: lookups most, then contact logging, reviews and approvals.

Run by ``make load`` against gunicorn on 127.0.0.1 (never any other host), after
``manage.py seed_bench``. Bench users sign in with ``BENCH_PASSWORD``.
"""

import os
import random
import re

from locust import HttpUser, between, task

PASSWORD = os.environ.get("BENCH_PASSWORD", "bench-password-2026")
FRAGMENTS = ["smi", "jon", "pat", "wil", "tay", "bro", "kha", "ali", "eva", "tho", "rob", "wal"]
FULL_NAMES = ["oliver smith", "amelia jones", "jack patel", "grace taylor", "noah brown"]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CUSTOMER_LINK = re.compile(r'href="/customers/(\d+)/"')


class SignedInUser(HttpUser):
    abstract = True
    wait_time = between(0.5, 2.0)
    username_prefix = "bench-staff-"
    count = 100

    def on_start(self) -> None:
        width = 3 if self.username_prefix == "bench-manager-" else 4
        username = f"{self.username_prefix}{random.randrange(self.count):0{width}d}"
        page = self.client.get("/accounts/sign-in/", name="sign in (GET)")
        token = CSRF.search(page.text).group(1)
        self.client.post("/accounts/sign-in/", name="sign in (POST)",
                         data={"username": username, "password": PASSWORD,
                               "csrfmiddlewaretoken": token})
        self.customer_ids: list[str] = []


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
        self.client.post(f"/customers/{customer}/contacts/new/", name="log contact (POST)",
                         data={"csrfmiddlewaretoken": match.group(1), "channel": "phone",
                               "direction": "inbound", "case_reference": "",
                               "started_at": started.group(1) if started else "",
                               "summary": "Load test call"})


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
