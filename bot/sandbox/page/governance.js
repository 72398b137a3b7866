// The Governance panel: what `upline governance apply --dry-run` would write into app.yaml — the
// confirmed nominations and removals nobody applied yet, as the unified diff the CLI prints. Reading
// it changes nothing; applying is the CLI's, for a person to review and commit.

import { h } from "./blocks.js";

export function governanceHeader() {
  return [h("h1", {}, "Governance apply"),
    h("span", { class: "muted" }, "upline governance apply --dry-run: what it would change; nothing is written")];
}

export function renderGovernance(root, data) {
  if (data === undefined) {
    root.replaceChildren(h("p", { class: "muted" }, "Reading the confirmed changes…"));
    return;
  }
  const file = data.file || "app.yaml";
  const parts = [];
  if (data.problems) {
    parts.push(h("div", { class: "gov-problems" }, h("b", {}, "governance apply would refuse: "),
      h("pre", {}, data.problems)));
  } else if (!data.diff) {
    parts.push(h("div", { class: "gov-empty" }, h("h2", {}, "Nothing to apply"),
      h("p", { class: "muted" }, data.pending
        ? `${file} already shows the ${count(data.pending)} confirmed; applying would only mark them applied.`
        : `No confirmed nomination or removal is waiting: ${file} is the hierarchy as decided. A nomination `
          + "confirmed by the core (/nominate, then its review and vote) shows here as the edit it makes.")));
  } else {
    parts.push(h("p", {}, `${count(data.pending)} confirmed, waiting to be written into ${file}:`),
      h("ul", { class: "gov-done" }, data.done.map((sentence) => h("li", {}, sentence))),
      h("pre", { class: "diff", "aria-label": `The diff of ${file}` }, diffLines(data.diff)),
      h("p", { class: "muted" }, `To write it: upline governance apply --config ${file} --database-url … (the URL `
        + "upline sandbox printed), then review and commit the file."));
  }
  root.replaceChildren(...parts);
}

function count(pending) {
  return `${pending} change${pending === 1 ? "" : "s"}`;
}

// One line a span, coloured as a diff viewer does: files, hunks, additions, removals.
function diffLines(diff) {
  return diff.replace(/\n$/, "").split("\n").map((line) => h("span", { class: `diff-line ${kindOf(line)}` },
    `${line}\n`));
}

function kindOf(line) {
  if (line.startsWith("+++") || line.startsWith("---")) return "diff-file";
  if (line.startsWith("@@")) return "diff-hunk";
  if (line.startsWith("+")) return "diff-add";
  if (line.startsWith("-")) return "diff-del";
  return "diff-context";
}
