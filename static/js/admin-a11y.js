/* Names for the controls the stock admin and its select2 leave unnamed (axe: label, list):
   select2's search box is named after its field, its choice list gets an explicit role. */
(function () {
  "use strict";

  function labelOf(element) {
    var container = element.closest(".select2-container");
    var select = container && container.previousElementSibling;
    var label = select && select.id && document.querySelector("label[for='" + select.id + "']");
    return label ? label.textContent.replace(/:$/, "").trim() : "Search";
  }

  function nameCombobox(box) {
    var name = labelOf(box);
    var shown = box.querySelector(".select2-selection__rendered");
    var value = shown ? shown.textContent.replace(/^×/, "").trim() : "";
    var wanted = value ? name + ": " + value : name;
    if (box.getAttribute("aria-label") !== wanted) {
      box.setAttribute("aria-label", wanted);
    }
    if (shown && shown.getAttribute("role") === "textbox" && !shown.getAttribute("aria-label")) {
      shown.setAttribute("aria-label", name);
    }
  }

  function fix(root) {
    root.querySelectorAll(".select2-search__field:not([aria-label])").forEach(function (input) {
      input.setAttribute("aria-label", "Search " + labelOf(input).toLowerCase());
    });
    root.querySelectorAll("ul.select2-selection__rendered:not([role])").forEach(function (list) {
      list.setAttribute("role", "list");
    });
    root.querySelectorAll(".select2-selection--single[role=combobox]").forEach(nameCombobox);
    root.querySelectorAll("th.original").forEach(function (cell) {
      if (!cell.textContent.trim()) {
        var text = document.createElement("span");
        text.className = "visually-hidden";
        text.textContent = "Stored row";
        cell.appendChild(text);
      }
    });
  }

  function start() {
    fix(document);
    new MutationObserver(function () {
      fix(document);
    }).observe(document.body, { childList: true, subtree: true, characterData: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
