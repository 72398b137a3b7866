// The modal on top of a person's stack: its title, blocks and inputs, and Slack's two footer buttons.
// Submit sends state.values as a view_submission; `response_action: errors` is shown under the
// fields it names, and the modal stays open, as in Slack.

import { collectValues, h, renderBlocks } from "./blocks.js";
import { plainText } from "./mrkdwn.js";
import { viewer } from "./store.js";

let shown = null;  // "view id:hash" on screen: redrawing the same view would wipe what is being typed

// handlers: { submit(view, values) -> {ok, errors, error}, close(view), act(view, blockIndex, element, choice) }
export function showModal(layer, modal, handlers) {
  const view = modal.view;
  if (!view) {
    shown = null;
    layer.hidden = true;
    layer.replaceChildren();
    return;
  }
  const key = `${view.id}:${view.hash}`;
  if (key === shown) return;
  shown = key;
  const banner = h("div", { class: "modal-banner", hidden: true });
  const act = (blockIndex, element, choice) => handlers.act(view, blockIndex, element, choice);
  const body = h("div", { class: "modal-body" }, banner, renderBlocks(view.blocks, viewer(act)));
  const submitButton = view.submit
    ? h("button", { type: "submit", class: "bk-button primary", html: plainText(view.submit) }) : null;
  const form = h("form", { class: "modal", role: "dialog", "aria-modal": "true", "aria-label": view.title?.text },
    h("header", { class: "modal-header" },
      h("h2", { html: plainText(view.title) }),
      h("button", { type: "button", class: "modal-x", title: "Close", onclick: () => handlers.close(view) }, "×")),
    body,
    h("footer", { class: "modal-footer" },
      modal.depth > 1 ? h("span", { class: "muted" }, `${modal.depth} views stacked`) : null,
      h("button", { type: "button", class: "bk-button", onclick: () => handlers.close(view),
        html: plainText(view.close || { text: "Cancel" }) }),
      submitButton));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    submitButton.disabled = true;
    try {
      showErrors(form, banner, await handlers.submit(view, collectValues(form)));
    } finally {
      submitButton.disabled = false;
    }
  });
  layer.replaceChildren(form);
  layer.hidden = false;
  form.querySelector(".modal-input")?.focus();
}

function showErrors(form, banner, answer) {
  for (const slot of form.querySelectorAll(".b-error")) slot.textContent = "";
  banner.hidden = !answer.error;
  banner.textContent = answer.error || "";
  for (const [blockId, message] of Object.entries(answer.errors || {})) {
    const slot = form.querySelector(`.b-error[data-error-for="${CSS.escape(blockId)}"]`);
    if (slot) slot.textContent = message;
    else { banner.hidden = false; banner.textContent = `${blockId}: ${message}`; }
  }
}
