/* The entry page's gallery: move a row with its buttons or drag it; each move is saved at
   once through the image-reorder form's endpoint. Without JavaScript the buttons post it. */
(function () {
  "use strict";

  var form = document.getElementById("image-reorder");
  var group = document.getElementById("images-group");
  if (!form || !group || !window.fetch) {
    return;
  }
  var status = document.getElementById("image-order-status");
  var body = group.querySelector("tbody");

  function rows() {
    return Array.prototype.filter.call(body.children, function (row) {
      return row.querySelector(".outline-moves[data-id]");
    });
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
          status.textContent = "New order of the images saved.";
        });
      })
      .catch(function (error) {
        status.textContent = error.message + " Reload the page to see the stored order.";
      });
  }

  group.addEventListener("click", function (event) {
    var button = event.target.closest(".outline-move");
    if (!button) {
      return;
    }
    event.preventDefault();
    var row = button.closest("tr");
    var down = button.value.slice(-5) === ":down";
    var all = rows();
    var at = all.indexOf(row);
    var other = all[at + (down ? 1 : -1)];
    if (!other) {
      return;
    }
    body.insertBefore(row, down ? other.nextElementSibling : other);
    save();
    var twin = row.querySelectorAll(".outline-move")[down ? 1 : 0];
    (twin.disabled ? row.querySelector(".outline-move:not([disabled])") : twin).focus();
  });

  var dragged = null;
  rows().forEach(function (row) {
    row.setAttribute("draggable", "true");
    row.addEventListener("dragstart", function (event) {
      dragged = row;
      row.classList.add("outline-dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", "image");
    });
    row.addEventListener("dragend", function () {
      row.classList.remove("outline-dragging");
      dragged = null;
    });
    row.addEventListener("dragover", function (event) {
      if (dragged && dragged !== row) {
        event.preventDefault();
      }
    });
    row.addEventListener("drop", function (event) {
      if (!dragged || dragged === row) {
        return;
      }
      event.preventDefault();
      event.stopPropagation();
      var all = rows();
      var after = all.indexOf(dragged) < all.indexOf(row);
      body.insertBefore(dragged, after ? row.nextElementSibling : row);
      save();
    });
  });
  refresh();
})();
