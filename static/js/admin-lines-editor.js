/* An ordered list editor over a "one item per line" box: add, remove and move lines with
   buttons (keyboard usable); the box itself stays the form's value, so without JavaScript
   the curator simply types one finding per line. */
(function () {
  "use strict";

  function build(box) {
    var name = (document.querySelector("label[for='" + box.id + "']") || {}).textContent || "Item";
    name = name.replace(/:$/, "").trim().replace(/s$/, "");
    var editor = document.createElement("div");
    editor.className = "lines-list";
    var list = document.createElement("ol");
    var add = document.createElement("button");
    add.type = "button";
    add.className = "button";
    add.textContent = "Add a " + name.toLowerCase();
    editor.appendChild(list);
    editor.appendChild(add);
    box.hidden = true;
    box.insertAdjacentElement("afterend", editor);

    function sync() {
      var lines = [];
      list.querySelectorAll("input").forEach(function (input, n) {
        input.setAttribute("aria-label", name + " " + (n + 1));
        if (input.value.trim()) {
          lines.push(input.value.trim());
        }
      });
      box.value = lines.join("\n");
      box.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function button(text, label, action) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "button";
      b.textContent = text;
      b.setAttribute("aria-label", label);
      b.addEventListener("click", action);
      return b;
    }

    function row(text) {
      var item = document.createElement("li");
      var input = document.createElement("input");
      input.type = "text";
      input.className = "vLargeTextField";
      input.value = text;
      input.addEventListener("input", sync);
      item.appendChild(input);
      item.appendChild(
        button("↑", "Move up", function () {
          if (item.previousElementSibling) {
            list.insertBefore(item, item.previousElementSibling);
            sync();
            this.focus();
          }
        })
      );
      item.appendChild(
        button("↓", "Move down", function () {
          if (item.nextElementSibling) {
            list.insertBefore(item.nextElementSibling, item);
            sync();
            this.focus();
          }
        })
      );
      item.appendChild(
        button("Remove", "Remove this " + name.toLowerCase(), function () {
          var next = item.nextElementSibling || item.previousElementSibling;
          item.remove();
          sync();
          (next ? next.querySelector("input") : add).focus();
        })
      );
      list.appendChild(item);
      return input;
    }

    box.value
      .split("\n")
      .filter(function (line) {
        return line.trim();
      })
      .forEach(row);
    add.addEventListener("click", function () {
      row("").focus();
      sync();
    });
    sync();
  }

  document.querySelectorAll("textarea.lines-editor").forEach(build);
})();
