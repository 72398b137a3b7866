// The message box: Enter sends, Shift+Enter starts a new line. Typing "/" lists the slash commands
// Upline registered (with their usage), typing "@" lists the people and the bot, as Slack does.

import { h } from "./blocks.js";
import { store } from "./store.js";

// `send(text)` returns a promise; the box is cleared only when it worked, so nothing typed is lost.
export function setupComposer(form, send) {
  const box = form.querySelector("textarea");
  const list = form.querySelector(".suggestions");
  let choices = [];
  let chosen = 0;

  const close = () => { choices = []; list.hidden = true; };

  function pick(choice) {
    box.value = box.value.slice(0, box.selectionStart).replace(choice.pattern, choice.insert)
      + box.value.slice(box.selectionStart);
    close();
    box.focus();
  }

  function suggest() {
    choices = suggestionsFor(box.value.slice(0, box.selectionStart));
    chosen = 0;
    list.hidden = choices.length === 0;
    list.replaceChildren(...choices.map((choice, index) => h("li", {
      class: index === chosen ? "chosen" : "", onmousedown: (event) => { event.preventDefault(); pick(choice); },
    }, h("b", {}, choice.label), h("span", { class: "muted" }, choice.detail))));
  }

  function move(step) {
    chosen = (chosen + step + choices.length) % choices.length;
    [...list.children].forEach((item, index) => item.classList.toggle("chosen", index === chosen));
  }

  async function submit() {
    const text = box.value.trim();
    if (!text) return;
    form.classList.add("sending");
    try {
      await send(text);
      box.value = "";
      form.querySelector(".composer-error").textContent = "";
    } catch (error) {
      form.querySelector(".composer-error").textContent = `Not sent: ${error.message}`;
    } finally {
      form.classList.remove("sending");
      box.focus();
    }
  }

  box.addEventListener("input", suggest);
  box.addEventListener("blur", close);
  box.addEventListener("keydown", (event) => {
    if (choices.length && ["ArrowDown", "ArrowUp"].includes(event.key)) {
      event.preventDefault();
      move(event.key === "ArrowDown" ? 1 : -1);
    } else if (choices.length && (event.key === "Tab" || (event.key === "Enter" && !event.shiftKey))) {
      event.preventDefault();
      pick(choices[chosen]);
    } else if (event.key === "Escape") {
      close();
    } else if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      submit();
    }
  });
  form.addEventListener("submit", (event) => { event.preventDefault(); submit(); });
  return { box, fill: (text) => { box.value = text; box.focus(); } };
}

// "/as" → the commands starting so; "… @mik" → the people whose handle or name starts so.
function suggestionsFor(before) {
  const command = before.match(/^\/(\S*)$/);
  if (command) {
    return store.state.commands
      .filter((c) => c.command.startsWith(`/${command[1]}`))
      .map((c) => ({ label: c.command, detail: ` ${c.usage} — ${c.description}`, pattern: /^\/\S*$/,
        insert: `${c.command} ` }));
  }
  const mention = before.match(/(^|\s)@([\w.-]*)$/);
  if (!mention) return [];
  const typed = mention[2].toLowerCase();
  return store.state.people
    .filter((p) => p.name.toLowerCase().startsWith(typed) || (p.real_name || "").toLowerCase().startsWith(typed))
    .sort((a, b) => Number(b.is_bot) - Number(a.is_bot))
    .slice(0, 8)
    .map((p) => ({ label: `@${p.is_bot ? "Upline" : p.name}`, detail: ` ${p.is_bot ? "the bot" : p.real_name}`,
      pattern: /@[\w.-]*$/, insert: `@${p.is_bot ? "Upline" : p.name} ` }));
}

// The registered commands under the box, each a click away from being typed.
export function commandHints(fill) {
  const chips = store.state.commands.map((c) => h("button", {
    type: "button", class: "hint-chip", title: c.description, onclick: () => fill(`${c.command} `),
  }, c.command));
  return [h("span", { class: "muted" }, "Commands:"), ...chips,
    h("button", { type: "button", class: "hint-chip", title: "Ask in a channel: the thread is linked",
      onclick: () => fill("@Upline ask ") }, "@Upline ask …")];
}
