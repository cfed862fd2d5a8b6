// Progressive enhancement for reader pages; everything works without it.
document.addEventListener("DOMContentLoaded", () => {
  // Count an anonymous read (aggregates only), also when the page came from a cache.
  const story = document.querySelector("[data-beacon]");
  if (story && navigator.sendBeacon) {
    navigator.sendBeacon(story.dataset.beacon);
  }

  // "Copy link" needs the clipboard API, so the button only appears where it works. One
  // listener for the page, so buttons added later (a live page's new updates) work too.
  if (!navigator.clipboard) return;
  document.querySelectorAll("[data-copy]").forEach((button) => {
    button.hidden = false;
  });
  document.addEventListener("click", async (event) => {
    const button = event.target.closest("[data-copy]");
    if (!button) return;
    await navigator.clipboard.writeText(button.dataset.copy);
    button.textContent = button.dataset.copied;
  });
});
