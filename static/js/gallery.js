/* Gallery lightbox: a modal <dialog>; arrows move between slides, Escape closes, focus returns. */
(function () {
  "use strict";

  function buildDialog() {
    var dialog = document.createElement("dialog");
    dialog.className = "lightbox";
    dialog.setAttribute("aria-label", "Slide viewer");
    dialog.innerHTML =
      '<figure class="lightbox-figure">' +
      '<figcaption class="lightbox-caption"></figcaption></figure>' +
      '<p class="lightbox-position" aria-live="polite"></p>' +
      '<div class="lightbox-controls">' +
      '<button type="button" class="lightbox-prev">Previous slide</button>' +
      '<button type="button" class="lightbox-next">Next slide</button>' +
      '<button type="button" class="lightbox-close">Close</button></div>';
    document.body.appendChild(dialog);
    return dialog;
  }

  function init() {
    var openers = document.querySelectorAll(".gallery-open");
    if (!openers.length || typeof HTMLDialogElement === "undefined") {
      return;
    }
    var dialog = buildDialog();
    // The <img> exists only while a slide is shown: an <img> without src is invalid HTML.
    var figure = dialog.querySelector(".lightbox-figure");
    var image = null;
    var caption = dialog.querySelector(".lightbox-caption");
    var position = dialog.querySelector(".lightbox-position");
    var slides = [];
    var index = 0;
    var opener = null;

    function show(i) {
      index = (i + slides.length) % slides.length;
      var button = slides[index];
      var thumb = button.querySelector("img");
      if (!image) {
        image = document.createElement("img");
        image.className = "lightbox-image";
        figure.insertBefore(image, caption);
      }
      image.src = button.getAttribute("data-full");
      image.alt = thumb.alt;
      caption.textContent = button.getAttribute("data-caption") || thumb.alt;
      position.textContent = "Slide " + (index + 1) + " of " + slides.length;
    }

    function open(button) {
      var gallery = button.closest(".gallery");
      slides = Array.prototype.slice.call(gallery.querySelectorAll(".gallery-open"));
      opener = button;
      show(slides.indexOf(button));
      dialog.showModal();
      dialog.querySelector(".lightbox-close").focus();
    }

    Array.prototype.forEach.call(openers, function (button) {
      button.addEventListener("click", function () {
        open(button);
      });
    });
    dialog.querySelector(".lightbox-prev").addEventListener("click", function () {
      show(index - 1);
    });
    dialog.querySelector(".lightbox-next").addEventListener("click", function () {
      show(index + 1);
    });
    dialog.querySelector(".lightbox-close").addEventListener("click", function () {
      dialog.close();
    });
    dialog.addEventListener("keydown", function (event) {
      if (event.key === "ArrowLeft") {
        event.preventDefault();
        show(index - 1);
      } else if (event.key === "ArrowRight") {
        event.preventDefault();
        show(index + 1);
      }
    });
    dialog.addEventListener("click", function (event) {
      if (event.target === dialog) {
        dialog.close();
      }
    });
    dialog.addEventListener("close", function () {
      if (image) {
        image.remove();
        image = null;
      }
      if (opener) {
        opener.focus();
        opener = null;
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
