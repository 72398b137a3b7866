// Messages as Slack draws them: author, time, the Block Kit (or the text when there are no blocks),
// "(edited)" after a chat.update, thread summaries, and ephemeral notes marked "Only visible to you".

import { h, renderAttachments, renderBlocks } from "./blocks.js";
import { formatSlackDate, mrkdwn } from "./mrkdwn.js";
import { displayName, person, store, viewer } from "./store.js";

const AVATAR_COLOURS = ["#e8912d", "#2eb67d", "#36c5f0", "#e01e5a", "#4a154b", "#1264a3", "#9b59b6", "#d35400"];

export function avatar(id, name) {
  if (id === store.state.bot.id) return h("div", { class: "avatar bot", "aria-hidden": "true" }, "⇡");
  if (id === "slackbot") return h("div", { class: "avatar slackbot", "aria-hidden": "true" }, "✱");
  const hash = [...(id || "?")].reduce((sum, c) => sum + c.charCodeAt(0), 0);
  const initials = (name || "?").split(/\s+/).map((word) => word[0]).join("").slice(0, 2).toUpperCase();
  return h("div", { class: "avatar", style: `background:${AVATAR_COLOURS[hash % AVATAR_COLOURS.length]}`,
    "aria-hidden": "true" }, initials);
}

function timeOf(ts) {
  return formatSlackDate(Number(ts), "{time}", viewer());
}

function dayOf(ts) {
  const day = formatSlackDate(Number(ts), "{date_long_pretty}", viewer());
  return day[0].toUpperCase() + day.slice(1);
}

// `actions.act(where, blockIndex, element, choice)` sends a click; `actions.openThread(ts)` opens one.
export function renderMessage(message, { channel, inThread = false, actions }) {
  const note = Boolean(message.ephemeral);
  const authorId = note ? (message.author === "slackbot" ? "slackbot" : store.state.bot.id) : message.user;
  const name = authorId === "slackbot" ? "Slackbot" : displayName(authorId) || authorId;
  const where = note ? { note: message.key } : { channel, ts: message.ts };
  const view = viewer((blockIndex, element, choice) => actions.act(where, blockIndex, element, choice));
  const isApp = authorId === store.state.bot.id;
  const node = h("article", { class: `message${note ? " ephemeral" : ""}`, "data-ts": message.ts },
    avatar(authorId, name),
    h("div", { class: "message-body" },
      h("div", { class: "message-meta" },
        h("span", { class: "author" }, name),
        isApp ? h("span", { class: "app-badge" }, "APP") : null,
        h("time", { class: "message-time", title: dayOf(message.ts) }, timeOf(message.ts)),
        message.edited ? h("span", { class: "edited" }, "(edited)") : null),
      note ? h("div", { class: "only-you" }, "👁 Only visible to you") : null,
      message.command ? h("div", { class: "command-echo" }, message.command) : null,
      content(message, view),
      renderAttachments(message.attachments, view),
      inThread ? null : threadSummary(message, actions)),
    inThread || note ? null : h("div", { class: "message-tools" },
      h("button", { type: "button", title: "Reply in thread", onclick: () => actions.openThread(message.ts) }, "💬")));
  flashIfChanged(node, channel, message);
  return node;
}

// Slack shows the blocks when there are any; `text` is then only the notification's words.
function content(message, view) {
  if (message.blocks && message.blocks.length) return renderBlocks(message.blocks, view);
  return h("div", { class: "message-text", html: mrkdwn(message.text, view) });
}

function threadSummary(message, actions) {
  const replies = message.reply_count || 0;
  const privately = message.private_replies || 0;
  if (!replies && !privately) return null;
  const words = [replies ? `${replies} ${replies === 1 ? "reply" : "replies"}` : null,
    privately ? `${privately} only visible to you` : null].filter(Boolean).join(" · ");
  const faces = (message.reply_users || []).slice(0, 4).map((id) => avatar(id, displayName(id)));
  return h("button", { type: "button", class: "thread-summary", onclick: () => actions.openThread(message.ts) },
    h("span", { class: "faces" }, faces), h("span", { class: "link" }, words),
    message.latest_reply ? h("span", { class: "muted" }, `Last reply ${timeOf(message.latest_reply)}`) : null);
}

// A message that changed since it was last drawn (chat.update, a response_url replace) flashes once.
function flashIfChanged(node, channel, message) {
  const key = `${channel}:${message.key || message.ts}`;
  const drawn = JSON.stringify([message.text, message.blocks]);
  const before = store.drawn.get(key);
  if (before !== undefined && before !== drawn) node.classList.add("flash");
  store.drawn.set(key, drawn);
}

// A list with a divider at each new day (in the viewer's time zone, by the bot's clock).
export function renderMessageList(messages, options) {
  const nodes = [];
  let lastDay = null;
  for (const message of messages) {
    const day = dayOf(message.ts);
    if (day !== lastDay && !options.inThread) nodes.push(h("div", { class: "day-divider" }, h("span", {}, day)));
    lastDay = day;
    nodes.push(renderMessage(message, options));
  }
  return nodes;
}

export function roleLine(id) {
  const roles = person(id)?.roles || [];
  return roles.join(", ");
}
