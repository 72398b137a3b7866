"""What `/metrics` shows Prometheus: tickets by area, the outbox backlog, delivery failures, latency.

Counters count what this process recorded (Prometheus sums replicas); the outbox depth is read from
the database at each scrape, so every replica reports the same shared backlog.
"""

from __future__ import annotations

from collections.abc import Callable

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

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
        self.outbox_wait = Histogram("upline_outbox_wait_seconds", "Time from a message being decided to Slack "
                                     "having it", registry=self.registry,
                                     buckets=(0.1, 0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600))
        self.lane_waiting = Gauge("upline_outbox_lane_waiting", "Messages the last delivery pass left waiting "
                                  "for Slack's limits, by conversation (or method)", ["lane"], registry=self.registry)
        self.registry.register(_OutboxDepth(unit_of_work))
        self._lanes: set[str] = set()

    def delivered(self, report) -> None:
        """What one outbox pass did (a `DeliveryReport`): the waits, and each lane's queue."""
        for seconds in report.waited:
            self.outbox_wait.observe(seconds)
        for lane in self._lanes - set(report.waiting):
            self.lane_waiting.labels(lane).set(0)
        for lane, waiting in report.waiting.items():
            self.lane_waiting.labels(lane).set(waiting)
        self._lanes |= set(report.waiting)

    def watch_pacing(self, pacing) -> None:
        """Count the calls Upline held back for Slack's limits, and the 429s Slack answered anyway."""
        self.registry.register(_Pacing(pacing))

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


class _Pacing:
    def __init__(self, pacing):
        self._pacing = pacing

    def collect(self):
        waited = CounterMetricFamily("upline_slack_calls_paced", "Slack calls put off to stay within its limits",
                                     labels=["method"])
        for method, count in sorted(self._pacing.waited.items()):
            waited.add_metric([method], count)
        limited = CounterMetricFamily("upline_slack_rate_limited", "429 answers from Slack", labels=["method"])
        for method, count in sorted(self._pacing.held.items()):
            limited.add_metric([method], count)
        return [waited, limited]

    def describe(self):
        return []
