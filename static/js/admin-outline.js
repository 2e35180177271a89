/* The post's outline: drag a section or an entry to reorder it, or use its move buttons.
   Each move is saved at once with fetch(); the post form's version follows, so saving the
   post afterwards is not taken for a conflict. Without JavaScript the buttons post a form. */
(function () {
  "use strict";

  var outline = document.getElementById("outline");
  var form = document.getElementById("outline-reorder");
  if (!outline || !form || !window.fetch) {
    return;
  }
  var status = outline.querySelector(".outline-status");
  var url = outline.getAttribute("data-reorder-url");

  function items(list) {
    return Array.prototype.filter.call(list.children, function (child) {
      return child.hasAttribute("data-id");
    });
  }

  function refreshButtons(list) {
    var rows = items(list);
    rows.forEach(function (row, index) {
      var moves = row.querySelector(".outline-moves");
      if (!moves) {
        return;
      }
      var buttons = moves.querySelectorAll(".outline-move");
      buttons[0].disabled = index === 0;
      buttons[1].disabled = index === rows.length - 1;
    });
  }

  function save(list, focus) {
    var data = new FormData(form);
    data.append("kind", list.getAttribute("data-kind"));
    data.append("parent", list.getAttribute("data-parent"));
    data.append(
      "ids",
      items(list)
        .map(function (row) {
          return row.getAttribute("data-id");
        })
        .join(",")
    );
    status.textContent = "Saving the new order…";
    refreshButtons(list);
    if (focus) {
      focus.focus();
    }
    return fetch(url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        return response.json().then(function (body) {
          if (!response.ok) {
            throw new Error(body.error || "The new order was not saved.");
          }
          var version = document.querySelector("#post_form input[name=version]");
          if (version) {
            version.value = body.version;
          }
          status.textContent = "New order saved.";
        });
      })
      .catch(function (error) {
        status.textContent = error.message + " Reload the page to see the stored order.";
      });
  }

  outline.addEventListener("click", function (event) {
    var button = event.target.closest(".outline-move");
    if (!button) {
      return;
    }
    event.preventDefault();
    var row = button.closest("[data-id]");
    var list = row.parentElement;
    var down = button.value.slice(-5) === ":down";
    var sibling = down ? row.nextElementSibling : row.previousElementSibling;
    if (!sibling) {
      return;
    }
    list.insertBefore(row, down ? sibling.nextElementSibling : sibling);
    var twin = row.querySelector(".outline-moves").querySelectorAll(".outline-move")[down ? 1 : 0];
    save(list, twin.disabled ? row.querySelector(".outline-move:not([disabled])") : twin);
  });

  var dragged = null;
  outline.querySelectorAll("[data-kind] > [data-id]").forEach(function (row) {
    row.setAttribute("draggable", "true");
    row.addEventListener("dragstart", function (event) {
      event.stopPropagation();
      dragged = row;
      row.classList.add("outline-dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", row.getAttribute("data-id"));
    });
    row.addEventListener("dragend", function () {
      row.classList.remove("outline-dragging");
      dragged = null;
    });
    row.addEventListener("dragover", function (event) {
      if (dragged && dragged !== row && dragged.parentElement === row.parentElement) {
        event.preventDefault();
        event.stopPropagation();
        row.classList.add("outline-drop-target");
      }
    });
    row.addEventListener("dragleave", function () {
      row.classList.remove("outline-drop-target");
    });
    row.addEventListener("drop", function (event) {
      if (!dragged || dragged.parentElement !== row.parentElement || dragged === row) {
        return;
      }
      event.preventDefault();
      event.stopPropagation();
      row.classList.remove("outline-drop-target");
      var list = row.parentElement;
      var rows = items(list);
      var after = rows.indexOf(dragged) < rows.indexOf(row);
      list.insertBefore(dragged, after ? row.nextElementSibling : row);
      save(list, null);
    });
  });
})();
