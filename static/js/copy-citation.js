// "Copy citation" on the paper page: the clipboard API where the browser allows it; otherwise
// the citation is selected so the reader copies it with the keyboard. The button stays hidden
// without JavaScript, where the citation is plain text to select by hand.
(function () {
  "use strict";

  function select(element) {
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function copy(button) {
    var source = document.getElementById(button.getAttribute("data-copy-from"));
    var status = button.parentNode.querySelector(".copy-citation-status");
    if (!source) {
      return;
    }
    var text = source.textContent.trim();
    function fallBack() {
      select(source);
      if (status) {
        status.textContent = "Selected: press Ctrl+C (⌘C on a Mac) to copy.";
      }
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () {
        if (status) {
          status.textContent = "Copied.";
        }
      }, fallBack);
    } else {
      fallBack();
    }
  }

  document.querySelectorAll(".copy-citation-button").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      copy(button);
    });
  });
})();
