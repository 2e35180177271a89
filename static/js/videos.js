// Videos on paper and keynote pages (templates/reviews/includes/videos.html).
//
// Click-to-play: the page shows a local placeholder; the host's player (an iframe, allowed by the
// CSP frame-src for the known hosts only) is inserted when the reader asks for it, so no request
// reaches the video host before that click.
//
// "Add one" opens the suggestion form in place: the form is fetched from its own page, which
// carries a CSRF token for this reader, so the paper page itself stays cacheable. Without
// JavaScript the link simply leads to that page.
(function () {
  "use strict";

  function play(player) {
    var frame = document.createElement("iframe");
    frame.src = player.dataset.embedUrl;
    frame.title = player.dataset.title || "Video";
    frame.className = "video-frame";
    frame.allow = "autoplay; encrypted-media; picture-in-picture; fullscreen";
    frame.allowFullscreen = true;
    frame.referrerPolicy = "strict-origin-when-cross-origin";
    player.replaceChildren(frame);
    player.classList.add("is-playing");
    frame.focus();
  }

  function openForm(link) {
    var section = link.closest(".videos");
    if (section.querySelector(".suggest-form")) {
      section.querySelector(".suggest-form input[type=url]").focus();
      return;
    }
    fetch(link.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.text();
      })
      .then(function (html) {
        var form = new DOMParser().parseFromString(html, "text/html").querySelector(".suggest-form");
        if (!form) {
          throw new Error("no form");
        }
        form.action = link.href;
        link.closest("p").after(document.adoptNode(form));
        form.querySelector("input[type=url]").focus();
      })
      .catch(function () {
        window.location.assign(link.href);
      });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest(".video-play");
    var player = button && button.closest(".video-player");
    if (player && player.dataset.embedUrl) {
      play(player);
      return;
    }
    var link = event.target.closest("a.video-suggest-link");
    if (link) {
      event.preventDefault();
      openForm(link);
    }
  });
})();
