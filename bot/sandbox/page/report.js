// The Report panel: the page `upline report --format html --compare previous` writes, for the
// sandbox's database as of its clock — the summary table beside the period before, and the charts.
// It is shown as it is, in a sandboxed iframe: it has no script, and nothing in it reaches this page.

import { h } from "./blocks.js";

export const PERIODS = ["7d", "30d", "90d"];

export function reportHeader(since, pick) {
  const choice = (period) => h("button", { type: "button", class: `tab${period === since ? " active" : ""}`,
    "aria-pressed": String(period === since), onclick: period === since ? null : () => pick(period) }, period);
  return [h("h1", {}, "Report"),
    h("span", { class: "muted" }, "upline report --format html --compare previous, as of the bot's clock"),
    h("nav", { class: "tabs", "aria-label": "The period" }, PERIODS.map(choice))];
}

export function reportUrl(since) {
  return `/sandbox/report?${new URLSearchParams({ since, compare: "previous" })}`;
}

// A new frame only when what it shows may have changed (`version`: the period, the clock, the latest
// message anywhere): the same one otherwise, so the reader's scroll position stays.
export function renderReport(root, url, version) {
  const shown = root.querySelector("iframe");
  if (shown && shown.dataset.version === version) return;
  const frame = h("iframe", { class: "report-frame", sandbox: "", src: url, title: "The SLA report",
    "data-version": version });
  root.replaceChildren(frame);
}
