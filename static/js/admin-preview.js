/* Live preview beside the post form: the form's unsaved state is posted to the preview view
   (debounced as the curator types) and the real public page is shown in a frame; the
   publishing checklist follows every answer, with the panel open or not. Without JavaScript the "Preview unsaved
   changes" button opens the same page in a new tab. */
(function () {
  "use strict";

  var form = document.getElementById("post_form");
  var panel = document.getElementById("live-preview");
  var button = document.getElementById("preview-button");
  if (!form || !panel || !button || !window.fetch) {
    return;
  }
  var url = panel.getAttribute("data-preview-url");
  var frame = panel.querySelector("iframe");
  var status = panel.querySelector(".live-preview-status");
  var layout = document.getElementById("content");
  var timer = null;
  var pending = null;

  function showChecklist(problems) {
    var box = document.getElementById("publishing-checklist");
    if (!box) {
      return;
    }
    var list = box.querySelector("ul.errorlist");
    var note = box.querySelector("p");
    if (!list) {
      list = document.createElement("ul");
      list.className = "errorlist";
      box.insertBefore(list, note);
    }
    list.textContent = "";
    problems.forEach(function (problem) {
      var item = document.createElement("li");
      item.textContent = problem;
      list.appendChild(item);
    });
    list.hidden = problems.length === 0;
    if (note) {
      note.textContent = problems.length
        ? "Publishing is refused until these are fixed."
        : "Ready to publish: every image has alt text, every section has entries, every entry a summary, and the conference is set.";
    }
  }

  function refresh() {
    var data = new FormData(form);
    data.delete("cover_image");
    if (pending) {
      pending.abort();
    }
    pending = new AbortController();
    if (!panel.hidden) {
      status.textContent = "Updating the preview…";
    }
    fetch(url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
      signal: pending.signal,
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("The preview could not be made (" + response.status + ").");
        }
        return response.json();
      })
      .then(function (answer) {
        showChecklist(answer.checklist);
        if (!panel.hidden) {
          frame.srcdoc = answer.html;
          status.textContent = "Preview up to date.";
        }
      })
      .catch(function (error) {
        if (error.name !== "AbortError") {
          status.textContent = error.message;
        }
      });
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(refresh, 600);
  }

  button.addEventListener("click", function (event) {
    event.preventDefault();
    panel.hidden = !panel.hidden;
    layout.classList.toggle("live-preview-on", !panel.hidden);
    button.textContent = panel.hidden ? "Preview unsaved changes" : "Hide the preview";
    button.setAttribute("aria-expanded", String(!panel.hidden));
    if (!panel.hidden) {
      refresh();
    }
  });
  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  // select2 (the admin's autocompletes) announces a choice with a jQuery event only.
  if (window.django && window.django.jQuery) {
    window.django.jQuery(form).on("change", "select", schedule);
  }
})();
