// The Upline sandbox page: a Slack-like workspace where the visitor acts as anyone in app.yaml.
//
// Everything the visitor does goes to /sandbox/…, which sends it to Upline as Slack would; what
// Upline does comes back through the Slack stand-in, and each change is pushed here as a
// server-sent event, after which the page re-reads what it shows.

import { get, listen, post } from "./api.js";
import { h, renderBlocks } from "./blocks.js";
import { commandHints, setupComposer } from "./composer.js";
import { avatar, renderMessageList, roleLine } from "./messages.js";
import { governanceHeader, renderGovernance } from "./governance.js";
import { PERIODS, renderReport, reportHeader, reportUrl } from "./report.js";
import { showModal } from "./modal.js";
import { botNow, displayName, isUnread, markSeen, store, viewer } from "./store.js";

const $ = (id) => document.getElementById(id);
const as = () => ({ as: store.me });
let loads = 0;  // each redraw is numbered: a slow answer never overwrites a newer one

// -- the sandbox's state: people, sidebar, clock ------------------------------------------------------

async function loadState() {
  let state;
  try {
    state = await get("/sandbox/state", as());
  } catch {
    state = await get("/sandbox/state");  // someone not in this workspace (an old link): the first asker
  }
  const peopleChanged = JSON.stringify(state.people) !== JSON.stringify(store.state?.people);
  store.state = state;
  store.me = state.me;
  store.clockAt = performance.now();
  localStorage.setItem("upline.as", store.me);
  if (peopleChanged) renderPeople();
  $("person").value = store.me;
  $("project").textContent = state.project;
  renderSidebar();
  renderClock();
}

// Askers first (the usual start of a story), then the ladder from the top.
const GROUPS = [
  ["Askers (maintain nothing)", (p) => p.roles.includes("asker")],
  ["Lead", (p) => p.roles.includes("lead")],
  ["Core maintainers", (p) => p.roles.includes("core")],
  ["Area maintainers", (p) => p.roles.some((r) => r.endsWith(" maintainer"))],
  ["Others", () => true],
];

function renderPeople() {
  const left = store.state.people.filter((p) => !p.is_bot);
  const groups = GROUPS.map(([label, test]) => {
    const members = left.filter(test);
    members.forEach((p) => left.splice(left.indexOf(p), 1));
    return members.length ? h("optgroup", { label }, members.map((p) => h("option", { value: p.id },
      `${p.real_name || p.name} · ${p.roles.join(", ")}`))) : null;
  });
  $("person").replaceChildren(...groups.filter(Boolean));
}

function sidebarItem(label, icon, { active, unread, onclick, id }) {
  return h("li", {}, h("button", {
    type: "button", class: `nav-item${active ? " active" : ""}${unread ? " unread" : ""}`, onclick,
    "data-nav": id }, h("span", { class: "nav-icon" }, icon), h("span", { class: "nav-label" }, label),
  unread ? h("span", { class: "unread-dot", title: "New messages" }) : null));
}

// Redrawn on every pushed change: when the same conversations are listed, their buttons are kept and
// only marked, so a redraw landing between a press and its release never swallows the click.
function renderList(list, items) {
  const kept = [...list.querySelectorAll(".nav-item")];
  const same = kept.length === items.length && items.every((item, i) => kept[i].dataset.nav === item.id
    && kept[i].querySelector(".nav-label").textContent === item.label);
  if (!same) {
    list.replaceChildren(...items.map((item) => sidebarItem(item.label, item.icon, item)));
    return;
  }
  items.forEach((item, i) => {
    const button = kept[i];
    button.className = `nav-item${item.active ? " active" : ""}${item.unread ? " unread" : ""}`;
    button.onclick = item.onclick;
    const dot = button.querySelector(".unread-dot");
    if (item.unread && !dot) button.append(h("span", { class: "unread-dot", title: "New messages" }));
    if (!item.unread && dot) dot.remove();
  });
}

function renderSidebar() {
  const { channels, dm } = store.state;
  const here = (id) => store.place.kind === "channel" && store.place.id === id;
  renderList($("apps"), [
    { label: "Upline", icon: "🏠", id: "home", active: store.place.kind === "home", onclick: openHome },
    { label: "Governance apply", icon: "⇄", id: "governance", active: store.place.kind === "governance",
      onclick: openGovernance },
    { label: "Report", icon: "📊", id: "report", active: store.place.kind === "report", onclick: () => openReport() }]);
  const conversation = ({ id, latest }, label, icon) => ({ label, icon,
    id, active: here(id), unread: !here(id) && isUnread(id, latest), onclick: () => openChannel(id) });
  renderList($("channels"), channels.map((c) => conversation(c, c.name, "#")));
  renderList($("dms"), [conversation(dm, "Upline", avatar(store.state.bot.id, "Upline"))]);
  $("me").replaceChildren(avatar(store.me, displayName(store.me)),
    h("div", {}, h("b", {}, displayName(store.me)), h("div", { class: "muted" }, roleLine(store.me))));
}

// The bot's time in the viewer's zone, and how far ahead of real time the buttons have moved it.
function renderClock() {
  const zone = viewer().timeZone;
  $("clock-now").textContent = botNow().toLocaleString("en-US", {
    timeZone: zone, weekday: "short", month: "short", day: "numeric", hour: "numeric", minute: "2-digit",
    second: "2-digit" });
  $("clock-now").title = `Upline's clock, shown in ${zone} (the time zone of the person you act as)`;
  $("clock-offset").textContent = aheadOfRealTime(store.state.clock.offset_seconds);
}

function aheadOfRealTime(seconds) {
  const minutes = Math.round(seconds / 60);
  if (!minutes) return "real time";
  const parts = [[Math.floor(minutes / 1440), "d"], [Math.floor((minutes % 1440) / 60), "h"], [minutes % 60, "m"]];
  return `+${parts.filter(([n]) => n).map(([n, unit]) => `${n}${unit}`).join(" ")} ahead`;
}

async function advanceClock(seconds, button) {
  button.disabled = true;
  try {
    store.state.clock = await post("/sandbox/clock", { seconds });
    store.clockAt = performance.now();
    renderClock();
  } finally {
    button.disabled = false;
  }
}

// -- where the visitor looks: a conversation, or App Home ------------------------------------------

async function openChannel(id, highlight = null) {
  store.place = { kind: "channel", id };
  store.highlight = highlight;
  if (store.thread && store.thread.channel !== id) closeThread();
  remember();
  renderSidebar();
  composer.box.placeholder = id === store.state.dm.id
    ? "Slash commands only: Upline's Messages tab is read-only (try /status)"
    : `Message #${channelName(id)} — try /ask nn How do I …? or @Upline ask nn …`;
  $("composer").hidden = false;
  if (id === store.state.dm.id) {  // opening the app's Messages tab: Slack tells the app that too
    post("/sandbox/home/open", { ...as(), tab: "messages" }).catch(console.error);
  }
  await refreshPlace();
  composer.box.focus();
}

async function openHome() {
  store.place = { kind: "home" };
  closeThread();
  remember();
  renderSidebar();
  $("composer").hidden = true;
  renderHome(undefined);
  await post("/sandbox/home/open", { ...as(), tab: "home" });  // app_home_opened: the bot publishes
  await refreshPlace();
}

// What `upline governance apply --dry-run` would change: read again at every pushed change.
async function openGovernance() {
  store.place = { kind: "governance" };
  closeThread();
  remember();
  renderSidebar();
  $("composer").hidden = true;
  showSection("governance");
  $("pane-header").replaceChildren(...governanceHeader());
  renderGovernance($("governance"), undefined);
  await refreshPlace();
}

// The charts of `upline report --format html`, over the period picked (30 days at first).
async function openReport(since = store.reportSince || "30d") {
  store.place = { kind: "report" };
  store.reportSince = since;
  closeThread();
  remember();
  renderSidebar();
  $("composer").hidden = true;
  showSection("report");
  $("pane-header").replaceChildren(...reportHeader(since, openReport));
  await refreshPlace();
}

// The pane shows one of: the messages, App Home, the Governance panel, the Report.
function showSection(shown) {
  for (const id of ["messages", "home", "governance", "report"]) $(id).hidden = id !== shown;
}

function channelName(id) {
  return store.state.channels.find((c) => c.id === id)?.name || "Upline";
}

async function refreshPlace() {
  const load = ++loads;
  if (store.place.kind === "home") {
    const { view } = await get("/sandbox/home", as());
    if (load === loads) renderHome(view);
    return;
  }
  if (store.place.kind === "governance") {
    const data = await get("/sandbox/governance");
    if (load === loads) renderGovernance($("governance"), data);
    return;
  }
  if (store.place.kind === "report") {
    // What may change the report: the period, the clock, a new message (read now, not from the last state).
    const { clock, channels, dm } = await get("/sandbox/state", as());
    const version = [store.reportSince, clock.offset_seconds, dm.latest, ...channels.map((c) => c.latest)].join("|");
    if (load === loads) renderReport($("report"), reportUrl(store.reportSince), version);
    return;
  }
  const data = await get(`/sandbox/conversation/${store.place.id}`, as());
  if (load === loads) renderConversation(data);
}

function renderConversation(data) {
  const list = $("messages");
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
  const channel = store.state.channels.find((c) => c.id === data.channel.id);
  $("pane-header").replaceChildren(...(data.channel.is_im ? appHeader("Messages")
    : [h("h1", {}, `# ${data.channel.name}`), h("span", { class: "muted" }, channel?.purpose || "")]));
  showSection("messages");
  const id = data.channel.id;
  const nodes = renderMessageList(data.messages, { channel: id, actions: messageActions(id) });
  list.replaceChildren(nodes.length ? h("div", { class: "spacer" }) : intro(data.channel, channel), ...nodes);
  const stayAtBottom = atBottom || list.dataset.channel !== data.channel.id;  // reading older messages: stay put
  if (!scrollToHighlight(list) && stayAtBottom) list.scrollTop = list.scrollHeight;
  list.dataset.channel = data.channel.id;
  const last = data.messages.at(-1);
  if (last) markSeen(data.channel.id, last.ts);
}

// The app's own header: Slack shows an app's Home and its DM (Messages) as two tabs of one place.
function appHeader(active) {
  const tab = (name, open) => h("button", { type: "button", class: `tab${name === active ? " active" : ""}`,
    onclick: name === active ? null : open }, name);
  return [h("h1", {}, "Upline"), h("nav", { class: "tabs" },
    tab("Home", openHome), tab("Messages", () => openChannel(store.state.dm.id)))];
}

function intro(channel, listed) {
  const title = channel.is_im ? "This is your DM with Upline" : `This is the very beginning of #${channel.name}`;
  const words = channel.is_im ? "Upline writes here about your asks, and pings you when a question waits on you."
    : listed?.purpose || "";
  return h("div", { class: "intro" }, h("h2", {}, title), h("p", { class: "muted" }, words));
}

function scrollToHighlight(list) {
  if (!store.highlight) return false;
  const node = list.querySelector(`[data-ts="${CSS.escape(store.highlight)}"]`);
  if (!node) return false;
  node.scrollIntoView({ block: "center" });
  node.classList.add("flash");
  store.highlight = null;
  return true;
}

function renderHome(view) {
  $("pane-header").replaceChildren(...appHeader("Home"));
  showSection("home");
  const home = $("home");
  if (!view) {
    home.replaceChildren(h("p", { class: "muted" }, view === undefined ? "Opening Upline's Home…"
      : "Upline has not published a Home tab for you."));
    return;
  }
  const act = (blockIndex, element, choice) => sendAction({ view_id: view.id }, blockIndex, element, choice);
  home.replaceChildren(renderBlocks(view.blocks, viewer(act)));
}

function remember() {
  const params = new URLSearchParams({ as: store.me });
  if (store.place.kind === "home") params.set("home", "");
  else if (store.place.kind === "governance") params.set("governance", "");
  else if (store.place.kind === "report") params.set("report", store.reportSince);
  else params.set("channel", store.place.id);
  history.replaceState(null, "", `?${params}`);
}

// -- threads ---------------------------------------------------------------------------------------------

function messageActions(channel) {
  return {
    act: (where, blockIndex, element, choice) => sendAction(where, blockIndex, element, choice),
    openThread: (ts) => openThread(channel, ts),
  };
}

async function openThread(channel, ts) {
  store.thread = { channel, ts };
  $("thread").hidden = false;
  await refreshThread();
  threadComposer.box.focus();
}

function closeThread() {
  store.thread = null;
  $("thread").hidden = true;
}

async function refreshThread() {
  if (!store.thread) return;
  const { channel, ts } = store.thread;
  const data = await get(`/sandbox/thread/${channel}/${ts}`, as());
  if (store.thread?.ts !== ts) return;
  const list = $("thread-messages");
  $("thread-title").textContent = data.channel.is_im ? "Thread · Upline" : `Thread · #${data.channel.name}`;
  const options = { channel, inThread: true, actions: messageActions(channel) };
  list.replaceChildren(...renderMessageList(data.messages, options));
  list.scrollTop = list.scrollHeight;
}

// -- acting ----------------------------------------------------------------------------------------------

async function sendAction(where, blockIndex, element, choice) {
  const used = { block_index: blockIndex, action_id: element.action_id, ...choice };
  return post("/sandbox/action", { ...as(), ...where, ...used });
}

async function refreshModal() {
  const modal = await get("/sandbox/modal", as());
  showModal($("modal-layer"), modal, {
    act: (view, blockIndex, element, choice) => sendAction({ view_id: view.id }, blockIndex, element, choice),
    submit: async (view, values) => {
      const answer = await post("/sandbox/submit", { ...as(), view_id: view.id, values });
      refreshModal();
      return answer;
    },
    close: async (view) => { await post("/sandbox/close", { ...as(), view_id: view.id }); refreshModal(); },
  });
}

async function switchPerson(id) {
  store.me = id;
  const wasDm = store.place.kind === "channel" && store.place.id === store.state.dm.id;
  closeThread();
  await loadState();
  if (wasDm) await openChannel(store.state.dm.id);
  else if (store.place.kind === "home") await openHome();
  else if (store.place.kind === "governance") await openGovernance();
  else if (store.place.kind === "report") await openReport();
  else await openChannel(store.place.id);
  await refreshModal();
}

// -- live updates --------------------------------------------------------------------------------------

let pending = null;

// Changes come in bursts (a click updates the ping, writes in its thread, DMs the asker): one
// re-read after the burst instead of one per change.
function changed() {
  if (pending) return;
  pending = setTimeout(async () => {
    pending = null;
    await Promise.all([loadState(), refreshPlace(), refreshThread(), refreshModal()]).catch(console.error);
  }, 40);
}

// Links to /archives/… are the bot's permalinks: open that message here instead of leaving.
function followLinks(event) {
  const link = event.target.closest("a");
  if (!link) return;
  if (link.dataset.channel) {
    event.preventDefault();
    openChannel(link.dataset.channel);
    return;
  }
  const url = new URL(link.href, location.href);
  const match = url.origin === location.origin && url.pathname.match(/^\/archives\/(\w+)\/p(\d+)(\d{6})$/);
  if (!match) return;
  event.preventDefault();
  const thread = url.searchParams.get("thread_ts");
  openChannel(match[1], thread || `${match[2]}.${match[3]}`);
}

// -- start -----------------------------------------------------------------------------------------------

let composer;
let threadComposer;

async function boot() {
  const params = new URLSearchParams(location.search);
  store.me = params.get("as") || localStorage.getItem("upline.as");
  await loadState();
  composer = setupComposer($("composer"), (text) => post("/sandbox/send", { ...as(), channel: store.place.id, text }));
  threadComposer = setupComposer($("thread-composer"), (text) => post("/sandbox/send", {
    ...as(), channel: store.thread.channel, thread_ts: store.thread.ts, text }));
  $("composer-hints").replaceChildren(...commandHints(composer.fill));
  $("person").addEventListener("change", (event) => switchPerson(event.target.value));
  $("thread-close").addEventListener("click", closeThread);
  for (const button of document.querySelectorAll("[data-advance]")) {
    button.addEventListener("click", () => advanceClock(Number(button.dataset.advance), button));
  }
  document.addEventListener("click", followLinks);
  listen(changed, (live) => {
    $("live").classList.toggle("on", live);
    $("live").title = live ? "Live: changes appear as they happen" : "Reconnecting…";
    if (live) changed();  // catch up on whatever happened while the stream was down
  });
  setInterval(renderClock, 1000);
  if (params.has("home")) await openHome();
  else if (params.has("governance")) await openGovernance();
  else if (params.has("report")) await openReport(PERIODS.includes(params.get("report")) ? params.get("report") : "30d");
  else {
    // A link to a conversation this person cannot see (someone else's DM) lands in the first channel.
    await openChannel(params.get("channel") || store.state.channels[0].id, params.get("ts"))
      .catch(() => openChannel(store.state.channels[0].id));
  }
  await refreshModal();
  document.body.dataset.ready = "true";  // for the browser test: the first drawing is done
}

boot().catch((error) => {
  document.body.replaceChildren(h("pre", { class: "fatal" }, `The sandbox page could not start: ${error.message}`));
});

