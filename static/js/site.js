// Progressive enhancement for reader pages; everything works without it.
document.addEventListener("DOMContentLoaded", () => {
  // Count an anonymous read (aggregates only), also when the page came from a cache.
  const story = document.querySelector("[data-beacon]");
  if (story && navigator.sendBeacon) {
    navigator.sendBeacon(story.dataset.beacon);
  }

  // "Copy link" needs the clipboard API, so the button only appears where it works.
  document.querySelectorAll("[data-copy]").forEach((button) => {
    if (!navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener("click", async () => {
      await navigator.clipboard.writeText(button.dataset.copy);
      button.textContent = button.dataset.copied;
    });
  });
});
