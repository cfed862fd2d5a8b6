// The desk's media picker (articles/media_picker.py): the library's pictures with
// thumbnails, searched as one types, and an upload in place, for the lead image and for
// pictures in the body. The upload goes through the editor's upload address, with the
// same checks as every upload; a picture the library has already comes back as that one.
(function () {
  "use strict";

  function ready(run) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", run);
    } else {
      run();
    }
  }

  ready(function () {
    var dialog = document.querySelector("[data-media-picker]");
    if (!dialog || !dialog.showModal) {
      return;
    }
    var results = dialog.querySelector("[data-picker-results]");
    var status = dialog.querySelector("[data-picker-status]");
    var search = dialog.querySelector("[data-picker-search]");
    var upload = dialog.querySelector("[data-picker-upload]");
    var target = null;
    var typing = null;
    var asked = 0;

    function language() {
      var field = document.getElementById("id_language");
      return field && field.value ? field.value : "en";
    }

    function load() {
      var ask = ++asked;
      var query = new URLSearchParams({ q: search.value, language: language() });
      fetch(dialog.dataset.pickerUrl + "?" + query, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          if (ask === asked) {
            show(data.pictures || []);
          }
        })
        .catch(function () { status.textContent = dialog.dataset.failedLabel; });
    }

    function show(pictures) {
      results.textContent = "";
      status.textContent = pictures.length ? "" : dialog.dataset.emptyLabel;
      pictures.forEach(function (picture) {
        var item = document.createElement("li");
        var button = document.createElement("button");
        var thumbnail = document.createElement("img");
        var title = document.createElement("span");
        var alt = document.createElement("span");
        button.type = "button";
        button.className = "picker__choice";
        thumbnail.src = picture.thumbnail;
        thumbnail.alt = "";
        thumbnail.width = 160;
        thumbnail.height = 90;
        thumbnail.loading = "lazy";
        title.className = "picker__title";
        title.textContent = picture.title;
        alt.className = picture.alt ? "picker__alt" : "picker__alt picker__alt--missing";
        alt.textContent = picture.alt || dialog.dataset.noAltLabel;
        button.append(thumbnail, title, alt);
        button.addEventListener("click", function () { choose(picture); });
        item.appendChild(button);
        results.appendChild(item);
      });
    }

    function choose(picture) {
      if (target === "body") {
        var editor = window.editors && window.editors.id_body;
        if (editor) {
          editor.execute("insertImage", {
            source: [{ src: picture.url, alt: picture.alt || "" }],
            imageType: "imageBlock",
            breakBlock: true,
          });
        }
      } else {
        var select = document.getElementById("id_lead_image");
        if (select) {
          select.appendChild(new Option(picture.title, picture.id, true, true));
          if (window.django && window.django.jQuery) {
            window.django.jQuery(select).trigger("change");
          } else {
            select.dispatchEvent(new Event("change", { bubbles: true }));
          }
        }
      }
      dialog.close();
      if (target === "body" && window.editors && window.editors.id_body) {
        window.editors.id_body.editing.view.focus();
      }
    }

    function send(file) {
      var data = new FormData();
      var key = document.querySelector("input[name=_autosave_key]");
      var token = document.querySelector("input[name=csrfmiddlewaretoken]");
      data.append("upload", file);
      data.append("story_key", key ? key.value : "");
      status.textContent = dialog.dataset.uploadingLabel;
      fetch(dialog.dataset.uploadUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": token ? token.value : "" },
        body: data,
      })
        .then(function (response) { return response.json(); })
        .then(function (answer) {
          upload.value = "";
          if (answer.error) {
            status.textContent = answer.error.message;
            return;
          }
          var title = file.name.replace(/\.[^.]*$/, "");
          choose({ id: answer.id, url: answer.url, title: title, alt: "" });
        })
        .catch(function () { status.textContent = dialog.dataset.failedLabel; });
    }

    document.querySelectorAll("[data-picker-open]").forEach(function (button) {
      button.addEventListener("click", function () {
        target = button.dataset.pickerOpen;
        dialog.showModal();
        search.focus();
        load();
      });
    });
    dialog.querySelector("[data-picker-close]").addEventListener("click", function () {
      dialog.close();
    });
    // The dialog sits inside the story's form: Enter in the search box searches, it does
    // not save the story.
    search.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        load();
      }
    });
    search.addEventListener("input", function () {
      clearTimeout(typing);
      typing = setTimeout(load, 250);
    });
    upload.addEventListener("change", function () {
      if (upload.files.length) {
        send(upload.files[0]);
      }
    });
  });
})();
