// The moderation queue at speed (issue 18): every row is a real form (see
// templates/admin/comments/comment/change_list.html) that works without this script. With
// it, a decision is sent with fetch and answered in the row, with an Undo for a few
// seconds; j/k move between rows, a/r/s/b decide, u undoes, ? shows the keys. Keys never
// fire while typing in a field. When few rows are left, the next ones are fetched and
// added, so a moderator can clear the queue without a page load.
(function () {
  "use strict";
  var UNDO_SECONDS = 6;
  var queue = document.querySelector("[data-moderation-queue]");
  var table = document.querySelector("#result_list tbody");
  if (!queue || !table) { return; }
  var announcer = document.querySelector("[data-announce]");
  var help = document.getElementById("keys-help");
  var helpButton = document.querySelector("[data-keys-help]");
  var undoable = [];  // Rows whose Undo is still offered, the latest last.
  var loading = false;

  function rows() {
    return Array.prototype.filter.call(table.rows, function (row) {
      return row.querySelector(".row-actions");
    });
  }
  function open(row) { return !row.classList.contains("is-decided"); }
  function rowOf(form) {
    var actions = table.querySelector(".row-actions[data-review='" + form.id.slice(9) + "']");
    return actions && actions.closest("tr");
  }
  function formOf(row) {
    return document.getElementById("moderate-" + row.querySelector(".row-actions").dataset.review);
  }
  function say(text) { if (announcer) { announcer.textContent = text; } }

  function prepare(row) {
    row.tabIndex = -1;
    row.classList.add("queue-row");
  }
  rows().forEach(prepare);

  function focusRow(row) {
    if (!row) { return; }
    row.focus();
    var list = rows();
    var text = row.querySelector("td:nth-child(3) span");
    say((list.indexOf(row) + 1) + " / " + list.length + ": " + (text ? text.textContent : ""));
  }
  function current() {
    var row = document.activeElement && document.activeElement.closest &&
      document.activeElement.closest("tr.queue-row");
    return row || null;
  }
  function step(direction) {
    var list = rows().filter(open);
    var here = current();
    if (!list.length) { say(queue.dataset.empty || ""); return; }
    var all = rows();
    var index = here ? all.indexOf(here) : -1;
    var candidates = direction > 0 ?
      all.slice(index + 1).filter(open) : all.slice(0, Math.max(index, 0)).filter(open).reverse();
    focusRow(candidates[0] || (here ? here : list[0]));
  }

  function showResult(row, message, canUndo) {
    var result = row.querySelector(".row-actions__result");
    result.textContent = message + " ";
    if (canUndo) {
      var undo = document.createElement("button");
      undo.type = "submit";
      undo.setAttribute("form", formOf(row).id);
      undo.name = "decision";
      undo.value = "undo";
      undo.textContent = queue.dataset.undoLabel;
      result.appendChild(undo);
      undoable.push(row);
      window.setTimeout(function () {
        undo.remove();
        undoable = undoable.filter(function (other) { return other !== row; });
      }, UNDO_SECONDS * 1000);
    }
  }

  function moreRows() {
    if (loading || rows().filter(open).length > 5) { return; }
    loading = true;
    fetch(window.location.href, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.ok ? response.text() : ""; })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        page.querySelectorAll("#result_list tbody tr").forEach(function (row) {
          var actions = row.querySelector(".row-actions");
          if (!actions || document.getElementById("moderate-" + actions.dataset.review)) { return; }
          var form = page.getElementById("moderate-" + actions.dataset.review);
          queue.appendChild(document.importNode(form, true));
          var added = document.importNode(row, true);
          prepare(added);
          table.appendChild(added);
        });
      })
      .catch(function () { /* The rows shown still work; a reload shows the rest. */ })
      .then(function () { loading = false; });
  }

  function send(form, submitter) {
    var row = rowOf(form);
    var decision = submitter.value;
    var body = new FormData(form, submitter);
    row.classList.add("is-busy");
    return fetch(form.action, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { Accept: "application/json" }
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    }).then(function (answer) {
      row.classList.remove("is-busy");
      if (decision === "undo") {
        undoable = undoable.filter(function (other) { return other !== row; });
        row.classList.remove("is-decided");
        showResult(row, answer.data.message, false);
        say(answer.data.message);
        focusRow(row);
        return;
      }
      if (!answer.ok) { showResult(row, answer.data.message, false); return; }
      var wasCurrent = current() === row;
      row.classList.add("is-decided");
      showResult(row, answer.data.message, answer.data.undo);
      say(answer.data.message);
      if (wasCurrent || !current()) { step(1); }
      moreRows();
    }).catch(function () {
      row.classList.remove("is-busy");
      form.submit();  // The server is unsure: let the plain form answer, with a reload.
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.id || form.id.indexOf("moderate-") !== 0 || !event.submitter) { return; }
    event.preventDefault();
    send(form, event.submitter);
  });

  function typing(target) {
    return target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
  }
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) { return; }
    if (help && help.open) { return; }
    var key = event.key;
    if (key === "j" || key === "k") { event.preventDefault(); step(key === "j" ? 1 : -1); return; }
    if (key === "?") { event.preventDefault(); help.showModal(); return; }
    if (key === "u") {
      var last = undoable[undoable.length - 1];
      var undo = last && last.querySelector("button[value=undo]");
      if (undo) { event.preventDefault(); undo.click(); }
      return;
    }
    var row = current();
    if (!row || !open(row)) { return; }
    var button = row.querySelector(".row-actions__buttons button[data-key='" + key + "']");
    if (button) { event.preventDefault(); button.click(); }
  });
  if (helpButton) {
    helpButton.hidden = false;
    helpButton.addEventListener("click", function () { help.showModal(); });
  }
})();
