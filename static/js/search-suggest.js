/* Search suggestions behind the header's search box: the ARIA 1.2 combobox pattern.
   Down/Up move through the list, Enter opens the highlighted suggestion (or submits the form
   when none is), Escape closes the list (a second Escape clears the box). Without JavaScript
   the box is a plain search form. */
(function () {
  "use strict";

  var DELAY_MS = 120;
  var KIND_LABELS = {
    paper: "Paper",
    author: "Author",
    tag: "Tag",
    conference: "Conference",
    post: "Post",
  };

  function init(form) {
    var input = form.querySelector("input[type=search]");
    var endpoint = form.getAttribute("data-suggest-url");
    if (!input || !endpoint || !window.fetch) {
      return;
    }
    var listId = input.id + "-suggestions";
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "search-suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Suggestions");
    list.hidden = true;
    form.appendChild(list);
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    form.appendChild(status);

    // HTML allows the combobox role on a text input, not on type=search (its role is searchbox).
    input.type = "text";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    input.setAttribute("autocomplete", "off");

    var items = [];
    var active = -1;
    var timer = null;
    var pending = null;
    var lastQuery = null;

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      if (active >= 0 && items[active]) {
        items[active].setAttribute("aria-selected", "false");
      }
      active = index;
      if (active >= 0 && items[active]) {
        items[active].setAttribute("aria-selected", "true");
        input.setAttribute("aria-activedescendant", items[active].id);
        items[active].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function render(suggestions) {
      list.textContent = "";
      items = suggestions.map(function (suggestion, index) {
        var option = document.createElement("li");
        option.id = listId + "-" + index;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.setAttribute("data-url", suggestion.url);
        var kind = document.createElement("span");
        kind.className = "search-suggestion-kind";
        kind.textContent = KIND_LABELS[suggestion.kind] || suggestion.kind;
        var label = document.createElement("span");
        label.className = "search-suggestion-label";
        label.textContent = suggestion.label;
        option.appendChild(kind);
        option.appendChild(document.createTextNode(" "));
        option.appendChild(label);
        if (suggestion.detail) {
          var detail = document.createElement("span");
          detail.className = "search-suggestion-detail";
          detail.textContent = suggestion.detail;
          option.appendChild(document.createTextNode(" "));
          option.appendChild(detail);
        }
        option.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep focus in the box until the page changes
        });
        option.addEventListener("click", function () {
          window.location.assign(suggestion.url);
        });
        list.appendChild(option);
        return option;
      });
      active = -1;
      input.removeAttribute("aria-activedescendant");
      if (items.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
        status.textContent =
          items.length + (items.length === 1 ? " suggestion" : " suggestions") +
          ": use the arrow keys to choose one.";
      } else {
        close();
        status.textContent = "";
      }
    }

    function load() {
      var query = input.value.trim();
      if (query === lastQuery) {
        return;
      }
      lastQuery = query;
      if (pending) {
        pending.abort();
      }
      if (query.length < 2) {
        render([]);
        return;
      }
      pending = new AbortController();
      fetch(endpoint + "?q=" + encodeURIComponent(query), {
        headers: { Accept: "application/json" },
        signal: pending.signal,
      })
        .then(function (response) {
          return response.ok ? response.json() : { suggestions: [] };
        })
        .then(function (data) {
          if (input.value.trim() === query) {
            render(data.suggestions || []);
          }
        })
        .catch(function () {
          /* aborted or offline: the plain form still works */
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(load, DELAY_MS);
    });

    input.addEventListener("keydown", function (event) {
      var open = !list.hidden && items.length > 0;
      if (event.key === "ArrowDown") {
        if (!open) {
          lastQuery = null;
          load();
          return;
        }
        event.preventDefault();
        highlight(active + 1 < items.length ? active + 1 : 0);
      } else if (event.key === "ArrowUp") {
        if (!open) {
          return;
        }
        event.preventDefault();
        highlight(active > 0 ? active - 1 : items.length - 1);
      } else if (event.key === "Enter") {
        if (open && active >= 0) {
          event.preventDefault();
          window.location.assign(items[active].getAttribute("data-url"));
        }
      } else if (event.key === "Escape") {
        if (open) {
          event.preventDefault();
          close();
        } else if (input.value) {
          event.preventDefault();
          input.value = "";
          lastQuery = null;
        }
      }
    });

    input.addEventListener("blur", function () {
      close();
    });
  }

  document.querySelectorAll("form[data-suggest-url]").forEach(init);
})();
