// Block Kit, drawn: the blocks the bot sends (header, section, context, divider, actions, input, image)
// and the elements in them (buttons, static selects, user pickers, date pickers, text inputs, radio buttons).
//
// Interactive elements do nothing themselves: they report (block index, element, choice) to
// `view.act`, which the app turns into the block_actions payload Slack would send. Inputs in a
// modal only report when the form is submitted (collectValues), as in Slack.

import { escapeHtml, mrkdwn, plainText, textObject } from "./mrkdwn.js";

// h("div", {class: "x", onclick}, child, …): a small DOM builder, so text is always set as text.
export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else if (name === "html") node.innerHTML = value;
    else node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function renderBlocks(blocks, view) {
  return h("div", { class: "blocks" }, (blocks || []).map((block, index) => renderBlock(block, index, view)));
}

function renderBlock(block, index, view) {
  const draw = BLOCKS[block.type];
  const node = draw ? draw(block, index, view) : h("div", { class: "b-unknown" }, `[${block.type} block]`);
  if (block.block_id) node.dataset.blockId = block.block_id;
  return node;
}

const BLOCKS = {
  header: (block) => h("div", { class: "b-header", html: plainText(block.text) }),
  divider: () => h("hr", { class: "b-divider" }),
  image: (block) => h("figure", { class: "b-image" },
    block.title ? h("figcaption", { html: plainText(block.title) }) : null,
    h("img", { src: block.image_url, alt: block.alt_text || "" })),
  context: (block, index, view) => h("div", { class: "b-context" }, (block.elements || []).map((element) =>
    element.type === "image"
      ? h("img", { class: "b-context-image", src: element.image_url, alt: element.alt_text || "" })
      : h("span", { html: textObject(element, view) }))),
  section: (block, index, view) => h("div", { class: "b-section" },
    h("div", { class: "b-section-main" },
      block.text ? h("div", { class: "b-text", html: textObject(block.text, view) }) : null,
      block.fields ? h("div", { class: "b-fields" },
        block.fields.map((field) => h("div", { class: "b-field", html: textObject(field, view) }))) : null),
    block.accessory ? h("div", { class: "b-accessory" }, renderElement(block.accessory, index, view)) : null),
  actions: (block, index, view) => h("div", { class: "b-actions" },
    (block.elements || []).map((element) => renderElement(element, index, view))),
  input: (block, index, view) => renderInput(block, view),
  rich_text: (block) => h("div", { class: "b-text" }, richText(block.elements || [])),
};

// Rich text as people's messages carry it: only its words, which is what the sandbox posts.
function richText(elements) {
  return elements.map((element) => element.elements ? richText(element.elements) : element.text || "").join("");
}

// -- interactive elements --------------------------------------------------------------------------

function renderElement(element, blockIndex, view) {
  const draw = ELEMENTS[element.type];
  if (!draw) return h("span", { class: "b-unknown" }, `[${element.type}]`);
  return draw(element, blockIndex, view);
}

const ELEMENTS = {
  button: (element, blockIndex, view) => {
    const button = h("button", {
      type: "button", class: `bk-button ${element.style || ""}`, "data-action-id": element.action_id,
      html: plainText(element.text),
    });
    button.addEventListener("click", async () => {
      if (element.confirm && !window.confirm(confirmText(element.confirm))) return;
      await report(button, view, blockIndex, element, {});
    });
    return element.url ? h("a", { href: element.url, target: "_blank", rel: "noopener" }, button) : button;
  },
  static_select: (element, blockIndex, view) => {
    const select = selectFor(element, element.initial_option?.value);
    select.addEventListener("change", () => report(select, view, blockIndex, element, { value: select.value }));
    return select;
  },
  users_select: (element, blockIndex, view) => {
    const select = selectFor(withPeople(element, view), element.initial_user);
    select.addEventListener("change", () => report(select, view, blockIndex, element, { selected_user: select.value }));
    return select;
  },
  overflow: (element, blockIndex, view) => {
    const select = selectFor({ ...element, placeholder: { text: "⋯" } });
    select.classList.add("overflow");
    select.addEventListener("change", () => report(select, view, blockIndex, element, { value: select.value }));
    return select;
  },
  datepicker: (element, blockIndex, view) => {
    const input = h("input", { type: "date", class: "bk-date", value: element.initial_date || "",
      "data-action-id": element.action_id, title: element.placeholder?.text || "Pick a date" });
    input.addEventListener("change", () => {
      if (input.value) report(input, view, blockIndex, element, { selected_date: input.value });
    });
    return input;
  },
};

// A users_select lists the workspace's people, as Slack does: their name shown, their ID sent.
function withPeople(element, view) {
  const people = view.people ? view.people() : [];
  return { ...element, options: people.map((p) => ({ value: p.id, text: { text: p.real_name || p.name } })) };
}

function confirmText(confirm) {
  return [confirm.title?.text, confirm.text?.text].filter(Boolean).join("\n\n");
}

function selectFor(element, selected) {
  const select = h("select", { class: "bk-select", "data-action-id": element.action_id });
  const placeholder = element.placeholder?.text || "Select…";
  select.append(h("option", { value: "", disabled: true, selected: !selected }, placeholder));
  const add = (parent, option) => parent.append(
    h("option", { value: option.value, selected: option.value === selected }, option.text?.text ?? option.value));
  for (const option of element.options || []) add(select, option);
  for (const group of element.option_groups || []) {
    const node = h("optgroup", { label: group.label?.text || "" });
    for (const option of group.options || []) add(node, option);
    select.append(node);
  }
  return select;
}

// Tell the app, keep the control busy until Upline answered, and show Slack's warning if it failed.
async function report(control, view, blockIndex, element, choice) {
  control.classList.add("busy");
  control.disabled = true;
  control.parentElement?.querySelector(".bk-failed")?.remove();
  try {
    const answer = await view.act(blockIndex, element, choice);
    if (!answer.ok) {
      const why = answer.status ? `Upline answered HTTP ${answer.status}` : "Upline could not be reached";
      control.after(h("span", { class: "bk-failed", title: why }, "⚠ This didn't work"));
    }
  } finally {
    control.classList.remove("busy");
    control.disabled = false;
  }
}

// -- modal inputs ---------------------------------------------------------------------------------

function renderInput(block, view) {
  const element = block.element || {};
  const id = `in-${block.block_id}-${element.action_id}`;
  let control;
  if (element.type === "plain_text_input") {
    control = h(element.multiline ? "textarea" : "input", {
      id, class: "bk-input", placeholder: element.placeholder?.text, maxlength: element.max_length,
      rows: element.multiline ? 4 : undefined });
    control.value = element.initial_value || "";
  } else if (element.type === "static_select") {
    control = selectFor(element, element.initial_option?.value);
    control.id = id;
  } else if (element.type === "users_select") {
    control = selectFor(withPeople(element, view), element.initial_user);
    control.id = id;
  } else if (element.type === "datepicker") {
    control = h("input", { id, type: "date", class: "bk-date", value: element.initial_date || "" });
  } else if (element.type === "radio_buttons") {
    control = radioGroup(element, id);
  } else {
    control = h("div", { class: "b-unknown" }, `[${element.type} input]`);
  }
  Object.assign(control.dataset, { blockId: block.block_id, actionId: element.action_id, type: element.type });
  control.classList.add("modal-input");
  control._element = element;  // the options, for collectValues
  // A radio group is labelled by its block's label, as one control: its buttons carry their own.
  const label = element.type === "radio_buttons" ? "span" : "label";
  return h("div", { class: "b-input" },
    h(label, { for: label === "label" ? id : undefined, id: `${id}-label`, class: "b-label" }, h("span", { html: plainText(block.label) }),
      block.optional ? h("span", { class: "optional" }, " (optional)") : null),
    control,
    block.hint ? h("div", { class: "b-hint", html: plainText(block.hint) }) : null,
    h("div", { class: "b-error", "data-error-for": block.block_id }));
}

// Radio buttons: one choice of the element's options, under one name per input.
function radioGroup(element, id) {
  const selected = element.initial_option?.value;
  return h("div", { id, class: "bk-radios", role: "radiogroup", "aria-labelledby": `${id}-label` },
    (element.options || []).map((option, index) => h("label", { class: "bk-radio" },
      h("input", { type: "radio", name: id, value: option.value, id: `${id}-${index}`,
        checked: option.value === selected }),
      h("span", { html: plainText(option.text) }),
      option.description ? h("span", { class: "muted", html: plainText(option.description) }) : null)));
}

// state.values, as Slack builds it from a modal's inputs at submit time.
export function collectValues(root) {
  const values = {};
  for (const control of root.querySelectorAll(".modal-input")) {
    const { blockId, actionId, type } = control.dataset;
    let value;
    if (type === "static_select") {
      const option = optionsOf(control._element).find((o) => o.value === control.value);
      value = { type, selected_option: option || null };
    } else if (type === "users_select") {
      value = { type, selected_user: control.value || null };
    } else if (type === "datepicker") {
      value = { type, selected_date: control.value || null };
    } else if (type === "radio_buttons") {
      const checked = control.querySelector("input:checked");
      value = { type, selected_option: optionsOf(control._element).find((o) => o.value === checked?.value) || null };
    } else {
      value = { type, value: control.value === "" ? null : control.value };
    }
    values[blockId] = { ...(values[blockId] || {}), [actionId]: value };
  }
  return values;
}

function optionsOf(element) {
  return [...(element.options || []), ...(element.option_groups || []).flatMap((g) => g.options || [])];
}

// A message's legacy attachments: a coloured bar with text, fields and blocks.
export function renderAttachments(attachments, view) {
  return (attachments || []).map((attachment) => h("div", {
    class: "attachment", style: `border-color: ${attachment.color ? cssColor(attachment.color) : "#ddd"}` },
  attachment.title ? h("div", { class: "b-text", html: `<b>${escapeHtml(attachment.title)}</b>` }) : null,
  attachment.text ? h("div", { class: "b-text", html: mrkdwn(attachment.text, view) }) : null,
  attachment.blocks ? renderBlocks(attachment.blocks, view) : null));
}

function cssColor(color) {
  const named = { good: "#2eb67d", warning: "#ecb22e", danger: "#e01e5a" };
  return named[color] || (/^#?[0-9a-f]{3,6}$/i.test(color) ? (color.startsWith("#") ? color : `#${color}`) : "#ddd");
}
