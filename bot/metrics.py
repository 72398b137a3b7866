"""What `/metrics` shows Prometheus: tickets by area, the outbox backlog, delivery failures, latency.

Counters count what this process recorded (Prometheus sums replicas); the outbox depth is read from
the database at each scrape, so every replica reports the same shared backlog.
"""

from __future__ import annotations

from collections.abc import Callable

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily

from bot.domain.ticket import SYSTEM, Event, Ticket

_COUNTED = {"created": "opened", "acknowledged": "acknowledged", "resolved": "resolved"}


class Metrics:
    def __init__(self, unit_of_work: Callable):
        self.registry = CollectorRegistry()  # our own: nothing global, two apps in one test never clash
        self._unit_of_work = unit_of_work
        labels = ["area", "kind"]
        self.tickets = {
            name: Counter(f"upline_tickets_{name}", f"Tickets {name}", labels, registry=self.registry)
            for name in ("opened", "acknowledged", "resolved")
        }
        self.breaches = Counter("upline_sla_breaches", "SLA deadlines missed", [*labels, "clock"],
                                registry=self.registry)
        self.delivery_failures = Counter("upline_outbox_delivery_failures", "Failed Slack deliveries",
                                         ["kind"], registry=self.registry)
        self.request_seconds = Histogram("upline_http_request_seconds", "Time to answer an HTTP request",
                                         ["path"], registry=self.registry)
        self.registry.register(_OutboxDepth(unit_of_work))

    def observe(self, ticket: Ticket, events: list[Event]) -> None:
        area = ticket.area or "(none)"
        for event in events:
            if event.kind in _COUNTED:
                self.tickets[_COUNTED[event.kind]].labels(area, ticket.kind.value).inc()
            elif event.kind == "escalated" and event.actor == SYSTEM:
                self.breaches.labels(area, ticket.kind.value, "ack").inc()
            elif event.kind == "breached":
                self.breaches.labels(area, ticket.kind.value, "resolve").inc()

    def exposition(self) -> bytes:
        return generate_latest(self.registry)


class _OutboxDepth:
    def __init__(self, unit_of_work: Callable):
        self._unit_of_work = unit_of_work

    def collect(self):
        gauge = GaugeMetricFamily("upline_outbox_depth", "Outbox messages by status", labels=["status"])
        try:
            with self._unit_of_work(read_only=True) as uow:
                for status in ("pending", "parked"):
                    gauge.add_metric([status], uow.outbox.depth(status))
        except Exception:  # a scrape must not fail because the database is down; /healthz says so
            return []
        return [gauge]

    def describe(self):
        return []
