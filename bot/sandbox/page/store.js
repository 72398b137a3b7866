// What the page knows, in one place: who acts, where they are looking, and the sandbox's state.

export const store = {
  state: null,        // /sandbox/state: people, channels, this person's DM, the commands, the clock
  me: null,           // the person the page acts as
  place: { kind: "channel", id: null },  // or { kind: "home" }
  thread: null,       // { channel, ts } of the open thread pane
  highlight: null,    // a message to scroll to once it is drawn (a permalink, ?ts=)
  clockAt: 0,         // performance.now() when the clock was read: the page ticks it between reads
  drawn: new Map(),   // message key -> its content as last drawn, to flash what chat.update changed
  // The latest ts each person has seen per conversation; kept across reloads so "unread" stays true.
  seen: JSON.parse(localStorage.getItem("upline.seen") || "{}"),
};

export function person(id) {
  return store.state?.people.find((p) => p.id === id);
}

export function displayName(id) {
  if (id === store.state?.bot.id) return store.state.bot.name;
  const known = person(id);
  return known ? known.real_name || known.name : null;
}

// The bot's clock runs on: read once from the server, then advanced with the page's own clock.
export function botNow() {
  const clock = store.state?.clock;
  if (!clock) return new Date();
  return new Date(clock.epoch * 1000 + (performance.now() - store.clockAt));
}

function validTimeZone(zone) {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return zone;
  } catch {
    return "UTC";
  }
}

// How mrkdwn is read by the person acting: their name highlighted, dates in their time zone.
export function viewer(act) {
  return {
    me: store.me,
    timeZone: validTimeZone(person(store.me)?.tz || "UTC"),
    userName: displayName,
    channelName: (id) => store.state?.channels.find((c) => c.id === id)?.name,
    now: botNow,
    people: () => (store.state?.people || []).filter((p) => !p.is_bot),  // whom a users_select offers
    act,
  };
}

// Slack timestamps ("1700000000.000100") compared exactly: as numbers they would lose the microseconds.
export function tsAfter(a, b) {
  if (!a) return false;
  if (!b) return true;
  const [ai, af = ""] = a.split(".");
  const [bi, bf = ""] = b.split(".");
  return ai.length !== bi.length ? ai.length > bi.length : ai !== bi ? ai > bi : af.padEnd(6, "0") > bf.padEnd(6, "0");
}

export function markSeen(channel, latest) {
  const key = `${store.me}:${channel}`;
  if (latest && tsAfter(latest, store.seen[key])) {
    store.seen[key] = latest;
    localStorage.setItem("upline.seen", JSON.stringify(store.seen));
  }
}

export function isUnread(channel, latest) {
  return tsAfter(latest, store.seen[`${store.me}:${channel}`]);
}
