// The story form's tag field (comma-separated, as django-taggit reads it) suggests the
// newsroom's existing tags for the word being typed, through a <datalist>: the browser
// shows the choices accessibly, and picking one completes the field. The admin loads this
// in <head>: wait for the form before looking for it.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var input = document.querySelector("input[data-tag-suggest-url]");
  if (!input || !window.fetch) {
    return;
  }
  var url = input.getAttribute("data-tag-suggest-url");
  var list = document.createElement("datalist");
  list.id = input.getAttribute("list");
  input.after(list);
  var timer = null;
  var asked = "";

  // Multi-word tags are quoted, as taggit writes them, so they stay one tag.
  function written(name) {
    return /[\s,]/.test(name) ? '"' + name + '"' : name;
  }

  function suggest() {
    var value = input.value;
    var rest = value.slice(value.lastIndexOf(",") + 1);
    var typed = rest.trim();
    if (!typed || typed === asked) {
      return;
    }
    asked = typed;
    var before = value.slice(0, value.length - rest.trimStart().length);
    fetch(url + "?q=" + encodeURIComponent(typed), {credentials: "same-origin"})
      .then(function (response) {
        return response.ok ? response.json() : {tags: []};
      })
      .then(function (data) {
        list.replaceChildren.apply(list, data.tags.map(function (name) {
          var option = document.createElement("option");
          option.value = before + written(name);
          return option;
        }));
      });
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(suggest, 150);
  });
});
