// The "Post update" box of a live story (templates/admin/articles/article/live_panel.html):
// posts without leaving the page, puts the new update at the top of the list and empties
// the box; a refusal is said next to the button and the text stays. Without JavaScript
// the box is a plain form that comes back to the story.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("[data-live-post]");
  if (!form || !window.fetch) return;
  const status = form.querySelector("[data-live-post-status]");
  const list = document.querySelector("[data-live-post-list]");
  const button = form.querySelector("button[type=submit]");

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const editor = window.editors && window.editors["id_live-body"];
    if (editor) form.elements["live-body"].value = editor.getData();
    button.disabled = true;
    status.textContent = "";
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      const answer = await response.json();
      if (!response.ok) {
        status.textContent = Object.values(answer.errors || {})
          .flat()
          .map((error) => error.message)
          .join(" ");
        return;
      }
      list.insertAdjacentHTML("afterbegin", answer.row);
      form.reset();
      if (editor) editor.setData("");
      status.textContent = answer.message;
    } catch {
      // The answer was not the JSON we wait for (a lost connection, a login page): the
      // plain form says what happened.
      form.submit();
    } finally {
      button.disabled = false;
    }
  });
});
