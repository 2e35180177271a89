/* The entry page: only the fields of the chosen kind, a link label that fits it, and slides
   dropped onto the page checked one by one (with progress) through the image gate, each
   given its alt text on the spot. The files themselves are sent with the form on save. */
(function () {
  "use strict";

  var form = document.getElementById("entry_form");
  if (!form) {
    return;
  }
  var kind = document.getElementById("id_kind");
  var label = document.getElementById("id_link_label");
  var defaults = label ? JSON.parse(label.getAttribute("data-defaults") || "{}") : {};
  var rows = {
    keynote: [".field-keynote", ".field-new_keynote_title", ".field-new_keynote_speaker"],
    paper: [".field-paper", ".field-new_paper_title"],
  };

  function showKind() {
    ["keynote", "paper"].forEach(function (name) {
      rows[name].forEach(function (selector) {
        var row = form.querySelector(selector);
        if (row) {
          (row.closest(".form-row") || row).hidden = kind.value !== name;
        }
      });
    });
    var known = Object.keys(defaults).map(function (key) {
      return defaults[key];
    });
    if (label && (label.value === "" || known.indexOf(label.value) !== -1)) {
      label.value = defaults[kind.value] || label.value;
    }
  }
  if (kind) {
    kind.addEventListener("change", showKind);
    showKind();
  }

  var input = form.querySelector("input[name=slides]");
  if (!input || !window.XMLHttpRequest || typeof DataTransfer === "undefined") {
    return;
  }
  var checkUrl = input.getAttribute("data-check-url");
  var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var prefixRow = form.querySelector(".field-slide_alt_prefix");
  if (prefixRow) {
    prefixRow.hidden = true;
  }
  var zone = document.createElement("div");
  zone.className = "slide-drop";
  zone.innerHTML =
    '<p>Drop slide images here, or choose them with the field above.</p>' +
    '<ul class="slide-list" aria-live="polite"></ul>';
  input.insertAdjacentElement("afterend", zone);
  var list = zone.querySelector(".slide-list");
  var accepted = [];

  function heading() {
    var typed = document.getElementById("id_heading");
    if (typed && typed.value.trim()) {
      return typed.value.trim();
    }
    var fresh = document.getElementById("id_new_" + (kind ? kind.value : "paper") + "_title");
    if (fresh && fresh.value.trim()) {
      return fresh.value.trim();
    }
    var chosen = document.querySelector(
      "#id_" + (kind ? kind.value : "paper") + " option:checked"
    );
    return chosen && chosen.value ? chosen.textContent.trim() : "";
  }

  function naturalKey(name) {
    return name.toLowerCase().split(/(\d+)/).map(function (part, i) {
      return i % 2 ? parseInt(part, 10) : part;
    });
  }

  function compare(a, b) {
    var x = naturalKey(a.name);
    var y = naturalKey(b.name);
    for (var i = 0; i < Math.min(x.length, y.length); i++) {
      if (x[i] !== y[i]) {
        return x[i] < y[i] ? -1 : 1;
      }
    }
    return x.length - y.length;
  }

  function syncInput() {
    accepted.sort(function (a, b) {
      return compare(a.file, b.file);
    });
    var transfer = new DataTransfer();
    accepted.forEach(function (item) {
      transfer.items.add(item.file);
    });
    input.files = transfer.files;
    accepted.forEach(function (item, n) {
      list.appendChild(item.row);
      var offered = "Slide " + (n + 1) + " of " + accepted.length + ": " + heading();
      if (item.alt.getAttribute("data-auto") === "true") {
        item.alt.value = offered;
      }
    });
  }

  function check(file) {
    var row = document.createElement("li");
    var name = document.createElement("span");
    name.textContent = file.name;
    var progress = document.createElement("progress");
    progress.max = 100;
    progress.value = 0;
    progress.setAttribute("aria-label", "Checking " + file.name);
    row.appendChild(name);
    row.appendChild(progress);
    list.appendChild(row);
    var data = new FormData();
    data.append("image", file);
    data.append("csrfmiddlewaretoken", token);
    var request = new XMLHttpRequest();
    request.open("POST", checkUrl);
    request.setRequestHeader("Accept", "application/json");
    request.upload.addEventListener("progress", function (event) {
      if (event.lengthComputable) {
        progress.value = Math.round((100 * event.loaded) / event.total);
      }
    });
    request.addEventListener("load", function () {
      progress.remove();
      var body = {};
      try {
        body = JSON.parse(request.responseText);
      } catch (error) {
        body = { ok: false, error: "The server did not answer (" + request.status + ")." };
      }
      if (!body.ok) {
        var why = document.createElement("span");
        why.className = "slide-refused";
        why.textContent = "Refused: " + (body.error || "not an image this site accepts.");
        row.appendChild(why);
        return;
      }
      var id = "slide-alt-" + list.children.length + "-" + Date.now();
      var caption = document.createElement("label");
      caption.setAttribute("for", id);
      caption.textContent = "Alt text";
      var alt = document.createElement("input");
      alt.type = "text";
      alt.name = "slide_alt";
      alt.id = id;
      alt.required = true;
      alt.maxLength = 300;
      alt.setAttribute("data-auto", "true");
      alt.addEventListener("input", function () {
        alt.setAttribute("data-auto", "false");
      });
      row.appendChild(caption);
      row.appendChild(alt);
      var remove = document.createElement("button");
      remove.type = "button";
      remove.className = "button";
      remove.textContent = "Remove";
      remove.setAttribute("aria-label", "Remove " + file.name);
      remove.addEventListener("click", function () {
        accepted = accepted.filter(function (item) {
          return item.row !== row;
        });
        row.remove();
        syncInput();
      });
      row.appendChild(remove);
      accepted.push({ file: file, row: row, alt: alt });
      syncInput();
    });
    request.addEventListener("error", function () {
      progress.remove();
      var why = document.createElement("span");
      why.className = "slide-refused";
      why.textContent = "Not checked: the upload failed; try again.";
      row.appendChild(why);
    });
    request.send(data);
  }

  function take(files) {
    Array.prototype.forEach.call(files, check);
  }

  input.addEventListener("change", function () {
    var chosen = Array.prototype.slice.call(input.files);
    var known = accepted.map(function (item) {
      return item.file;
    });
    if (chosen.length === known.length && chosen.every(function (f, i) { return f === known[i]; })) {
      return;
    }
    // A new choice adds to the slides already checked; the input then holds them all.
    syncInput();
    take(chosen);
  });
  ["dragenter", "dragover"].forEach(function (type) {
    form.addEventListener(type, function (event) {
      if (event.dataTransfer && Array.prototype.indexOf.call(event.dataTransfer.types, "Files") !== -1) {
        event.preventDefault();
        zone.classList.add("slide-drop-over");
      }
    });
  });
  form.addEventListener("dragleave", function (event) {
    if (event.target === zone) {
      zone.classList.remove("slide-drop-over");
    }
  });
  form.addEventListener("drop", function (event) {
    if (event.dataTransfer && event.dataTransfer.files.length) {
      event.preventDefault();
      zone.classList.remove("slide-drop-over");
      take(event.dataTransfer.files);
    }
  });
  ["id_heading", "id_new_keynote_title", "id_new_paper_title"].forEach(function (id) {
    var field = document.getElementById(id);
    if (field) {
      field.addEventListener("input", syncInput);
    }
  });
})();
