/* Rows of an admin inline in a curated order (an entry's gallery, a paper's review excerpts):
   move a row with its ↑/↓ buttons or drag it; each move is saved at once through the page's
   reorder form, configured by its data attributes:
     data-order-group    id of the inline group holding the rows
     data-order-status   id of the live region that says what happened
     data-order-handle   optional: the part of a row that is dragged (default: the whole row)
     data-order-version  optional: selector of the change form's version input, which follows
                         the parent's new version so saving the form later is no conflict
     data-order-saved    the message once saved
   Without JavaScript the buttons post the form. */
(function () {
  "use strict";

  if (!window.fetch) {
    return;
  }

  function setUp(form) {
    var group = document.getElementById(form.getAttribute("data-order-group"));
    if (!group) {
      return;
    }
    var status = document.getElementById(form.getAttribute("data-order-status"));
    var handle = form.getAttribute("data-order-handle");
    var versionSelector = form.getAttribute("data-order-version");
    var saved = form.getAttribute("data-order-saved") || "New order saved.";

    function rowOf(moves) {
      return moves.closest("tr, .inline-related");
    }

    function rows() {
      return Array.prototype.map.call(group.querySelectorAll(".outline-moves[data-id]"), rowOf);
    }

    function refresh() {
      var all = rows();
      all.forEach(function (row, index) {
        var buttons = row.querySelectorAll(".outline-move");
        buttons[0].disabled = index === 0;
        buttons[1].disabled = index === all.length - 1;
      });
    }

    function save() {
      var data = new FormData(form);
      data.append(
        "ids",
        rows()
          .map(function (row) {
            return row.querySelector(".outline-moves").getAttribute("data-id");
          })
          .join(",")
      );
      refresh();
      status.textContent = "Saving the new order…";
      return fetch(form.action, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          return response.json().then(function (answer) {
            if (!response.ok) {
              throw new Error(answer.error || "The new order was not saved.");
            }
            var version = versionSelector && document.querySelector(versionSelector);
            if (version) {
              version.value = answer.version;
            }
            status.textContent = saved;
          });
        })
        .catch(function (error) {
          status.textContent = error.message + " Reload the page to see the stored order.";
        });
    }

    function place(row, other, after) {
      other.parentElement.insertBefore(row, after ? other.nextElementSibling : other);
    }

    group.addEventListener("click", function (event) {
      var button = event.target.closest(".outline-move");
      if (!button) {
        return;
      }
      event.preventDefault();
      var row = rowOf(button);
      var down = button.value.slice(-5) === ":down";
      var all = rows();
      var other = all[all.indexOf(row) + (down ? 1 : -1)];
      if (!other) {
        return;
      }
      place(row, other, down);
      save();
      var twin = row.querySelectorAll(".outline-move")[down ? 1 : 0];
      (twin.disabled ? row.querySelector(".outline-move:not([disabled])") : twin).focus();
    });

    var dragged = null;
    rows().forEach(function (row) {
      var grip = (handle && row.querySelector(handle)) || row;
      grip.setAttribute("draggable", "true");
      grip.classList.add("order-grip");
      grip.addEventListener("dragstart", function (event) {
        dragged = row;
        row.classList.add("outline-dragging");
        event.dataTransfer.effectAllowed = "move";
        event.dataTransfer.setData("text/plain", "row");
      });
      grip.addEventListener("dragend", function () {
        row.classList.remove("outline-dragging");
        dragged = null;
      });
      row.addEventListener("dragover", function (event) {
        if (dragged && dragged !== row) {
          event.preventDefault();
          row.classList.add("outline-drop-target");
        }
      });
      row.addEventListener("dragleave", function () {
        row.classList.remove("outline-drop-target");
      });
      row.addEventListener("drop", function (event) {
        if (!dragged || dragged === row) {
          return;
        }
        event.preventDefault();
        event.stopPropagation();
        row.classList.remove("outline-drop-target");
        var all = rows();
        place(dragged, row, all.indexOf(dragged) < all.indexOf(row));
        save();
      });
    });
    refresh();
  }

  function ready() {
    document.querySelectorAll("form[data-order-group]").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
