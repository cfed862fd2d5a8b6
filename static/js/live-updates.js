// The live page (templates/articles/live_updates.html): asks the polling endpoint for new
// updates every few seconds and says, politely, how many came in; they appear only when
// the reader asks, so nothing moves under their eyes. A hidden tab asks less and less
// often; ended coverage stops the asking. Without this script a reload shows new updates.
document.addEventListener("DOMContentLoaded", () => {
  const live = document.querySelector("[data-live-poll]");
  if (!live || !window.fetch) return;
  const list = live.querySelector("[data-live-list]");
  const button = live.querySelector("[data-live-show]");
  const status = live.querySelector("[data-live-status]");
  const labels = JSON.parse(document.getElementById("live-new-labels").textContent);
  const most = Math.max(...Object.keys(labels).map(Number));
  const interval = Number(live.dataset.liveInterval) * 1000;
  const longest = interval * 16;
  let wait = interval;
  let timer = null;
  let waiting = [];
  let stopped = false;

  const newestShown = () => {
    const first = list.querySelector("[data-live-update]");
    return first ? Number(first.dataset.liveUpdate) : 0;
  };
  const schedule = () => {
    clearTimeout(timer);
    if (!stopped) timer = setTimeout(check, wait);
  };

  async function check() {
    let answer;
    try {
      const response = await fetch(live.dataset.livePoll, { headers: { Accept: "application/json" } });
      if (!response.ok) throw new Error(String(response.status));
      answer = await response.json();
    } catch {
      wait = Math.min(wait * 2, longest);
      schedule();
      return;
    }
    const known = newestShown();
    waiting = answer.updates.filter((update) => update.id > known);
    if (waiting.length) {
      button.textContent = labels[Math.min(waiting.length, most)];
      button.hidden = false;
    }
    if (answer.ended) {
      stopped = true;
      const ended = document.createElement("p");
      ended.className = "live__status";
      ended.textContent = live.dataset.liveEnded;
      status.append(ended);
      return;
    }
    wait = document.hidden ? Math.min(wait * 2, longest) : interval;
    schedule();
  }

  button.addEventListener("click", () => {
    if (waiting.length >= most) {
      window.location.reload();
      return;
    }
    const fresh = document.createElement("template");
    // The endpoint's HTML is the page's own update template, rendered by the server from
    // text sanitised on save.
    fresh.innerHTML = waiting.map((update) => update.html).join("");
    const first = fresh.content.firstElementChild;
    if (navigator.clipboard) {
      fresh.content.querySelectorAll("[data-copy]").forEach((copy) => {
        copy.hidden = false;
      });
    }
    list.prepend(fresh.content);
    live.querySelector(".live__empty")?.remove();
    waiting = [];
    button.hidden = true;
    first?.focus();
  });

  document.addEventListener("visibilitychange", () => {
    if (!document.hidden && !stopped && wait > interval) {
      wait = interval;
      clearTimeout(timer);
      check();
    }
  });
  schedule();
});
