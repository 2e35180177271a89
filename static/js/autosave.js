/* Autosave of a change form (a post's, section's, entry's or paper's; the banner names it):
 * the form state goes to the server every few seconds while the curator types, and when the
 * tab is hidden or closed; a copy stays in this browser in case the server cannot take it (an
 * expired session). On reopening, the banner offers the newer of the two back; inline rows
 * that were added but never saved are made again with the inline's own "Add another" link,
 * then filled. No framework; loaded as a static file (strict CSP, no inline script). */
(function () {
  "use strict";
  var INTERVAL_MS = 4000;
  // Never kept: the request's secret, the version, formset counters, inlines' blank templates.
  var SKIPPED = /(^csrfmiddlewaretoken$|^version$|-(TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS$|-__prefix__-)/;

  function ready(callback) {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", callback);
    } else {
      callback();
    }
  }

  function formState(form) {
    var pairs = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.disabled || el.type === "file" || SKIPPED.test(el.name)) return;
      if ((el.type === "checkbox" || el.type === "radio") && !el.checked) return;
      if (el.type === "submit" || el.type === "button") return;
      if (el.tagName === "SELECT" && el.multiple) {
        Array.prototype.forEach.call(el.selectedOptions, function (option) {
          pairs.push([el.name, option.value]);
        });
        return;
      }
      pairs.push([el.name, el.value]);
    });
    return pairs;
  }

  // An inline's row "<prefix>-<n>-<field>" missing from the page was added and never saved:
  // click the inline's "Add another" (Django's inlines.js) until row n exists.
  function addMissingRows(form, names) {
    var added = 0;
    names.forEach(function (name) {
      var match = /^(.+)-(\d+)-[^-]+$/.exec(name);
      if (!match || form.elements.namedItem(name)) return;
      var total = form.elements.namedItem(match[1] + "-TOTAL_FORMS");
      var group = document.getElementById(match[1] + "-group");
      var add = group && group.querySelector(".add-row a");
      while (total && add && Number(total.value) <= Number(match[2])) {
        var before = total.value;
        add.click();
        if (total.value === before) return; // the inline is at its maximum number of rows
        added += 1;
      }
    });
    return added;
  }

  function applyState(form, pairs) {
    var values = {};
    pairs.forEach(function (pair) {
      if (SKIPPED.test(pair[0])) return;
      (values[pair[0]] = values[pair[0]] || []).push(pair[1]);
    });
    var rows = addMissingRows(form, Object.keys(values));
    var restored = 0;
    var missing = 0;
    Object.keys(values).forEach(function (name) {
      var elements = Array.prototype.filter.call(form.elements, function (el) {
        return el.name === name && el.type !== "file";
      });
      if (!elements.length) {
        missing += 1;
        return;
      }
      var wanted = values[name];
      elements.forEach(function (el, index) {
        if (el.type === "checkbox" || el.type === "radio") {
          el.checked = wanted.indexOf(el.value) !== -1;
        } else if (el.tagName === "SELECT") {
          Array.prototype.forEach.call(el.options, function (option) {
            option.selected = wanted.indexOf(option.value) !== -1;
          });
        } else if (index < wanted.length) {
          el.value = wanted[index];
        }
        el.dispatchEvent(new Event("input", { bubbles: true }));
        el.dispatchEvent(new Event("change", { bubbles: true }));
      });
      restored += 1;
    });
    // Checkboxes the curator had unticked are absent from the pairs: untick them too.
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.type === "checkbox" && el.name && !SKIPPED.test(el.name) && !values[el.name]) {
        el.checked = false;
      }
    });
    return { restored: restored, missing: missing, rows: rows };
  }

  function same(a, b) {
    return JSON.stringify(a) === JSON.stringify(b);
  }

  ready(function () {
    var banner = document.getElementById("autosave-restore");
    var form = banner && document.getElementById(banner.dataset.form);
    if (!banner || !form) return;
    var url = banner.dataset.autosaveUrl;
    var status = document.getElementById("autosave-status");
    var dataNode = document.getElementById("autosave-data");
    var stored = dataNode ? JSON.parse(dataNode.textContent) : null;
    var localKey = "autosave:" + url;
    var csrf = form.querySelector("[name=csrfmiddlewaretoken]");
    var local = null;
    try {
      local = JSON.parse(window.localStorage.getItem(localKey) || "null");
    } catch (error) {
      local = null;
    }
    var offered = stored;
    if (local && (!stored || local.saved_at > stored.saved_at)) offered = local;
    var initial = formState(form);
    var lastSent = initial;
    var submitting = false;

    function say(text) {
      if (status) status.textContent = text;
    }

    if (offered && !same(offered.form, initial)) {
      if (offered === local) {
        banner.querySelector(".autosave-message").textContent =
          "Edits of this " + banner.dataset.what + " from " + local.saved_at.slice(0, 16).replace("T", " ") +
          " UTC were kept in this browser only (the server did not take them).";
      }
      banner.hidden = false;
    } else if (offered) {
      window.localStorage.removeItem(localKey);
    }

    function post(body, keepalive) {
      return fetch(url + (body ? "" : "?discard=1"), {
        method: "POST",
        credentials: "same-origin",
        keepalive: !!keepalive,
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf ? csrf.value : "" },
        body: JSON.stringify(body || {}),
      });
    }

    function save(keepalive) {
      if (submitting) return;
      var state = formState(form);
      if (same(state, lastSent)) return;
      var record = { saved_at: new Date().toISOString(), form: state };
      try {
        window.localStorage.setItem(localKey, JSON.stringify(record));
      } catch (error) {
        /* A full or disabled storage leaves the server copy. */
      }
      lastSent = state;
      post({ form: state, version: banner.dataset.version }, keepalive)
        .then(function (response) {
          var json = response.headers.get("Content-Type") === "application/json";
          if (!response.ok || !json || response.redirected) {
            throw new Error(response.status === 400 ? "refused" : "signed out");
          }
          return response.json();
        })
        .then(function (answer) {
          say("Edits autosaved at " + answer.saved_at.slice(11, 16) + " UTC (not published).");
        })
        .catch(function () {
          say("Autosave could not reach the server (signed out?): your edits are kept in this browser.");
        });
    }

    banner.querySelector(".autosave-apply").addEventListener("click", function () {
      var result = applyState(form, offered.form);
      banner.hidden = true;
      lastSent = null;
      say(
        "Restored " + result.restored + " field(s)" +
          (result.rows ? ", with " + result.rows + " added row(s) made again" : "") +
          (result.missing ? "; " + result.missing + " belonged to rows not on this page" : "") +
          ". Save to keep them."
      );
    });
    banner.querySelector(".autosave-dismiss").addEventListener("click", function () {
      banner.hidden = true;
      window.localStorage.removeItem(localKey);
      post(null).catch(function () {});
      say("Discarded the kept edits.");
    });

    form.addEventListener("submit", function () {
      submitting = true;
      window.localStorage.removeItem(localKey);
    });
    window.setInterval(function () {
      save(false);
    }, INTERVAL_MS);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") save(true);
    });
    window.addEventListener("pagehide", function () {
      save(true);
    });
  });
})();
