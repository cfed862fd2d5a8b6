// The writing screen (templates/admin/articles/article/change_form.html): word count and
// reading time, the headline's length against what search engines show, the autosave
// ("Saved at 12:01") a few seconds after typing stops and on leaving a field, the offer to
// restore an autosave, and a question before leaving with unsaved changes.
// Without JavaScript the form is the admin's own: nothing here is needed to write or save.
(function () {
  "use strict";
  var IDLE_MS = 3000;
  var TITLE_LIMIT = 60;
  var WORDS_PER_MINUTE = 200;
  var editor = null;

  // CKEditor's bundle creates the body's editor at DOMContentLoaded too: take it from
  // window.editors if it is there already, else ask to hear of it.
  document.addEventListener("DOMContentLoaded", function () {
    var config = document.querySelector("[data-autosave-url]");
    var form = document.getElementById("article_form");
    if (!config || !form || !window.fetch) {
      return;
    }
    var desk = new Desk(form, config);
    function found(created) {
      editor = created;
      desk.watchEditor();
    }
    if (window.editors && window.editors.id_body) {
      found(window.editors.id_body);
    } else if (window.ckeditorRegisterCallback) {
      window.ckeditorRegisterCallback("id_body", found);
    }
  });

  function Desk(form, config) {
    this.form = form;
    this.config = config;
    this.url = config.getAttribute("data-autosave-url");
    this.status = form.querySelector("[data-autosave-status]");
    this.counts = form.querySelector("[data-desk-counts]");
    this.dirty = false; // changed since the story was last saved
    this.pending = false; // changed since the last autosave
    this.timer = null;
    this.tokenInput = form.querySelector("input[name=_autosave_token]");
    this.keyInput = form.querySelector("input[name=_autosave_key]");
    var self = this;
    form.addEventListener("input", function (event) { self.changed(event); });
    form.addEventListener("change", function (event) { self.changed(event); self.saveSoon(0); });
    form.addEventListener("focusout", function () { self.saveSoon(0); });
    form.addEventListener("submit", function () { self.dirty = false; window.clearTimeout(self.timer); });
    window.addEventListener("beforeunload", function (event) {
      if (self.dirty) {
        event.preventDefault();
        event.returnValue = "";
      }
    });
    this.lengthCounter("id_headline");
    this.lengthCounter("id_seo_title");
    this.offer();
  }

  Desk.prototype.changed = function (event) {
    var name = event && event.target && event.target.name;
    if (!name || name.indexOf("-") !== -1 || name.charAt(0) === "_" || name === "csrfmiddlewaretoken") {
      return; // inlines and the desk's own inputs are not autosaved
    }
    this.dirty = true;
    this.pending = true;
    this.saveSoon(IDLE_MS);
  };

  Desk.prototype.watchEditor = function () {
    var self = this;
    editor.model.document.on("change:data", function () {
      self.dirty = true;
      self.pending = true;
      self.showCounts();
      self.saveSoon(IDLE_MS);
    });
    editor.ui.focusTracker.on("change:isFocused", function (event, name, focused) {
      if (!focused) {
        self.saveSoon(0);
      }
    });
    this.showCounts();
  };

  Desk.prototype.showCounts = function () {
    if (!this.counts || !editor) {
      return;
    }
    var words;
    if (editor.plugins.has("WordCount")) {
      words = editor.plugins.get("WordCount").words;
    } else {
      // An inert document: nothing in it loads or runs.
      var text = new DOMParser().parseFromString(editor.getData(), "text/html").body.textContent;
      words = (text.match(/\S+/g) || []).length;
    }
    var minutes = Math.max(1, Math.round(words / WORDS_PER_MINUTE));
    this.counts.textContent = this.config.getAttribute("data-words-label")
      .replace("{words}", words).replace("{minutes}", minutes);
  };

  Desk.prototype.lengthCounter = function (id) {
    var input = document.getElementById(id);
    if (!input) {
      return;
    }
    var note = document.createElement("p");
    note.className = "desk__length";
    note.id = id + "_length";
    note.setAttribute("aria-live", "polite");
    input.insertAdjacentElement("afterend", note);
    var label = this.config.getAttribute("data-title-label");
    function update() {
      var count = input.value.length;
      note.textContent = label.replace("{count}", count).replace("{limit}", TITLE_LIMIT);
      note.classList.toggle("desk__length--over", count > TITLE_LIMIT);
    }
    input.addEventListener("input", update);
    update();
  };

  Desk.prototype.saveSoon = function (delay) {
    var self = this;
    window.clearTimeout(this.timer);
    if (this.pending) {
      this.timer = window.setTimeout(function () { self.save(); }, delay);
    }
  };

  Desk.prototype.post = function (data) {
    var token = this.form.querySelector("input[name=csrfmiddlewaretoken]").value;
    if (this.tokenInput) {
      data.append("_autosave_token", this.tokenInput.value);
    }
    return fetch(this.url, {
      method: "POST",
      credentials: "same-origin",
      headers: {"X-CSRFToken": token},
      body: data,
    });
  };

  Desk.prototype.save = function () {
    var self = this;
    if (editor) {
      this.form.querySelector("#id_body").value = editor.getData();
    }
    var data = new FormData(this.form);
    var labels = {};
    Array.prototype.forEach.call(this.form.querySelectorAll("select"), function (select) {
      if (select.name && select.name.indexOf("-") === -1 && select.selectedIndex >= 0) {
        labels[select.name] = select.options[select.selectedIndex].text;
      }
    });
    ["csrfmiddlewaretoken", "_autosave_key", "_autosave_token"].forEach(function (name) {
      data.delete(name);
    });
    data.append("_labels", JSON.stringify(labels));
    this.pending = false;
    this.post(data).then(function (response) {
      return response.json().then(function (answer) {
        self.say(answer.label || answer.error);
      });
    }).catch(function () {
      self.pending = true;
      self.say(self.config.getAttribute("data-failed-label"));
    });
  };

  Desk.prototype.say = function (text) {
    if (this.status && text) {
      this.status.textContent = text;
    }
  };

  // "Restore your unsaved changes from 12:01?" ---------------------------------------
  Desk.prototype.offer = function () {
    var box = this.form.querySelector("[data-autosave-offer]");
    var stored = document.getElementById("autosave-data");
    if (!box || !stored) {
      return;
    }
    var self = this;
    var saved = JSON.parse(stored.textContent);
    box.querySelector("[data-autosave-restore]").addEventListener("click", function () {
      self.adopt(box);
      self.restore(saved.fields || {}, saved.labels || {});
      box.remove();
    });
    box.querySelector("[data-autosave-discard]").addEventListener("click", function () {
      self.adopt(box);
      var data = new FormData();
      data.append("discard", "1");
      self.post(data);
      box.remove();
    });
  };

  // A new story's autosave keeps its own key once restored or discarded.
  Desk.prototype.adopt = function (box) {
    var token = box.getAttribute("data-autosave-offer-token");
    if (token && this.tokenInput) {
      this.tokenInput.value = token;
      this.keyInput.value = box.getAttribute("data-autosave-offer-key");
    }
  };

  Desk.prototype.restore = function (fields, labels) {
    var form = this.form;
    Array.prototype.forEach.call(form.elements, function (element) {
      var name = element.name;
      if (!name || name.indexOf("-") !== -1 || name.charAt(0) === "_" || name === "csrfmiddlewaretoken") {
        return;
      }
      var value = fields[name];
      var values = value === undefined ? [] : [].concat(value);
      if (element.type === "checkbox" || element.type === "radio") {
        element.checked = values.indexOf(element.value) !== -1;
      } else if (element.tagName === "SELECT") {
        values.forEach(function (one) {
          if (!Array.prototype.some.call(element.options, function (option) { return option.value === one; })) {
            element.add(new Option(labels[name] || one, one));
          }
        });
        Array.prototype.forEach.call(element.options, function (option) {
          option.selected = values.indexOf(option.value) !== -1;
        });
        if (window.django && window.django.jQuery) {
          window.django.jQuery(element).trigger("change"); // the autocomplete's display
        }
      } else if (value !== undefined && element.type !== "file") {
        element.value = values[0];
        element.dispatchEvent(new Event("input", {bubbles: true}));
      }
    });
    if (editor && fields.body !== undefined) {
      editor.setData(fields.body);
    }
    this.dirty = true;
  };
})();
