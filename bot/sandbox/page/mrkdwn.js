// Slack's mrkdwn, drawn as HTML: *bold*, _italics_, ~strike~, `code`, ```blocks```, > quotes, links,
// <@U…> as the person's name, <!date^…> in the viewer's time zone, and the emoji the bot uses.
//
// Everything the bot sends is untrusted text: each piece is HTML-escaped before any markup is added,
// and the only tags produced are the ones written below.

const EMOJI = {
  white_check_mark: "✅", heavy_check_mark: "✔️", eyes: "👀", bell: "🔔", hourglass: "⌛",
  hourglass_flowing_sand: "⏳", rotating_light: "🚨", warning: "⚠️", wave: "👋", tada: "🎉", x: "❌",
  no_entry: "⛔", arrow_up: "⬆️", arrow_right: "➡️", point_right: "👉", memo: "📝", calendar: "📅",
  house: "🏠", speech_balloon: "💬", thumbsup: "👍", "+1": "👍", raised_hands: "🙌", red_circle: "🔴",
  large_green_circle: "🟢", information_source: "ℹ️", question: "❓", exclamation: "❗", zzz: "💤",
  palm_tree: "🌴", bulb: "💡", fire: "🔥", sos: "🆘", ticket: "🎫", link: "🔗", mag: "🔍", lock: "🔒",
  ballot_box_with_ballot: "🗳️", scroll: "📜", scales: "⚖️", heavy_minus_sign: "➖", mega: "📣", crown: "👑",
  handshake: "🤝", alarm_clock: "⏰", busts_in_silhouette: "👥", clipboard: "📋", inbox_tray: "📥",
  no_entry_sign: "🚫", raised_hand: "✋", wastebasket: "🗑️", bar_chart: "📊", chart_with_upwards_trend: "📈",
  arrow_down: "⬇️", hammer_and_wrench: "🛠️",
};

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
  "October", "November", "December"];
const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

export function escapeHtml(text) {
  return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

// Slack escapes only &, < and > in message text; undo that before escaping for HTML ourselves,
// so "&amp;lt;" typed by a person shows as "&lt;" and not as "<".
function unescapeSlack(text) {
  return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

export function emoji(text) {
  return text.replace(/:([a-z0-9_+-]+):/g, (whole, name) => EMOJI[name] || whole);
}

// The parts of a moment in one time zone, for Slack's date tokens.
function partsIn(date, timeZone) {
  const parts = {};
  const format = new Intl.DateTimeFormat("en-US", {
    timeZone, year: "numeric", month: "numeric", day: "numeric", weekday: "long",
    hour: "numeric", minute: "2-digit", second: "2-digit", hour12: true,
  });
  for (const { type, value } of format.formatToParts(date)) parts[type] = value;
  return parts;
}

function ordinal(day) {
  const n = Number(day);
  const suffix = n % 10 === 1 && n !== 11 ? "st" : n % 10 === 2 && n !== 12 ? "nd"
    : n % 10 === 3 && n !== 13 ? "rd" : "th";
  return `${n}${suffix}`;
}

// "today", "yesterday" and "tomorrow" are judged against the bot's clock, not the visitor's:
// after "+1d" the page lives a day ahead, and the pings' deadlines are written in that time.
function relativeDay(date, now, timeZone) {
  const key = (d) => { const p = partsIn(d, timeZone); return `${p.year}-${p.month}-${p.day}`; };
  const day = 24 * 3600 * 1000;
  if (key(date) === key(now)) return "today";
  if (key(date) === key(new Date(now.getTime() - day))) return "yesterday";
  if (key(date) === key(new Date(now.getTime() + day))) return "tomorrow";
  return null;
}

function ago(date, now) {
  const minutes = Math.round((now - date) / 60000);
  const [amount, unit] = Math.abs(minutes) < 60 ? [minutes, "minute"]
    : Math.abs(minutes) < 1440 ? [Math.round(minutes / 60), "hour"] : [Math.round(minutes / 1440), "day"];
  const size = Math.abs(amount);
  const words = `${size} ${unit}${size === 1 ? "" : "s"}`;
  return amount >= 0 ? `${words} ago` : `in ${words}`;
}

// <!date^1700000000^{date_short_pretty} at {time}|fallback>, as Slack documents the tokens.
export function formatSlackDate(epoch, template, view) {
  const date = new Date(epoch * 1000);
  const p = partsIn(date, view.timeZone);
  const month = MONTHS[Number(p.month) - 1];
  const dateText = `${month} ${ordinal(p.day)}, ${p.year}`;
  const shortText = `${month.slice(0, 3)} ${Number(p.day)}, ${p.year}`;
  const longText = `${p.weekday}, ${dateText}`;
  const relative = relativeDay(date, view.now(), view.timeZone);
  const tokens = {
    date_num: `${p.year}-${p.month.padStart(2, "0")}-${p.day.padStart(2, "0")}`,
    date: dateText, date_short: shortText, date_long: longText,
    date_pretty: relative || dateText, date_short_pretty: relative || shortText,
    date_long_pretty: relative || longText,
    time: `${p.hour}:${p.minute} ${p.dayPeriod}`,
    time_secs: `${p.hour}:${p.minute}:${p.second} ${p.dayPeriod}`,
    ago: ago(date, view.now()),
  };
  return template.replace(/\{(\w+)\}/g, (whole, name) => tokens[name] ?? whole);
}

// One <…> control sequence: a mention, a channel, a special mention, a date or a link.
function controlSequence(inner, view) {
  const [target, label] = splitOnce(inner, "|");
  if (target.startsWith("@")) {
    const id = target.slice(1);
    const me = id === view.me ? " me" : "";
    const name = view.userName(id) || label || id;
    return `<span class="mention${me}" data-user="${escapeHtml(id)}">@${escapeHtml(name)}</span>`;
  }
  if (target.startsWith("#")) {
    const id = target.slice(1);
    const name = view.channelName(id) || label || id;
    const href = `?channel=${encodeURIComponent(id)}`;
    return `<a class="channel-link" href="${href}" data-channel="${escapeHtml(id)}">#${escapeHtml(name)}</a>`;
  }
  if (target.startsWith("!date^")) {
    const [, epoch, template] = target.split("^");
    const shown = formatSlackDate(Number(epoch), template || "{date}", view);
    const full = new Date(Number(epoch) * 1000)
      .toLocaleString("en-US", { timeZone: view.timeZone, timeZoneName: "short" });
    return `<time class="slack-date" title="${escapeHtml(full)}">${escapeHtml(shown)}</time>`;
  }
  if (target.startsWith("!")) {
    const name = target.slice(1).split("^")[0];
    return `<span class="mention special">@${escapeHtml(label ? label.replace(/^@/, "") : name)}</span>`;
  }
  if (/^(https?:|mailto:)/i.test(target)) {  // never javascript: or data: links
    const url = unescapeSlack(target);
    const text = label ? inline(escapeHtml(unescapeSlack(label))) : escapeHtml(url);
    return `<a href="${escapeHtml(url)}" target="_blank" rel="noopener">${text}</a>`;
  }
  return escapeHtml(`<${inner}>`);
}

function splitOnce(text, separator) {
  const at = text.indexOf(separator);
  return at < 0 ? [text, ""] : [text.slice(0, at), text.slice(at + 1)];
}

// Bold, italics and strike on already-escaped HTML; the markers must hug the words, as in Slack.
function inline(html) {
  return html
    .replace(/(^|[^\w*])\*(?!\s)([^*\n]+?)\*(?!\w)/g, "$1<b>$2</b>")
    .replace(/(^|[^\w_])_(?!\s)([^_\n]+?)_(?!\w)/g, "$1<i>$2</i>")
    .replace(/(^|[^\w~])~(?!\s)([^~\n]+?)~(?!\w)/g, "$1<s>$2</s>");
}

// A run of text without code fences: `code` and then control sequences are set aside first, so a
// "*" inside a link or a code span never starts bold text, and code shows exactly what was written.
function formatText(text, view) {
  const kept = [];
  const keep = (html) => `\u0001${kept.push(html) - 1}\u0002`;
  let rest = text.replace(/`([^`\n]+)`/g, (whole, code) => keep(`<code>${escapeHtml(unescapeSlack(code))}</code>`));
  rest = rest.replace(/<([^<>\n]+)>/g, (whole, inner) => keep(controlSequence(inner, view)));
  let html = inline(emoji(escapeHtml(unescapeSlack(rest))));
  html = html.replace(/\u0001(\d+)\u0002/g, (whole, index) => kept[Number(index)]);
  return html;
}

// Lines starting with ">" (raw from the bot, "&gt;" from people) become one quote block.
function formatLines(text, view) {
  const out = [];
  let quote = [];
  const flush = () => {
    if (quote.length) out.push(`<blockquote>${quote.join("<br>")}</blockquote>`);
    quote = [];
  };
  for (const line of text.split("\n")) {
    const quoted = line.match(/^(?:>|&gt;) ?(.*)$/);
    if (quoted) {
      quote.push(formatText(quoted[1], view));
    } else {
      flush();
      out.push(formatText(line, view) + "<br>");
    }
  }
  flush();
  return out.join("").replace(/(<br>)+$/, "");
}

// The whole text: ```pre``` blocks are kept verbatim, the rest formatted line by line.
export function mrkdwn(text, view) {
  const pieces = String(text ?? "").split("```");
  return pieces.map((piece, index) => index % 2
    ? `<pre>${escapeHtml(unescapeSlack(piece.replace(/^\n/, "")))}</pre>`
    : formatLines(piece, view)).join("");
}

// plain_text objects: escaped, with emoji when asked (Slack's default is emoji: true).
export function plainText(object) {
  if (!object) return "";
  const text = escapeHtml(object.text ?? "");
  return object.emoji === false ? text : emoji(text);
}

export function textObject(object, view) {
  if (!object) return "";
  return object.type === "mrkdwn" ? mrkdwn(object.text, view) : plainText(object);
}
